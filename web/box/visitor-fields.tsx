// A name and an ID number for each real-name ticket of a sale (a show's holders, a scenic day's visitors).
import { Field } from '../lib/ui.tsx'
import { messages } from './messages.ts'

export interface VisitorInput {
  name: string
  idNumber: string
}

export function VisitorFields(props: {
  kind: 'show' | 'scenic'
  /** The sale's line numbers that need a visitor. */
  lines: number[]
  visitorAt: (line: number) => VisitorInput
  onChange: (line: number, patch: Partial<VisitorInput>) => void
}) {
  const t = messages.useT()
  const { visitorAt, onChange } = props
  return (
    <>
      {props.lines.map((i, n) => (
        <div class="box-inline" key={i}>
          <Field label={`${props.kind === 'show' ? t('holderName') : t('visitorName')} ${n + 1}`}>
            {({ id }) => (
              <input
                id={id}
                required
                value={visitorAt(i).name}
                onInput={(e) => onChange(i, { name: e.currentTarget.value })}
              />
            )}
          </Field>
          <Field label={`${t('visitorId')} ${n + 1}`}>
            {({ id }) => (
              <input
                id={id}
                required
                pattern="[0-9]{17}[0-9Xx]"
                value={visitorAt(i).idNumber}
                onInput={(e) => onChange(i, { idNumber: e.currentTarget.value })}
              />
            )}
          </Field>
        </div>
      ))}
    </>
  )
}
