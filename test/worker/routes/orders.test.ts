import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runScheduledJobs } from '../../../worker/scheduled.ts'
import { signSandboxNotification } from '../../../worker/services/payments/sandbox.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, idNumberFor, ok, scenicSiteOnSale, showOnSale } from '../../support/catalogue.ts'

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
let keys = 0
const key = () => `test-key-${Date.now()}-${keys++}`

async function orderFor(buyer: ApiClient, showId: string, seatIds: string[], idempotencyKey = key()) {
  const hold = await ok(buyer.post(`/api/shows/${showId}/holds`, { seatIds }), 201)
  const res = await buyer.fetch('/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: JSON.stringify({ kind: 'show', showId, holdId: hold.id, email: 'buyer@example.com' }),
  })
  return { hold, res }
}

const pay = (buyer: ApiClient, paymentId: string, outcome: 'pay' | 'fail' | 'pay_late') =>
  ok(buyer.post(`/api/payments/sandbox/checkout/${paymentId}/complete`, { outcome }))

afterEach(() => vi.useRealTimers())

describe('orders: happy path', () => {
  it('turns a hold into a paid order with one ticket per seat, audited', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const buyer = new ApiClient()
    const { res } = await orderFor(buyer, show.showId, show.seatIds.slice(0, 2))
    const created = await ok(res, 201)
    expect(created.order).toMatchObject({
      status: 'pending',
      total: 20000,
      currency: 'CNY',
      email: 'buyer@example.com',
    })
    expect(created.order.lines).toHaveLength(2)
    expect(created.checkoutUrl).toMatch(/\/api\/payments\/sandbox\/checkout\/pay_/)
    const page = await buyer.get(new URL(created.checkoutUrl).pathname)
    expect(await page.text()).toContain(created.order.number)

    expect(await pay(buyer, created.paymentId, 'pay')).toMatchObject({ status: 'paid' })
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.status).toBe('paid')
    expect(order.lines.map((l: { ticket: { status: string } }) => l.ticket.status)).toEqual([
      'valid',
      'valid',
    ])
    expect(order.payments).toMatchObject([{ status: 'succeeded', amount: 20000 }])
    const counts = await inventory(show.showId).counts(show.showId)
    expect(counts.memory).toMatchObject({ sold: 2, held: 0 })
    const audit = await env.DB.prepare(
      'SELECT action, to_status FROM audit_events WHERE order_id = ? ORDER BY at',
    )
      .bind(created.orderId)
      .all()
    expect(audit.results.map((r) => r.action)).toEqual(['order.created', 'order.paid'])
    // The webhook event, and the buyer's confirmation message queued with it (sent by the outbox's subscriber).
    const outbox = await env.DB.prepare(
      "SELECT topic FROM outbox_events WHERE json_extract(payload, '$.orderId') = ? ORDER BY topic",
    )
      .bind(created.orderId)
      .all()
    expect(outbox.results.map((r) => r.topic)).toEqual(['buyer.tickets_issued', 'order.confirmed'])
    const list = await ok(buyer.get('/api/orders'))
    expect(list.items.map((o: { id: string }) => o.id)).toEqual([created.orderId])
  })

  it('books a scenic visit (gate + cable car) and issues a ticket per line', async () => {
    const site = await scenicSiteOnSale()
    const buyer = new ApiClient()
    const visitor = { name: 'Li Lei', idNumber: idNumberFor(31), phone: '13800000031' }
    const hold = await ok(
      buyer.post(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, {
        lines: [
          { productId: site.gateProduct, slot: '09:00', visitor },
          { productId: site.cableCarProduct, visitor },
        ],
      }),
      201,
    )
    const created = await ok(
      buyer.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key() },
        body: JSON.stringify({
          kind: 'scenic',
          siteId: site.siteId,
          date: site.date,
          holdId: hold.id,
          phone: '13800000031',
        }),
      }),
      201,
    )
    expect(created.order.total).toBe(20000)
    expect(created.order.lines.map((l: { visitorIdMasked: string }) => l.visitorIdMasked)).toEqual([
      expect.stringMatching(/^110\*+\d{4}$/),
      expect.stringMatching(/^110\*+\d{4}$/),
    ])
    await pay(buyer, created.paymentId, 'pay')
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.status).toBe('paid')
    expect(order.lines.every((l: { ticket: unknown }) => l.ticket)).toBe(true)
  })
})

describe('orders: idempotency', () => {
  it('replays a repeated request, refuses a changed one and needs a key', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const k = key()
    const { hold, res } = await orderFor(buyer, show.showId, show.seatIds.slice(0, 1), k)
    const first = await ok(res, 201)
    const body = JSON.stringify({
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      email: 'buyer@example.com',
    })
    const again = await buyer.fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': k },
      body,
    })
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect((await again.json<{ orderId: string }>()).orderId).toBe(first.orderId)
    const changed = await buyer.fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': k },
      body: body.replace('buyer@example.com', 'other@example.com'),
    })
    expect(changed.status).toBe(422)
    expect((await problemOf(changed)).code).toBe('idempotency_key_reused')
    const missing = await buyer.post('/api/orders', JSON.parse(body))
    expect((await problemOf(missing)).code).toBe('validation')
    const count = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE hold_id = ?')
      .bind(hold.id)
      .first<number>('n')
    expect(count).toBe(1)
  })

  it('lets exactly one of several concurrent identical requests create the order', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    await buyer.get('/api/orders') // obtain the buyer cookie first so all retries share one buyer
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 1) }),
      201,
    )
    const k = key()
    const body = JSON.stringify({
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      email: 'b@example.com',
    })
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        buyer.fetch('/api/orders', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'idempotency-key': k },
          body,
        }),
      ),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1)
    for (const r of responses.filter((x) => x.status === 409)) expect(r.headers.get('retry-after')).toBe('1')
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true)
    const ids = new Set(
      await Promise.all(
        responses
          .filter((r) => r.status === 201)
          .map(async (r) => (await r.json<{ orderId: string }>()).orderId),
      ),
    )
    expect(ids.size).toBe(1)
    expect(
      await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE hold_id = ?')
        .bind(hold.id)
        .first<number>('n'),
    ).toBe(1)
  })
})

describe('orders: payment notifications', () => {
  it('rejects bad and stale signatures and handles a duplicate event once', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const created = await ok((await orderFor(buyer, show.showId, show.seatIds.slice(0, 1))).res, 201)
    const event = JSON.stringify({
      id: 'evt_dup_1',
      type: 'payment.succeeded',
      paymentId: created.paymentId,
      amount: 10000,
    })
    const send = (signature: string) =>
      new ApiClient().fetch('/api/payments/sandbox/notify', {
        method: 'POST',
        headers: { 'x-sandbox-signature': signature },
        body: event,
      })
    expect((await problemOf(await send('t=1,v1=00'))).code).toBe('bad_signature')
    const stale = await signSandboxNotification(
      'test-sandbox-payment-secret',
      event,
      Date.now() - 10 * 60_000,
    )
    expect((await send(stale)).status).toBe(401)
    const forged = await signSandboxNotification('not-the-secret', event)
    expect((await send(forged)).status).toBe(401)
    const good = await signSandboxNotification('test-sandbox-payment-secret', event)
    expect(await ok(send(good))).toEqual({ received: true, duplicate: false })
    expect(await ok(send(good))).toEqual({ received: true, duplicate: true })
    const tickets = await env.DB.prepare('SELECT count(*) AS n FROM tickets WHERE order_id = ?')
      .bind(created.orderId)
      .first<number>('n')
    expect(tickets).toBe(1)
  })

  it('keeps an order pending after a failed payment so the buyer can pay again', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const created = await ok((await orderFor(buyer, show.showId, show.seatIds.slice(0, 1))).res, 201)
    expect(await pay(buyer, created.paymentId, 'fail')).toMatchObject({ status: 'pending' })
    expect(await pay(buyer, created.paymentId, 'pay')).toMatchObject({ status: 'paid' })
  })
})

describe('orders: late payment, expiry and crash recovery', () => {
  it('re-acquires the same seats when a late payment finds them free', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const created = await ok((await orderFor(buyer, show.showId, show.seatIds.slice(0, 2))).res, 201)
    const result = await pay(buyer, created.paymentId, 'pay_late')
    expect(result.status).toBe('paid')
    expect(result.statusReason).toMatch(/after the hold expired/)
    expect(result).toMatchObject({ statusReasonCode: 'paid_late_tickets_kept', statusReasonParams: null })
    // Stored: the order as the buyer reads it later carries the same code.
    expect(await ok(buyer.get(`/api/orders/${created.orderId}`))).toMatchObject({
      statusReasonCode: 'paid_late_tickets_kept',
    })
    expect((await inventory(show.showId).counts(show.showId)).memory.sold).toBe(2)
  })

  it('refunds a late payment automatically when the seats were sold meanwhile, and says why', async () => {
    const show = await showOnSale(gridChart(1, 10), { holdMinutes: 1 })
    const buyer = new ApiClient()
    const created = await ok((await orderFor(buyer, show.showId, show.seatIds.slice(0, 2))).res, 201)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    await runDurableObjectAlarm(inventory(show.showId))
    vi.useRealTimers()
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[1]] }), 201)
    const result = await pay(buyer, created.paymentId, 'pay')
    expect(result.status).toBe('expired')
    expect(result.statusReason).toMatch(/refunded in full/)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.statusReasonCode).toBe('paid_late_refunded')
    // The refund says why as a code the apps word: the order's own reason (paid after the hold expired).
    expect(order.refunds).toMatchObject([
      { amount: 20000, status: 'succeeded', requestedBy: 'system:late-payment', reasonCode: 'order_status' },
    ])
    expect(order.payments).toMatchObject([{ status: 'refunded' }])
    expect(order.lines.every((l: { ticket: unknown }) => l.ticket === null)).toBe(true)
    expect(order.refundedTotal).toBe(20000)
  })

  it('expires unpaid orders on schedule, releases their seats and reminds first', async () => {
    const show = await showOnSale(gridChart(1, 10), { holdMinutes: 3 })
    const buyer = new ApiClient()
    const created = await ok((await orderFor(buyer, show.showId, show.seatIds.slice(0, 2))).res, 201)
    const reminded = await runScheduledJobs(env)
    expect(reminded.reminded).toBeGreaterThanOrEqual(1)
    const message = await env.DB.prepare(
      'SELECT subject FROM outgoing_messages WHERE "to" = \'buyer@example.com\' AND subject LIKE ?',
    )
      .bind(`%${created.order.number}%`)
      .first<string>('subject')
    // The buyer ordered without a language: the reminder asks in Chinese to pay (待付款).
    expect(message).toContain('待付款')
    const later = new Date(Date.now() + 4 * 60_000)
    await runScheduledJobs(env, later)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order).toMatchObject({
      status: 'expired',
      statusReasonCode: 'hold_expired',
      statusReasonParams: null,
    })
    expect((await inventory(show.showId).counts(show.showId)).memory).toMatchObject({ held: 0, sold: 0 })
  })

  it('finishes an order after a crash between the inventory confirm and the D1 write', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const { hold, res } = await orderFor(buyer, show.showId, show.seatIds.slice(0, 2))
    const created = await ok(res, 201)
    // The worker recorded the money and the DO sold the seats, then died before the D1 batch.
    await env.DB.prepare("UPDATE payments SET status = 'succeeded' WHERE id = ?")
      .bind(created.paymentId)
      .run()
    expect(await inventory(show.showId).confirm(show.showId, hold.id, created.orderId)).toMatchObject({
      ok: true,
    })
    expect((await ok(buyer.get(`/api/orders/${created.orderId}`))).status).toBe('pending')
    const run = await runScheduledJobs(env)
    expect(run.reconciled).toBeGreaterThanOrEqual(1)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.status).toBe('paid')
    expect(order.lines.every((l: { ticket: { status: string } }) => l.ticket?.status === 'valid')).toBe(true)
    expect((await inventory(show.showId).counts(show.showId)).memory.sold).toBe(2)
  })
})

describe('orders: security', () => {
  it('shows an order only to its buyer', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const created = await ok((await orderFor(buyer, show.showId, show.seatIds.slice(0, 1))).res, 201)
    const stranger = new ApiClient()
    expect((await stranger.get(`/api/orders/${created.orderId}`)).status).toBe(404)
    expect((await ok(stranger.get('/api/orders'))).items).toEqual([])
  })

  it('refuses to order someone else’s hold, an unknown hold, or without contact details as a guest', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const owner = new ApiClient()
    const hold = await ok(
      owner.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 1) }),
      201,
    )
    const thief = new ApiClient()
    const post = (client: ApiClient, body: unknown) =>
      client.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key() },
        body: JSON.stringify(body),
      })
    expect(
      (await post(thief, { kind: 'show', showId: show.showId, holdId: hold.id, email: 't@example.com' }))
        .status,
    ).toBe(404)
    expect(
      (await post(owner, { kind: 'show', showId: show.showId, holdId: 'hld_nope', email: 'o@example.com' }))
        .status,
    ).toBe(404)
    const noContact = await post(owner, { kind: 'show', showId: show.showId, holdId: hold.id })
    expect((await problemOf(noContact)).errors?.[0]?.path).toBe('json.email')
  })
})

describe('orders: guest checkout', () => {
  it('refuses guests where the organizer requires sign-in', async () => {
    const show = await showOnSale(gridChart(1, 10))
    await env.DB.prepare('UPDATE organizers SET allow_guest_checkout = 0 WHERE id = ?')
      .bind(show.organizerId)
      .run()
    const guest = new ApiClient()
    const { res } = await orderFor(guest, show.showId, show.seatIds.slice(0, 1))
    expect(res.status).toBe(401)
    expect((await problemOf(res)).code).toBe('sign_in_required')
  })
})

describe('orders: real-name shows', () => {
  it('needs a holder name per seat and keeps only a masked ID number on the line', async () => {
    const show = await showOnSale(gridChart(1, 10), { realNameRequired: true })
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, {
        seatIds: show.seatIds.slice(0, 2),
        idNumbers: [idNumberFor(61), idNumberFor(62)],
      }),
      201,
    )
    const post = (body: Record<string, unknown>) =>
      buyer.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key() },
        body: JSON.stringify({
          kind: 'show',
          showId: show.showId,
          holdId: hold.id,
          email: 'rn@example.com',
          ...body,
        }),
      })
    const missing = await post({ holderNames: ['Only One'] })
    expect((await problemOf(missing)).errors?.[0]?.path).toBe('json.holderNames')
    const created = await ok(post({ holderNames: ['Li Lei', 'Han Meimei'] }), 201)
    expect(
      created.order.lines.map((l: { visitorName: string; visitorIdMasked: string }) => [
        l.visitorName,
        l.visitorIdMasked,
      ]),
    ).toEqual([
      ['Li Lei', expect.stringMatching(/^110\*{11}\d{3}[\dX]$/)],
      ['Han Meimei', expect.stringMatching(/^110\*{11}\d{3}[\dX]$/)],
    ])
    expect(JSON.stringify(created)).not.toContain(idNumberFor(61))
  })
})
