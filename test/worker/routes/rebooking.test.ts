import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import {
  gridChart,
  idNumberFor,
  ok,
  scenicSiteOnSale,
  shanghaiDate,
  showOnSale,
} from '../../support/catalogue.ts'
import { rebookToBest, sameEventShow } from '../../support/orders.ts'

let keys = 0
const key = () => `rebook-${Date.now()}-${keys++}`
const postWithKey = (client: ApiClient, path: string, body: unknown) =>
  client.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key() },
    body: JSON.stringify(body),
  })
const counts = (showId: string) =>
  env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId)).counts(showId)

async function paid(buyer: ApiClient, body: Record<string, unknown>) {
  const created = await ok(postWithKey(buyer, '/api/orders', { ...body, email: 'rebook@example.com' }), 201)
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  return ok(buyer.get(`/api/orders/${created.orderId}`))
}

/** A ten-seat show on sale and a buyer's paid order for its first two seats. */
async function twoSeatsPaid() {
  const show = await showOnSale(gridChart(1, 10))
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 2) }),
    201,
  )
  const original = await paid(buyer, { kind: 'show', showId: show.showId, holdId: hold.id })
  return { show, buyer, original }
}

/** Both paid seats moved, best available, to another show of the event at `price` a seat: the rebooking's answer. */
async function bothSeatsRebooked(price: number) {
  const { show, buyer, original } = await twoSeatsPaid()
  const later = await sameEventShow(show, price)
  const rebooked = await rebookToBest(buyer, original.id, later, 2)
  return { show, buyer, original, later, rebooked }
}

describe('rebooking (改签)', () => {
  it('moves seats to a dearer show: pays the difference, then the old tickets are revoked and seats returned', async () => {
    const { show, buyer, original } = await twoSeatsPaid()
    const later = await sameEventShow(show, 15000)
    const laterSeats = (await ok(buyer.get(`/api/shows/${later}/seat-map`))).seats.map(
      (s: { id: string }) => s.id,
    )
    const newHold = await ok(
      buyer.post(`/api/shows/${later}/holds`, { seatIds: laterSeats.slice(4, 6) }),
      201,
    )
    const rebooked = await ok(
      postWithKey(buyer, `/api/orders/${original.id}/rebook`, { holdId: newHold.id, showId: later }),
      201,
    )
    expect(rebooked.amountDue).toBe(10000)
    // Until the difference is paid, the old tickets stay valid.
    expect((await ok(buyer.get(`/api/orders/${original.id}`))).status).toBe('paid')
    await ok(buyer.post(`/api/payments/sandbox/checkout/${rebooked.paymentId}/complete`, { outcome: 'pay' }))
    const fresh = await ok(buyer.get(`/api/orders/${rebooked.orderId}`))
    expect(fresh).toMatchObject({ status: 'paid', total: 30000, rebookOf: original.id })
    expect(fresh.lines.every((l: { ticket: { status: string } }) => l.ticket.status === 'valid')).toBe(true)
    const old = await ok(buyer.get(`/api/orders/${original.id}`))
    expect(old.status).toBe('cancelled')
    expect(old.statusReason).toContain(fresh.number)
    // The apps localize the reason from its code and params, never from the English text.
    expect(old).toMatchObject({
      statusReasonCode: 'rebooked_to',
      statusReasonParams: { order: fresh.number },
    })
    expect(
      old.lines.map((l: { status: string; ticket: { status: string } }) => [l.status, l.ticket.status]),
    ).toEqual([
      ['rebooked', 'revoked'],
      ['rebooked', 'revoked'],
    ])
    expect((await counts(show.showId)).memory).toMatchObject({ sold: 0, free: 10 })
    expect((await counts(later)).memory).toMatchObject({ sold: 2 })
  })

  it('refunds a rebooking whose replaced order no longer holds its lines’ money, instead of failing the payment', async () => {
    const { buyer, original, later, rebooked } = await bothSeatsRebooked(15000)
    // The state a refund racing this payment would leave if read half before and half after it: the lines still
    // active, the money already out (before the fix the confirmation threw and the payment answered 500).
    await env.DB.prepare(
      "UPDATE payments SET refunded_amount = amount, status = 'refunded' WHERE order_id = ?",
    )
      .bind(original.id)
      .run()
    const res = await buyer.post(`/api/payments/sandbox/checkout/${rebooked.paymentId}/complete`, {
      outcome: 'pay',
    })
    expect(res.status).toBe(200)
    const fresh = await ok(buyer.get(`/api/orders/${rebooked.orderId}`))
    expect(fresh.status).not.toBe('paid')
    expect(fresh.statusReasonCode).toBe('rebook_replaced_gone_refunded')
    expect(fresh.lines.every((l: { ticket: unknown }) => l.ticket === null)).toBe(true)
    // The buyer's new payment goes back in full, and nothing was carried from the replaced order.
    expect(fresh.refunds.map((r: { amount: number; status: string }) => [r.amount, r.status])).toEqual([
      [rebooked.amountDue, 'succeeded'],
    ])
    expect(fresh.payments.filter((p: { provider: string }) => p.provider === 'credit')).toEqual([])
    const old = await ok(buyer.get(`/api/orders/${original.id}`))
    expect(old.lines.map((l: { status: string }) => l.status)).toEqual(['active', 'active'])
    expect((await counts(later)).memory).toMatchObject({ sold: 0 })
  })

  it('refuses to move a ticket already admitted at a gate (already_redeemed) and changes nothing', async () => {
    const { show, buyer, original } = await twoSeatsPaid()
    const later = await sameEventShow(show, 10000)
    const [used] = original.lines
    // The gate API records 核销 as a redemption row (worker/services/redemptions.ts); write one as a gate would.
    await env.DB.prepare(
      `INSERT INTO redemptions (id, ticket_id, organizer_id, scan_id, device_id, gate_name, mode, redeemed_at)
       VALUES (?, ?, ?, 'scan_test', 'dev_test', 'Main', 'online', ?)`,
    )
      .bind(`rdm_${crypto.randomUUID()}`, used.ticket.id, show.organizerId, new Date().toISOString())
      .run()
    const newHold = await ok(
      buyer.post(`/api/shows/${later}/holds`, { best: { category: 'A', quantity: 2 } }),
      201,
    )
    const refused = await postWithKey(buyer, `/api/orders/${original.id}/rebook`, {
      holdId: newHold.id,
      showId: later,
    })
    expect(refused.status).toBe(409)
    expect(await problemOf(refused)).toMatchObject({ code: 'already_redeemed', lineIds: [used.id] })
    const after = await ok(buyer.get(`/api/orders/${original.id}`))
    expect(after.status).toBe('paid')
    expect(after.lines.map((l: { ticket: { status: string } }) => l.ticket.status)).toEqual([
      'valid',
      'valid',
    ])
    expect((await counts(show.showId)).memory).toMatchObject({ sold: 2 })

    // The unused ticket alone may still move.
    const single = await ok(
      buyer.post(`/api/shows/${later}/holds`, { best: { category: 'A', quantity: 1 } }),
      201,
    )
    expect((await buyer.delete(`/api/shows/${later}/holds/${newHold.id}`)).status).toBe(204)
    const moved = await ok(
      postWithKey(buyer, `/api/orders/${original.id}/rebook`, {
        holdId: single.id,
        showId: later,
        lineIds: [original.lines[1].id],
      }),
      201,
    )
    expect(moved.amountDue).toBe(0)
  })

  it('moves to a cheaper show at once and refunds the difference', async () => {
    const { buyer, original, rebooked } = await bothSeatsRebooked(6000)
    expect(rebooked).toMatchObject({ amountDue: 0, checkoutUrl: null })
    expect(rebooked.order.status).toBe('paid')
    const old = await ok(buyer.get(`/api/orders/${original.id}`))
    expect(old.refunds).toMatchObject([{ amount: 8000, status: 'succeeded' }])
    expect(old.refundedTotal).toBe(8000)
  })

  it('moves a scenic visit to another date with the same ticket types', async () => {
    const site = await scenicSiteOnSale()
    const buyer = new ApiClient()
    const visitor = { name: 'Wang', idNumber: idNumberFor(777), phone: '13700000777' }
    const lines = [
      { productId: site.gateProduct, slot: '09:00', visitor },
      { productId: site.cableCarProduct, visitor },
    ]
    const hold = await ok(
      buyer.post(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, { lines }),
      201,
    )
    const original = await paid(buyer, {
      kind: 'scenic',
      siteId: site.siteId,
      date: site.date,
      holdId: hold.id,
    })
    const newDate = shanghaiDate(2)
    // The real-name limit is per day, so the same visitor can hold the new date before the old one is released.
    const newHold = await ok(
      buyer.post(`/api/scenic-sites/${site.siteId}/days/${newDate}/holds`, { lines }),
      201,
    )
    const rebooked = await ok(
      postWithKey(buyer, `/api/orders/${original.id}/rebook`, { holdId: newHold.id, date: newDate }),
      201,
    )
    expect(rebooked.order).toMatchObject({ status: 'paid', visitDate: newDate })
    const oldDay = await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))
    expect(oldDay.remaining).toBe(100)
  })

  it('refuses another event’s show, a foreign hold, and mismatched seat counts', async () => {
    const { show, buyer, original } = await twoSeatsPaid()
    const otherEvent = await showOnSale(gridChart(1, 10))
    const foreignHold = await ok(
      buyer.post(`/api/shows/${otherEvent.showId}/holds`, { seatIds: otherEvent.seatIds.slice(0, 2) }),
      201,
    )
    const wrongEvent = await postWithKey(buyer, `/api/orders/${original.id}/rebook`, {
      holdId: foreignHold.id,
      showId: otherEvent.showId,
    })
    expect((await problemOf(wrongEvent)).errors?.[0]?.path).toBe('json.showId')
    const later = await sameEventShow(show, 10000)
    const strangerHold = await ok(
      new ApiClient().post(`/api/shows/${later}/holds`, { best: { category: 'A', quantity: 2 } }),
      201,
    )
    expect(
      (
        await postWithKey(buyer, `/api/orders/${original.id}/rebook`, {
          holdId: strangerHold.id,
          showId: later,
        })
      ).status,
    ).toBe(404)
    const oneSeat = await ok(
      buyer.post(`/api/shows/${later}/holds`, { best: { category: 'A', quantity: 1 } }),
      201,
    )
    const mismatch = await postWithKey(buyer, `/api/orders/${original.id}/rebook`, {
      holdId: oneSeat.id,
      showId: later,
    })
    expect((await problemOf(mismatch)).errors?.[0]?.path).toBe('json.holdId')
    expect((await ok(buyer.get(`/api/orders/${original.id}`))).status).toBe('paid')
  })
})
