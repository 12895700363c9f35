// The two checkout discounts members get: the tier's discount (first of all providers) and points redeemed (last).
import { percentOf } from '../../domain/checkout-discounts.ts'
import { redemption } from '../../domain/points-ledger.ts'
import { Problem } from '../../problem.ts'
import type { CheckoutDiscountProvider } from '../orders/checkout-discounts.ts'
import { appendEntry, balanceCovered, settledState } from './ledger.ts'
import { currentTier, findMember, readRules } from './profiles.ts'

/** The member tier's discount %, of what the tickets cost (rounded down: see percentOf). */
export const memberDiscountProvider: CheckoutDiscountProvider = {
  name: 'member',
  async offer(db, context) {
    if (!context.customerId) return null
    const { tier } = await currentTier(db, context.organizerId, context.customerId, context.now)
    if (!tier || tier.discountPercent === 0) return null
    const total = context.lines.reduce((sum, line) => sum + line.price, 0)
    const amount = percentOf(total, tier.discountPercent)
    if (amount === 0) return null
    return { claim: { source: 'member', ref: tier.id, label: tier.name, amount } }
  },
}

const insufficient = (detail: string) =>
  new Problem({ code: 'points_insufficient', status: 409, title: 'Not enough points', detail })

/**
 * Points (积分抵扣): the buyer asks for N points; they must hold them, and at most the organizer's share of what
 * the order still costs is paid in points. The redemption is a ledger row written in the order's own batch with a
 * guard that the balance stays covered, so two checkouts cannot spend the same points.
 */
export const pointsProvider: CheckoutDiscountProvider = {
  name: 'points',
  async offer(db, context) {
    const requested = context.request.points ?? 0
    if (requested <= 0) return null
    if (!context.customerId) throw insufficient('Sign in to use points')
    const rules = await readRules(db, context.organizerId)
    if (!rules) throw insufficient('This organizer has no points')
    const member = await findMember(db, context.organizerId, context.customerId)
    if (!member) throw insufficient(`You have no points, fewer than ${requested}`)
    const { state } = await settledState(db, member.id, context.now)
    const remaining = context.lines.reduce((sum, line) => sum + line.price, 0)
    const taken = redemption(requested, state.balance, remaining, rules)
    if (taken === 'insufficient')
      throw insufficient(`You have ${state.balance} points, fewer than ${requested}`)
    if (taken.amount === 0) return null
    const id = `red_${context.orderId}`
    return {
      claim: { source: 'points', ref: id, label: `${taken.points} points`, amount: taken.amount },
      reserve(batch) {
        batch.add(
          appendEntry(db, {
            id,
            memberId: member.id,
            kind: 'redeem',
            points: -taken.points,
            orderId: context.orderId,
            at: context.now,
          }),
        )
        batch.guard(balanceCovered(member.id))
      },
    }
  },
}
