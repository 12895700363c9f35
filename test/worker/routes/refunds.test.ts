import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { runScheduledJobs } from '../../../worker/scheduled.ts'
import { ApiClient, organizerWithStaff, problemOf } from '../../support/api.ts'
import {
  gridChart,
  idNumberFor,
  ok,
  type ScenicFixture,
  scenicSiteOnSale,
  showOnSale,
} from '../../support/catalogue.ts'

let keys = 0
const key = () => `refund-test-${Date.now()}-${keys++}`
const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

const postWithKey = (client: ApiClient, path: string, body: unknown, k = key()) =>
  client.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': k },
    body: JSON.stringify(body),
  })

async function paidOrder(buyer: ApiClient, body: Record<string, unknown>) {
  const created = await ok(postWithKey(buyer, '/api/orders', { ...body, email: 'refund@example.com' }), 201)
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  return ok(buyer.get(`/api/orders/${created.orderId}`))
}

async function paidShowOrder(showId: string, seatIds: string[], buyer = new ApiClient()) {
  const hold = await ok(buyer.post(`/api/shows/${showId}/holds`, { seatIds }), 201)
  return { buyer, order: await paidOrder(buyer, { kind: 'show', showId, holdId: hold.id }) }
}

describe('refunds by the buyer', () => {
  it('quotes, refunds one line then the rest, revokes tickets and puts seats back on sale', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const { buyer, order } = await paidShowOrder(show.showId, show.seatIds.slice(0, 2))
    const [first, second] = order.lines
    const quote = await ok(buyer.get(`/api/orders/${order.id}/refund-quote?lineIds=${first.id}`))
    expect(quote).toMatchObject({ allowed: true, amount: 10000, fee: 0, lineIds: [first.id] })

    const k = key()
    const partial = await ok(
      postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [first.id] }, k),
      201,
    )
    expect(partial.refund).toMatchObject({ amount: 10000, status: 'succeeded', lineIds: [first.id] })
    expect(partial.order.status).toBe('partially_refunded')
    expect(partial.order.lines.find((l: { id: string }) => l.id === first.id).ticket.status).toBe('revoked')
    // A retry with the same key replays; nothing is refunded twice.
    const replay = await postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [first.id] }, k)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect((await inventory(show.showId).counts(show.showId)).memory).toMatchObject({ sold: 1, free: 9 })
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [first.inventoryRef] }), 201)

    const rest = await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, {}), 201)
    expect(rest.order).toMatchObject({ status: 'refunded', refundedTotal: 20000 })
    expect(rest.order.payments[0].status).toBe('refunded')
    expect(rest.order.lines.find((l: { id: string }) => l.id === second.id).ticket.status).toBe('revoked')
    const again = await postWithKey(buyer, `/api/orders/${order.id}/refunds`, {})
    expect((await problemOf(again)).code).toBe('conflict')
    const refunds = await env.DB.prepare('SELECT count(*) AS n FROM refunds WHERE order_id = ?')
      .bind(order.id)
      .first<number>('n')
    expect(refunds).toBe(2)
  })

  it('charges the tier fee and refuses inside the last tier', async () => {
    const fee = await showOnSale(gridChart(1, 10), { startsInHours: 48 })
    const { buyer, order } = await paidShowOrder(fee.showId, fee.seatIds.slice(0, 1))
    expect(await ok(buyer.get(`/api/orders/${order.id}/refund-quote`))).toMatchObject({
      allowed: true,
      feePercent: 20,
      fee: 2000,
      amount: 8000,
    })
    const done = await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, {}), 201)
    expect(done.refund).toMatchObject({ amount: 8000, fee: 2000 })

    const late = await showOnSale(gridChart(1, 10), { startsInHours: 10 })
    const paid = await paidShowOrder(late.showId, late.seatIds.slice(0, 1))
    const refused = await postWithKey(paid.buyer, `/api/orders/${paid.order.id}/refunds`, {})
    expect(refused.status).toBe(409)
    expect(await problemOf(refused)).toMatchObject({
      code: 'refund_not_allowed',
      detail: 'Refunds close 24 hours before the start',
    })
  })

  it('is only for the order’s own buyer and only for active lines', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const { buyer, order } = await paidShowOrder(show.showId, show.seatIds.slice(0, 1))
    expect((await new ApiClient().get(`/api/orders/${order.id}/refund-quote`)).status).toBe(404)
    expect((await postWithKey(new ApiClient(), `/api/orders/${order.id}/refunds`, {})).status).toBe(404)
    const bad = await postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: ['oln_nope'] })
    expect((await problemOf(bad)).code).toBe('validation')
  })
})

describe('scenic refunds and parent-child tickets', () => {
  async function gateAndCableCar(site: ScenicFixture, n: number) {
    const buyer = new ApiClient()
    const visitor = {
      name: 'Han Meimei',
      idNumber: idNumberFor(400 + n),
      phone: `1390000${String(n).padStart(4, '0')}`,
    }
    const hold = await ok(
      buyer.post(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, {
        lines: [
          { productId: site.gateProduct, slot: '10:00', visitor },
          { productId: site.cableCarProduct, visitor },
        ],
      }),
      201,
    )
    const order = await paidOrder(buyer, {
      kind: 'scenic',
      siteId: site.siteId,
      date: site.date,
      holdId: hold.id,
    })
    const gate = order.lines.find((l: { productId: string }) => l.productId === site.gateProduct)
    const cable = order.lines.find((l: { productId: string }) => l.productId === site.cableCarProduct)
    return { buyer, order, gate, cable }
  }

  it('blocks refunding the gate ticket while the cable car is unused, until the cable car goes first', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'block' })
    const { buyer, order, gate, cable } = await gateAndCableCar(site, 1)
    const blocked = await postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [gate.id] })
    expect(blocked.status).toBe(409)
    expect((await problemOf(blocked)).code).toBe('children_unused')
    const after = await ok(buyer.get(`/api/orders/${order.id}`))
    expect(after.status).toBe('paid')
    expect(after.lines.every((l: { ticket: { status: string } }) => l.ticket.status === 'valid')).toBe(true)
    await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [cable.id] }), 201)
    const done = await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [gate.id] }), 201)
    expect(done.order.status).toBe('refunded')
  })

  it('cascades: refunding the gate ticket takes the unused cable car with it', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'cascade' })
    const { buyer, order, gate } = await gateAndCableCar(site, 2)
    const done = await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [gate.id] }), 201)
    expect(done.refund.lineIds).toHaveLength(2)
    expect(done.refund.amount).toBe(20000)
    expect(done.order.status).toBe('refunded')
    const day = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))
    expect(day.remaining).toBe(100)
  })
})

describe('organizer refunds', () => {
  it('refunds a whole order in full, records who did it, and is role-checked', async () => {
    const show = await showOnSale(gridChart(1, 10), { startsInHours: 5 })
    const { order } = await paidShowOrder(show.showId, show.seatIds.slice(0, 2))
    const path = `${show.base}/orders/${order.id}/refunds`
    expect((await show.gate.post(path, { reason: 'x' })).status).toBe(403)
    const other = await organizerWithStaff()
    expect((await other.owner.post(`${other.base}/orders/${order.id}/refunds`, { reason: 'x' })).status).toBe(
      404,
    )
    const found = await ok(show.manager.get(`${show.base}/orders?number=${order.number}`))
    expect(found.items.map((o: { id: string }) => o.id)).toEqual([order.id])
    const done = await ok(show.manager.post(path, { reason: 'Goodwill' }), 201)
    expect(done.refund).toMatchObject({ amount: 20000, fee: 0, reason: 'Goodwill' })
    expect(done.refund.requestedBy).toMatch(/^staff:usr_/)
    expect(done.order.history.map((h: { action: string }) => h.action)).toEqual([
      'order.created',
      'order.paid',
      'refund.requested',
      'order.refunded',
    ])
  })

  it('cancels a show: every paid order is refunded and sales stop', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const a = await paidShowOrder(show.showId, show.seatIds.slice(0, 2))
    const b = await paidShowOrder(show.showId, show.seatIds.slice(5, 6))
    const result = await ok(
      show.owner.post(`${show.base}/shows/${show.showId}/cancel`, { reason: 'Artist ill' }),
    )
    expect(result).toMatchObject({ status: 'cancelled', refundedOrders: 2 })
    for (const { buyer, order } of [a, b]) {
      const after = await ok(buyer.get(`/api/orders/${order.id}`))
      expect(after.status).toBe('refunded')
      expect(after.refunds[0].reason).toBe('Show cancelled: Artist ill')
    }
    expect((await inventory(show.showId).counts(show.showId)).memory.sold).toBe(0)
    const closed = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[9]],
    })
    // The inventory refuses at once; the public listing drops the show within its short cache window.
    expect([404, 409]).toContain(closed.status)
    if (closed.status === 409) expect((await problemOf(closed)).code).toBe('not_on_sale')
    expect((await inventory(show.showId).counts(show.showId)).memory.held).toBe(0)
  })

  it('finishes a refund that a crash left pending', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const { buyer, order } = await paidShowOrder(show.showId, show.seatIds.slice(0, 1))
    const line = order.lines[0]
    // First half done (tickets revoked, refund pending), then the worker died.
    await env.DB.batch([
      env.DB.prepare(
        "INSERT INTO refunds (id, order_id, payment_id, amount, fee, line_ids, reason, requested_by, status) VALUES ('rf_crash', ?, ?, 10000, 0, ?, 'test', 'buyer:x', 'pending')",
      ).bind(order.id, order.payments[0].id, JSON.stringify([line.id])),
      env.DB.prepare("UPDATE order_lines SET status = 'refunded' WHERE id = ?").bind(line.id),
      env.DB.prepare("UPDATE tickets SET status = 'revoked' WHERE order_line_id = ?").bind(line.id),
    ])
    const run = await runScheduledJobs(env)
    expect(run.refundsFinished).toBeGreaterThanOrEqual(1)
    const after = await ok(buyer.get(`/api/orders/${order.id}`))
    expect(after).toMatchObject({ status: 'refunded', refundedTotal: 10000 })
    expect((await inventory(show.showId).counts(show.showId)).memory.sold).toBe(0)
  })
})
