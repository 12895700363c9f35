import type { ScenicDayInventory } from '../../durable-objects/scenic-day/inventory.ts'
import type { ScenicHoldOutcome, ScenicHoldRequest } from '../../durable-objects/scenic-day/stub.ts'
import { HoldQueue } from '../../durable-objects/shared/hold-queue.ts'
import { readOutcomeLine, splitOutcomeLines } from '../../worker/domain/hold-lines.ts'
import { percentile } from './percentile.ts'

// `scenic-day-fill`: a 40,000-visitor day sold from empty to sold out through the real day actor and the hold
// gateways' coalescing queue, by buyers of 1–4 tickets each from many client networks (public holds: the
// per-buyer and per-network caps are checked on every hold). The rate of successful holds while the first tenth
// of the tickets sold, against the last tenth: a per-hold cost that grows with the holds already made shows as
// a lower last tenth (target: last ≥ 0.8 × first). A warm-up day is filled first, untimed (the code's first
// runs are slower than its later ones whatever the day holds), then FILL_ROUNDS days, each a fresh actor.

export const FILL_CAPACITY = 40_000
const FILL_ROUNDS = 3
/** Client networks the buyers come from (a network may hold 5% of the day's holds at once). */
const NETWORKS = 5_000

type DayNamespace = DurableObjectNamespace<ScenicDayInventory>

/** A scenic site whose every day holds `capacity` visitors, with one untimed gate ticket at ¥50. */
async function fillSite(db: D1Database, capacity: number) {
  const tag = crypto.randomUUID().slice(0, 8)
  const org = `org_f${tag}`
  const siteId = `site_f${tag}`
  const productId = `prd_f${tag}`
  await db.batch([
    db
      .prepare("INSERT INTO organizers (id, name, slug) VALUES (?, 'Bench fill', ?)")
      .bind(org, `fill-${tag}`),
    db
      .prepare(
        "INSERT INTO scenic_sites (id, organizer_id, name, city, daily_capacity, time_slots) VALUES (?, ?, 'Fill park', 'Bench', ?, '[]')",
      )
      .bind(siteId, org, capacity),
    db
      .prepare(
        `INSERT INTO visit_products (id, organizer_id, site_id, name, kind, ticket_type, eligibility, price, real_name_required, max_per_id_per_day)
         VALUES (?, ?, ?, 'Gate', 'entry', 'adult', '{}', 5000, 0, 0)`,
      )
      .bind(productId, org, siteId),
  ])
  return { siteId, productId }
}

interface Sold {
  /** Seconds since the day's first hold was asked for, when the answer came. */
  at: number
  tickets: number
}

/** One day from empty to sold out: every successful hold (when, how many tickets), ticket ids, latencies. */
async function fillDay(days: DayNamespace, db: D1Database, callers: number, round: number) {
  const { siteId, productId } = await fillSite(db, FILL_CAPACITY)
  const date = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10)
  const day = days.get(days.idFromName(`${siteId}:${date}`))
  await day.availability(siteId, date)
  const queue = new HoldQueue<ScenicHoldRequest, string>(async (requests) =>
    splitOutcomeLines(await day.holdBatchLines(siteId, date, JSON.stringify(requests)), requests.length),
  )
  const sold: Sold[] = []
  const holdJson: string[] = []
  const latencies: number[] = []
  const refusals = new Map<string, number>()
  let soldOut = false
  let held = 0
  const started = Date.now()
  const deadline = started + 120_000
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let i = 0; !soldOut && Date.now() < deadline; i++) {
        // Near the end a buyer wanting more than is left is refused; buyers then ask for what the page says is left.
        const want = Math.min(1 + Math.floor(Math.random() * 4), Math.max(1, FILL_CAPACITY - held))
        const t0 = Date.now()
        const line = await queue.hold({
          holderId: `buy_f${round}-${caller}-${i}`,
          channel: 'web',
          lines: Array.from({ length: want }, () => ({ productId })),
          client: { network: `10.${Math.floor(Math.random() * NETWORKS)}.0.0/16` },
        })
        const answer = readOutcomeLine<Extract<ScenicHoldOutcome, { ok: false }>>(line)
        latencies.push(Date.now() - t0)
        if (answer.ok) {
          held += want
          sold.push({ at: (Date.now() - started) / 1000, tickets: want })
          holdJson.push(answer.holdJson)
        } else {
          refusals.set(answer.code, (refusals.get(answer.code) ?? 0) + 1)
          if (answer.code === 'sold_out' && held >= FILL_CAPACITY) soldOut = true
        }
      }
    }),
  )
  const tickets = holdJson.flatMap((json) =>
    (JSON.parse(json) as { lines: { id: string }[] }).lines.map((l) => l.id),
  )
  const stored = await day.storedCounts(siteId, date)
  const actorHeld = stored.filter((r) => r.status === 'held').reduce((n, r) => n + r.n, 0)
  return { sold, tickets, actorHeld, latencies, refusals: Object.fromEntries(refusals) }
}

/**
 * Holds per second while tickets `from` to `to` (counts) sold: from the answer that crossed `from` (the start,
 * for 0) to the one that reached `to`.
 */
function rateBetween(sold: Sold[], from: number, to: number) {
  let tickets = 0
  let startAt = 0
  let holds = 0
  for (const s of sold) {
    const before = tickets
    tickets += s.tickets
    if (before < from) {
      if (tickets >= from && from > 0) startAt = s.at
      continue
    }
    holds++
    if (tickets >= to) return { holds, seconds: s.at - startAt }
  }
  return { holds, seconds: (sold.at(-1)?.at ?? 0) - startAt }
}

interface FillRound {
  secondsToSellOut: number
  ticketsSold: number
  holds: number
  first: { holds: number; seconds: number }
  last: { holds: number; seconds: number }
  oversold: number
  consistent: boolean
  latencies: number[]
  refusals: Record<string, number>
}

export async function scenicDayFill(days: DayNamespace, db: D1Database, callers: number) {
  await fillDay(days, db, callers, 0)
  const rounds: FillRound[] = []
  for (let round = 1; round <= FILL_ROUNDS; round++) {
    const day = await fillDay(days, db, callers, round)
    const sold = day.sold.sort((a, b) => a.at - b.at)
    const total = sold.reduce((n, s) => n + s.tickets, 0)
    const first = rateBetween(sold, 0, FILL_CAPACITY / 10)
    const last = rateBetween(sold, FILL_CAPACITY * 0.9, FILL_CAPACITY)
    rounds.push({
      secondsToSellOut: sold.at(-1)?.at ?? 0,
      ticketsSold: total,
      holds: sold.length,
      first,
      last,
      oversold: day.tickets.length - new Set(day.tickets).size + Math.max(0, total - FILL_CAPACITY),
      consistent: day.actorHeld === day.tickets.length,
      latencies: day.latencies.sort((a, b) => a - b),
      refusals: day.refusals,
    })
  }
  // Each tenth's rate over the rounds together: holds in it over the seconds it took.
  const over = (pick: (r: FillRound) => { holds: number; seconds: number }) =>
    Math.round(
      rounds.reduce((n, r) => n + pick(r).holds, 0) /
        Math.max(
          0.001,
          rounds.reduce((t, r) => t + pick(r).seconds, 0),
        ),
    )
  const firstTenthPerSecond = over((r) => r.first)
  const lastTenthPerSecond = over((r) => r.last)
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b)
  const holds = rounds.reduce((n, r) => n + r.holds, 0)
  const seconds = rounds.reduce((t, r) => t + r.secondsToSellOut, 0)
  return {
    name: 'scenic-day-fill',
    layer: 'do',
    baseline: false,
    capacity: FILL_CAPACITY,
    holdsPerSecond: Math.round(holds / Math.max(0.001, seconds)),
    firstTenthPerSecond,
    lastTenthPerSecond,
    ratio: Math.round((lastTenthPerSecond / Math.max(1, firstTenthPerSecond)) * 100) / 100,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    oversold: rounds.reduce((n, r) => n + r.oversold, 0),
    consistent: rounds.every((r) => r.consistent),
    rounds: rounds.map(({ latencies: _, first, last, ...r }) => ({
      ...r,
      firstTenthPerSecond: Math.round(first.holds / Math.max(0.001, first.seconds)),
      lastTenthPerSecond: Math.round(last.holds / Math.max(0.001, last.seconds)),
    })),
  }
}
