/**
 * Webhook retry schedule: the wait after failed attempt n is `webhookRetryDelaysSeconds[n - 1]`
 * (≈ 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h), so a delivery gets 10 attempts over about
 * 3.3 days and is dead-lettered when the last one fails.
 */
export const webhookRetryDelaysSeconds = [
  5,
  5 * 60,
  30 * 60,
  2 * 3600,
  5 * 3600,
  10 * 3600,
  14 * 3600,
  20 * 3600,
  24 * 3600,
] as const

export const webhookMaxAttempts = webhookRetryDelaysSeconds.length + 1

/** Cloudflare Queues accepts `delaySeconds` up to 12 hours; longer waits are picked up by the cron instead. */
export const queueMaxDelaySeconds = 12 * 3600

export type NextAttempt =
  | { kind: 'retry'; delaySeconds: number; at: Date; via: 'queue' | 'cron' }
  | { kind: 'dead' }

/** What happens after attempt number `attemptsMade` (1-based) failed at `now`. */
export function nextAttemptAfterFailure(attemptsMade: number, now: Date): NextAttempt {
  const delaySeconds = webhookRetryDelaysSeconds[attemptsMade - 1]
  if (delaySeconds === undefined) return { kind: 'dead' }
  return {
    kind: 'retry',
    delaySeconds,
    at: new Date(now.getTime() + delaySeconds * 1000),
    via: delaySeconds <= queueMaxDelaySeconds ? 'queue' : 'cron',
  }
}
