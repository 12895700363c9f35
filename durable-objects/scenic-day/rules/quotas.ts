import { type Refused, refuse } from '../contract.ts'
import { countTaken } from './counts.ts'
import { type DayConfig, generalCapacity } from './day-config.ts'
import type { CountedLine } from './lines.ts'

// A date's own channel allocations (e.g. more for Ctrip on a holiday), set by the organizer: never below what a
// channel, or the general pool, already holds or sold.

/** The day's config with `quotas` as its allocations, or why not, given every taken line of the day. */
export function withQuotas(
  config: DayConfig,
  quotas: Record<string, number>,
  taken: Iterable<CountedLine>,
): { ok: true; config: DayConfig } | Refused {
  const reserved = Object.values(quotas).reduce((a, b) => a + b, 0)
  if (reserved > config.dailyCapacity) return refuse('invalid_request', 'Quotas exceed the daily capacity')
  const next = { ...config, quotas, quotasOverridden: true }
  // Count what is taken under the new allocations: a channel's earlier sales may move in or out of the general
  // pool.
  const used = countTaken(next, taken)
  const over = [...used.channel].find(([channel, n]) => n > (quotas[channel] ?? 0))
  if (over) {
    return refuse('invalid_request', `${over[0]} already holds ${over[1]}; its quota cannot go below that`)
  }
  const general = generalCapacity(next)
  if (used.general > general) {
    return refuse(
      'invalid_request',
      `Other channels already hold ${used.general}; the quotas leave them only ${general}`,
    )
  }
  return { ok: true, config: next }
}
