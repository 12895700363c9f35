// The time slots of a scenic site as rows a person edits (start, end, capacity as typed), and what is wrong with
// each row, in words the slot editor shows next to it. The server checks the same again; this is so the
// organizer learns it at the row rather than from a list of JSON paths after saving.
import type { TimeSlot } from '../../../worker/routes/contracts/admin/scenic-sites.ts'
import type { AdminKey } from '../messages.ts'

export interface SlotRow {
  /** Stable while editing, so inputs keep focus when rows above are removed. */
  key: string
  start: string
  end: string
  capacity: string
}

export type SlotField = 'start' | 'end' | 'capacity'
export interface SlotProblem {
  field: SlotField
  key: AdminKey
  params?: Record<string, string | number>
}

let rowKeys = 0
export const slotRow = (start = '', end = '', capacity = ''): SlotRow => ({
  key: `slot-${++rowKeys}`,
  start,
  end,
  capacity,
})

export const rowsOf = (slots: TimeSlot[]) => slots.map((s) => slotRow(s.start, s.end, String(s.capacity)))

const minutes = (clock: string) => {
  const [h = '0', m = '0'] = clock.split(':')
  return Number(h) * 60 + Number(m)
}
const clockOf = (total: number) =>
  `${String(Math.floor(total / 60)).padStart(2, '0')}:${String(total % 60).padStart(2, '0')}`

/** The row "Add a slot" appends: right after the last one, as long as it, with the same capacity. */
export function nextRow(rows: SlotRow[], opensAt: string): SlotRow {
  const last = rows.at(-1)
  if (!last || !last.end) return slotRow(opensAt, clockOf(Math.min(minutes(opensAt) + 60, 23 * 60 + 59)), '')
  const length =
    last.start && minutes(last.end) > minutes(last.start) ? minutes(last.end) - minutes(last.start) : 60
  const start = minutes(last.end)
  return slotRow(
    clockOf(Math.min(start, 23 * 60 + 58)),
    clockOf(Math.min(start + length, 23 * 60 + 59)),
    last.capacity,
  )
}

/** What is wrong with each row (by row key); an empty map means the rows can be saved. */
export function slotProblems(rows: SlotRow[], dailyCapacity: number): Map<string, SlotProblem[]> {
  const problems = new Map<string, SlotProblem[]>()
  const add = (row: SlotRow, problem: SlotProblem) =>
    problems.set(row.key, [...(problems.get(row.key) ?? []), problem])
  rows.forEach((row, index) => {
    if (!row.start) add(row, { field: 'start', key: 'slotNeedsStart' })
    if (!row.end) add(row, { field: 'end', key: 'slotNeedsEnd' })
    if (row.start && row.end && minutes(row.end) <= minutes(row.start))
      add(row, { field: 'end', key: 'slotEndBeforeStart' })
    const capacity = Number(row.capacity)
    if (row.capacity.trim() === '' || !Number.isInteger(capacity) || capacity < 0)
      add(row, { field: 'capacity', key: 'slotCapacityWhole' })
    else if (capacity > dailyCapacity)
      add(row, { field: 'capacity', key: 'slotCapacityOverDay', params: { capacity: dailyCapacity } })
    // Against the rows above only, so each clash is reported once, on the later row.
    for (const [otherIndex, other] of rows.slice(0, index).entries()) {
      if (!row.start || !other.start) continue
      if (row.start === other.start) {
        add(row, { field: 'start', key: 'slotSameStart', params: { start: row.start } })
        break
      }
      if (!row.end || !other.end) continue
      if (minutes(row.start) < minutes(other.end) && minutes(other.start) < minutes(row.end)) {
        add(row, {
          field: 'start',
          key: 'slotOverlaps',
          params: { n: otherIndex + 1, range: `${other.start}–${other.end}` },
        })
        break
      }
    }
  })
  return problems
}

/** Rows (already checked) as the API takes them, in time order; a slot's code is its start time. */
export const timeSlotsOf = (rows: SlotRow[]): TimeSlot[] =>
  rows
    .map((row) => ({ code: row.start, start: row.start, end: row.end, capacity: Number(row.capacity) }))
    .sort((a, b) => minutes(a.start) - minutes(b.start))
