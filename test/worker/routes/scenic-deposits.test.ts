import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runScheduledJobs } from '../../../worker/scheduled.ts'
import { forfeitUnpaidBalances } from '../../../worker/services/orders/index.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { ok, type ScenicFixture, scenicSiteOnSale, shanghaiDate } from '../../support/catalogue.ts'
import { uniqueAddress } from '../../support/clients.ts'
import { orderServices, postWithKey, sandboxPay } from '../../support/orders.ts'

// 定金 for a scenic day over real requests: the organizer sets a product's deposit terms (the balance window counted
// back from the visit day), a visitor pays the deposit (the day's place kept, no ticket), then the balance (ticket
// issued once), or the due time forfeits the order and the place is sold to someone else.

const DAY = 86_400_000
const CHILD_PRICE = 6000 // the fixture's child gate ticket
const DEPOSIT = 1000
const VISIT = shanghaiDate(5)
/** 00:00 of the visit day in Shanghai (the fixture site's zone). */
const visitStarts = Date.parse(`${VISIT}T00:00:00+08:00`)

afterEach(() => vi.useRealTimers())

const depositPath = (site: ScenicFixture, productId: string) =>
  `${site.base}/visit-products/${productId}/deposit`
const day = (site: ScenicFixture) =>
  env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${site.siteId}:${VISIT}`))

async function depositSite(opts: {
  dailyCapacity?: number
  forfeit?: 'keep' | 'refund'
  opensDaysBefore?: number
}) {
  const site = await scenicSiteOnSale({ dailyCapacity: opts.dailyCapacity ?? 1 })
  const saved = await ok(
    site.owner.put(depositPath(site, site.childProduct), {
      deposit: {
        amount: DEPOSIT,
        balanceOpensDaysBefore: opts.opensDaysBefore ?? 20,
        balanceDueDaysBefore: 1,
        reminderLeadMinutes: 60,
        forfeit: opts.forfeit ?? 'keep',
      },
    }),
  )
  expect(saved.deposit).toMatchObject({ amount: DEPOSIT, balanceDueDaysBefore: 1 })
  return site
}

/** The shop's hold of one child gate ticket on the visit day, from a visitor of their own address. */
const holdChild = (buyer: ApiClient, site: ScenicFixture) =>
  buyer.fetch(`/api/scenic-sites/${site.siteId}/days/${VISIT}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueAddress() },
    body: JSON.stringify({ lines: [{ productId: site.childProduct, slot: '09:00' }] }),
  })

const order = (buyer: ApiClient, holdId: string, site: ScenicFixture, deposit: boolean) =>
  postWithKey(buyer, '/api/orders', {
    kind: 'scenic',
    siteId: site.siteId,
    date: VISIT,
    holdId,
    ...(deposit ? { deposit: true } : {}),
    email: 'visitor@example.com',
  })

async function depositPaid(site: ScenicFixture, buyer = new ApiClient()) {
  const hold = await ok(holdChild(buyer, site), 201)
  const created = await ok(order(buyer, hold.id, site, true), 201)
  expect(created.amountDue).toBe(DEPOSIT)
  expect(await sandboxPay(buyer, created.paymentId)).toMatchObject({ status: 'deposit_paid' })
  return { buyer, orderId: created.orderId as string }
}

const orderOf = (buyer: ApiClient, orderId: string) => ok(buyer.get(`/api/orders/${orderId}`))
const ticketCount = (orderId: string) =>
  env.DB.prepare('SELECT count(*) AS n FROM tickets WHERE order_id = ?').bind(orderId).first<number>('n')
async function netMoney(orderId: string) {
  const received = await env.DB.prepare(
    `SELECT coalesce(sum(amount), 0) AS n FROM payments
     WHERE order_id = ? AND status IN ('succeeded', 'partially_refunded', 'refunded')`,
  )
    .bind(orderId)
    .first<number>('n')
  const returned = await env.DB.prepare(
    `SELECT coalesce(sum(a.amount), 0) AS n FROM refund_allocations a JOIN payments p ON p.id = a.payment_id
     WHERE p.order_id = ? AND a.done_at IS NOT NULL`,
  )
    .bind(orderId)
    .first<number>('n')
  return received! - returned!
}

describe('scenic deposit terms', () => {
  it('answers one validation problem listing every bad field, and saves nothing', async () => {
    const site = await scenicSiteOnSale()
    // An early-bird tier lowers the lowest price the product can be quoted at to 900, below the deposit.
    await ok(
      site.owner.put(`${site.base}/visit-products/${site.childProduct}/pricing`, {
        dates: [],
        tiers: [{ label: 'Early bird', price: 900, minDaysAhead: 7 }],
      }),
    )
    const res = await site.owner.put(depositPath(site, site.childProduct), {
      deposit: {
        amount: DEPOSIT,
        balanceOpensDaysBefore: 1,
        balanceDueDaysBefore: 2,
        reminderLeadMinutes: -5,
        forfeit: 'keep',
      },
    })
    expect(res.status).toBe(400)
    const problem = await problemOf(res)
    expect(problem.code).toBe('validation')
    expect(problem.errors!.map((e: { path: string }) => e.path).sort()).toEqual([
      'json.deposit.amount',
      'json.deposit.balanceOpensDaysBefore',
      'json.deposit.reminderLeadMinutes',
    ])
    expect(
      problem.errors!.find((e: { path: string }) => e.path === 'json.deposit.amount')!.message,
    ).toContain('900')
    expect(await ok(site.owner.get(depositPath(site, site.childProduct)))).toMatchObject({ deposit: null })
  })

  it('turned off (null), the product refuses a deposit order; sold in full it still sells', async () => {
    const site = await depositSite({ dailyCapacity: 5 })
    expect(await ok(site.owner.put(depositPath(site, site.childProduct), { deposit: null }))).toMatchObject({
      deposit: null,
    })
    const buyer = new ApiClient()
    const hold = await ok(holdChild(buyer, site), 201)
    const res = await order(buyer, hold.id, site, true)
    expect(res.status).toBe(409)
    expect((await problemOf(res)).code).toBe('deposit_not_offered')
    const full = await ok(order(buyer, hold.id, site, false), 201)
    expect(full.amountDue).toBe(CHILD_PRICE)
  })
})

describe('a scenic day bought with a deposit', () => {
  it('keeps the place past the hold, issues no ticket until the balance, then the ticket once', async () => {
    const site = await depositSite({})
    // The shop reads the offer off the site: the child ticket has it, the adult gate ticket does not.
    const pub = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}`))
    const depositOn = (id: string) => pub.products.find((p: { id: string }) => p.id === id).deposit
    expect(depositOn(site.childProduct)).toMatchObject({ amount: DEPOSIT, balanceDueDaysBefore: 1 })
    expect(depositOn(site.gateProduct)).toBeNull()
    const { buyer, orderId } = await depositPaid(site)
    let placed = await orderOf(buyer, orderId)
    expect(placed).toMatchObject({ status: 'deposit_paid', amountPaid: DEPOSIT })
    expect(placed.deposit).toMatchObject({
      deposit: DEPOSIT,
      balance: CHILD_PRICE - DEPOSIT,
      balanceDueAt: new Date(visitStarts - DAY).toISOString(),
    })
    expect(await ticketCount(orderId)).toBe(0)
    // The hold's time runs out in the day's actor: the place stays the deposit's; the day (capacity 1) is full.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 30 * 60_000)
    await runDurableObjectAlarm(day(site))
    vi.useRealTimers()
    const other = await holdChild(new ApiClient(), site)
    expect(other.status).toBe(409)
    // The balance: once, whatever the repeats.
    const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
    expect(balance.amountDue).toBe(CHILD_PRICE - DEPOSIT)
    await Promise.all([sandboxPay(buyer, balance.paymentId), sandboxPay(buyer, balance.paymentId)])
    placed = await orderOf(buyer, orderId)
    expect(placed).toMatchObject({ status: 'paid', amountPaid: CHILD_PRICE })
    expect(await ticketCount(orderId)).toBe(1)
    expect((await ok(buyer.get(`/api/orders/${orderId}/tickets`))).items).toHaveLength(1)
  })

  it('forfeits an unpaid balance at the due instant; the place is sold to another visitor', async () => {
    const site = await depositSite({ forfeit: 'refund' })
    const { buyer, orderId } = await depositPaid(site)
    const due = visitStarts - DAY
    await forfeitUnpaidBalances(orderServices(), new Date(due - 1))
    expect((await orderOf(buyer, orderId)).status).toBe('deposit_paid')
    expect((await holdChild(new ApiClient(), site)).status).toBe(409)
    expect((await runScheduledJobs(env, new Date(due))).forfeited).toBeGreaterThanOrEqual(1)
    const forfeited = await orderOf(buyer, orderId)
    expect(forfeited).toMatchObject({ status: 'forfeited', refundedTotal: DEPOSIT })
    expect(await netMoney(orderId)).toBe(0)
    expect(await ticketCount(orderId)).toBe(0)
    // The day (capacity 1) has its place back: another visitor buys it outright.
    const second = new ApiClient()
    const hold = await ok(holdChild(second, site), 201)
    const created = await ok(order(second, hold.id, site, false), 201)
    expect(await sandboxPay(second, created.paymentId)).toMatchObject({ status: 'paid' })
    expect(await ticketCount(created.orderId)).toBe(1)
  })

  it('a balance racing the forfeit ends with exactly one outcome each time', async () => {
    const site = await depositSite({ dailyCapacity: 10, forfeit: 'keep' })
    const due = new Date(visitStarts - DAY)
    const outcomes: string[] = []
    for (const delay of [null, 0, null, 1, 3]) {
      const { buyer, orderId } = await depositPaid(site)
      const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
      await Promise.all([
        sandboxPay(buyer, balance.paymentId),
        delay === null
          ? forfeitUnpaidBalances(orderServices(), due)
          : new Promise((resolve) => setTimeout(resolve, delay)).then(() =>
              forfeitUnpaidBalances(orderServices(), due),
            ),
      ])
      await forfeitUnpaidBalances(orderServices(), due)
      const after = await orderOf(buyer, orderId)
      outcomes.push(after.status)
      if (after.status === 'paid') {
        expect(await ticketCount(orderId)).toBe(1)
        expect(await netMoney(orderId)).toBe(CHILD_PRICE)
      } else {
        expect(after.status).toBe('forfeited')
        expect(await ticketCount(orderId)).toBe(0)
        // The deposit is kept; the balance went back in full.
        expect(await netMoney(orderId)).toBe(DEPOSIT)
      }
    }
    // The day's places: every forfeited one is back, every paid one is kept (10 in all).
    const paid = outcomes.filter((s) => s === 'paid').length
    const free: number[] = []
    for (let i = 0; i < 10 - paid; i++) free.push((await holdChild(new ApiClient(), site)).status)
    expect(free.every((s) => s === 201)).toBe(true)
    expect((await holdChild(new ApiClient(), site)).status).toBe(409)
  })

  it('a refund of a deposit-only order gives back the deposit paid (never the price) and frees the place', async () => {
    const site = await depositSite({})
    const { buyer, orderId } = await depositPaid(site)
    const done = await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, {}), 201)
    expect(done.refund.amount).toBe(DEPOSIT)
    expect(done.order).toMatchObject({ status: 'refunded', amountPaid: DEPOSIT })
    expect(await netMoney(orderId)).toBe(DEPOSIT - done.refund.amount)
    // The day (capacity 1) sells its place again.
    expect((await holdChild(new ApiClient(), site)).status).toBe(201)
  })
})
