import { writeOrRollBack } from '../shared/transaction.ts'
import { notOlder } from './catalogue.ts'
import type { ShowConfig } from './contract.ts'
import type { ShowSales } from './rules.ts'
import type { Change } from './settlement.ts'
import * as store from './store.ts'

// The organizer's hand on a show's sale: catalogue settings taken over (pushed by the admin API or read back
// from D1), sales stopped or resumed, seats blocked or freed, seats set aside for a channel.

/**
 * Takes newer catalogue settings without touching seats. A pushed config that is older than the one the actor
 * has (two edits' pushes crossing) is dropped; what the actor read from D1 itself is always taken.
 */
export function applyConfig(sales: ShowSales, sql: SqlStorage, next: ShowConfig, pushed: boolean): boolean {
  if (next.stamp === sales.config.stamp || (pushed && !notOlder(next, sales.config))) return false
  store.storeConfig(sql, next)
  sales.config = next
  return true
}

/** Stops (or resumes) sales, e.g. when the show is cancelled; holds already made run out as usual. */
export function setStatus(sales: ShowSales, sql: SqlStorage, status: 'scheduled' | 'cancelled') {
  const next = { ...sales.config, status }
  store.storeConfig(sql, next)
  sales.config = next
  return { status }
}

/** Blocks seats (sponsor/production holds) or frees them again; held or sold seats are left alone. */
export function setBlocked(
  sales: ShowSales,
  sql: SqlStorage,
  change: Change,
  seatIds: string[],
  blocked: boolean,
) {
  const changed: number[] = []
  const { changedIds, skipped } = change(changed, () => {
    const decided = sales.setBlocked(seatIds, blocked)
    for (const i of decided.changed) store.writeSeatState(sql, i, decided.state)
    changed.push(...decided.changed)
    return decided
  })
  return { changed: changedIds, skipped }
}

/** Sets seats aside for one sales channel (null opens them to every channel); no viewer sees a change. */
export function allocate(
  sales: ShowSales,
  storage: DurableObjectStorage,
  rollBack: () => void,
  seatIds: string[],
  channel: string | null,
) {
  const { allocated, unknown } = writeOrRollBack(
    storage,
    () => {
      const decided = sales.allocate(seatIds, channel)
      for (const i of decided.allocated) store.writeAllocation(storage.sql, i, channel)
      return decided
    },
    rollBack,
  )
  return { allocated: allocated.length, unknown }
}
