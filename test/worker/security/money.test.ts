import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import worker from '../../../worker/index.ts'
import { expireUnpaidOrders } from '../../../worker/services/orders/index.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import {
  chargesOf,
  orderServices,
  paidShowOrder,
  postWithKey,
  refundsOf,
  sameEventShow,
  sandboxPay,
  ticketStatuses,
} from '../../support/orders.ts'

/** The worker as deployed with other settings (the test pool's bindings otherwise). */
async function fetchWith(settings: Record<string, string | undefined>, path: string, init: RequestInit = {}) {
  const ctx = createExecutionContext()
  const res = await worker.fetch(
    new Request(`https://tickets.test${path}`, init),
    { ...env, ...settings } as never,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return res
}

async function pendingOrder() {
  const show = await showOnSale(gridChart(1, 10))
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 1) }),
    201,
  )
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      email: 'v@example.com',
    }),
    201,
  )
  return { show, buyer, created }
}

const statusOf = async (orderId: string) =>
  env.DB.prepare('SELECT status FROM orders WHERE id = ?').bind(orderId).first<string>('status')

describe('security: payments', () => {
  it('security: production without a real payment provider refuses to serve, and the sandbox does not exist there', async () => {
    const { created } = await pendingOrder()
    const pay = (settings: Record<string, string | undefined>) =>
      fetchWith(settings, `/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ outcome: 'pay' }),
      })
    // As wrangler.toml deployed it before: ENVIRONMENT=production and no PAYMENT_PROVIDER.
    const unconfigured = await pay({ ENVIRONMENT: 'production', PAYMENT_PROVIDER: undefined })
    expect(unconfigured.status).toBe(503)
    const problem = await problemOf(unconfigured)
    expect(problem.code).toBe('misconfigured')
    expect(problem.detail).toContain('PAYMENT_PROVIDER')
    expect(problem.detail).not.toContain(env.STRIPE_SECRET_KEY!)
    // Asking for the sandbox by name does not bring it back.
    expect((await pay({ ENVIRONMENT: 'production', PAYMENT_PROVIDER: 'sandbox' })).status).toBe(503)
    // A configured production worker has no sandbox routes at all.
    const configured = await pay({ ENVIRONMENT: 'production', PAYMENT_PROVIDER: 'stripe' })
    expect((await problemOf(configured)).code).toBe('not_found')
    expect(await statusOf(created.orderId)).toBe('pending')
  })

  it('security: another buyer cannot pay, fail or expire my order through the sandbox checkout', async () => {
    const { buyer, created } = await pendingOrder()
    const stranger = new ApiClient()
    for (const outcome of ['pay', 'fail', 'pay_late']) {
      const res = await stranger.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, {
        outcome,
      })
      expect((await problemOf(res)).code).toBe('not_found')
    }
    expect((await stranger.get(`/api/payments/sandbox/checkout/${created.paymentId}`)).status).toBe(404)
    expect(await statusOf(created.orderId)).toBe('pending')
    await sandboxPay(buyer, created.paymentId)
    expect(await statusOf(created.orderId)).toBe('paid')
  })

  it('security: a notification from one provider never settles a payment of another', async () => {
    const { created } = await pendingOrder()
    const stripe = new Stripe('sk_test_not_a_real_key', { httpClient: Stripe.createFetchHttpClient() })
    const payload = JSON.stringify({
      id: 'evt_cross_provider',
      object: 'event',
      type: 'checkout.session.completed',
      data: {
        object: {
          id: 'cs_x',
          object: 'checkout.session',
          amount_total: 10000,
          payment_status: 'paid',
          payment_intent: 'pi_x',
          client_reference_id: created.paymentId,
          metadata: { paymentId: created.paymentId },
        },
      },
    })
    const header = await stripe.webhooks.generateTestHeaderStringAsync({
      payload,
      secret: env.STRIPE_WEBHOOK_SECRET!,
      cryptoProvider: Stripe.createSubtleCryptoProvider(),
    })
    const res = await new ApiClient().fetch('/api/payments/stripe/webhook', {
      method: 'POST',
      headers: { 'stripe-signature': header },
      body: payload,
    })
    expect((await problemOf(res)).code).toBe('not_found')
    expect(await statusOf(created.orderId)).toBe('pending')
  })
})

describe('security: refunds are taken once', () => {
  it('security: 15 concurrent refunds of one line of a partly refunded order refund it exactly once', async () => {
    const { buyer, order } = await paidShowOrder(3)
    const [first, second] = order.lines
    await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [first.id] }), 201)
    const answers = await Promise.all(
      Array.from({ length: 15 }, () =>
        postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [second.id] }),
      ),
    )
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    for (const res of answers.filter((r) => r.status !== 201)) expect([409, 400]).toContain(res.status)
    const after = await ok(buyer.get(`/api/orders/${order.id}`))
    expect(after.refundedTotal).toBe(first.price + second.price)
    expect(await refundsOf(order.id)).toHaveLength(2)
    for (const charge of await chargesOf([order.id]))
      expect(charge.refunded).toBeLessThanOrEqual(charge.received)
  })

  it('security: 15 concurrent whole-order refunds (and line refunds among them) give back the order once', async () => {
    const { buyer, order } = await paidShowOrder(2)
    const answers = await Promise.all([
      ...Array.from({ length: 12 }, () => postWithKey(buyer, `/api/orders/${order.id}/refunds`, {})),
      ...order.lines.map((line: { id: string }) =>
        postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [line.id] }),
      ),
    ])
    const after = await ok(buyer.get(`/api/orders/${order.id}`))
    expect(after.refundedTotal).toBe(order.total)
    expect(after.status).toBe('refunded')
    const refunds = await refundsOf(order.id)
    expect(refunds.reduce((sum, r) => sum + r.amount, 0)).toBe(order.total)
    expect(answers.filter((r) => r.status === 201).length).toBe(refunds.length)
    const [charge] = await chargesOf([order.id])
    expect(charge).toMatchObject({ received: order.total, refunded: order.total })
    expect((await ticketStatuses(order.id)).every((t) => t.ticket === 'revoked')).toBe(true)
  })
})

describe('security: rebooking (改签) moves a ticket once', () => {
  async function rebookSetup() {
    const { show, buyer, order } = await paidShowOrder(2)
    const dearer = await sameEventShow(show, 16500)
    const other = await sameEventShow(show, 16500)
    return { show, buyer, order, dearer, other }
  }
  const holdOn = async (buyer: ApiClient, showId: string) =>
    (await ok(buyer.post(`/api/shows/${showId}/holds`, { best: { quantity: 1, category: 'A' } }), 201))
      .id as string
  /** Starts moving the order's first line to a seat on `showId` (the new order waits for its payment). */
  const rebookFirstLine = async (buyer: ApiClient, order: Record<string, any>, showId: string) =>
    ok(
      postWithKey(buyer, `/api/orders/${order.id}/rebook`, {
        holdId: await holdOn(buyer, showId),
        showId,
        lineIds: [order.lines[0].id],
      }),
      201,
    )

  it('security: two concurrent rebooks of one line to two shows: one new order, the other refused', async () => {
    const { buyer, order, dearer, other } = await rebookSetup()
    const line = order.lines[0].id
    const [a, b] = [await holdOn(buyer, dearer), await holdOn(buyer, other)]
    const answers = await Promise.all([
      postWithKey(buyer, `/api/orders/${order.id}/rebook`, { holdId: a, showId: dearer, lineIds: [line] }),
      postWithKey(buyer, `/api/orders/${order.id}/rebook`, { holdId: b, showId: other, lineIds: [line] }),
    ])
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409])
    expect((await problemOf(answers.find((r) => r.status === 409)!)).code).toBe('rebook_pending')
  })

  it('security: a line rebooked and paid cannot be rebooked again, and its refund is what was paid', async () => {
    const { buyer, order, dearer, other } = await rebookSetup()
    const line = order.lines[0]
    const moved = await ok(
      postWithKey(buyer, `/api/orders/${order.id}/rebook`, {
        holdId: await holdOn(buyer, dearer),
        showId: dearer,
        lineIds: [line.id],
      }),
      201,
    )
    // A second rebook while the first waits for its payment.
    const whilePending = await postWithKey(buyer, `/api/orders/${order.id}/rebook`, {
      holdId: await holdOn(buyer, other),
      showId: other,
      lineIds: [line.id],
    })
    expect((await problemOf(whilePending)).code).toBe('rebook_pending')
    // A refund of the line while the rebooking waits is refused too.
    const refundWhilePending = await postWithKey(buyer, `/api/orders/${order.id}/refunds`, {
      lineIds: [line.id],
    })
    expect((await problemOf(refundWhilePending)).code).toBe('rebook_pending')
    await sandboxPay(buyer, moved.paymentId)
    const again = await postWithKey(buyer, `/api/orders/${order.id}/rebook`, {
      holdId: await holdOn(buyer, other),
      showId: other,
      lineIds: [line.id],
    })
    expect(again.status).toBe(400) // no longer an active line of the order
    // The new order: 16,500, paid by 10,000 of credit and 6,500 by card. Refunding it gives back 16,500, each
    // charge never more than it received.
    const refunded = await ok(postWithKey(buyer, `/api/orders/${moved.orderId}/refunds`, {}), 201)
    expect(refunded.refund.amount).toBe(16500)
    const rest = await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, {}), 201)
    expect(rest.refund.amount).toBe(order.lines[1].price)
    const charges = await chargesOf([order.id, moved.orderId])
    expect(charges).toHaveLength(2)
    for (const charge of charges) expect(charge.refunded).toBe(charge.received)
    expect(charges.reduce((sum, c) => sum + c.received, 0)).toBe(20000 + 6500)
  })

  it('security: an organizer refund overrides a pending rebook; its late payment is refunded, never ticketed', async () => {
    const { show, buyer, order, dearer } = await rebookSetup()
    const moved = await rebookFirstLine(buyer, order, dearer)
    await ok(show.owner.post(`${show.base}/orders/${order.id}/refunds`, { reason: 'venue closed' }), 201)
    expect(await statusOf(moved.orderId)).toBe('cancelled')
    // The buyer still pays the rebooking page they had open.
    await sandboxPay(buyer, moved.paymentId)
    const late = await ok(buyer.get(`/api/orders/${moved.orderId}`))
    expect(late.status).toBe('cancelled')
    expect(late.refundedTotal).toBe(moved.amountDue)
    expect((await ticketStatuses(moved.orderId)).every((t) => t.ticket === null)).toBe(true)
    for (const charge of await chargesOf([order.id, moved.orderId]))
      expect(charge.refunded).toBe(charge.received)
  })

  it('security: a rebooking paid after its claim lapsed and the old lines were refunded is refunded, not ticketed', async () => {
    const { buyer, order, dearer } = await rebookSetup()
    const moved = await rebookFirstLine(buyer, order, dearer)
    // The rebooking lapses (its hold and claim end), the buyer refunds the original, then pays the old page.
    await env.DB.prepare('UPDATE orders SET expires_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), moved.orderId)
      .run()
    await expireUnpaidOrders(orderServices())
    await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, {}), 201)
    await sandboxPay(buyer, moved.paymentId)
    const late = await ok(buyer.get(`/api/orders/${moved.orderId}`))
    expect(late.status).not.toBe('paid')
    expect(late.refundedTotal).toBe(moved.amountDue)
    expect((await ticketStatuses(moved.orderId)).every((t) => t.ticket !== 'valid')).toBe(true)
    const old = await ok(buyer.get(`/api/orders/${order.id}`))
    expect(old.refundedTotal).toBe(order.total)
  })
  it('security: a rebooking paid while the organizer refunds the original never leaves both, nor money kept', async () => {
    for (let round = 0; round < 4; round++) {
      const { show, buyer, order, dearer } = await rebookSetup()
      const moved = await rebookFirstLine(buyer, order, dearer)
      await Promise.all([
        sandboxPay(buyer, moved.paymentId),
        show.owner.post(`${show.base}/orders/${order.id}/refunds`, { reason: 'race' }),
      ])
      const oldLines = await ticketStatuses(order.id)
      const newLines = await ticketStatuses(moved.orderId)
      const newOrder = await ok(buyer.get(`/api/orders/${moved.orderId}`))
      if (newOrder.status === 'paid') {
        // The rebooking won: its ticket is valid and the replaced line is rebooked, not refunded.
        expect(newLines.map((l) => l.ticket)).toEqual(['valid'])
        expect(oldLines.find((l) => l.lineId === order.lines[0].id)).toMatchObject({
          line: 'rebooked',
          ticket: 'revoked',
        })
      } else {
        // The refund won: the rebooking's money went back and it has no valid ticket.
        expect(newLines.every((l) => l.ticket !== 'valid')).toBe(true)
        expect(newOrder.refundedTotal).toBe(moved.amountDue)
      }
      expect(oldLines.filter((l) => l.line !== 'active').every((l) => l.ticket !== 'valid')).toBe(true)
      for (const charge of await chargesOf([order.id, moved.orderId]))
        expect(charge.refunded).toBeLessThanOrEqual(charge.received)
    }
  }, 120_000)
})

describe('security: an order is confirmed once', () => {
  it('security: a duplicate payment event with a new id never issues tickets or events twice', async () => {
    const { buyer, created } = await pendingOrder()
    await Promise.all([sandboxPay(buyer, created.paymentId), sandboxPay(buyer, created.paymentId)])
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.status).toBe('paid')
    const confirmed = await env.DB.prepare(
      `SELECT count(*) AS n FROM outbox_events WHERE topic = 'order.confirmed' AND json_extract(payload, '$.orderId') = ?`,
    )
      .bind(created.orderId)
      .first<number>('n')
    expect(confirmed).toBe(1)
    expect((await ticketStatuses(created.orderId)).filter((t) => t.ticket === 'valid')).toHaveLength(1)
  })
})
