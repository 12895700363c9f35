// Form controls and value conversions the console's pages share: money is typed in yuan and sent in fen;
// times are typed as China wall-clock time and sent as ISO instants.
import type { ComponentChildren } from 'preact'
import { Field } from '../lib/ui.tsx'
import { adminMessages } from './messages.ts'

export const yuanToFen = (text: string) => Math.round(Number(text) * 100)
export const fenToYuan = (fen: number | null | undefined) => (fen == null ? '' : String(fen / 100))

/** `2026-12-01T19:30` (China time, from a datetime-local input) → ISO instant. */
export const localToIso = (local: string) => (local ? new Date(`${local}:00+08:00`).toISOString() : '')
/** ISO instant → `2026-12-01T19:30` in China time for a datetime-local input. */
export const isoToLocal = (iso: string | null | undefined) =>
  iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16) : ''
/** Today in China plus `days`, as YYYY-MM-DD. */
export const chinaDay = (days = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)

type Setter = (value: string) => void
const inputValue = (event: Event) => (event.target as HTMLInputElement).value

export function TextInput(props: {
  label: ComponentChildren
  value: string
  onInput: Setter
  type?: string
  required?: boolean
  hint?: ComponentChildren
  name?: string
  inputMode?: 'decimal' | 'numeric' | 'text' | 'tel' | 'email'
  autoComplete?: string
  step?: string
  min?: string
  /** The server's message for this field, shown under it and marking it invalid. */
  error?: string | null
}) {
  return (
    <Field label={props.label} hint={props.hint} error={props.error}>
      {({ id, describedBy, invalid }) => (
        <input
          id={id}
          name={props.name}
          type={(props.type ?? 'text') as 'text'}
          value={props.value}
          required={props.required}
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          inputMode={props.inputMode}
          autoComplete={props.autoComplete}
          step={props.step}
          min={props.min}
          onInput={(event) => props.onInput(inputValue(event))}
        />
      )}
    </Field>
  )
}

/** The optional English name beside a record's Chinese one (English pages show it, falling back to the name). */
export function NameEnInput(props: { value: string; onInput: Setter; name?: string }) {
  const t = adminMessages.useT()
  return (
    <TextInput
      label={t('names_nameEn')}
      hint={t('names_nameEnHint')}
      value={props.value}
      onInput={props.onInput}
      name={props.name}
    />
  )
}

export function SelectInput(props: {
  label: ComponentChildren
  value: string
  onChange: Setter
  options: { value: string; label: string }[]
  name?: string
  required?: boolean
}) {
  return (
    <Field label={props.label}>
      {({ id }) => (
        <select
          id={id}
          name={props.name}
          value={props.value}
          required={props.required}
          onChange={(event) => props.onChange((event.target as HTMLSelectElement).value)}
        >
          {props.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

export function CheckboxInput(props: {
  label: ComponentChildren
  checked: boolean
  onChange: (v: boolean) => void
}) {
  return (
    <label class="checkbox">
      <input
        type="checkbox"
        checked={props.checked}
        onChange={(event) => props.onChange((event.target as HTMLInputElement).checked)}
      />{' '}
      {props.label}
    </label>
  )
}
