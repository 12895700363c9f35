import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'
import { signedInCustomer } from '../../../support/clients.ts'
import { postWithKey, sandboxPay } from '../../../support/orders.ts'

// Every promotion at once on real requests (issue 21): a signed-in member with a random tier discount buys two
// orders of 1–4 seats with a random coupon (amount off, or percent off with a cap) and, on the second, random
// points; both are paid, then random lines are refunded in random order, some at the same time. After each run:
// refunds never exceed what was paid, in all or per line; each line's price plus its discount is its list price;
// each discount's split over the lines sums to its amount; and the member's points are what the rules say
// (worker/domain/points-ledger.ts): earned on what was paid, reversed and redeemed points given back by the
// refunded share of each order.

const listPrice = 10_000 // gridChart's category A
const publish = () => publishOutbox(openDatabase(env.DB), env.WEBHOOK_QUEUE, new Date())

let show: ShowFixture
let seat = 0
let run = 0
/** What the runs exercised, so a generator that stopped reaching points, coupons or refunds fails loudly. */
const seen = { points: 0, coupon: 0, member: 0, refunds: 0, debt: 0 }

beforeAll(async () => {
  show = await showOnSale(gridChart(5, 40))
}, 60_000)

type Coupon =
  | { kind: 'amount_off'; amountOff: number }
  | { kind: 'percent_off'; percentOff: number; maxOff: number }

const coupon: fc.Arbitrary<Coupon | null> = fc.option(
  fc.oneof(
    fc.record({ kind: fc.constant('amount_off' as const), amountOff: fc.integer({ min: 1, max: 5000 }) }),
    fc.record({
      kind: fc.constant('percent_off' as const),
      percentOff: fc.integer({ min: 1, max: 60 }),
      maxOff: fc.integer({ min: 1, max: 8000 }),
    }),
  ),
  { freq: 4 },
)
/** A refund: order 0 or 1, a line of it; `together` refunds run at once with the next one. */
const refundStep = fc.record({ order: fc.nat(1), line: fc.nat(3), together: fc.boolean() })

interface OrderRow {
  id: string
  total: number
}

const points = async (buyer: Awaited<ReturnType<typeof signedInCustomer>>) =>
  (await ok(buyer.get(`/api/members/me?organizer=${show.organizerId}`))).points as {
    balance: number
    debt: number
  }

describe('the money path with member discount, coupon and points together (property)', () => {
  it('refunds stay within what each line paid, discounts add up per line, and points follow the rules', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 5 }),
        fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 })),
        coupon,
        fc.integer({ min: 0, max: 2000 }),
        fc.array(refundStep, { minLength: 1, maxLength: 6 }),
        async (discountPercent, earnPerYuan, seats, offer, pointsWanted, refunds) => {
          run++
          await ok(
            show.owner.put(`${show.base}/points-rules`, {
              earnPerYuan,
              pointsPerYuan: 100, // 1 point = 1 fen: a points discount's amount is the points redeemed
              maxRedeemPercent: 50,
              expiryYears: 1,
            }),
          )
          await ok(
            show.owner.put(`${show.base}/member-tiers`, {
              tiers: [
                {
                  code: 'member',
                  name: '会员',
                  minSpend: null,
                  minPoints: null,
                  discountPercent,
                  presaleAccess: false,
                },
              ],
            }),
          )
          const code = `PROP${run}${Math.random().toString(36).slice(2, 8)}`.toUpperCase()
          if (offer)
            await ok(
              show.owner.post(`${show.base}/coupons`, {
                title: '测试券',
                ...offer,
                code,
                stacksWithMember: true,
              }),
              201,
            )
          const buyer = await signedInCustomer()
          const orders: OrderRow[] = []
          for (const [i, n] of seats.entries()) {
            const hold = await ok(
              buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(seat, seat + n) }),
              201,
            )
            seat += n
            // Points only on the second order: the first one earns them.
            const balance = i === 1 ? (await points(buyer)).balance : 0
            const created = await ok(
              postWithKey(buyer, '/api/orders', {
                kind: 'show',
                showId: show.showId,
                holdId: hold.id,
                ...(offer ? { couponCode: code.toLowerCase() } : {}),
                ...(i === 1 && Math.min(balance, pointsWanted) > 0
                  ? { points: Math.min(balance, pointsWanted) }
                  : {}),
              }),
              201,
            )
            await sandboxPay(buyer, created.paymentId)
            await publish()
            orders.push(await ok(buyer.get(`/api/orders/${created.orderId}`)))
          }

          // Refunds of random lines, in random order; a `together` step runs with the next one at once.
          const serverErrors: string[] = []
          const refund = async (step: { order: number; line: number }) => {
            const order = orders[step.order]! as OrderRow & { lines: { id: string }[] }
            const lineId = order.lines[step.line % order.lines.length]!.id
            const res = await postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [lineId] })
            if (res.status >= 500) serverErrors.push(`${res.status} ${await res.text()}`)
          }
          for (let i = 0; i < refunds.length; i++) {
            const batch = [refunds[i]!]
            while (refunds[i]!.together && i + 1 < refunds.length) batch.push(refunds[++i]!)
            await Promise.all(batch.map(refund))
            await publish()
          }
          await publish()
          expect(serverErrors).toEqual([])

          const ids = orders.map((o) => o.id)
          const marks = ids.map(() => '?').join(',')
          const { results: lines } = await env.DB.prepare(
            `SELECT id, order_id, price, discount, list_price, status, refund_id FROM order_lines WHERE order_id IN (${marks})`,
          )
            .bind(...ids)
            .all<{
              id: string
              order_id: string
              price: number
              discount: number
              list_price: number
              status: string
              refund_id: string | null
            }>()
          const { results: refundRows } = await env.DB.prepare(
            `SELECT id, order_id, amount, line_ids FROM refunds WHERE order_id IN (${marks}) AND status = 'succeeded'`,
          )
            .bind(...ids)
            .all<{ id: string; order_id: string; amount: number; line_ids: string }>()
          const { results: payments } = await env.DB.prepare(
            `SELECT order_id, amount, refunded_amount FROM payments WHERE order_id IN (${marks}) AND status <> 'created' AND status <> 'failed'`,
          )
            .bind(...ids)
            .all<{ order_id: string; amount: number; refunded_amount: number }>()
          const { results: discounts } = await env.DB.prepare(
            `SELECT order_id, source, amount, per_line FROM order_discounts WHERE order_id IN (${marks})`,
          )
            .bind(...ids)
            .all<{ order_id: string; source: string; amount: number; per_line: string }>()

          // Refunds ≤ paid, in all and per line (each refund here takes one line: it pays back at most its price).
          const paid = payments.reduce((s, p) => s + p.amount, 0)
          const refunded = refundRows.reduce((s, r) => s + r.amount, 0)
          expect(refunded).toBeLessThanOrEqual(paid)
          for (const p of payments) expect(p.refunded_amount).toBeLessThanOrEqual(p.amount)
          const lineById = new Map(lines.map((l) => [l.id, l]))
          const refundedLines = refundRows.flatMap((r) => JSON.parse(r.line_ids) as string[])
          expect(new Set(refundedLines).size).toBe(refundedLines.length) // a line is refunded once
          for (const r of refundRows) {
            const share = (JSON.parse(r.line_ids) as string[]).reduce(
              (s, id) => s + lineById.get(id)!.price,
              0,
            )
            expect(r.amount).toBeLessThanOrEqual(share)
          }
          for (const l of lines)
            expect({ line: l.id, refunded: l.status === 'refunded' }).toEqual({
              line: l.id,
              refunded: refundedLines.includes(l.id),
            })

          for (const order of orders) {
            const own = lines.filter((l) => l.order_id === order.id)
            // Price before discounts = list price, per line; the order's total is what its lines cost.
            for (const l of own) expect(l.price + l.discount).toBe(listPrice)
            expect(own.reduce((s, l) => s + l.price, 0)).toBe(order.total)
            const mine = discounts.filter((d) => d.order_id === order.id)
            expect(own.reduce((s, l) => s + l.discount, 0)).toBe(mine.reduce((s, d) => s + d.amount, 0))
            for (const d of mine) {
              const perLine = JSON.parse(d.per_line) as Record<string, number>
              expect(Object.values(perLine).reduce((s, x) => s + x, 0)).toBe(d.amount)
              expect(Object.keys(perLine).sort()).toEqual(own.map((l) => l.id).sort())
            }
            // The member discount is the tier's percent of the list prices, as the tier says (floor).
            const member = mine.find((d) => d.source === 'member')?.amount ?? 0
            expect(member).toBe(Math.floor((own.length * listPrice * discountPercent) / 100))
            expect(mine.some((d) => d.source === 'coupon')).toBe(offer !== null)
          }

          // Points: Σ earned − Σ redeemed − Σ reversed + Σ given back, each by the rules of worker/domain/points-ledger.ts.
          const shareOf = (whole: number, part: number, of: number) =>
            of <= 0 ? 0 : Math.max(0, Math.min(whole, Math.floor((whole * Math.min(part, of)) / of)))
          let expected = 0
          for (const order of orders) {
            const earned = Math.floor((order.total * earnPerYuan) / 100)
            const redeemed =
              discounts.find((d) => d.order_id === order.id && d.source === 'points')?.amount ?? 0
            const back = refundRows.filter((r) => r.order_id === order.id).reduce((s, r) => s + r.amount, 0)
            expected +=
              earned - redeemed - shareOf(earned, back, order.total) + shareOf(redeemed, back, order.total)
          }
          seen.points += discounts.some((d) => d.source === 'points') ? 1 : 0
          seen.coupon += discounts.some((d) => d.source === 'coupon') ? 1 : 0
          seen.member += discounts.some((d) => d.source === 'member') ? 1 : 0
          seen.refunds += refundRows.length
          seen.debt += expected < 0 ? 1 : 0
          const balance = await points(buyer)
          expect(balance.balance - balance.debt).toBe(expected)
          expect(balance).toEqual({
            ...balance,
            balance: Math.max(0, expected),
            debt: Math.max(0, -expected),
          })
        },
      ),
      { numRuns: 20, endOnFailure: true },
    )
    console.info('promotions money path exercised:', seen)
    expect(seen.points).toBeGreaterThan(0)
    expect(seen.coupon).toBeGreaterThan(0)
    expect(seen.member).toBeGreaterThan(0)
    expect(seen.refunds).toBeGreaterThan(0)
  }, 600_000)
})
