import { describe, expect, it } from 'vitest'
import {
  nextAttemptAfterFailure,
  queueMaxDelaySeconds,
  webhookMaxAttempts,
  webhookRetryDelaysSeconds,
} from '../../../worker/domain/webhook-retry.ts'

const now = new Date('2026-11-23T10:00:00.000Z')

describe('webhook retry schedule: happy path', () => {
  it('waits about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h after attempts 1 to 9', () => {
    const hours = 3600
    expect(webhookRetryDelaysSeconds).toEqual([
      5,
      300,
      1800,
      2 * hours,
      5 * hours,
      10 * hours,
      14 * hours,
      20 * hours,
      24 * hours,
    ])
    expect(webhookMaxAttempts).toBe(10)
    webhookRetryDelaysSeconds.forEach((delay, i) => {
      const next = nextAttemptAfterFailure(i + 1, now)
      expect(next).toEqual({
        kind: 'retry',
        delaySeconds: delay,
        at: new Date(now.getTime() + delay * 1000),
        via: delay <= queueMaxDelaySeconds ? 'queue' : 'cron',
      })
    })
  })

  it('rides the queue up to its 12 h delay limit and leaves longer waits to the cron', () => {
    expect(queueMaxDelaySeconds).toBe(43_200)
    const via = webhookRetryDelaysSeconds.map(
      (_, i) => (nextAttemptAfterFailure(i + 1, now) as { via: string }).via,
    )
    expect(via).toEqual(['queue', 'queue', 'queue', 'queue', 'queue', 'queue', 'cron', 'cron', 'cron'])
  })
})

describe('webhook retry schedule: errors', () => {
  it('dead-letters after the tenth attempt fails, and after any later (replayed) attempt', () => {
    expect(nextAttemptAfterFailure(10, now)).toEqual({ kind: 'dead' })
    expect(nextAttemptAfterFailure(11, now)).toEqual({ kind: 'dead' })
  })
})
