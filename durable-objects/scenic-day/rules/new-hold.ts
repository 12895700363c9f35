import type { HoldTallies } from '../../../worker/domain/hold-caps.ts'
import type { PriceBook } from '../../../worker/domain/price-schedule.ts'
import type { HeldLine, ScenicHold, ScenicHoldRequest } from '../contract.ts'
import type { DayCounts } from './counts.ts'
import type { DayConfig } from './day-config.ts'
import type { ResolvedLine } from './parents.ts'
import { countQuotes, quoteHold } from './pricing.ts'

// A decided hold as it enters the day: counted in the in-memory counters and tallies at once (the next
// request of a batch sees it), and as the rows the store writes for a whole batch in two statements.

/** A hold's row: id, buyer, channel, package, client network (null: not a public hold), partner (1 or 0). */
export type HoldRow = [string, string, string, string | null, string | null, number]
/**
 * A line's row: id, hold, product, slot, channel, ID number, phone, name, price, parent line, list price, tier,
 * tier counter, channel-priced (1 or 0).
 */
export type LineInsert = [
  string,
  string,
  string,
  string | null,
  string,
  string | null,
  string | null,
  string | null,
  number,
  string | null,
  number,
  string | null,
  string | null,
  number,
]

/** The rows of a batch's holds, written together (store.ts `writeHolds`). */
export interface NewRows {
  holds: HoldRow[]
  lines: LineInsert[]
}

/**
 * A new hold's key: the time in milliseconds (12 hex digits), then 80 random bits (20 hex digits). Its hold
 * and line ids begin with it, so a batch's rows land at the end of the holds and lines indexes, a few pages
 * per commit; random ids put each row on its own page of an index that grows with the day, and a batch's commit
 * (and the rate of holds) grew with the holds already made.
 */
export function holdKey(now: number): string {
  const random = crypto.getRandomValues(new Uint8Array(10))
  let hex = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0')
  for (const byte of random) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/**
 * Admits a hold the rules accepted: `key` (32 hex digits, `holdKey`) names the hold and its lines, which are
 * counted in `used` and `tallies` and appended to `rows`. `expires` is the batch's deadline (and as ISO text).
 */
export function admitHold(
  config: DayConfig,
  state: { used: DayCounts; tallies: HoldTallies; prices: PriceBook },
  request: ScenicHoldRequest,
  decided: ResolvedLine[],
  key: string,
  expires: { at: number; iso: string },
  rows: NewRows,
  now: number,
): ScenicHold {
  const holdId = `hld_${key}`
  const network = request.client ? (request.client.network ?? '') : null
  rows.holds.push([
    holdId,
    request.holderId,
    request.channel,
    request.packageId ?? null,
    network,
    request.partner ? 1 : 0,
  ])
  // Quoted and counted at once, so the next hold of the batch sees the tier places this one took.
  const quotes = quoteHold(config, state.prices, request, now)
  countQuotes(state.prices, quotes, 1)
  // Line ids keep the key's time and 72 of its random bits.
  const ids = decided.map((_, k) => `ln_${key.slice(0, 30)}${k.toString(36).padStart(2, '0')}`)
  const lines: HeldLine[] = decided.map((line, k) => {
    const row = {
      product_id: line.productId,
      slot: line.slot,
      channel: request.channel,
      id_number: line.visitor?.idNumber ?? null,
      phone: line.visitor?.phone ?? null,
      holder_id: request.holderId,
    }
    const parent = line.parentIndex !== undefined ? ids[line.parentIndex]! : (line.parentLineId ?? null)
    rows.lines.push([
      ids[k]!,
      holdId,
      row.product_id,
      row.slot,
      row.channel,
      row.id_number,
      row.phone,
      line.visitor?.name ?? null,
      quotes[k]!.price,
      parent,
      quotes[k]!.listPrice,
      quotes[k]!.tier,
      quotes[k]!.key,
      quotes[k]!.channelPriced ? 1 : 0,
    ])
    state.used.line(config, row, 1)
    return {
      id: ids[k]!,
      productId: line.productId,
      productName: config.products[line.productId]!.name,
      slot: row.slot,
      price: quotes[k]!.price,
      listPrice: quotes[k]!.listPrice,
      tier: quotes[k]!.tier,
      channelPriced: quotes[k]!.channelPriced,
      visitor: line.visitor ?? null,
    }
  })
  state.tallies.add(request.holderId, network, lines.length, expires.at)
  return {
    id: holdId,
    siteId: config.siteId,
    date: config.date,
    lines,
    total: quotes.reduce((sum, q) => sum + q.price, 0),
    currency: config.currency,
    expiresAt: expires.iso,
  }
}
