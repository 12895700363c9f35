import { eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { orders, type outboxEvents } from '../../db/schema.ts'

/** An outbox event as a subscriber gets it (the same row webhooks are made from). */
export type OrderEvent = Pick<
  typeof outboxEvents.$inferSelect,
  'id' | 'topic' | 'organizerId' | 'payload' | 'createdAt'
>

export type OrderRow = typeof orders.$inferSelect

/**
 * What a publisher run reads once for all its subscribers: five subscribers of `order.confirmed` each read the
 * order again otherwise (measured: ~13 D1 calls an order in the publisher, 6 of them the same order).
 */
export interface PublishReads {
  order(id: string): Promise<OrderRow | null>
}

/**
 * The orders the run's events name, read in one query on first use (after the events were read, so each order is at
 * least as new as its events; subscribers never write orders). An id outside the set is read alone.
 */
export function publishReads(db: Database, orderIds: Iterable<string>): PublishReads {
  const ids = [...new Set(orderIds)]
  let read: Promise<Map<string, OrderRow>> | undefined
  const readAll = async () => {
    const found = new Map<string, OrderRow>()
    // D1 binds at most 100 parameters a query.
    for (let i = 0; i < ids.length; i += 90) {
      const rows = await db
        .select()
        .from(orders)
        .where(inArray(orders.id, ids.slice(i, i + 90)))
      for (const row of rows) found.set(row.id, row)
    }
    return found
  }
  return {
    async order(id) {
      if (!ids.includes(id)) return readOrder(db, id)
      read ??= readAll()
      return (await read).get(id) ?? null
    },
  }
}

/** One order, read alone (a subscriber called outside a publisher run, e.g. by a test or a replay). */
export async function readOrder(db: Database, id: string): Promise<OrderRow | null> {
  const [row] = await db.select().from(orders).where(eq(orders.id, id))
  return row ?? null
}

/**
 * A side effect of an order's life (points earned on `order.confirmed`, commission reversed on `order.refunded`,
 * a coupon use given back on `order.expired`), subscribed to rather than wired into the orders module.
 *
 * `handle` runs when the event is published (right after the request that wrote it, and by the minute cron), and
 * may run again for the same event after a crash or a failure elsewhere: it must be idempotent, e.g. by keying what
 * it writes on `event.id`. A handler that throws leaves the event unpublished, so it is retried at the next run.
 * `reads` are the run's shared reads (absent when called alone: read the order yourself).
 */
export interface OrderEventSubscriber {
  readonly name: string
  readonly topics: readonly string[]
  handle(db: Database, event: OrderEvent, reads?: PublishReads): Promise<void>
}
