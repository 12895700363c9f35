import { env } from 'cloudflare:workers'
import { asc, eq, inArray } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { type Database, openDatabase } from '../../../worker/db/client.ts'
import {
  auditEvents,
  orderDeposits,
  orderDiscounts,
  orderLines,
  orders,
  payments,
  refunds,
  tickets,
  visitProducts,
} from '../../../worker/db/schema.ts'
import { orderView } from '../../../worker/services/order-view.ts'
import { seatPlacesOf } from '../../../worker/services/ticket-facts.ts'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, scenicSiteOnSale, shanghaiDate, showOnSale } from '../../support/catalogue.ts'
import { uniqueAddress } from '../../support/clients.ts'
import { paidShowOrder, pendingShowOrder, postWithKey, sandboxPay } from '../../support/orders.ts'

// The order view is read in one D1 batch (the order step of every purchase answers with it). Here it is compared
// with the same view read the way it was before, one query at a time, on orders of every shape: paid with tickets
// and seat places, pending, a scenic deposit with its product, and one with a refund and a discount.

/** The view's rows read one query at a time, as before the batch. */
async function readOneByOne(db: Database, orderId: string) {
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) return null
  const [lines, issued, paid, refunded, history, deposits, discounts] = await Promise.all([
    db.select().from(orderLines).where(eq(orderLines.orderId, orderId)),
    db.select().from(tickets).where(eq(tickets.orderId, orderId)),
    db.select().from(payments).where(eq(payments.orderId, orderId)),
    db.select().from(refunds).where(eq(refunds.orderId, orderId)),
    db.select().from(auditEvents).where(eq(auditEvents.orderId, orderId)).orderBy(asc(auditEvents.at)),
    db.select().from(orderDeposits).where(eq(orderDeposits.orderId, orderId)),
    db
      .select()
      .from(orderDiscounts)
      .where(eq(orderDiscounts.orderId, orderId))
      .orderBy(asc(orderDiscounts.id)),
  ])
  const productIds = [...new Set(lines.flatMap((l) => (l.productId ? [l.productId] : [])))]
  const places = await seatPlacesOf(
    db,
    lines.filter((l) => l.seatLabel).map((l) => l.inventoryRef),
  )
  const products = productIds.length
    ? await db.select().from(visitProducts).where(inArray(visitProducts.id, productIds))
    : []
  return { order, lines, issued, paid, refunded, history, deposits, discounts, places, products }
}

/** The batched view agrees with the rows read one by one, field for field. */
async function expectSameView(orderId: string) {
  const db = openDatabase(env.DB)
  const rows = (await readOneByOne(db, orderId))!
  const view = (await orderView(db, orderId, { withAudit: true }))!
  const { lines, payments: paid, refunds: refunded, history, deposit, discounts, amountPaid, ...order } = view
  expect(order).toEqual(rows.order)
  expect(history).toEqual(rows.history)
  expect(rows.history.length).toBeGreaterThan(0)
  expect(refunded.map(({ reasonCode, reasonParams, ...refund }) => refund)).toEqual(rows.refunded)
  expect(paid.map((p) => p.id).sort()).toEqual(rows.paid.map((p) => p.id).sort())
  expect(amountPaid).toBe(
    rows.paid
      .filter((p) => p.status !== 'created' && p.status !== 'failed')
      .reduce((n, p) => n + p.amount, 0),
  )
  expect(deposit?.deposit ?? null).toBe(rows.deposits[0]?.deposit ?? null)
  expect(discounts).toEqual(
    rows.discounts.map(({ source, ref, label, amount, perLine }) => ({
      source,
      ref,
      label,
      amount,
      perLine,
    })),
  )
  expect(lines.length).toBe(rows.lines.length)
  for (const line of lines) {
    const { ticket, place, product, productEn, ...stored } = line
    expect(stored).toEqual(rows.lines.find((l) => l.id === line.id))
    const issued = rows.issued.find((t) => t.orderLineId === line.id)
    expect(ticket).toEqual(issued ? { id: issued.id, status: issued.status } : null)
    expect(place).toEqual(line.seatLabel ? (rows.places.get(line.inventoryRef) ?? null) : null)
    const named = rows.products.find((p) => p.id === line.productId)
    expect(product).toBe(named?.name ?? null)
    expect(productEn).toBe(named?.nameEn ?? null)
  }
  // Without the history the rest is the same, and no history key at all.
  const { history: _, ...withoutHistory } = view
  expect(await orderView(db, orderId)).toEqual(withoutHistory)
  return view
}

describe('the order view in one batch', () => {
  it('equals the rows read one by one, for paid, pending, deposit, refunded and discounted orders', async () => {
    const { order: paid } = await paidShowOrder(2)
    const view = await expectSameView(paid.id)
    expect(view.lines.every((l) => l.ticket && l.place)).toBe(true)

    const { created: pending } = await pendingShowOrder(1, await showOnSale(gridChart(1, 4)))
    // The order step answers with the view it read: the same as reading it again.
    expect(pending.order).toEqual(await orderView(openDatabase(env.DB), pending.orderId))
    expect((await expectSameView(pending.orderId)).lines[0]!.ticket).toBeNull()

    const site = await scenicSiteOnSale()
    await ok(
      site.owner.put(`${site.base}/visit-products/${site.childProduct}/deposit`, {
        deposit: {
          amount: 1000,
          balanceOpensDaysBefore: 20,
          balanceDueDaysBefore: 1,
          reminderLeadMinutes: 60,
          forfeit: 'keep',
        },
      }),
    )
    const visitor = new ApiClient()
    const visit = shanghaiDate(5)
    const scenicHold = await ok(
      visitor.fetch(`/api/scenic-sites/${site.siteId}/days/${visit}/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueAddress() },
        body: JSON.stringify({ lines: [{ productId: site.childProduct, slot: '09:00' }] }),
      }),
      201,
    )
    const deposited = await ok(
      postWithKey(visitor, '/api/orders', {
        kind: 'scenic',
        siteId: site.siteId,
        date: visit,
        holdId: scenicHold.id,
        deposit: true,
        email: 'v@example.com',
      }),
      201,
    )
    // The order step's answer (its reads skip what a new order cannot have yet) includes the deposit and product.
    expect(deposited.order).toEqual(await orderView(openDatabase(env.DB), deposited.orderId))
    expect(deposited.order.deposit.deposit).toBe(1000)
    expect(deposited.order.lines[0].product).toBe('Gate child')
    await sandboxPay(visitor, deposited.paymentId)
    const scenic = await expectSameView(deposited.orderId)
    expect(scenic.deposit?.deposit).toBe(1000)
    expect(scenic.lines[0]!.product).toBe('Gate child')

    // A refund and a discount on the paid show order (rows as the refund and checkout write them).
    const [line] = view.lines
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO refunds (id, order_id, payment_id, amount, line_ids, reason, requested_by, status)
         VALUES (?, ?, ?, ?, ?, 'changed plans', 'staff:test', 'succeeded')`,
      ).bind(`rf_view_${paid.id}`, paid.id, view.payments[0]!.id, line!.price, JSON.stringify([line!.id])),
      env.DB.prepare(
        `INSERT INTO order_discounts (id, order_id, source, ref, label, amount, per_line)
         VALUES (?, ?, 'coupon', 'cpn_view', 'Ten off', 1000, ?)`,
      ).bind(`odc_view_${paid.id}`, paid.id, JSON.stringify({ [line!.id]: 1000 })),
    ])
    const changed = await expectSameView(paid.id)
    expect(changed.refunds).toHaveLength(1)
    expect(changed.discounts).toEqual([
      { source: 'coupon', ref: 'cpn_view', label: 'Ten off', amount: 1000, perLine: { [line!.id]: 1000 } },
    ])
    expect(await orderView(openDatabase(env.DB), 'ord_missing')).toBeNull()
  })

  it('answers the order step with the view read afterwards when a coupon took money off', async () => {
    const show = await showOnSale(gridChart(1, 4))
    await ok(
      show.owner.post(`${show.base}/coupons`, {
        title: '立减10元',
        kind: 'amount_off',
        amountOff: 1000,
        code: 'VIEWTEN',
      }),
      201,
    )
    const buyer = new ApiClient()
    const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]!] }), 201)
    const created = await ok(
      postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        couponCode: 'VIEWTEN',
        email: 'c@example.com',
      }),
      201,
    )
    expect(created.order.discounts).toEqual([expect.objectContaining({ source: 'coupon', amount: 1000 })])
    expect(created.order.lines[0].place).not.toBeNull()
    expect(created.order).toEqual(await orderView(openDatabase(env.DB), created.orderId))
  })
})
