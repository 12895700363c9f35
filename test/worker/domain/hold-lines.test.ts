import { describe, expect, it } from 'vitest'
import {
  heldLine,
  joinOutcomeLines,
  readOutcomeLine,
  splitOutcomeLines,
} from '../../../worker/domain/hold-lines.ts'

type Refusal = { ok: false; code: string; detail: string }

describe('outcome lines', () => {
  it('gives each request its own answer, a hold as the text it was written as', () => {
    // Newlines and the line prefix inside strings are escaped by JSON, so they never split a line.
    const hold = { id: 'hld_1', seats: [{ id: 's1', label: 'Row 1\nSeat 1', note: '{"ok":true,"hold":' }] }
    const refusal: Refusal = { ok: false, code: 'seats_unavailable', detail: 'Taken\nalready' }
    const text = joinOutcomeLines([
      heldLine(JSON.stringify(hold)),
      JSON.stringify(refusal),
      heldLine('{"id":"hld_2"}'),
    ])
    const lines = splitOutcomeLines(text, 3)
    const [first, second, third] = lines.map((line) => readOutcomeLine<Refusal>(line))
    expect(first).toEqual({ ok: true, holdJson: JSON.stringify(hold) })
    expect(JSON.parse((first as { holdJson: string }).holdJson)).toEqual(hold)
    expect(second).toEqual(refusal)
    expect(third).toEqual({ ok: true, holdJson: '{"id":"hld_2"}' })
    // Each line is a JSON document of the whole outcome, too.
    expect(JSON.parse(lines[0]!)).toEqual({ ok: true, hold })
  })

  it('refuses an answer whose lines do not match the requests', () => {
    const text = joinOutcomeLines([JSON.stringify({ ok: false, code: 'sold_out', detail: 'x' })])
    expect(() => splitOutcomeLines(text, 2)).toThrow(/1 outcome lines for 2 requests/)
  })
})
