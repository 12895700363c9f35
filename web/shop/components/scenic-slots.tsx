// Entry times of a scenic day as compact chips (time on one line, what is left below), so ten hourly slots fit a
// phone in three rows; a full slot stays visible but cannot be picked.
import { shopMessages } from '../messages.ts'
import type { DayAvailability } from '../types.ts'
import { scenicMessages } from './scenic-messages.ts'

export function ScenicSlots(props: {
  slots: DayAvailability['slots']
  selected: string | null
  onPick: (code: string) => void
}) {
  const t = shopMessages.useT()
  const m = scenicMessages.useT()
  return (
    <section aria-labelledby="slot-heading" class="card">
      <h2 id="slot-heading">{t('timeSlot')}</h2>
      <fieldset class="slot-chips" data-testid="slots">
        <legend class="visually-hidden">{t('timeSlot')}</legend>
        {props.slots.map((slot) => {
          const full = slot.remaining <= 0
          return (
            <label
              key={slot.code}
              class={`slot-chip${full ? ' slot-chip-full' : ''}${props.selected === slot.code ? ' slot-chip-on' : ''}`}
              data-testid="slot-chip"
            >
              <input
                type="radio"
                name="slot"
                value={slot.code}
                checked={props.selected === slot.code}
                disabled={full}
                onChange={() => props.onPick(slot.code)}
                aria-label={
                  full
                    ? m('slotChipFull', { start: slot.start, end: slot.end })
                    : m('slotChip', { start: slot.start, end: slot.end, count: slot.remaining })
                }
              />
              <span class="slot-time" aria-hidden="true">
                {slot.start}–{slot.end}
              </span>
              <span class="slot-left" aria-hidden="true">
                {full ? m('slotFull') : m('slotLeft', { count: slot.remaining })}
              </span>
            </label>
          )
        })}
      </fieldset>
    </section>
  )
}
