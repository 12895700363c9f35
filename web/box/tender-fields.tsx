// How the buyer pays at the window: cash (with what was handed over), a card terminal's reference, or a
// payment code scanned off the buyer's phone; and the tender as the sale request carries it.
import { Field } from '../lib/ui.tsx'
import { yuan } from './inputs.ts'
import { messages } from './messages.ts'

export type Tender = 'cash' | 'card' | 'payment_code'
/** What the clerk typed for each tender (kept when switching, so a slip of the radio loses nothing). */
export interface TenderInput {
  kind: Tender
  tendered: string
  reference: string
  code: string
}

export const noTender: TenderInput = { kind: 'cash', tendered: '', reference: '', code: '' }

export const tenderBody = ({ kind, tendered, reference, code }: TenderInput) =>
  kind === 'cash'
    ? { kind, tendered: yuan(tendered) }
    : kind === 'card'
      ? { kind, reference }
      : { kind, code: code.replace(/\s/g, '') }

export function TenderFields(props: { value: TenderInput; onChange: (patch: Partial<TenderInput>) => void }) {
  const t = messages.useT()
  const { value, onChange } = props
  return (
    <>
      <fieldset class="box-tabs">
        <legend>{t('tender')}</legend>
        {(['cash', 'card', 'payment_code'] as const).map((k) => (
          <label key={k}>
            <input
              type="radio"
              name="tender"
              checked={value.kind === k}
              onChange={() => onChange({ kind: k })}
            />
            {t(k)}
          </label>
        ))}
      </fieldset>
      {value.kind === 'cash' && (
        <Field label={t('tendered')}>
          {({ id }) => (
            <input
              id={id}
              inputMode="decimal"
              required
              pattern="[0-9]+(\.[0-9]{1,2})?"
              value={value.tendered}
              onInput={(e) => onChange({ tendered: e.currentTarget.value })}
            />
          )}
        </Field>
      )}
      {value.kind === 'card' && (
        <Field label={t('reference')}>
          {({ id }) => (
            <input
              id={id}
              required
              value={value.reference}
              onInput={(e) => onChange({ reference: e.currentTarget.value })}
            />
          )}
        </Field>
      )}
      {value.kind === 'payment_code' && (
        <Field label={t('paymentCode')}>
          {({ id }) => (
            <input
              id={id}
              required
              inputMode="numeric"
              autoComplete="off"
              pattern="[0-9 ]{10,40}"
              value={value.code}
              onInput={(e) => onChange({ code: e.currentTarget.value })}
            />
          )}
        </Field>
      )}
    </>
  )
}
