/**
 * Outgoing message retry schedule: the wait after failed attempt n is `messageRetryDelaysSeconds[n - 1]`
 * (30 s, 2 min, 10 min, 30 min, 2 h), so a message gets 6 attempts over about 3 hours and is dead when the last
 * one fails. Shorter than webhooks' (worker/domain/webhook-retry.ts): a sign-in code or a payment reminder that
 * arrives a day late is of no use, and a dead message is visible in the console to be sent again by hand.
 */
export const messageRetryDelaysSeconds = [30, 2 * 60, 10 * 60, 30 * 60, 2 * 3600] as const

export const messageMaxAttempts = messageRetryDelaysSeconds.length + 1

/** How long a claimed message may stay `sending` before another run may take it (a crashed run's lease). */
export const messageSendLeaseSeconds = 5 * 60

export type NextMessageAttempt = { kind: 'retry'; at: Date } | { kind: 'dead' }

/**
 * What happens after attempt number `attemptsMade` (1-based) failed at `now`; a `permanent` failure (the
 * provider refused the recipient or the template) is dead at once.
 */
export function nextMessageAttempt(attemptsMade: number, now: Date, permanent = false): NextMessageAttempt {
  const delaySeconds = permanent ? undefined : messageRetryDelaysSeconds[attemptsMade - 1]
  if (delaySeconds === undefined) return { kind: 'dead' }
  return { kind: 'retry', at: new Date(now.getTime() + delaySeconds * 1000) }
}
