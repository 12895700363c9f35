import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { Problem } from '../../../../worker/problem.ts'
import type { OrderEventSubscriber } from '../../../../worker/services/order-events/index.ts'
import type { CheckoutDiscountProvider } from '../../../../worker/services/orders/checkout-discounts.ts'
import { createOrderFromHold, lapseUnpaidOrder } from '../../../../worker/services/orders/index.ts'
import { showInventoryStub } from '../../../../worker/services/show-inventory-client.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'
import { ApiClient, orderServices, postWithKey, sandboxPay } from '../../../support/orders.ts'

// The seam promotions plug into: a provider's claim is split over the lines and written with the order, its
// reservation rides in the order's own batch (a lost race leaves nothing), and an order's end reaches subscribers.

/** A provider taking a fixed amount off; `reserveFails` makes its reservation's guard fail, as a spent cap would. */
const fixedOff = (amount: number, reserveFails = false): CheckoutDiscountProvider => ({
  name: 'test',
  async offer() {
    return {
      claim: { source: 'coupon', ref: 'cpn_test', label: '满减', amount },
      reserve: (batch) => {
        batch.guard(reserveFails ? sql`0 = 1` : sql`1 = 1`)
      },
    }
  },
})

async function heldSeats(count: number) {
  const show = await showOnSale(gridChart(1, 10))
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, count) }),
    201,
  )
  const held = await showInventoryStub(env.SHOW_INVENTORY, show.showId).describeHold(show.showId, hold.id)
  return { show, buyer, holdId: hold.id as string, buyerId: held!.holderId }
}

const orderInput = (h: Awaited<ReturnType<typeof heldSeats>>, couponCode?: string) => ({
  kind: 'show' as const,
  showId: h.show.showId,
  holdId: h.holdId,
  buyerId: h.buyerId,
  email: 'buyer@example.com',
  channel: 'web',
  ...(couponCode ? { discounts: { couponCode } } : {}),
})

describe('checkout discounts', () => {
  it('splits a discount over the lines, charges the rest, and a line refund pays back that line’s share', async () => {
    const h = await heldSeats(3)
    const created = await createOrderFromHold(
      { ...orderServices(), discounts: [fixedOff(1000)] },
      orderInput(h, 'ANY'),
      'http://localhost',
    )
    expect(created.amountDue).toBe(29_000)
    const order = await ok(h.buyer.get(`/api/orders/${created.orderId}`))
    expect(order.total).toBe(29_000)
    expect(order.lines.map((l: { price: number }) => l.price)).toEqual([9666, 9667, 9667])
    expect(order.lines.map((l: { discount: number }) => l.discount)).toEqual([334, 333, 333])
    expect(order.discounts).toHaveLength(1)
    expect(order.discounts[0]).toMatchObject({ source: 'coupon', ref: 'cpn_test', amount: 1000 })
    expect(Object.values(order.discounts[0].perLine).reduce((a: number, b) => a + (b as number), 0)).toBe(
      1000,
    )

    await sandboxPay(h.buyer, created.paymentId)
    const refund = await ok(
      postWithKey(h.buyer, `/api/orders/${created.orderId}/refunds`, { lineIds: [order.lines[0].id] }),
      201,
    )
    expect(refund.refund.amount).toBe(9666)
  })

  it('writes nothing when a reservation loses its race, and the hold can still be ordered', async () => {
    const h = await heldSeats(2)
    const refused = await createOrderFromHold(
      { ...orderServices(), discounts: [fixedOff(500, true)] },
      orderInput(h, 'ANY'),
      'http://localhost',
    ).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(Problem)
    expect((refused as Problem).code).toBe('coupon_exhausted')
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE hold_id = ?')
      .bind(h.holdId)
      .first()
    expect(rows!.n).toBe(0)
    const plain = await createOrderFromHold(orderServices(), orderInput(h), 'http://localhost')
    expect(plain.amountDue).toBe(20_000)
  })

  it('refuses a coupon code no provider takes, rather than ignoring it', async () => {
    const h = await heldSeats(1)
    const refused = await createOrderFromHold(
      orderServices(),
      orderInput(h, 'NOPE'),
      'http://localhost',
    ).catch((e: unknown) => e)
    expect((refused as Problem).code).toBe('coupon_not_applicable')
    const zero = await createOrderFromHold(
      { ...orderServices(), discounts: [fixedOff(0)] },
      orderInput(h, 'ZERO'),
      'http://localhost',
    ).catch((e: unknown) => e)
    expect((zero as Problem).code).toBe('coupon_not_applicable')
  })

  it('tells subscribers an unpaid order expired, and retries an event whose subscriber failed', async () => {
    const h = await heldSeats(1)
    const created = await createOrderFromHold(orderServices(), orderInput(h), 'http://localhost')
    await lapseUnpaidOrder(orderServices(), created.orderId)
    const db = openDatabase(env.DB)
    const seen: string[] = []
    let fail = true
    const subscriber: OrderEventSubscriber = {
      name: 'test',
      topics: ['order.expired'],
      async handle(_db, event) {
        if (event.payload.orderId !== created.orderId) return
        if (fail) throw new Error('not now')
        seen.push(event.topic)
      },
    }
    const published = () =>
      env.DB.prepare(
        "SELECT published_at FROM outbox_events WHERE topic = 'order.expired' AND json_extract(payload, '$.orderId') = ?",
      )
        .bind(created.orderId)
        .first<{ published_at: string | null }>()
    await publishOutbox(db, env.WEBHOOK_QUEUE, new Date(), [subscriber])
    expect((await published())!.published_at).toBeNull()
    fail = false
    await publishOutbox(db, env.WEBHOOK_QUEUE, new Date(), [subscriber])
    expect(seen).toEqual(['order.expired'])
    expect((await published())!.published_at).not.toBeNull()
  })
})
