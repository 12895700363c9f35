import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { grantCoupon } from '../../../worker/services/coupons/index.ts'
import { lapseUnpaidOrder } from '../../../worker/services/orders/index.ts'
import { type ApiClient, problemOf } from '../../support/api.ts'
import {
  gridChart,
  idNumberFor,
  ok,
  type ShowFixture,
  scenicSiteOnSale,
  showOnSale,
} from '../../support/catalogue.ts'
import { AddressedClient, signedInCustomer, uniqueAddress } from '../../support/clients.ts'
import { orderServices, postWithKey, sandboxPay } from '../../support/orders.ts'

// Coupons over real requests: the organizer makes them in the admin API, buyers quote and order with their codes,
// and the caps hold whatever the interleaving, because each use is reserved under guards in the order's own batch.

type Coupon = Record<string, any>

const couponOf = (show: ShowFixture, body: Record<string, unknown>) =>
  ok<Coupon>(
    show.owner.post(`${show.base}/coupons`, {
      title: '满100减20',
      kind: 'amount_off',
      amountOff: 2000,
      ...body,
    }),
    201,
  )

async function holdSeats(show: ShowFixture, buyer: ApiClient, count = 1, category = 'A') {
  return ok(buyer.post(`/api/shows/${show.showId}/holds`, { best: { category, quantity: count } }), 201)
}

const order = (show: ShowFixture, buyer: ApiClient, holdId: string, couponCode?: string, extra = {}) =>
  postWithKey(buyer, '/api/orders', {
    kind: 'show',
    showId: show.showId,
    holdId,
    email: 'buyer@example.com',
    ...(couponCode ? { couponCode } : {}),
    ...extra,
  })

const quote = (show: ShowFixture, buyer: ApiClient, holdId: string, couponCode: string) =>
  buyer.post('/api/coupons/quote', { kind: 'show', showId: show.showId, holdId, couponCode })

const counters = async (show: ShowFixture, id: string) =>
  (await ok<Coupon>(show.owner.get(`${show.base}/coupons/${id}`))).counters

const ordersWithCoupon = async (couponId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM order_discounts WHERE source = 'coupon' AND ref = ?")
    .bind(couponId)
    .first<{ n: number }>())!.n

/** A fresh buyer from an address of its own (so per-network hold caps never get in the way). */
const buyer = () => new AddressedClient(uniqueAddress())

async function codeRefused(show: ShowFixture, code: string, client: ApiClient = buyer()) {
  const hold = await holdSeats(show, client)
  return (await problemOf(await order(show, client, hold.id, code))).code
}

describe('coupons: the admin API', () => {
  it('refuses negative amounts, a percentage over 100 and caps below one, field by field, saving nothing', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const res = await show.owner.post(`${show.base}/coupons`, {
      title: '坏券',
      kind: 'percent_off',
      percentOff: 150,
      maxOff: -1,
      minSpend: -100,
      totalCap: -3,
      code: 'x',
    })
    const problem = await problemOf(res)
    expect(problem.code).toBe('validation')
    expect((problem.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(
      ['json.code', 'json.maxOff', 'json.minSpend', 'json.percentOff', 'json.totalCap'].sort(),
    )
    const list = await ok(show.owner.get(`${show.base}/coupons`))
    expect(list.items).toEqual([])
    const made = await couponOf(show, { code: 'spring-2026', titleEn: '¥20 off ¥100' })
    expect(made).toMatchObject({ code: 'SPRING2026', titleEn: '¥20 off ¥100', disabled: false })
    expect(
      (
        await problemOf(
          await show.owner.post(`${show.base}/coupons`, {
            title: 'b',
            kind: 'amount_off',
            amountOff: 1,
            code: 'SPRING2026',
          }),
        )
      ).code,
    ).toBe('validation')
    // Gate staff cannot see coupons.
    expect((await show.gate.get(`${show.base}/coupons`)).status).toBe(403)
  })
})

describe('coupons at checkout', () => {
  it('quotes the lower price live, reserving nothing, and the order charges exactly that, line by line', async () => {
    const show = await showOnSale(gridChart(1, 10))
    await couponOf(show, {
      code: 'TENOFF',
      kind: 'percent_off',
      amountOff: null,
      percentOff: 10,
      totalCap: 1,
    })
    const client = buyer()
    const hold = await holdSeats(show, client, 3)
    const priced = await ok(quote(show, client, hold.id, 'tenoff'))
    expect(priced).toMatchObject({ subtotal: 30000, discount: 3000, total: 27000 })
    expect(priced.lines.map((l: { pays: number }) => l.pays)).toEqual([9000, 9000, 9000])
    // A quote reserves nothing: the cap of 1 is still free for the order.
    await ok(quote(show, client, hold.id, 'TENOFF'))
    const created = await ok(order(show, client, hold.id, 'TEN-OFF'), 201)
    expect(created.amountDue).toBe(27000)
    const view = await ok(client.get(`/api/orders/${created.orderId}`))
    expect(view.lines.map((l: { discount: number }) => l.discount)).toEqual([1000, 1000, 1000])
    expect(view.discounts[0]).toMatchObject({ source: 'coupon', label: '满100减20', amount: 3000 })
    await sandboxPay(client, created.paymentId)
    const refund = await ok(
      postWithKey(client, `/api/orders/${created.orderId}/refunds`, { lineIds: [view.lines[1].id] }),
      201,
    )
    expect(refund.refund.amount).toBe(9000)
  })

  it('race: a code capped at 20 used by 200 concurrent checkouts; exactly 20 orders carry it', async () => {
    const show = await showOnSale(gridChart(10, 20))
    const coupon = await couponOf(show, { code: 'RUSH20', totalCap: 20 })
    const buyers = Array.from({ length: 200 }, buyer)
    const holds: Record<string, any>[] = []
    for (let k = 0; k < buyers.length; k += 50)
      holds.push(...(await Promise.all(buyers.slice(k, k + 50).map((b) => holdSeats(show, b)))))
    const answers = await Promise.all(buyers.map((b, i) => order(show, b, holds[i]!.id, 'RUSH20')))
    const created = answers.filter((r) => r.status === 201)
    const refused = await Promise.all(answers.filter((r) => r.status !== 201).map((r) => problemOf(r)))
    expect(created).toHaveLength(20)
    expect(new Set(refused.map((p) => p.code))).toEqual(new Set(['coupon_exhausted']))
    expect(await ordersWithCoupon(coupon.id)).toBe(20)
    expect(await counters(show, coupon.id)).toEqual({ reserved: 20, used: 0, returned: 0, remaining: 0 })
  })

  it('race: a single-use code raced by 10 buyers; one order has it', async () => {
    const show = await showOnSale(gridChart(1, 20))
    const coupon = await couponOf(show, {})
    await ok(show.owner.post(`${show.base}/coupons/${coupon.id}/codes`, { count: 3 }), 201)
    const csv = await (await show.owner.get(`${show.base}/coupons/${coupon.id}/codes.csv`)).text()
    const code = csv.split('\r\n')[1]!.split(',')[0]!
    const buyers = Array.from({ length: 10 }, buyer)
    const holds = await Promise.all(buyers.map((b) => holdSeats(show, b)))
    const answers = await Promise.all(buyers.map((b, i) => order(show, b, holds[i]!.id, code.toLowerCase())))
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1)
    expect(await ordersWithCoupon(coupon.id)).toBe(1)
    // Used, the code refuses the next buyer with a clear answer.
    expect(await codeRefused(show, code)).toBe('coupon_exhausted')
  })

  it('per-customer cap: signed in, once; guests are asked to sign in', async () => {
    const show = await showOnSale(gridChart(1, 10))
    await couponOf(show, { code: 'ONCEEACH', perCustomerCap: 1 })
    const customer = await signedInCustomer(uniqueAddress())
    const first = await holdSeats(show, customer)
    await ok(order(show, customer, first.id, 'ONCEEACH'), 201)
    expect(await codeRefused(show, 'ONCEEACH', customer)).toBe('coupon_limit_reached')
    expect(await codeRefused(show, 'ONCEEACH')).toBe('sign_in_required')
    const other = await signedInCustomer(uniqueAddress())
    const hold = await holdSeats(show, other)
    await ok(order(show, other, hold.id, 'ONCEEACH'), 201)
  })

  it('an unpaid order that expires gives its use back: then another buyer can use it', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const coupon = await couponOf(show, { code: 'LASTONE', totalCap: 1 })
    const first = buyer()
    const hold = await holdSeats(show, first)
    const pending = await ok(order(show, first, hold.id, 'LASTONE'), 201)
    const second = buyer()
    const held = await holdSeats(show, second)
    expect((await problemOf(await quote(show, second, held.id, 'LASTONE'))).code).toBe('coupon_exhausted')
    await lapseUnpaidOrder(orderServices(), pending.orderId)
    expect(await counters(show, coupon.id)).toEqual({ reserved: 0, used: 0, returned: 1, remaining: 1 })
    const created = await ok(order(show, second, held.id, 'LASTONE'), 201)
    await sandboxPay(second, created.paymentId)
    expect(await counters(show, coupon.id)).toEqual({ reserved: 0, used: 1, returned: 1, remaining: 0 })
  })

  for (const capLeft of [false, true])
    it(`a late payment of an expired order ${capLeft ? 'keeps its tickets while the cap has room' : 'is refunded when its coupon was used up meanwhile'}`, async () => {
      const show = await showOnSale(gridChart(1, 10))
      const coupon = await couponOf(show, { code: 'LATEPAY', totalCap: capLeft ? 2 : 1 })
      const late = buyer()
      const seat = (i: number) => ({ seatIds: [show.seatIds[i]] })
      const hold = await ok(late.post(`/api/shows/${show.showId}/holds`, seat(0)), 201)
      const pending = await ok(order(show, late, hold.id, 'LATEPAY'), 201)
      await lapseUnpaidOrder(orderServices(), pending.orderId)
      // Meanwhile another buyer, on another seat, takes the use the expired order gave back.
      const other = buyer()
      const held = await ok(other.post(`/api/shows/${show.showId}/holds`, seat(5)), 201)
      const created = await ok(order(show, other, held.id, 'LATEPAY'), 201)
      await sandboxPay(other, created.paymentId)
      // The late payment arrives.
      await sandboxPay(late, pending.paymentId)
      const after = await ok(late.get(`/api/orders/${pending.orderId}`))
      if (capLeft) {
        expect(after.status).toBe('paid')
        expect(await counters(show, coupon.id)).toMatchObject({ used: 2, remaining: 0 })
      } else {
        expect(after.status).toBe('expired')
        expect(after.statusReasonCode).toBe('paid_late_offer_gone')
        expect(after.refundedTotal).toBe(after.total)
        expect(after.lines.every((l: { ticket: unknown }) => l.ticket === null)).toBe(true)
        expect(await counters(show, coupon.id)).toMatchObject({ used: 1, remaining: 0 })
        // The seat went back on sale: the late buyer's seat can be held again.
        const again = await ok(
          buyer().post(`/api/shows/${show.showId}/holds`, { seatIds: [after.lines[0].inventoryRef] }),
          201,
        )
        expect(again.seats).toHaveLength(1)
      }
    })

  for (const returnOnRefund of [true, false])
    it(`a full refund ${returnOnRefund ? 'gives the use back (returnOnRefund)' : 'keeps the use'}`, async () => {
      const show = await showOnSale(gridChart(1, 10))
      const coupon = await couponOf(show, { code: 'REFUNDME', totalCap: 1, returnOnRefund })
      const first = buyer()
      const hold = await holdSeats(show, first, 2)
      const created = await ok(order(show, first, hold.id, 'REFUNDME'), 201)
      await sandboxPay(first, created.paymentId)
      const refund = await ok(postWithKey(first, `/api/orders/${created.orderId}/refunds`, {}), 201)
      expect(refund.refund.amount).toBe(18000)
      const after = await counters(show, coupon.id)
      expect(after.remaining).toBe(returnOnRefund ? 1 : 0)
      const next = buyer()
      const again = await holdSeats(show, next)
      const res = await order(show, next, again.id, 'REFUNDME')
      if (returnOnRefund) expect(res.status).toBe(201)
      else expect((await problemOf(res)).code).toBe('coupon_exhausted')
    })

  it('scope, minimum spend, window and withdrawal each answer their problem, and nothing is ordered', async () => {
    const show = await showOnSale(gridChart(2, 10, ['A', 'B']))
    await couponOf(show, { code: 'ONLYB', scope: { categories: ['B'] } })
    await couponOf(show, { code: 'BIGSPEND', minSpend: 50000 })
    await couponOf(show, { code: 'LATER', startsAt: new Date(Date.now() + 86_400_000).toISOString() })
    await couponOf(show, { code: 'ENDED', endsAt: new Date(Date.now() - 1000).toISOString() })
    const gone = await couponOf(show, { code: 'WITHDRAWN' })
    await ok(
      show.owner.put(`${show.base}/coupons/${gone.id}`, {
        title: 'x',
        kind: 'amount_off',
        amountOff: 2000,
        code: 'WITHDRAWN',
        disabled: true,
      }),
    )
    expect(await codeRefused(show, 'ONLYB')).toBe('coupon_not_applicable')
    expect(await codeRefused(show, 'BIGSPEND')).toBe('coupon_not_applicable')
    expect(await codeRefused(show, 'LATER')).toBe('coupon_expired')
    expect(await codeRefused(show, 'ENDED')).toBe('coupon_expired')
    expect(await codeRefused(show, 'WITHDRAWN')).toBe('coupon_invalid')
    expect(await codeRefused(show, 'NOSUCHCODE')).toBe('coupon_invalid')
    // In scope, the B seat alone takes the discount.
    const client = buyer()
    const b = await holdSeats(show, client, 1, 'B')
    const created = await ok(order(show, client, b.id, 'ONLYB'), 201)
    expect(created.amountDue).toBe(18000)
    const count = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE organizer_id = ?')
      .bind(show.organizerId)
      .first<{ n: number }>()
    expect(count!.n).toBe(1)
  })

  it('10,000 single-use codes, unique, exported as CSV; any of them works typed as a buyer would', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const coupon = await couponOf(show, {})
    const made = await ok(show.owner.post(`${show.base}/coupons/${coupon.id}/codes`, { count: 10_000 }), 201)
    expect(made.count).toBe(10_000)
    const res = await show.owner.get(`${show.base}/coupons/${coupon.id}/codes.csv`)
    expect(res.headers.get('content-type')).toMatch(/text\/csv/)
    const rows = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
    expect(rows[0]).toBe('code,kind,batch,uses,createdAt')
    const codes = rows.slice(1).map((r) => r.split(',')[0]!)
    expect(codes).toHaveLength(10_000)
    expect(new Set(codes).size).toBe(10_000)
    for (const code of codes)
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/)
    expect((await ok(show.owner.get(`${show.base}/coupons/${coupon.id}`))).singleUseCodes).toBe(10_000)
    const client = buyer()
    const hold = await holdSeats(show, client)
    const typed = codes[7_777]!.toLowerCase().replace(/-/g, ' ')
    expect((await ok(quote(show, client, hold.id, typed))).total).toBe(8000)
    expect(
      (await problemOf(await show.owner.post(`${show.base}/coupons/${coupon.id}/codes`, { count: 10_001 })))
        .code,
    ).toBe('validation')
  })

  it('a coupon granted to a customer is in their coupons, works only for them, once', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const coupon = await couponOf(show, { title: '退款补偿券', titleEn: 'Refund voucher' })
    const customer = await signedInCustomer(uniqueAddress())
    const grant = {
      organizerId: show.organizerId,
      couponId: coupon.id,
      customerId: customer.customerId,
      source: 'admin',
      key: `test:${coupon.id}`,
    }
    const granted = await grantCoupon(openDatabase(env.DB), grant)
    expect(await grantCoupon(openDatabase(env.DB), grant)).toEqual(granted)
    const mine = await ok(customer.get(`/api/coupons/mine?organizerId=${show.organizerId}`))
    expect(mine.items).toHaveLength(1)
    expect(mine.items[0]).toMatchObject({
      title: '退款补偿券',
      titleEn: 'Refund voucher',
      state: 'available',
      amountOff: 2000,
    })
    expect((await problemOf(await buyer().get('/api/coupons/mine'))).code).toBe('unauthorized')
    const stranger = await signedInCustomer(uniqueAddress())
    expect(await codeRefused(show, mine.items[0].code, stranger)).toBe('coupon_invalid')
    const hold = await holdSeats(show, customer)
    await ok(order(show, customer, hold.id, mine.items[0].code), 201)
    expect((await ok(customer.get('/api/coupons/mine'))).items[0].state).toBe('used')
  })

  it('scenic: a coupon for the cable car only takes that line off, in the quote and in the order', async () => {
    const site = await scenicSiteOnSale()
    await ok(
      site.owner.post(`${site.base}/coupons`, {
        title: '索道半价',
        kind: 'percent_off',
        percentOff: 50,
        code: 'CABLEHALF',
        scope: { productIds: [site.cableCarProduct] },
      }),
      201,
    )
    const client = buyer()
    const visitor = { name: 'Li Lei', idNumber: idNumberFor(41), phone: '13800000041' }
    const hold = await ok(
      client.post(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, {
        lines: [
          { productId: site.gateProduct, slot: '09:00', visitor },
          { productId: site.cableCarProduct, visitor },
        ],
      }),
      201,
    )
    const body = { kind: 'scenic', siteId: site.siteId, date: site.date, holdId: hold.id }
    const priced = await ok(client.post('/api/coupons/quote', { ...body, couponCode: 'cablehalf' }))
    expect(priced.lines.map((l: { discount: number }) => l.discount)).toEqual([0, 4000])
    expect(priced.total).toBe(16000)
    const created = await ok(
      postWithKey(client, '/api/orders', { ...body, couponCode: 'CABLEHALF', phone: '13800000041' }),
      201,
    )
    expect(created.amountDue).toBe(16000)
    expect(created.order.lines.map((l: { price: number }) => l.price)).toEqual([12000, 4000])
  })
})
