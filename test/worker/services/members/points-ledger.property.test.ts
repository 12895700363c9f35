import { env } from 'cloudflare:workers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { organizers } from '../../../../worker/db/schema.ts'
import { ledgerState, type PointsRules, pointsExpiry } from '../../../../worker/domain/points-ledger.ts'
import { newId } from '../../../../worker/ids.ts'
import {
  appendEntry,
  asEntry,
  balanceCovered,
  readEntries,
  settledState,
} from '../../../../worker/services/members/ledger.ts'
import {
  earnForOrder,
  returnRedemption,
  reverseForRefund,
} from '../../../../worker/services/members/order-subscribers.ts'
import { ensureMember } from '../../../../worker/services/members/profiles.ts'
import { GuardedBatch } from '../../../../worker/services/orders/batch.ts'

// Every sequence of purchases (some redeeming points, some paid, some left to expire), partial refunds in any
// order and the passing of time leaves the ledger consistent with a plain model of the rules: balance and debt
// never below zero, never both above zero (debt is settled first), points of an unpaid order returned exactly,
// a fully refunded order's points reversed and its redemption returned exactly, and expired points gone.

type Op =
  | { t: 'buy'; paid: number; redeemPercent: number; pay: boolean }
  | { t: 'refund'; pick: number; percent: number }
  | { t: 'wait'; days: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    t: fc.constant('buy' as const),
    paid: fc.integer({ min: 100, max: 50_000 }),
    redeemPercent: fc.integer({ min: 0, max: 100 }),
    pay: fc.boolean(),
  }),
  fc.record({
    t: fc.constant('refund' as const),
    pick: fc.nat(),
    percent: fc.integer({ min: 1, max: 100 }),
  }),
  fc.record({ t: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 400 }) }),
)

/** The rules as a plain model: lots of points, taken soonest-expiring first. */
class Model {
  lots: { left: number; expiresAt: string | null }[] = []
  debt = 0
  get balance() {
    return this.lots.reduce((sum, lot) => sum + lot.left, 0)
  }
  add(points: number, expiresAt: string | null) {
    if (points <= 0) return
    this.lots.push({ left: points, expiresAt })
    this.lots.sort((a, b) => (a.expiresAt ?? '9').localeCompare(b.expiresAt ?? '9'))
  }
  take(points: number) {
    let out = points
    for (const lot of this.lots) {
      const t = Math.min(lot.left, out)
      lot.left -= t
      out -= t
    }
    this.lots = this.lots.filter((lot) => lot.left > 0)
  }
  settle() {
    const s = Math.min(this.balance, this.debt)
    this.take(s)
    this.debt -= s
  }
  expire(now: Date) {
    this.lots = this.lots.filter((lot) => !lot.expiresAt || lot.expiresAt > now.toISOString())
  }
}

describe('points ledger, property', () => {
  it('stays consistent with the rules under any sequence of earn, redeem, refund, return and expiry', async () => {
    const db = openDatabase(env.DB)
    const organizerId = newId('org')
    await db.insert(organizers).values({ id: organizerId, name: 'Points', slug: organizerId.toLowerCase() })
    const seen = { debt: 0, expired: 0, returned: 0, fullRefunds: 0 }
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { minLength: 4, maxLength: 16 }),
        fc.integer({ min: 0, max: 5 }),
        async (ops, earnPerYuan) => {
          const rules: PointsRules = { earnPerYuan, pointsPerYuan: 100, maxRedeemPercent: 50, expiryYears: 1 }
          const customerId = newId('cus')
          await env.DB.prepare('INSERT INTO customers (id, contact, contact_kind) VALUES (?, ?, ?)')
            .bind(customerId, `${customerId.toLowerCase()}@example.com`, 'email')
            .run()
          const member = await ensureMember(db, organizerId, customerId)
          const model = new Model()
          let now = new Date('2026-01-10T04:00:00Z')
          const paid: { id: string; total: number; earned: number; redeemed: number; refunded: number }[] = []
          const ended: { redeemed: number; before: number }[] = []

          for (const step of ops) {
            if (step.t === 'wait') {
              now = new Date(now.getTime() + step.days * 86_400_000)
              await settledState(db, member.id, now)
              const held = model.balance
              model.expire(now)
              if (model.balance < held) seen.expired++
            } else if (step.t === 'buy') {
              await settledState(db, member.id, now)
              model.expire(now)
              const orderId = newId('ord')
              const redeemed = Math.floor((model.balance * step.redeemPercent) / 100)
              const before = model.balance
              if (redeemed > 0) {
                const batch = new GuardedBatch(db)
                batch.add(
                  appendEntry(db, {
                    id: `red_${orderId}`,
                    memberId: member.id,
                    kind: 'redeem',
                    points: -redeemed,
                    orderId,
                    at: now,
                  }),
                )
                batch.guard(balanceCovered(member.id))
                expect(await batch.run()).toBe(true)
                model.take(redeemed)
              }
              if (step.pay) {
                await earnForOrder(
                  db,
                  member.id,
                  { id: orderId, total: step.paid, rebookOf: null },
                  rules,
                  now,
                )
                const earned = Math.floor((step.paid * earnPerYuan) / 100)
                model.add(earned, pointsExpiry(now, 1))
                model.settle()
                paid.push({ id: orderId, total: step.paid, earned, redeemed, refunded: 0 })
              } else if (redeemed > 0) {
                for (let twice = 0; twice < 2; twice++)
                  await returnRedemption(db, { memberId: member.id, points: -redeemed }, orderId, rules, now)
                model.add(redeemed, pointsExpiry(now, 1))
                model.settle()
                ended.push({ redeemed, before })
                seen.returned++
                // Nothing else happened meanwhile: the balance is back where it was before the redemption.
                expect(model.balance + model.debt).toBe(before)
              }
            } else {
              const open = paid.filter((o) => o.refunded < o.total)
              const order = open[step.pick % Math.max(1, open.length)]
              if (!order) continue
              const amount = Math.min(
                order.total - order.refunded,
                Math.ceil((order.total * step.percent) / 100),
              )
              const reversedBefore = Math.floor((order.earned * order.refunded) / order.total)
              const returnedBefore = Math.floor((order.redeemed * order.refunded) / order.total)
              order.refunded += amount
              await reverseForRefund(
                db,
                member.id,
                { id: order.id, total: order.total, rebookOf: null },
                { refundId: newId('rf'), amount },
                rules,
                now,
              )
              const reverse = Math.floor((order.earned * order.refunded) / order.total) - reversedBefore
              const taken = Math.min(reverse, model.balance)
              model.take(taken)
              model.debt += reverse - taken
              if (reverse > taken) seen.debt++
              const giveBack = Math.floor((order.redeemed * order.refunded) / order.total) - returnedBefore
              if (giveBack > 0) {
                model.add(giveBack, pointsExpiry(now, 1))
                model.settle()
              }
            }

            const rows = await readEntries(db, member.id)
            const state = ledgerState(rows.map(asEntry)) // throws when a replay goes below zero
            expect(state.balance).toBe(model.balance)
            expect(state.debt).toBe(model.debt)
            expect(state.balance > 0 && state.debt > 0).toBe(false)
            expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1))
          }

          const rows = await readEntries(db, member.id)
          for (const order of paid.filter((o) => o.refunded === o.total)) {
            seen.fullRefunds++
            const of = rows.filter((r) => r.orderId === order.id)
            const reversed = of.filter((r) => r.kind === 'reverse').reduce((s, r) => s + r.debt - r.points, 0)
            const returned = of.filter((r) => r.kind === 'redeem_returned').reduce((s, r) => s + r.points, 0)
            expect(reversed).toBe(order.earned)
            expect(returned).toBe(order.redeemed)
          }
          expect(rows.filter((r) => r.kind === 'redeem_returned' && r.id.startsWith('ret_'))).toHaveLength(
            ended.length,
          )
        },
      ),
      { numRuns: 60 },
    )
    // The runs reached every rule: debt, expiry, returns and full refunds.
    expect(
      Object.values(seen).every((n) => n > 0),
      JSON.stringify(seen),
    ).toBe(true)
  })
})
