import { eq, inArray } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Database } from '../../db/client.ts'
import { inChunks } from '../../db/in-chunks.ts'
import { orderLines, orders, organizers, type outboxEvents, shows } from '../../db/schema.ts'
import { commitGroup } from '../../domain/group-commit.ts'

/** An outbox event as a subscriber gets it (the same row webhooks are made from). */
export type OrderEvent = Pick<
  typeof outboxEvents.$inferSelect,
  'id' | 'topic' | 'organizerId' | 'payload' | 'createdAt'
>

export type OrderRow = typeof orders.$inferSelect
export type OrderLineRow = typeof orderLines.$inferSelect
export type ShowRow = typeof shows.$inferSelect

/**
 * What a publisher run reads once for all its subscribers: the `order.confirmed` subscribers each read the order,
 * its lines, its show and its organizer's time zone otherwise (measured: ~17 D1 calls an order in the publisher).
 * Every read is of the orders the run's events name, with `inArray`, on first use (after the events were read, so
 * each row is at least as new as its events; subscribers never write orders, lines or shows). An order outside the
 * run (a subscriber called alone, `soloReads`) is read alone, so a subscriber reads the same way in both cases.
 */
export interface PublishReads {
  /** The orders the run's events name. */
  orders(): Promise<OrderRow[]>
  order(id: string): Promise<OrderRow | null>
  /** Every line of the order, whatever its status. */
  lines(order: OrderRow): Promise<OrderLineRow[]>
  show(order: OrderRow): Promise<ShowRow | null>
  /** The organizer's IANA time zone, or null when the organizer is gone. */
  timeZone(order: OrderRow): Promise<string | null>
  /**
   * A read per order done for all the run's orders at once: `readMany` gets the orders and answers a value per
   * order id; it runs once per run under `key` (an order outside the run: once for that order alone).
   */
  forOrder<T>(
    key: string,
    order: OrderRow,
    readMany: (orders: OrderRow[]) => Promise<Map<string, T>>,
  ): Promise<T | undefined>
  /** Any other read the run's events share (a show's venue, say), done once per run under `key`. */
  once<T>(key: string, read: () => Promise<T>): Promise<T>
  /**
   * Runs a drizzle select; the run's subscribers plan side by side, and the selects they ask for in the same turn
   * go to D1 as one batch (one round trip). No joins here: a batch answers rows by column name.
   */
  read<T>(query: ReadQuery<T>): Promise<T>
}

/** A drizzle select, as `reads.read` takes it. */
export type ReadQuery<T> = BatchItem<'sqlite'> & PromiseLike<T>

/** Reads asked for in the same turn, as one D1 batch (a group commit of reads); if that fails, each alone. */
function readBatcher(db: Database) {
  let waiting: { query: ReadQuery<unknown>; resolve(value: unknown): void; reject(error: unknown): void }[] =
    []
  const flush = async () => {
    // Let the plans already on their way ask too: a few microtask turns (a timer turn would also wait for the
    // request's other work, and under `waitUntil` it left a run behind the next request).
    for (let turn = 0; turn < 32; turn++) await null
    const items = waiting
    waiting = []
    let results: unknown[] = []
    const { answers } = await commitGroup(items, {
      async together(members) {
        results = await db.batch(members.map((m) => m.query) as unknown as [BatchItem<'sqlite'>])
      },
      written: (member) => results[items.indexOf(member)],
      alone: (member) => Promise.resolve(member.query),
    })
    for (const [i, answer] of answers.entries())
      if (answer.ok) items[i]!.resolve(answer.value)
      else items[i]!.reject(answer.error)
  }
  return <T>(query: ReadQuery<T>) =>
    new Promise<T>((resolve, reject) => {
      if (waiting.length === 0) void flush()
      waiting.push({ query, resolve: resolve as (value: unknown) => void, reject })
    })
}

const unique = <T>(values: (T | null | undefined)[]) => [...new Set(values.filter((v): v is T => v != null))]

type Read = PublishReads['read']

const linesOf = async (db: Database, read: Read, list: OrderRow[]) => {
  const rows = await inChunks(
    list.map((o) => o.id),
    (chunk) => read(db.select().from(orderLines).where(inArray(orderLines.orderId, chunk))),
  )
  const byOrder = new Map<string, OrderLineRow[]>(list.map((o) => [o.id, []]))
  for (const row of rows) byOrder.get(row.orderId)?.push(row)
  return byOrder
}

const showsOf = async (db: Database, read: Read, list: OrderRow[]) => {
  const rows = await inChunks(unique(list.map((o) => o.showId)), (chunk) =>
    read(db.select().from(shows).where(inArray(shows.id, chunk))),
  )
  const byId = new Map(rows.map((r) => [r.id, r]))
  return new Map(list.map((o) => [o.id, (o.showId && byId.get(o.showId)) || null]))
}

const timeZonesOf = async (db: Database, read: Read, list: OrderRow[]) => {
  const rows = await inChunks(unique(list.map((o) => o.organizerId)), (chunk) =>
    read(
      db
        .select({ id: organizers.id, timezone: organizers.timezone })
        .from(organizers)
        .where(inArray(organizers.id, chunk)),
    ),
  )
  const byId = new Map(rows.map((r) => [r.id, r.timezone]))
  return new Map(list.map((o) => [o.id, byId.get(o.organizerId) ?? null]))
}

/** The run's reads of the orders `orderIds` names (see PublishReads). */
export function publishReads(db: Database, orderIds: Iterable<string>): PublishReads {
  const ids = new Set(orderIds)
  const memo = new Map<string, Promise<unknown>>()
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    let found = memo.get(key) as Promise<T> | undefined
    if (!found) {
      found = read()
      memo.set(key, found)
    }
    return found
  }
  const orderMap = () =>
    once('orders', async () => {
      const rows = await inChunks([...ids], (chunk) =>
        db.select().from(orders).where(inArray(orders.id, chunk)),
      )
      return new Map(rows.map((row) => [row.id, row]))
    })
  const reads: PublishReads = {
    orders: async () => [...(await orderMap()).values()],
    async order(id) {
      if (!ids.has(id)) return readOrder(db, id)
      return (await orderMap()).get(id) ?? null
    },
    async forOrder(key, order, readMany) {
      if (!ids.has(order.id)) return (await readMany([order])).get(order.id)
      return (await once(key, async () => readMany(await reads.orders()))).get(order.id)
    },
    once,
    read: readBatcher(db),
    lines: async (order) =>
      (await reads.forOrder('lines', order, (list) => linesOf(db, reads.read, list))) ?? [],
    show: async (order) =>
      order.showId
        ? ((await reads.forOrder('show', order, (list) => showsOf(db, reads.read, list))) ?? null)
        : null,
    timeZone: async (order) =>
      (await reads.forOrder('timeZone', order, (list) => timeZonesOf(db, reads.read, list))) ?? null,
  }
  return reads
}

/** Reads for a subscriber called outside a publisher run (a test, a replay): everything read for its own order. */
export const soloReads = (db: Database): PublishReads => publishReads(db, [])

/** One order, read alone (a subscriber called outside a publisher run, e.g. by a test or a replay). */
export async function readOrder(db: Database, id: string): Promise<OrderRow | null> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row ?? null
}

/** A statement a subscriber hands back for the run to write: SQL and its parameters. */
export interface Write {
  sql: string
  params: unknown[]
}

/** A drizzle query as a Write (its SQL and parameters as drizzle would send them). */
export const asWrite = (query: { toSQL(): { sql: string; params: unknown[] } }): Write => {
  const { sql, params } = query.toSQL()
  return { sql, params }
}

/**
 * Statements that, over several events' items at once, do what they do over each event's items in turn (the
 * analytics store's: set-based over every row not yet rolled up, ~16 statements for any number of paid orders).
 * A run's batch writes them once over its members' items (those with the same `of`, in member order), after
 * every member's own `writes`; none of those may read what they write, nor they what those write.
 */
export interface SharedWrites {
  of(items: unknown[]): Write[]
  items: unknown[]
}

/** `of(items)`, shared with the other members of a run's batch whose `of` is this same function. */
export const sharedWrites = <T>(of: (items: T[]) => Write[], items: T[]): SharedWrites => ({
  of: of as (items: unknown[]) => Write[],
  items,
})

/**
 * What a subscriber writes for one event: its own `writes`, then its part of `shared`. The statements must be
 * safe to run again (keyed on the event or guarded): a retried event runs them again. They commit together or
 * not at all, alone or in a run's batch; `written` gets the results of `writes` once they did (e.g. to log what
 * was new).
 */
export interface EventWrites {
  writes: Write[]
  shared?: SharedWrites
  written?(results: D1Result[]): void
}

export const noWrites: EventWrites = { writes: [] }

/** A member's size in a run's batch: its own statements, and one for its items in the shared ones. */
export const statementsOf = (w: EventWrites) => w.writes.length + (w.shared ? 1 : 0)

const d1Of = (db: Database) => (db as Database & { $client: D1Database }).$client

/**
 * Several events' writes as one D1 batch (one transaction): every member's own writes in order, then each shared
 * part once over all its members' items (alone, a member's own items: what it always wrote). Each member gets
 * the results of its own writes.
 */
export async function writeTogether(db: Database, all: EventWrites[]): Promise<void> {
  const shared = new Map<SharedWrites['of'], unknown[]>()
  for (const { shared: part } of all) {
    if (!part) continue
    const items = shared.get(part.of) ?? []
    shared.set(part.of, items)
    for (const item of part.items) items.push(item)
  }
  const statements = all.flatMap((w) => w.writes)
  for (const [of, items] of shared) statements.push(...of(items))
  if (statements.length === 0) {
    for (const w of all) w.written?.([])
    return
  }
  const d1 = d1Of(db)
  const results = await d1.batch(statements.map((s) => d1.prepare(s.sql).bind(...s.params)))
  let at = 0
  for (const w of all) {
    w.written?.(results.slice(at, at + w.writes.length))
    at += w.writes.length
  }
}

/**
 * A side effect of an order's life (points earned on `order.confirmed`, commission reversed on `order.refunded`,
 * a coupon use given back on `order.expired`), subscribed to rather than wired into the orders module.
 *
 * `handle` runs when the event is published (right after the request that wrote it, and by the minute cron), and
 * may run again for the same event after a crash or a failure elsewhere: it must be idempotent, e.g. by keying what
 * it writes on `event.id`. A handler that throws leaves the event unpublished, so it is retried at the next run.
 * `reads` are the run's shared reads (absent when called alone: read the order yourself, or use `soloReads`).
 *
 * A subscriber may instead `plan`: read (through `reads`) and hand back its writes without writing (`planned`
 * makes its `handle`). A run then writes many events' plans in one D1 batch, and when that batch fails, each plan
 * alone; a plan that throws or fails alone leaves its event unpublished, as a throwing `handle` does.
 */
export interface OrderEventSubscriber {
  readonly name: string
  readonly topics: readonly string[]
  handle(db: Database, event: OrderEvent, reads?: PublishReads): Promise<void>
  plan?(db: Database, event: OrderEvent, reads: PublishReads): Promise<EventWrites>
}

/** A subscriber made of a plan: called alone, it plans with its own reads and writes the plan as one D1 batch. */
export function planned(subscriber: {
  name: string
  topics: readonly string[]
  plan(db: Database, event: OrderEvent, reads: PublishReads): Promise<EventWrites>
}): OrderEventSubscriber {
  return {
    ...subscriber,
    async handle(db, event, reads) {
      await writeTogether(db, [await subscriber.plan(db, event, reads ?? soloReads(db))])
    },
  }
}
