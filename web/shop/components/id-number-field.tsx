// An ID number input validated as typed (the same checksum the API applies): checkout's ticket holders and
// the scenic page's visitors.
import { isValidPrcIdNumber } from '../../../worker/domain/id-number.ts'
import { Field } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'

/** An ID number input validated as typed (the same checksum the API applies). */
export function IdNumberField(props: { label: string; value: string; onInput: (value: string) => void }) {
  const t = shopMessages.useT()
  const value = props.value.trim()
  const complete = value.length >= 18
  const valid = isValidPrcIdNumber(value)
  return (
    <Field
      label={props.label}
      error={complete && !valid ? t('idInvalid') : null}
      hint={valid ? t('idValid') : undefined}
    >
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          value={props.value}
          inputMode="text"
          autoComplete="off"
          maxLength={18}
          aria-invalid={invalid}
          aria-describedby={describedBy}
          onInput={(event) => props.onInput((event.target as HTMLInputElement).value.toUpperCase())}
        />
      )}
    </Field>
  )
}
