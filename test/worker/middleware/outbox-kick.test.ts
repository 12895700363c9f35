import { describe, expect, it } from 'vitest'
import { kickOutboxOnce } from '../../../worker/middleware/outbox-kick.ts'

describe('outbox kick after writes', () => {
  it('runs one publisher at a time per isolate, and once more for writes that kicked during a run', async () => {
    let runs = 0
    let running = 0
    let most = 0
    let release: () => void = () => {}
    const run = async () => {
      runs++
      running++
      most = Math.max(most, running)
      await new Promise<void>((resolve) => {
        release = resolve
      })
      running--
    }
    const first = kickOutboxOnce(run)
    expect(first).not.toBeNull()
    // Forty writes finish while the first run is in flight: none starts its own.
    const during = Array.from({ length: 40 }, () => kickOutboxOnce(run))
    expect(during.every((kick) => kick === null)).toBe(true)
    release()
    // The first run ends; the kicks during it ask for exactly one more (their events may be newer than its read).
    await new Promise((r) => setTimeout(r, 0))
    expect(runs).toBe(2)
    release()
    await first
    expect(runs).toBe(2)
    expect(most).toBe(1)
    // Idle again: the next write starts a run of its own.
    const next = kickOutboxOnce(async () => {
      runs++
    })
    expect(next).not.toBeNull()
    await next
    expect(runs).toBe(3)
  })
})
