import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { Problem } from '../../../worker/problem.ts'
import {
  ENROLLMENT_FAILURE_WINDOW_MINUTES,
  ENROLLMENT_FAILURES_ALLOWED,
  recordWrongCode,
  refuseCodeGuessing,
} from '../../../worker/services/gate-devices.ts'

const WINDOW = ENROLLMENT_FAILURE_WINDOW_MINUTES * 60_000

async function retryAfter(client: string, now: number): Promise<number | null> {
  try {
    await refuseCodeGuessing(openDatabase(env.DB), client, now)
    return null
  } catch (error) {
    if (!(error instanceof Problem) || error.code !== 'rate_limited') throw error
    return Number(error.headers['retry-after'])
  }
}

describe('enrollment code guessing', () => {
  it('counts the previous window too, so guessing cannot restart at a window edge, and clears after', async () => {
    const db = openDatabase(env.DB)
    const client = 'test-edge'
    const start = Math.floor(Date.UTC(2026, 11, 1, 10) / WINDOW) * WINDOW
    // Six wrong codes at the end of one window, four at the start of the next.
    for (let i = 0; i < 6; i++) await recordWrongCode(db, client, start + WINDOW - 1000)
    expect(await retryAfter(client, start + WINDOW - 1000)).toBeNull()
    for (let i = 0; i < ENROLLMENT_FAILURES_ALLOWED - 6; i++)
      await recordWrongCode(db, client, start + WINDOW + 1000)
    // Refused until the earlier window's failures fall out, at the end of the current window.
    expect(await retryAfter(client, start + WINDOW + 1000)).toBe(WINDOW / 1000 - 1)
    expect(await retryAfter(client, start + 2 * WINDOW + 1000)).toBeNull()
    expect(await retryAfter('another-client', start + WINDOW + 1000)).toBeNull()
  })

  it('keeps a client that failed ten times in one window out until the next window ends', async () => {
    const db = openDatabase(env.DB)
    const client = 'test-burst'
    const start = Math.floor(Date.UTC(2026, 11, 1, 11) / WINDOW) * WINDOW
    for (let i = 0; i < ENROLLMENT_FAILURES_ALLOWED; i++) await recordWrongCode(db, client, start + 5000)
    expect(await retryAfter(client, start + 5000)).toBe((2 * WINDOW - 5000) / 1000)
    expect(await retryAfter(client, start + WINDOW + 5000)).toBe((WINDOW - 5000) / 1000)
    expect(await retryAfter(client, start + 2 * WINDOW)).toBeNull()
  })
})
