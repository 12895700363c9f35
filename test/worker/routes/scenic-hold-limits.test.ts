import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import {
  addSeniorTicket,
  idNumberBornOn,
  idNumberFor,
  ok,
  type ScenicFixture,
  scenicSiteOnSale,
} from '../../support/catalogue.ts'

// Per-client caps on a scenic day's public holds, and late payments that re-acquire an expired hold: both judged
// by the day's actor like any new hold (issue 17).

let keys = 0
const withKey = (k = `scenic-limits-${Date.now()}-${keys++}`) => ({ 'idempotency-key': k })

const holdsPath = (site: ScenicFixture) => `/api/scenic-sites/${site.siteId}/days/${site.date}/holds`
const day = (site: ScenicFixture) =>
  env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${site.siteId}:${site.date}`))

/** A network address no other test uses, so the day's per-network count starts at zero. */
const freshAddress = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`

/** A hold request as it arrives from `address` (Cloudflare's `CF-Connecting-IP`). */
const holdFrom = (buyer: ApiClient, site: ScenicFixture, address: string, lines: unknown[]) =>
  buyer.fetch(holdsPath(site), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': address },
    body: JSON.stringify({ lines }),
  })

/** Timed, non-real-name child gate tickets: no visitor needed. */
const tickets = (site: ScenicFixture, n: number) =>
  Array.from({ length: n }, () => ({ productId: site.childProduct, slot: '09:00' }))

afterEach(() => {
  vi.useRealTimers()
})

describe('security: per-client caps on scenic day holds', () => {
  it('security: many cookie-less holds from one address cannot take the whole day', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 100 })
    const address = freshAddress()
    // 30 buyers without a cookie, all at once, from one address, 2 tickets each.
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => holdFrom(new ApiClient(), site, address, tickets(site, 2))),
    )
    const held = answers.filter((r) => r.status === 201)
    // One address holds at most 12 holds and 24 tickets on a day of 100 (hold-caps.ts, scenic-hold-caps.ts).
    expect(held).toHaveLength(12)
    const refused = answers.filter((r) => r.status !== 201)
    expect(refused.map((r) => r.status)).toEqual(Array(18).fill(429))
    const problem = await problemOf(refused[0]!)
    expect(problem).toMatchObject({ code: 'hold_limit', scope: 'client', limit: { holds: 12, held: 24 } })
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(800)
    const left = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))
    expect(left.remaining).toBe(76)
    // Everyone else still buys: another address, and the partners' channels.
    await ok(holdFrom(new ApiClient(), site, freshAddress(), tickets(site, 2)), 201)
    // A hold of that address ending frees its place under the cap.
    const first = await held[0]!.json<{ id: string }>()
    expect(await day(site).release(site.siteId, site.date, first.id)).toEqual({ released: true })
    await ok(holdFrom(new ApiClient(), site, address, tickets(site, 2)), 201)
    expect((await problemOf(await holdFrom(new ApiClient(), site, address, tickets(site, 1)))).code).toBe(
      'hold_limit',
    )
  })

  it('caps one buyer at 3 active holds and 20 held tickets, and counts again once a hold ends', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 500 })
    const buyer = new ApiClient()
    const address = freshAddress()
    const holds: { id: string }[] = []
    for (let i = 0; i < 3; i++) holds.push(await ok(holdFrom(buyer, site, address, tickets(site, 1)), 201))
    const fourth = await holdFrom(buyer, site, address, tickets(site, 1))
    expect(fourth.status).toBe(429)
    expect(await problemOf(fourth)).toMatchObject({
      code: 'hold_limit',
      scope: 'buyer',
      limit: { holds: 3, held: 20 },
    })
    expect((await buyer.delete(`${holdsPath(site)}/${holds[0]!.id}`)).status).toBe(204)
    const big = await holdFrom(buyer, site, address, tickets(site, 19))
    expect((await problemOf(big)).scope).toBe('buyer') // 2 + 19 tickets is over 20
    await ok(holdFrom(buyer, site, address, tickets(site, 18)), 201)
    // The counts come back from storage after the actor reloads.
    await runInDurableObject(day(site), (instance: object) => Object.assign(instance, { config: undefined }))
    expect((await problemOf(await holdFrom(buyer, site, address, tickets(site, 1)))).scope).toBe('buyer')
  })

  it('does not cap a partner, which sells only its own allocation', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 100, channelQuotas: { ctrip: 30 } })
    for (let i = 0; i < 10; i++) {
      const outcome = await day(site).hold(site.siteId, site.date, {
        holderId: 'partner:ctrip-test',
        channel: 'ctrip',
        lines: tickets(site, 3),
      })
      expect(outcome.ok).toBe(true)
    }
  })
})

const visitor = (n: number) => ({ name: `Visitor ${n}`, idNumber: idNumberFor(n), phone: `1370000${n}` })
const gate = (site: ScenicFixture, v: ReturnType<typeof visitor>) => ({
  productId: site.gateProduct,
  slot: '10:00',
  visitor: v,
})

/** Holds `lines` as `buyer` and creates the order; the order id and its payment id. */
async function pendingOrder(site: ScenicFixture, buyer: ApiClient, lines: unknown[]) {
  const hold = await ok(buyer.post(holdsPath(site), { lines }), 201)
  const created = await ok(
    buyer.fetch('/api/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...withKey() },
      body: JSON.stringify({
        kind: 'scenic',
        siteId: site.siteId,
        date: site.date,
        holdId: hold.id,
        email: 'late@example.com',
      }),
    }),
    201,
  )
  return {
    holdId: hold.id as string,
    orderId: created.orderId as string,
    paymentId: created.paymentId as string,
  }
}

const pay = (buyer: ApiClient, paymentId: string, outcome: 'pay' | 'pay_late') =>
  ok(buyer.post(`/api/payments/sandbox/checkout/${paymentId}/complete`, { outcome }))

describe('security: late payments re-acquire only what a new hold could take', () => {
  it('security: a late payment cannot re-acquire a ticket for an ID number that has one again, nor one the visitor is no longer eligible for', async () => {
    const site = await scenicSiteOnSale()
    // Real-name: A's hold lapses, B buys the same ID number's ticket, then A's payment arrives.
    const v = visitor(901)
    const a = new ApiClient()
    const lapsed = await pendingOrder(site, a, [gate(site, v)])
    expect((await a.delete(`${holdsPath(site)}/${lapsed.holdId}`)).status).toBe(204)
    const b = new ApiClient()
    const bought = await pendingOrder(site, b, [gate(site, v)])
    await pay(b, bought.paymentId, 'pay')
    const late = await pay(a, lapsed.paymentId, 'pay_late')
    expect(late.status).toBe('expired')
    expect(late.statusReason).toMatch(/refunded/)
    const after = await ok(a.get(`/api/orders/${lapsed.orderId}`))
    expect(after.payments[0].status).toBe('refunded')
    expect((await day(site).storedCounts(site.siteId, site.date)).filter((r) => r.status === 'sold')).toEqual(
      [{ status: 'sold', product_id: site.gateProduct, n: 1 }],
    )

    // Eligibility: the senior ticket's rule was raised while the payment was on its way.
    const seniorId = await addSeniorTicket(site)
    // Born in 1962: past 60 on any visit date in these tests, under 70.
    const elder = { name: 'Elder', idNumber: idNumberBornOn('1962-03-15', 123) }
    const c = new ApiClient()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 11_000) // the day's actor re-reads the catalogue on its next hold
    const seniorOrder = await pendingOrder(site, c, [{ productId: seniorId, slot: '10:00', visitor: elder }])
    await ok(site.owner.patch(`${site.base}/visit-products/${seniorId}`, { eligibility: { minAge: 70 } }))
    vi.setSystemTime(Date.now() + 11_000)
    const refused = await pay(c, seniorOrder.paymentId, 'pay_late')
    expect(refused.status).toBe('expired')
    expect(refused.statusReason).toMatch(/refunded/)
    const seniorAfter = await ok(c.get(`/api/orders/${seniorOrder.orderId}`))
    expect(seniorAfter.payments[0].status).toBe('refunded')
    expect(seniorAfter.lines.every((l: { ticket: unknown }) => l.ticket === null)).toBe(true)
  })

  it('re-acquires a lapsed hold that still passes, within the buyer’s caps like a new hold', async () => {
    const site = await scenicSiteOnSale()
    const buyer = new ApiClient()
    const first = await pendingOrder(site, buyer, [gate(site, visitor(911))])
    const paid = await pay(buyer, first.paymentId, 'pay_late')
    expect(paid.status).toBe('paid')
    expect(paid.statusReason).toMatch(/still free/)

    // The same buyer now has three other holds: a fourth could not be made, so it is not re-acquired either.
    const lapsed = await pendingOrder(site, buyer, [gate(site, visitor(912))])
    expect((await buyer.delete(`${holdsPath(site)}/${lapsed.holdId}`)).status).toBe(204)
    for (let i = 0; i < 3; i++) await ok(buyer.post(holdsPath(site), { lines: tickets(site, 1) }), 201)
    const refused = await pay(buyer, lapsed.paymentId, 'pay_late')
    expect(refused.status).toBe('expired')
    expect(refused.statusReason).toMatch(/refunded/)
  })
})
