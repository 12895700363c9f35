import { describe, expect, it } from 'vitest'
import {
  checkRotatingCode,
  rotatingCode,
  STEP_SECONDS,
  ticketSecret,
} from '../../../worker/domain/rotating-code.ts'

const eventSecret = new Uint8Array(32).map((_, i) => i * 7 + 1)
const t0 = Date.UTC(2026, 11, 20, 11, 30, 5)

describe('rotating anti-screenshot code', () => {
  it('changes every 30 seconds and differs per ticket', async () => {
    const secret = await ticketSecret(eventSecret, 'tkt_A')
    const now = await rotatingCode(secret, t0)
    expect(now).toMatch(/^\d{6}$/)
    expect(await rotatingCode(secret, t0 + 1000)).toBe(now) // same 30 s step
    const codes = new Set(
      await Promise.all(
        Array.from({ length: 6 }, (_, i) => rotatingCode(secret, t0 + i * STEP_SECONDS * 1000)),
      ),
    )
    expect(codes.size).toBeGreaterThanOrEqual(5)
    expect(await rotatingCode(await ticketSecret(eventSecret, 'tkt_B'), t0)).not.toBe(now)
  })

  it('is accepted offline for up to a minute and refused after, or for another ticket or event', async () => {
    const shown = await rotatingCode(await ticketSecret(eventSecret, 'tkt_A'), t0)
    expect(await checkRotatingCode(eventSecret, 'tkt_A', shown, t0)).toBe(true)
    expect(await checkRotatingCode(eventSecret, 'tkt_A', shown, t0 + STEP_SECONDS * 1000)).toBe(true)
    expect(await checkRotatingCode(eventSecret, 'tkt_A', shown, t0 + 2 * STEP_SECONDS * 1000 + 1000)).toBe(
      false,
    )
    expect(await checkRotatingCode(eventSecret, 'tkt_B', shown, t0)).toBe(false)
    expect(await checkRotatingCode(new Uint8Array(32), 'tkt_A', shown, t0)).toBe(false)
  })
})
