import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { lapseUnpaidOrder } from '../../../../worker/services/orders/index.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'
import { signedInCustomer } from '../../../support/clients.ts'
import { type ApiClient, orderServices, postWithKey, sandboxPay } from '../../../support/orders.ts'

// Members over real requests: the tier follows paid spend, the member discount and points come off at checkout
// split over the lines, points are earned when paid, reversed on refund (as debt when already spent), given back
// when an unpaid order expires, and two checkouts racing for the same points cannot both spend them.

type Customer = Awaited<ReturnType<typeof signedInCustomer>>

const publish = () => publishOutbox(openDatabase(env.DB), env.WEBHOOK_QUEUE, new Date())

async function memberShow() {
  const show = await showOnSale(gridChart(1, 20))
  await ok(
    show.owner.put(`${show.base}/points-rules`, {
      earnPerYuan: 1,
      pointsPerYuan: 100,
      maxRedeemPercent: 50,
      expiryYears: 1,
    }),
  )
  await ok(
    show.owner.put(`${show.base}/member-tiers`, {
      tiers: [
        {
          code: 'standard',
          name: '普通',
          minSpend: null,
          minPoints: null,
          discountPercent: 0,
          presaleAccess: false,
        },
        {
          code: 'silver',
          name: '银卡',
          minSpend: 15_000,
          minPoints: null,
          discountPercent: 5,
          presaleAccess: true,
        },
      ],
    }),
  )
  return show
}

let seat = 0
async function order(show: ShowFixture, buyer: Customer, seats: number, points?: number) {
  const seatIds = show.seatIds.slice(seat, seat + seats)
  seat += seats
  const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds }), 201)
  return postWithKey(buyer, '/api/orders', {
    kind: 'show',
    showId: show.showId,
    holdId: hold.id,
    ...(points ? { points } : {}),
  })
}

async function paid(show: ShowFixture, buyer: Customer, seats: number, points?: number) {
  const created = await ok(order(show, buyer, seats, points), 201)
  await sandboxPay(buyer, created.paymentId)
  await publish()
  return ok(buyer.get(`/api/orders/${created.orderId}`))
}

const memberPage = (show: ShowFixture, buyer: ApiClient) =>
  ok(buyer.get(`/api/members/me?organizer=${show.organizerId}`))

describe('members and points', () => {
  it('moves a member up a tier on spend, then takes the member discount and points off, split over the lines', async () => {
    seat = 0
    const show = await memberShow()
    const buyer = await signedInCustomer()
    const before = await memberPage(show, buyer)
    expect(before.tier.name).toBe('普通')
    expect(before.points.balance).toBe(0)
    expect(before.nextTier).toMatchObject({ tier: { name: '银卡' }, spendToGo: 15_000 })

    const first = await paid(show, buyer, 2)
    expect(first.total).toBe(20_000)
    const after = await memberPage(show, buyer)
    expect(after.tier).toMatchObject({ name: '银卡', discountPercent: 5 })
    expect(after.points.balance).toBe(200)
    expect(after.points.history[0]).toMatchObject({ kind: 'earn', points: 200, orderId: first.id })
    expect(after.purchases.map((p: { id: string }) => p.id)).toEqual([first.id])

    // 3 × ¥100: 5% member discount (¥15, ¥5 a line), then 150 points = ¥1.50 off what is left.
    const second = await paid(show, buyer, 3, 150)
    expect(second.discounts.map((d: { source: string; amount: number }) => [d.source, d.amount])).toEqual([
      ['member', 1500],
      ['points', 150],
    ])
    expect(second.total).toBe(30_000 - 1500 - 150)
    expect(second.lines.map((l: { discount: number }) => l.discount)).toEqual([550, 550, 550])
    expect(second.lines.map((l: { price: number }) => l.price)).toEqual([9450, 9450, 9450])
    const page = await memberPage(show, buyer)
    // 200 − 150 redeemed + floor(28 350 fen × 1 / 100) earned.
    expect(page.points.balance).toBe(200 - 150 + 283)
  })

  it('reverses points on refund, records what was already spent as debt, and settles it from the next points', async () => {
    seat = 0
    const show = await memberShow()
    const buyer = await signedInCustomer()
    const first = await paid(show, buyer, 1) // ¥100: 100 points, no discount yet (普通)
    expect((await memberPage(show, buyer)).points.balance).toBe(100)
    // Spend them all on an order left unpaid for now.
    const pending = await ok(order(show, buyer, 1, 100), 201)
    expect((await memberPage(show, buyer)).points.balance).toBe(0)
    await ok(postWithKey(buyer, `/api/orders/${first.id}/refunds`, { lineIds: [first.lines[0].id] }), 201)
    await publish()
    const owing = await memberPage(show, buyer)
    expect(owing.points).toMatchObject({ balance: 0, debt: 100 })
    expect(owing.points.history[0]).toMatchObject({ kind: 'reverse', points: 0, debt: 100 })
    expect(owing.tier.name).toBe('普通')
    // Paying the second order (¥100 − ¥1 = ¥99) earns 99 points, all of which go to the debt.
    await sandboxPay(buyer, pending.paymentId)
    await publish()
    const settled = await memberPage(show, buyer)
    expect(settled.points).toMatchObject({ balance: 0, debt: 1 })
    expect(settled.points.history.map((h: { kind: string }) => h.kind).slice(0, 2)).toEqual([
      'debt_settled',
      'earn',
    ])
  })

  it('gives the points of an unpaid order back exactly when it expires, once', async () => {
    seat = 0
    const show = await memberShow()
    const buyer = await signedInCustomer()
    await paid(show, buyer, 2)
    const held = await ok(order(show, buyer, 1, 120), 201)
    expect((await memberPage(show, buyer)).points.balance).toBe(80)
    await lapseUnpaidOrder(orderServices(), held.orderId)
    await publish()
    await publish()
    const page = await memberPage(show, buyer)
    expect(page.points.balance).toBe(200)
    expect(page.points.history.filter((h: { kind: string }) => h.kind === 'redeem_returned')).toHaveLength(1)
  })

  it('lets only one of two concurrent checkouts spend the same points', async () => {
    seat = 0
    const show = await memberShow()
    const buyer = await signedInCustomer()
    await paid(show, buyer, 2) // 200 points
    const holds = await Promise.all(
      [0, 1].map(() => {
        const seatIds = show.seatIds.slice(seat, seat + 1)
        seat += 1
        return ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds }), 201)
      }),
    )
    const answers = await Promise.all(
      holds.map((hold) =>
        postWithKey(buyer, '/api/orders', {
          kind: 'show',
          showId: show.showId,
          holdId: hold.id,
          points: 200,
        }),
      ),
    )
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses).toEqual([201, 409])
    const refused = answers.find((a) => a.status === 409)!
    expect(((await refused.json()) as { code: string }).code).toBe('points_insufficient')
    const page = await memberPage(show, buyer)
    expect(page.points.balance).toBe(0)
    expect(page.points.history.filter((h: { kind: string }) => h.kind === 'redeem')).toHaveLength(1)
  })

  it('refuses more points than the member holds, and bad tiers with field errors', async () => {
    seat = 0
    const show = await memberShow()
    const buyer = await signedInCustomer()
    const refused = await order(show, buyer, 1, 50)
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { code: string }).code).toBe('points_insufficient')
    const bad = await show.owner.put(`${show.base}/member-tiers`, {
      tiers: [
        {
          code: 'gold',
          name: '金卡',
          minSpend: 50_000,
          minPoints: null,
          discountPercent: 120,
          presaleAccess: true,
        },
        {
          code: 'gold',
          name: '',
          minSpend: 10_000,
          minPoints: null,
          discountPercent: 5,
          presaleAccess: false,
        },
      ],
    })
    expect(bad.status).toBe(400)
    const problem = (await bad.json()) as { code: string; errors: { path: string }[] }
    expect(problem.code).toBe('validation')
    expect(problem.errors.map((e) => e.path)).toEqual(
      expect.arrayContaining(['json.tiers.0.discountPercent', 'json.tiers.1.name']),
    )
    const members = await ok(show.owner.get(`${show.base}/members?q=${buyer.customerId.toLowerCase()}`))
    expect(members.items).toHaveLength(0) // no member page visited, no order paid yet
    await memberPage(show, buyer)
    const listed = await ok(show.owner.get(`${show.base}/members?q=${buyer.customerId.toLowerCase()}`))
    expect(listed.items).toHaveLength(1)
    expect(listed.items[0]).toMatchObject({ tier: { name: '普通' }, balance: 0 })
  })
})
