import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { outboxEvents } from '../../../../worker/db/schema.ts'
import { newId } from '../../../../worker/ids.ts'
import type { OrderEventSubscriber, OrderRow } from '../../../../worker/services/order-events/index.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import type { WebhookQueue } from '../../../../worker/services/webhooks/queue.ts'
import { paidShowOrder } from '../../../support/orders.ts'

/** The D1 binding, counting the statements that read the orders table. */
function countingOrderReads(d1: D1Database) {
  const seen = { orderReads: 0 }
  const binding = new Proxy(d1, {
    get(target, key) {
      if (key === 'prepare')
        return (sql: string) => {
          if (/^select .* from "orders"/i.test(sql)) seen.orderReads++
          return target.prepare(sql)
        }
      const value = Reflect.get(target, key)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { db: openDatabase(binding), seen }
}

const queue: WebhookQueue = { send: async () => {}, sendBatch: async () => {} }

describe('a publisher run reads the orders its events name once for all subscribers', () => {
  it('hands every subscriber the order as it is now, from one read', async () => {
    const plain = openDatabase(env.DB)
    const drain = async () => {
      while ((await publishOutbox(plain, queue, new Date(), [])).events > 0) {}
    }
    const a = await paidShowOrder(1)
    const b = await paidShowOrder(1)
    // What the fixtures' own writes queued goes first, so the run below is only the events made here.
    await drain()
    const organizerId = a.show.organizerId
    for (const orderId of [a.order.id, b.order.id, a.order.id, 'ord_missing'])
      await plain
        .insert(outboxEvents)
        .values({ id: newId('evt'), topic: 'order.confirmed', organizerId, payload: { orderId } })

    const got: { orderId: string; order: OrderRow | null }[] = []
    const subscriber = (name: string): OrderEventSubscriber => ({
      name,
      topics: ['order.confirmed'],
      async handle(_db, event, reads) {
        const orderId = String(event.payload.orderId)
        got.push({ orderId, order: (await reads?.order(orderId)) ?? null })
      },
    })
    const { db, seen } = countingOrderReads(env.DB)
    const run = await publishOutbox(db, queue, new Date(), [
      subscriber('one'),
      subscriber('two'),
      subscriber('three'),
    ])

    expect(run.events).toBe(4)
    expect(got).toHaveLength(12)
    // One read of the orders table for four events and three subscribers (twelve before).
    expect(seen.orderReads).toBe(1)
    for (const g of got) {
      if (g.orderId === 'ord_missing') expect(g.order).toBeNull()
      else
        expect(g.order).toMatchObject({
          id: g.orderId,
          status: 'paid',
          organizerId: g.orderId === a.order.id ? a.show.organizerId : b.show.organizerId,
        })
    }
    expect(new Set(got.filter((g) => g.order).map((g) => g.orderId))).toEqual(
      new Set([a.order.id, b.order.id]),
    )
  })
})
