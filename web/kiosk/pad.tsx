// On-screen keypads, so a visitor never needs a keyboard: digits (phone), digits and X (ID numbers), and capital
// letters with a space (names as on the ID card, in pinyin or Latin letters). The field shows what was typed and
// is read-only, so the tablet's own keyboard never opens.
import { useT } from './messages.ts'

export type PadMode = 'digits' | 'id' | 'letters' | 'code'

const keysOf: Record<PadMode, string[]> = {
  digits: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
  id: ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'X', '0'],
  letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''),
  // Enrollment codes: Crockford base32 (no I, L, O, U).
  code: '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.split(''),
}

export function KeypadField(props: {
  id: string
  label: string
  value: string
  onChange: (value: string) => void
  mode: PadMode
  maxLength: number
  /** Shown under the field, e.g. why the value is refused. */
  error?: string | undefined
}) {
  const t = useT()
  const { value, onChange, maxLength } = props
  const press = (key: string) => {
    if (value.length < maxLength) onChange(value + key)
  }
  const errorId = `${props.id}-error`
  return (
    <div class="keypad-field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        class="keypad-value"
        value={value}
        readOnly
        inputMode="none"
        aria-invalid={props.error ? true : undefined}
        aria-describedby={props.error ? errorId : undefined}
        data-testid={`${props.id}-value`}
      />
      {props.error ? (
        <p id={errorId} class="kiosk-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <fieldset class={`keypad keypad-${props.mode}`}>
        <legend class="visually-hidden">{props.label}</legend>
        {keysOf[props.mode].map((key) => (
          <button key={key} type="button" class="key" onClick={() => press(key)} data-key={key}>
            {key}
          </button>
        ))}
        {props.mode === 'letters' ? (
          <button type="button" class="key key-wide" onClick={() => press(' ')} data-key="space">
            {t('padSpace')}
          </button>
        ) : null}
        <button
          type="button"
          class="key key-action"
          onClick={() => onChange(value.slice(0, -1))}
          data-key="delete"
        >
          {t('padDelete')}
        </button>
        <button type="button" class="key key-action" onClick={() => onChange('')} data-key="clear">
          {t('padClear')}
        </button>
      </fieldset>
    </div>
  )
}
