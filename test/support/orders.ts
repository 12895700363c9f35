import { env } from 'cloudflare:workers'
import { openDatabase } from '../../worker/db/client.ts'
import { jsonLogger } from '../../worker/middleware/logger.ts'
import type { OrderServices } from '../../worker/services/orders/index.ts'
import { paymentProvider } from '../../worker/services/payments/index.ts'
import { ApiClient } from './api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from './catalogue.ts'

/** The orders module's services as the worker builds them, for calling its cron steps directly. */
export const orderServices = (): OrderServices => ({
  env,
  db: openDatabase(env.DB),
  logger: jsonLogger({ test: 'orders' }),
  payments: paymentProvider(env),
})

let keys = 0
/** A fresh Idempotency-Key: concurrent attacks send different keys, as separate requests would. */
export const idempotencyKey = () => `k-${Date.now()}-${keys++}-${Math.random().toString(36).slice(2)}`

export const postWithKey = (client: ApiClient, path: string, body: unknown, key = idempotencyKey()) =>
  client.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  })

/** Creates an order for the buyer's hold and pays it through the sandbox; answers the order as its buyer sees it. */
export async function payForHold(buyer: ApiClient, body: Record<string, unknown>) {
  const created = await ok(postWithKey(buyer, '/api/orders', { ...body, email: 'buyer@example.com' }), 201)
  if (created.checkoutUrl) await sandboxPay(buyer, created.paymentId)
  return ok(buyer.get(`/api/orders/${created.orderId}`))
}

export const sandboxPay = (
  buyer: ApiClient,
  paymentId: string,
  outcome: 'pay' | 'fail' | 'pay_late' = 'pay',
) => ok(buyer.post(`/api/payments/sandbox/checkout/${paymentId}/complete`, { outcome }))

/** A buyer's hold on the first `seats` seats of a show on sale (a grid of 10 unless given). */
async function heldShowSeats(seats: number, show?: ShowFixture) {
  const fixture = show ?? (await showOnSale(gridChart(1, 10)))
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${fixture.showId}/holds`, { seatIds: fixture.seatIds.slice(0, seats) }),
    201,
  )
  return { show: fixture, buyer, holdId: hold.id as string }
}

/** A show on sale and a buyer's pending order for the first `seats` seats: the order step's answer, unpaid. */
export async function pendingShowOrder(seats = 2, show?: ShowFixture) {
  const { show: fixture, buyer, holdId } = await heldShowSeats(seats, show)
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'show',
      showId: fixture.showId,
      holdId,
      email: 'buyer@example.com',
    }),
    201,
  )
  return { show: fixture, buyer, created }
}

/** A show on sale and a buyer's paid order for the first `seats` seats. */
export async function paidShowOrder(seats = 2, show?: ShowFixture) {
  const { show: fixture, buyer, holdId } = await heldShowSeats(seats, show)
  const order = await payForHold(buyer, { kind: 'show', showId: fixture.showId, holdId })
  return { show: fixture, buyer, order }
}

/** Another show of the same event and venue at `price` per seat (category A), on sale now. */
export async function sameEventShow(show: ShowFixture, price: number) {
  const now = Date.now()
  const second = await ok(
    show.owner.post(`${show.base}/shows`, {
      eventId: show.eventId,
      venueId: show.venueId,
      startsAt: new Date(now + 40 * 86_400_000).toISOString(),
      saleStartsAt: new Date(now - 3_600_000).toISOString(),
      saleEndsAt: new Date(now + 39 * 86_400_000).toISOString(),
      prices: { A: price },
    }),
    201,
  )
  return second.id as string
}

/** The buyer's paid order moved (改签) to `quantity` best-available seats of `showId`: the rebooking's answer. */
export async function rebookToBest(buyer: ApiClient, orderId: string, showId: string, quantity: number) {
  const hold = await ok(buyer.post(`/api/shows/${showId}/holds`, { best: { category: 'A', quantity } }), 201)
  return ok(postWithKey(buyer, `/api/orders/${orderId}/rebook`, { holdId: hold.id, showId }), 201)
}

/**
 * The money of every card (or settlement) charge: what it received and what the provider was asked to give back,
 * directly or through credit carried to a rebooking. Read straight from D1.
 */
export async function chargesOf(orderIds: string[]) {
  const marks = orderIds.map(() => '?').join(',')
  const { results } = await env.DB.prepare(
    `WITH RECURSIVE chain(id, root) AS (
       SELECT id, id FROM payments WHERE provider <> 'credit' AND order_id IN (${marks})
       UNION ALL SELECT p.id, chain.root FROM payments p JOIN chain ON p.source_payment_id = chain.id
     )
     SELECT root AS paymentId, (SELECT amount FROM payments WHERE id = root) AS received,
       coalesce(sum((SELECT sum(a.amount) FROM refund_allocations a WHERE a.payment_id = chain.id)), 0) AS refunded
     FROM chain GROUP BY root`,
  )
    .bind(...orderIds)
    .all<{ paymentId: string; received: number; refunded: number }>()
  return results
}

export const refundsOf = async (orderId: string) =>
  (
    await env.DB.prepare('SELECT id, amount, status FROM refunds WHERE order_id = ?')
      .bind(orderId)
      .all<{ id: string; amount: number; status: string }>()
  ).results

export const ticketStatuses = async (orderId: string) =>
  (
    await env.DB.prepare(
      `SELECT l.id AS lineId, l.status AS line, t.status AS ticket FROM order_lines l
       LEFT JOIN tickets t ON t.order_line_id = l.id WHERE l.order_id = ? ORDER BY l.id`,
    )
      .bind(orderId)
      .all<{ lineId: string; line: string; ticket: string | null }>()
  ).results

export { ApiClient }
