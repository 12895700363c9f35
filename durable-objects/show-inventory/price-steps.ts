import { eq } from 'drizzle-orm'
import { openDatabase } from '../../worker/db/client.ts'
import { outboxEvents, shows } from '../../worker/db/schema.ts'
import type { ShowSales } from './rules.ts'

// The show's price-step log: each time a stepped category's step in force changes (seats held or sold cross a
// share; released or returned ones cross back), one row here, written in the same storage transaction as the
// seats that moved it. The rows are then published as `price.changed` outbox events in D1, off the hold path;
// an event's id is derived from its row, so a retry (next crossing, the organizer reading the history) never
// publishes one twice.

export const PRICE_STEP_MIGRATION = `CREATE TABLE IF NOT EXISTS price_steps (
  seq INTEGER PRIMARY KEY AUTOINCREMENT, category TEXT NOT NULL, from_step INTEGER NOT NULL,
  to_step INTEGER NOT NULL, previous_price INTEGER NOT NULL, price INTEGER NOT NULL, taken INTEGER NOT NULL,
  on_sale INTEGER NOT NULL, at INTEGER NOT NULL, published INTEGER NOT NULL DEFAULT 0
)`

export interface PriceStepCrossing {
  category: string
  /** Step left and step entered (their atPercentSold; 0: the list price). */
  fromStep: number
  toStep: number
  previousPrice: number
  price: number
  /** Seats held or sold, of those on sale, when it crossed. */
  taken: number
  onSale: number
  at: string
  published: boolean
}

type Row = Record<string, string | number | null>

/** The steps last logged, read back on load (so a restart logs no crossing twice). */
export function restoreStepLevels(sales: ShowSales, sql: SqlStorage) {
  const rows = sql.exec<Row>(
    'SELECT category, to_step, price FROM price_steps WHERE seq IN (SELECT max(seq) FROM price_steps GROUP BY category)',
  )
  for (const r of rows)
    sales.stepsLogged.set(String(r.category), { step: Number(r.to_step), price: Number(r.price) })
}

/**
 * Logs the stepped categories whose step changed since last logged; call inside the transaction that moved
 * seats. Cheap when nothing is stepped (one length check) or nothing crossed (a comparison per stepped category).
 */
export function logStepCrossings(sales: ShowSales, sql: SqlStorage, now: number): number {
  let crossed = 0
  for (const category of sales.book.steppedCategories) {
    const level = sales.book.stepLevel(category, sales.layout)
    const last = sales.stepsLogged.get(category) ?? {
      step: 0,
      price: sales.config.prices[category] ?? 0,
    }
    if (last.step === level.step) continue
    sql.exec(
      `INSERT INTO price_steps (category, from_step, to_step, previous_price, price, taken, on_sale, at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      category,
      last.step,
      level.step,
      last.price,
      level.price,
      sales.layout.takenIn(category),
      sales.layout.onSaleIn(category),
      now,
    )
    sales.stepsLogged.set(category, level)
    crossed++
  }
  return crossed
}

const crossingOf = (r: Row): PriceStepCrossing => ({
  category: String(r.category),
  fromStep: Number(r.from_step),
  toStep: Number(r.to_step),
  previousPrice: Number(r.previous_price),
  price: Number(r.price),
  taken: Number(r.taken),
  onSale: Number(r.on_sale),
  at: new Date(Number(r.at)).toISOString(),
  published: Number(r.published) === 1,
})

/** The log, oldest first (at most the last 500 crossings). */
export const stepHistory = (sql: SqlStorage): PriceStepCrossing[] =>
  sql
    .exec<Row>('SELECT * FROM (SELECT * FROM price_steps ORDER BY seq DESC LIMIT 500) ORDER BY seq')
    .toArray()
    .map(crossingOf)

/** The outbox id of a crossing: stable, so publishing again is a no-op. */
const eventId = (showId: string, seq: number) => `evt_step_${showId}_${seq}`

/** Writes unpublished crossings as `price.changed` outbox events in D1 and marks them published. */
export async function publishStepCrossings(sql: SqlStorage, d1: D1Database, showId: string): Promise<number> {
  const rows = sql.exec<Row>('SELECT * FROM price_steps WHERE published = 0 ORDER BY seq LIMIT 100').toArray()
  if (rows.length === 0) return 0
  const db = openDatabase(d1)
  const [show] = await db.select({ organizerId: shows.organizerId }).from(shows).where(eq(shows.id, showId))
  if (!show) return 0
  const inserts = rows.map((r) => {
    const c = crossingOf(r)
    return db
      .insert(outboxEvents)
      .values({
        id: eventId(showId, Number(r.seq)),
        organizerId: show.organizerId,
        topic: 'price.changed',
        payload: {
          // No `eventId`: webhook `data.eventId` is this outbox event's own id.
          showId,
          reason: 'sell_through',
          category: c.category,
          prices: { [c.category]: c.price },
          previousPrices: { [c.category]: c.previousPrice },
          step: { from: c.fromStep, to: c.toStep, taken: c.taken, onSale: c.onSale },
          at: c.at,
        },
      })
      .onConflictDoNothing()
  })
  await db.batch(inserts as [(typeof inserts)[0], ...typeof inserts])
  const seqs = rows.map((r) => Number(r.seq))
  sql.exec(`UPDATE price_steps SET published = 1 WHERE seq IN (${seqs.map(() => '?').join(',')})`, ...seqs)
  return rows.length
}
