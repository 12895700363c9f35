import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { Problem } from '../../../../worker/problem.ts'
import { couponProvider } from '../../../../worker/services/coupons/index.ts'
import type { CheckoutDiscountProvider } from '../../../../worker/services/orders/checkout-discounts.ts'
import { createOrderFromHold } from '../../../../worker/services/orders/index.ts'
import { showInventoryStub } from '../../../../worker/services/show-inventory-client.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'
import { orderServices } from '../../../support/orders.ts'

// Stacking: one coupon per order always, and a member discount before it only when the coupon allows it. The
// members module is not here yet, so a provider taking 10% as a member discount stands in for it, in its place
// (member → coupon), exactly as providers.ts will list them.

const memberTenPercent: CheckoutDiscountProvider = {
  name: 'member',
  async offer(_db, context) {
    const total = context.lines.reduce((sum, line) => sum + line.price, 0)
    return {
      claim: { source: 'member', ref: 'tier_gold', label: '金卡会员', amount: Math.floor(total / 10) },
    }
  },
}

async function setUp(stacksWithMember: boolean) {
  const show = await showOnSale(gridChart(1, 10))
  await ok(
    show.owner.post(`${show.base}/coupons`, {
      title: '立减20',
      kind: 'amount_off',
      amountOff: 2000,
      code: 'STACKME',
      stacksWithMember,
    }),
    201,
  )
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
    201,
  )
  const held = await showInventoryStub(env.SHOW_INVENTORY, show.showId).describeHold(show.showId, hold.id)
  const input = {
    kind: 'show' as const,
    showId: show.showId,
    holdId: hold.id as string,
    buyerId: held!.holderId,
    email: 'buyer@example.com',
    channel: 'web',
    discounts: { couponCode: 'stackme' },
  }
  return { buyer, input }
}

describe('coupon stacking with a member discount', () => {
  it('refuses a coupon that does not join member discounts (discount_not_combinable), writing nothing', async () => {
    const { input } = await setUp(false)
    const refused = await createOrderFromHold(
      { ...orderServices(), discounts: [memberTenPercent, couponProvider] },
      input,
      'http://localhost',
    ).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(Problem)
    expect((refused as Problem).code).toBe('discount_not_combinable')
    const rows = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE hold_id = ?')
      .bind(input.holdId)
      .first()
    expect(rows!.n).toBe(0)
  })

  it('takes both when the coupon allows it: member 10% first, then the coupon off what is left', async () => {
    const { buyer, input } = await setUp(true)
    const created = await createOrderFromHold(
      { ...orderServices(), discounts: [memberTenPercent, couponProvider] },
      input,
      'http://localhost',
    )
    expect(created.amountDue).toBe(20_000 - 2_000 - 2_000)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.discounts.map((d: { source: string; amount: number }) => [d.source, d.amount])).toEqual([
      ['member', 2000],
      ['coupon', 2000],
    ])
    expect(order.lines.map((l: { discount: number }) => l.discount)).toEqual([2000, 2000])
  })
})
