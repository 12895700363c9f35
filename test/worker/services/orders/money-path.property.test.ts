import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { expireUnpaidOrders } from '../../../../worker/services/orders/index.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'
import {
  chargesOf,
  orderServices,
  payForHold,
  postWithKey,
  sameEventShow,
  sandboxPay,
} from '../../../support/orders.ts'

// Random sequences of what buyers and organizers do to paid orders (refund a line, refund everything, several
// refunds at once, rebook to a dearer or a cheaper show and pay or abandon it, an organizer's refund) on real
// requests; after each sequence the books must hold: no charge gives back more than it received, no refunded or
// rebooked line keeps a valid ticket, every active line of a ticketed order has one, and every show's actor sells
// exactly the seats of active ticketed lines.

type Op =
  | { kind: 'refundLine'; order: number; line: number }
  | { kind: 'refundAll'; order: number }
  | { kind: 'organizerRefund'; order: number }
  | { kind: 'rebook'; order: number; line: number; to: 'dearer' | 'cheaper'; pay: boolean }
  | { kind: 'payPending' }
  /** Unpaid rebookings run out (the cron expires them and lets go of the lines they claimed). */
  | { kind: 'lapse' }
  | { kind: 'together'; ops: Op[] }

const single: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('refundLine' as const), order: fc.nat(3), line: fc.nat(2) }),
  fc.record({ kind: fc.constant('refundAll' as const), order: fc.nat(3) }),
  fc.record({ kind: fc.constant('organizerRefund' as const), order: fc.nat(3) }),
  fc.record({
    kind: fc.constant('rebook' as const),
    order: fc.nat(3),
    line: fc.nat(2),
    to: fc.constantFrom('dearer' as const, 'cheaper' as const),
    pay: fc.boolean(),
  }),
  fc.constant({ kind: 'payPending' as const }),
  fc.constant({ kind: 'lapse' as const }),
)
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: single },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('together' as const),
      ops: fc.array(single, { minLength: 2, maxLength: 4 }),
    }),
  },
)

interface World {
  show: ShowFixture
  dearer: string
  cheaper: string
}
let world: World

beforeAll(async () => {
  const show = await showOnSale(gridChart(4, 40))
  world = { show, dearer: await sameEventShow(show, 14000), cheaper: await sameEventShow(show, 7000) }
}, 60_000)

interface Run {
  buyer: ApiClient
  /** Orders of this run: the original first, then each rebooking's new order. */
  orders: string[]
  pendingPayments: string[]
  serverErrors: string[]
}

async function linesOf(orderId: string) {
  const { results } = await env.DB.prepare(
    "SELECT id FROM order_lines WHERE order_id = ? AND status = 'active' ORDER BY id",
  )
    .bind(orderId)
    .all<{ id: string }>()
  return results.map((r) => r.id)
}

async function perform(run: Run, step: Op): Promise<void> {
  const note = async (res: Response) => {
    if (res.status >= 500) run.serverErrors.push(`${step.kind}: ${res.status} ${await res.text()}`)
    return res
  }
  const orderId = 'order' in step ? run.orders[step.order % run.orders.length]! : ''
  switch (step.kind) {
    case 'refundLine': {
      const lines = await linesOf(orderId)
      if (!lines.length) return
      await note(
        await postWithKey(run.buyer, `/api/orders/${orderId}/refunds`, {
          lineIds: [lines[step.line % lines.length]],
        }),
      )
      return
    }
    case 'refundAll':
      await note(await postWithKey(run.buyer, `/api/orders/${orderId}/refunds`, {}))
      return
    case 'organizerRefund':
      await note(
        await world.show.owner.post(`${world.show.base}/orders/${orderId}/refunds`, {
          reason: 'property test',
        }),
      )
      return
    case 'rebook': {
      const lines = await linesOf(orderId)
      const [order] = (
        await env.DB.prepare('SELECT show_id FROM orders WHERE id = ?')
          .bind(orderId)
          .all<{ show_id: string }>()
      ).results
      if (!lines.length || !order) return
      const target = step.to === 'dearer' ? world.dearer : world.cheaper
      const to = target === order.show_id ? world.show.showId : target
      const hold = await note(
        await run.buyer.post(`/api/shows/${to}/holds`, { best: { category: 'A', quantity: 1 } }),
      )
      if (hold.status !== 201) return
      const { id: holdId } = await hold.json<{ id: string }>()
      const res = await note(
        await postWithKey(run.buyer, `/api/orders/${orderId}/rebook`, {
          holdId,
          showId: to,
          lineIds: [lines[step.line % lines.length]],
        }),
      )
      if (res.status !== 201) return
      const created = await res.json<{ orderId: string; paymentId: string; checkoutUrl: string | null }>()
      run.orders.push(created.orderId)
      if (created.checkoutUrl) {
        if (step.pay) await sandboxPay(run.buyer, created.paymentId)
        else run.pendingPayments.push(created.paymentId)
      }
      return
    }
    case 'payPending': {
      const paymentId = run.pendingPayments.shift()
      if (paymentId) await sandboxPay(run.buyer, paymentId)
      return
    }
    case 'lapse': {
      const marks = run.orders.map(() => '?').join(',')
      await env.DB.prepare(`UPDATE orders SET expires_at = ? WHERE status = 'pending' AND id IN (${marks})`)
        .bind(new Date(Date.now() - 1000).toISOString(), ...run.orders)
        .run()
      await expireUnpaidOrders(orderServices())
      return
    }
    case 'together':
      await Promise.all(step.ops.map((inner) => perform(run, inner)))
      return
  }
}

async function assertBooksHold(run: Run) {
  expect(run.serverErrors).toEqual([])
  for (const charge of await chargesOf(run.orders))
    expect(charge.refunded).toBeLessThanOrEqual(charge.received)
  const marks = run.orders.map(() => '?').join(',')
  const { results: payments } = await env.DB.prepare(
    `SELECT id, amount, refunded_amount FROM payments WHERE order_id IN (${marks})`,
  )
    .bind(...run.orders)
    .all<{ id: string; amount: number; refunded_amount: number }>()
  for (const p of payments) expect(p.refunded_amount).toBeLessThanOrEqual(p.amount)
  const { results: lines } = await env.DB.prepare(
    `SELECT l.id, l.status, o.status AS orderStatus,
       (SELECT count(*) FROM tickets t WHERE t.order_line_id = l.id AND t.status = 'valid') AS valid
     FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.order_id IN (${marks})`,
  )
    .bind(...run.orders)
    .all<{ id: string; status: string; orderStatus: string; valid: number }>()
  for (const line of lines) {
    const ticketed = ['paid', 'partially_refunded'].includes(line.orderStatus) && line.status === 'active'
    expect({ line: line.id, valid: line.valid }).toEqual({ line: line.id, valid: ticketed ? 1 : 0 })
  }
  // What a buyer got back never exceeds what they paid, over the whole run.
  const { results: money } = await env.DB.prepare(
    `SELECT (SELECT coalesce(sum(amount), 0) FROM payments WHERE order_id IN (${marks}) AND provider <> 'credit' AND status <> 'created' AND status <> 'failed') AS received,
            (SELECT coalesce(sum(amount), 0) FROM refunds WHERE order_id IN (${marks}) AND status = 'succeeded') AS refunded`,
  )
    .bind(...run.orders, ...run.orders)
    .all<{ received: number; refunded: number }>()
  expect(money[0]!.refunded).toBeLessThanOrEqual(money[0]!.received)
}

/** Every show's actor sells exactly the seats of active lines of ticketed orders (no seat sold twice or lost). */
async function assertSeatsMatch() {
  for (const showId of [world.show.showId, world.dearer, world.cheaper]) {
    const { memory } = await env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId)).counts(showId)
    const sold = await env.DB.prepare(
      `SELECT count(*) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id
       WHERE o.show_id = ? AND l.status = 'active' AND o.status IN ('paid', 'partially_refunded')`,
    )
      .bind(showId)
      .first<number>('n')
    expect({ showId, sold: memory.sold }).toEqual({ showId, sold })
  }
}

describe('the money path under random sequences (property)', () => {
  it('never refunds more than was paid, never leaves a valid ticket for a refunded line, nor a paid line without one', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }),
        fc.array(op, { minLength: 2, maxLength: 6 }),
        async (seats, ops) => {
          const buyer = new ApiClient()
          const hold = await ok(
            buyer.post(`/api/shows/${world.show.showId}/holds`, {
              best: { category: 'A', quantity: seats, allowSplit: true },
            }),
            201,
          )
          const order = await payForHold(buyer, { kind: 'show', showId: world.show.showId, holdId: hold.id })
          const run: Run = { buyer, orders: [order.id], pendingPayments: [], serverErrors: [] }
          for (const step of ops) await perform(run, step)
          // Abandoned rebookings lapse like any unpaid order, then the books are read.
          await assertBooksHold(run)
          await assertSeatsMatch()
        },
      ),
      { numRuns: 40, endOnFailure: true },
    )
  }, 600_000)
})
