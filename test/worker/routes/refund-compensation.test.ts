import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { orders } from '../../../worker/db/schema.ts'
import { refundCompensationSubscriber } from '../../../worker/services/coupons/index.ts'
import type { OrderEvent } from '../../../worker/services/order-events/index.ts'
import { claimRefund, finishRefund } from '../../../worker/services/orders/refund-claims.ts'
import { publishOutbox } from '../../../worker/services/webhooks/outbox-publisher.ts'
import { type ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, type ShowFixture, scenicSiteOnSale, showOnSale } from '../../support/catalogue.ts'
import { AddressedClient, signedInCustomer, uniqueAddress } from '../../support/clients.ts'
import { idempotencyKey, orderServices, payForHold, postWithKey, refundsOf } from '../../support/orders.ts'

// Refund as coupon (优惠券补偿) over real requests: the organizer sets a coupon on the event, the signed-in buyer
// sees it on the refund quote, chooses it, and finds it in "my coupons" once the refund has succeeded; the cash
// refund is the same whichever they choose, and the coupon is granted once per refund, never without one.

type Json = Record<string, any>

/** A show 48 h away: the default policy deducts a 20% fee (¥20 of a ¥100 seat). */
async function showWithCompensation(mode: 'instead_of_fee' | 'on_top', startsInHours = 48) {
  const show = await showOnSale(gridChart(1, 10), { startsInHours })
  const coupon = await ok(
    show.owner.post(`${show.base}/coupons`, {
      title: '退票补偿券 满100减30',
      titleEn: 'Refund voucher ¥30 off ¥100',
      kind: 'amount_off',
      amountOff: 3000,
      minSpend: 10000,
    }),
    201,
  )
  const setting = await ok(
    show.owner.put(`${show.base}/events/${show.eventId}/refund-compensation`, {
      compensation: { couponId: coupon.id, mode },
    }),
  )
  expect(setting).toEqual({ compensation: { couponId: coupon.id, mode } })
  return { show, coupon }
}

async function paidOrder(show: ShowFixture, buyer: ApiClient, seat = 0) {
  const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[seat]] }), 201)
  return payForHold(buyer, { kind: 'show', showId: show.showId, holdId: hold.id })
}

const myCoupons = async (customer: ApiClient, organizerId: string) =>
  (await ok(customer.get(`/api/coupons/mine?organizerId=${organizerId}`))).items as Json[]

const grantsOf = async (couponId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM coupon_codes WHERE coupon_id = ? AND kind = 'grant'")
    .bind(couponId)
    .first<{ n: number }>())!.n

const publish = () => publishOutbox(openDatabase(env.DB), env.WEBHOOK_QUEUE)

async function refundedEvent(refundId: string): Promise<OrderEvent> {
  const row = await env.DB.prepare(
    'SELECT id, topic, organizer_id AS organizerId, payload, created_at AS createdAt FROM outbox_events WHERE id = ?',
  )
    .bind(`evt_${refundId}`)
    .first<Json>()
  return { ...row, payload: JSON.parse(row!.payload) } as OrderEvent
}

describe('refund as coupon', () => {
  it('offers the coupon instead of the fee; chosen, the cash is as quoted and the coupon lands once in my coupons', async () => {
    const { show, coupon } = await showWithCompensation('instead_of_fee')
    const customer = await signedInCustomer(uniqueAddress())
    const order = await paidOrder(show, customer)
    const quote = await ok(customer.get(`/api/orders/${order.id}/refund-quote`))
    expect(quote).toMatchObject({
      allowed: true,
      amount: 8000,
      fee: 2000,
      compensation: {
        couponId: coupon.id,
        mode: 'instead_of_fee',
        title: '退票补偿券 满100减30',
        titleEn: 'Refund voucher ¥30 off ¥100',
        kind: 'amount_off',
        amountOff: 3000,
        minSpend: 10000,
      },
    })
    const key = idempotencyKey()
    const path = `/api/orders/${order.id}/refunds`
    const done = await ok(postWithKey(customer, path, { compensation: 'coupon' }, key), 201)
    expect(done.refund).toMatchObject({ amount: 8000, fee: 2000, status: 'succeeded' })
    // The same request again (a retry) replays the answer: one refund, one coupon.
    const replay = await postWithKey(customer, path, { compensation: 'coupon' }, key)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    await publish()
    // The event handled twice more (a crash before it was marked published, the cron): still one coupon.
    const event = await refundedEvent(done.refund.id)
    await refundCompensationSubscriber.handle(openDatabase(env.DB), event)
    await refundCompensationSubscriber.handle(openDatabase(env.DB), event)
    expect(await refundsOf(order.id)).toHaveLength(1)
    expect(await grantsOf(coupon.id)).toBe(1)
    const mine = await myCoupons(customer, show.organizerId)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ title: '退票补偿券 满100减30', amountOff: 3000, state: 'available' })

    // And it works at the next checkout: ¥30 off a ¥100 seat.
    const hold = await ok(
      customer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[5]] }),
      201,
    )
    const priced = await ok(
      customer.post('/api/coupons/quote', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        couponCode: mine[0]!.code,
      }),
    )
    expect(priced.total).toBe(7000)
  })

  it('declined, the refund is the same cash and no coupon is granted', async () => {
    const { show, coupon } = await showWithCompensation('instead_of_fee')
    const customer = await signedInCustomer(uniqueAddress())
    const order = await paidOrder(show, customer)
    const done = await ok(
      postWithKey(customer, `/api/orders/${order.id}/refunds`, { compensation: 'none' }),
      201,
    )
    expect(done.refund).toMatchObject({ amount: 8000, fee: 2000 })
    await publish()
    await refundCompensationSubscriber.handle(openDatabase(env.DB), await refundedEvent(done.refund.id))
    expect(await grantsOf(coupon.id)).toBe(0)
    expect(await myCoupons(customer, show.organizerId)).toEqual([])
  })

  it('instead of the fee: not offered when the refund deducts no fee; on top: offered with every refund', async () => {
    const free = await showWithCompensation('instead_of_fee', 30 * 24)
    const customer = await signedInCustomer(uniqueAddress())
    const order = await paidOrder(free.show, customer)
    expect(await ok(customer.get(`/api/orders/${order.id}/refund-quote`))).toMatchObject({
      fee: 0,
      compensation: null,
    })
    const refused = await postWithKey(customer, `/api/orders/${order.id}/refunds`, { compensation: 'coupon' })
    expect(refused.status).toBe(409)
    expect((await problemOf(refused)).code).toBe('compensation_not_offered')
    expect(await refundsOf(order.id)).toEqual([])

    const onTop = await showWithCompensation('on_top', 30 * 24)
    const other = await paidOrder(onTop.show, customer)
    expect(await ok(customer.get(`/api/orders/${other.id}/refund-quote`))).toMatchObject({
      amount: 10000,
      fee: 0,
      compensation: { couponId: onTop.coupon.id, mode: 'on_top' },
    })
    const done = await ok(
      postWithKey(customer, `/api/orders/${other.id}/refunds`, { compensation: 'coupon' }),
      201,
    )
    expect(done.refund).toMatchObject({ amount: 10000, fee: 0 })
    await publish()
    expect((await myCoupons(customer, onTop.show.organizerId)).map((c) => c.couponId)).toEqual([
      onTop.coupon.id,
    ])
  })

  it('is never offered to a guest, and a guest choosing it gets a problem with nothing refunded', async () => {
    const { show } = await showWithCompensation('instead_of_fee')
    const guest = new AddressedClient(uniqueAddress())
    const order = await paidOrder(show, guest)
    expect(await ok(guest.get(`/api/orders/${order.id}/refund-quote`))).toMatchObject({
      allowed: true,
      fee: 2000,
      compensation: null,
    })
    const refused = await postWithKey(guest, `/api/orders/${order.id}/refunds`, { compensation: 'coupon' })
    expect((await problemOf(refused)).code).toBe('compensation_not_offered')
    expect(await refundsOf(order.id)).toEqual([])
    expect((await ok(guest.get(`/api/orders/${order.id}`))).status).toBe('paid')
    const bad = await postWithKey(guest, `/api/orders/${order.id}/refunds`, { compensation: 'cash' })
    expect((await problemOf(bad)).code).toBe('validation')
    expect(await refundsOf(order.id)).toEqual([])
  })

  it('a refund refused by the policy or raced by a second one grants nothing more than one coupon', async () => {
    const late = await showWithCompensation('on_top', 10)
    const customer = await signedInCustomer(uniqueAddress())
    const order = await paidOrder(late.show, customer)
    expect(await ok(customer.get(`/api/orders/${order.id}/refund-quote`))).toMatchObject({ allowed: false })
    const refused = await postWithKey(customer, `/api/orders/${order.id}/refunds`, { compensation: 'coupon' })
    expect(refused.status).toBe(409)
    expect(await refundsOf(order.id)).toEqual([])

    const { show, coupon } = await showWithCompensation('instead_of_fee')
    const raced = await paidOrder(show, customer)
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        postWithKey(customer, `/api/orders/${raced.id}/refunds`, { compensation: 'coupon' }),
      ),
    )
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1)
    await publish()
    expect(await refundsOf(raced.id)).toHaveLength(1)
    expect(await grantsOf(coupon.id)).toBe(1)
    expect(await grantsOf(late.coupon.id)).toBe(0)
  })

  it('grants only once the refund has succeeded: a pending refund gets nothing, its finish gets one', async () => {
    const { show, coupon } = await showWithCompensation('instead_of_fee')
    const customer = await signedInCustomer(uniqueAddress())
    const order = await paidOrder(show, customer)
    const db = openDatabase(env.DB)
    const [row] = await db.select().from(orders).where(eq(orders.id, order.id))
    const refundId = `rf_test_${order.id}`
    // The first half of a refund whose worker stopped before the money went back.
    const claimed = await claimRefund(orderServices(), row!, {
      refundId,
      lineIds: [order.lines[0].id],
      amount: 8000,
      fee: 2000,
      reason: 'test',
      requestedBy: `customer:${customer.customerId}`,
      compensationCouponId: coupon.id,
      requireTicketed: true,
    })
    expect(claimed).toBe(true)
    const early = {
      id: `evt_${refundId}`,
      topic: 'order.refunded',
      organizerId: show.organizerId,
      payload: { refundId },
      createdAt: new Date().toISOString(),
    }
    await refundCompensationSubscriber.handle(db, early as OrderEvent)
    expect(await grantsOf(coupon.id)).toBe(0)
    // Reconciliation finishes it: the event is written with the refund's success, and the coupon follows once.
    await finishRefund(orderServices(), refundId)
    await finishRefund(orderServices(), refundId)
    await publish()
    expect(await grantsOf(coupon.id)).toBe(1)
    expect((await myCoupons(customer, show.organizerId))[0]).toMatchObject({ couponId: coupon.id })
  })
})

describe('refund as coupon: the organizer setting', () => {
  it('per event and per scenic site, with one of the organizer’s own coupons; off again with null', async () => {
    const { show, coupon } = await showWithCompensation('on_top')
    const eventPath = `${show.base}/events/${show.eventId}/refund-compensation`
    expect(await ok(show.owner.get(eventPath))).toEqual({
      compensation: { couponId: coupon.id, mode: 'on_top' },
    })
    const site = await scenicSiteOnSale()
    const foreign = await show.owner.put(eventPath, {
      compensation: { couponId: 'cpn_nope', mode: 'on_top' },
    })
    expect((await problemOf(foreign)).code).toBe('validation')
    // Another organizer's event is not there for this one.
    expect((await site.owner.get(`${site.base}/events/${show.eventId}/refund-compensation`)).status).toBe(404)
    const siteCoupon = await ok(
      site.owner.post(`${site.base}/coupons`, { title: '下次游园减20', kind: 'amount_off', amountOff: 2000 }),
      201,
    )
    const sitePath = `${site.base}/scenic-sites/${site.siteId}/refund-compensation`
    expect(await ok(site.owner.get(sitePath))).toEqual({ compensation: null })
    await ok(site.owner.put(sitePath, { compensation: { couponId: siteCoupon.id, mode: 'on_top' } }))
    expect((await ok(site.owner.get(sitePath))).compensation.couponId).toBe(siteCoupon.id)
    // A scenic refund (free until the site opens) offers it to a signed-in visitor.
    const customer = await signedInCustomer(uniqueAddress())
    const visitor = { name: 'Li Lei', idNumber: '11010519491231002X', phone: '13800000041' }
    const hold = await ok(
      customer.post(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, {
        lines: [{ productId: site.gateProduct, slot: '09:00', visitor }],
      }),
      201,
    )
    const visit = await payForHold(customer, {
      kind: 'scenic',
      siteId: site.siteId,
      date: site.date,
      holdId: hold.id,
    })
    expect((await ok(customer.get(`/api/orders/${visit.id}/refund-quote`))).compensation).toMatchObject({
      couponId: siteCoupon.id,
      title: '下次游园减20',
    })
    expect(await ok(site.owner.put(sitePath, { compensation: null }))).toEqual({ compensation: null })
    expect((await ok(customer.get(`/api/orders/${visit.id}/refund-quote`))).compensation).toBeNull()
  })
})
