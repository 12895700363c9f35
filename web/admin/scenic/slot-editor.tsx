// Time slots as rows (start, end, capacity) with add and remove, each row's problem written under the field it
// concerns: what pretix and the OTA back offices offer instead of a text box with a line format to remember.
import { useState } from 'preact/hooks'
import { Button } from '../../lib/ui.tsx'
import { adminMessages } from '../messages.ts'
import { nextRow, type SlotField, type SlotProblem, type SlotRow } from './slots.ts'

const inputId = (row: SlotRow, field: SlotField) => `${row.key}-${field}`

/** Focuses the first field with a problem (the sticky header's scroll margin keeps it in sight). */
export function focusFirstProblem(rows: SlotRow[], problems: Map<string, SlotProblem[]>) {
  const row = rows.find((r) => problems.has(r.key))
  if (!row) return
  const wrong = new Set((problems.get(row.key) ?? []).map((p) => p.field))
  // The first in reading order, whatever order the checks found them in.
  const field = (['start', 'end', 'capacity'] as const).find((f) => wrong.has(f))
  if (field) document.getElementById(inputId(row, field))?.focus()
}

export function SlotEditor(props: {
  rows: SlotRow[]
  onChange: (rows: SlotRow[]) => void
  problems: Map<string, SlotProblem[]>
  /** After a save was tried, every problem shows; before that only those of fields already edited. */
  showAll: boolean
  opensAt: string
}) {
  const t = adminMessages.useT()
  const [touched, setTouched] = useState<Set<string>>(new Set())
  const { rows, problems } = props
  const edit = (row: SlotRow, field: SlotField, value: string) => {
    setTouched(new Set(touched).add(inputId(row, field)))
    props.onChange(rows.map((r) => (r.key === row.key ? { ...r, [field]: value } : r)))
  }
  const shown = (row: SlotRow, field: SlotField) =>
    (problems.get(row.key) ?? []).filter(
      (p) => p.field === field && (props.showAll || touched.has(inputId(row, field))),
    )
  const total = rows.reduce((sum, r) => sum + (Number(r.capacity) || 0), 0)
  const field = (row: SlotRow, name: SlotField, label: string, attrs: Record<string, string>) => {
    const id = inputId(row, name)
    const errors = shown(row, name)
    return (
      <div class={`field${errors.length ? ' field-invalid' : ''}`}>
        <label for={id}>{label}</label>
        <input
          id={id}
          name={`slot-${name}`}
          value={row[name]}
          aria-invalid={errors.length ? 'true' : undefined}
          aria-describedby={errors.length ? `${id}-error` : undefined}
          onInput={(event) => edit(row, name, (event.target as HTMLInputElement).value)}
          {...attrs}
        />
        {errors.length > 0 && (
          <small id={`${id}-error`} class="field-error" data-testid="slot-error">
            {errors.map((p) => t(p.key, p.params)).join(' ')}
          </small>
        )}
      </div>
    )
  }
  return (
    <fieldset class="slot-editor stack" data-testid="slot-editor">
      <legend>{t('timeSlots')}</legend>
      <p class="muted small">{t('slotsIntro')}</p>
      {rows.length === 0 ? (
        <p>{t('noSlots')}</p>
      ) : (
        <ol class="slot-rows">
          {rows.map((row, index) => (
            <li key={row.key} class="slot-row" aria-label={t('slotRow', { n: index + 1 })}>
              <span class="slot-number" aria-hidden="true">
                {index + 1}
              </span>
              {field(row, 'start', t('slotStart'), { type: 'time', step: '60' })}
              {field(row, 'end', t('slotEnd'), { type: 'time', step: '60' })}
              {field(row, 'capacity', t('slotCapacity'), { type: 'number', min: '0', inputMode: 'numeric' })}
              <Button
                class="slot-remove"
                onClick={() => props.onChange(rows.filter((r) => r.key !== row.key))}
              >
                {t('removeSlot', { n: index + 1 })}
              </Button>
            </li>
          ))}
        </ol>
      )}
      <div class="slot-tools">
        <Button onClick={() => props.onChange([...rows, nextRow(rows, props.opensAt)])}>
          {t('addSlot')}
        </Button>
        {rows.length > 0 && (
          <span class="muted" data-testid="slots-total">
            {t('slotsTotal', { n: rows.length, capacity: total })}
          </span>
        )}
      </div>
    </fieldset>
  )
}
