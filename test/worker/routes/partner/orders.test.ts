import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { eq } from 'drizzle-orm'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { partners } from '../../../../worker/db/schema.ts'
import { verifyTicket } from '../../../../worker/domain/ticket-token.ts'
import { jsonLogger } from '../../../../worker/middleware/logger.ts'
import { runScheduledJobs } from '../../../../worker/scheduled.ts'
import { book } from '../../../../worker/services/partner-orders.ts'
import { paymentProvider } from '../../../../worker/services/payments/index.ts'
import { ApiClient, problemOf } from '../../../support/api.ts'
import { idNumberFor, ok } from '../../../support/catalogue.ts'
import {
  addPartner,
  type PartnerFixture,
  partnerOnSite,
  partnerOrderId,
  reserveGate,
  visitor,
} from '../../../support/partner.ts'

const outboxOf = async (orderId: string) =>
  (
    await env.DB.prepare('SELECT topic, payload FROM outbox_events WHERE payload LIKE ? ORDER BY rowid')
      .bind(`%${orderId}%`)
      .all<{ topic: string; payload: string }>()
  ).results.map((r) => r.topic)

afterEach(() => {
  vi.useRealTimers()
})

async function booked(f: PartnerFixture, count = 1) {
  const reservation = await ok(reserveGate(f, count), 201)
  const id = partnerOrderId()
  const order = await ok(
    f.client.post('/orders', { partnerOrderId: id, reservationId: reservation.reservationId }),
    201,
  )
  return { reservation, partnerOrderId: id, order }
}

describe('partner API: happy path', () => {
  it('reserves on the partner’s channel, books with settlement, and answers the order with ticket codes', async () => {
    const f = await partnerOnSite()
    const reservation = await ok(reserveGate(f, 2), 201)
    expect(reservation).toMatchObject({ siteId: f.siteId, date: f.date, total: 18000, currency: 'CNY' })
    expect(reservation.lines).toHaveLength(2)
    expect(reservation.lines[0]).toMatchObject({ salePrice: 11000, settlementPrice: 9000, slot: '09:00' })
    expect(reservation.lines[0].visitorIdMasked).toMatch(/^\d{3}\*+\d{3}[\dX]$/)
    const minutesLeft = (Date.parse(reservation.expiresAt) - Date.now()) / 60_000
    expect(minutesLeft).toBeGreaterThan(10)
    expect(minutesLeft).toBeLessThanOrEqual(15)

    const id = partnerOrderId()
    const order = await ok(
      f.client.post('/orders', {
        partnerOrderId: id,
        reservationId: reservation.reservationId,
        contact: { name: 'Zhang San', phone: '13912345678' },
      }),
      201,
    )
    expect(order).toMatchObject({ partnerOrderId: id, status: 'paid', channel: 'ctrip', total: 18000 })
    const { keys } = await ok(new ApiClient().get('/.well-known/jwks.json'))
    for (const line of order.lines) {
      expect(line.ticket.status).toBe('valid')
      const verified = await verifyTicket(line.ticket.code, keys, Date.parse(`${f.date}T10:00:00+08:00`))
      expect(verified).toMatchObject({ ok: true, ticket: { tid: line.ticket.ticketId } })
    }
    const row = await env.DB.prepare('SELECT channel, buyer_id, status FROM orders WHERE id = ?')
      .bind(order.orderId)
      .first()
    expect(row).toMatchObject({ channel: 'ctrip', buyer_id: `partner:${f.partner.id}`, status: 'paid' })
    const payment = await env.DB.prepare('SELECT provider, status, amount FROM payments WHERE order_id = ?')
      .bind(order.orderId)
      .first()
    expect(payment).toMatchObject({ provider: 'settlement', status: 'succeeded', amount: 18000 })
    expect(await outboxOf(order.orderId)).toEqual(['order.confirmed'])

    const queried = await ok(f.client.get(`/orders/${id}`))
    expect(queried.orderId).toBe(order.orderId)
    expect(queried.lines.map((l: { ticket: { code: string } }) => l.ticket.code)).toEqual(
      order.lines.map((l: { ticket: { code: string } }) => l.ticket.code),
    )
  })

  it('answers a month’s calendar per day, slot and product with the partner’s prices and channel quota', async () => {
    const f = await partnerOnSite({ channelQuotas: { ctrip: 20, meituan: 10 }, dailyCapacity: 100 })
    await ok(reserveGate(f, 3), 201)
    const to = new Date(Date.parse(`${f.date}T00:00:00Z`) + 29 * 86_400_000).toISOString().slice(0, 10)
    const { days } = await ok(f.client.get(`/calendar?from=${f.date}&to=${to}`))
    expect(days).toHaveLength(30)
    const first = days[0]
    expect(first).toMatchObject({ siteId: f.siteId, date: f.date, onSale: true, remaining: 17 })
    expect(first.channelQuota).toEqual({ quota: 20, remaining: 17 })
    expect(first.slots.map((s: { code: string }) => s.code)).toEqual(['09:00', '10:00'])
    expect(first.slots[0].remaining).toBe(17)
    const gate = first.products.find((p: { productId: string }) => p.productId === f.gateProduct)
    expect(gate).toMatchObject({ remaining: 17, salePrice: 11000, settlementPrice: 9000, marketPrice: 12000 })
    expect(days[1].channelQuota).toEqual({ quota: 20, remaining: 20 })
    const tooLong = await f.client.get(`/calendar?from=${f.date}&to=2099-01-01`)
    expect((await problemOf(tooLong)).code).toBe('validation')
  })

  it('refunds one visitor of a multi-visitor order (approved by policy), revoking only that ticket, and replays a retry', async () => {
    const f = await partnerOnSite()
    const { partnerOrderId: id, order } = await booked(f, 3)
    const line = order.lines[1].lineId
    const res = await ok(
      f.client.post(`/orders/${id}/refunds`, { lineIds: [line], reason: 'visitor ill' }),
      201,
    )
    expect(res.refund).toMatchObject({ amount: 9000, fee: 0, lineIds: [line], status: 'succeeded' })
    expect(res.order).toMatchObject({ status: 'partially_refunded', refundedTotal: 9000 })
    const byLine = new Map(res.order.lines.map((l: { lineId: string }) => [l.lineId, l]))
    expect(byLine.get(line)).toMatchObject({ status: 'refunded', ticket: { status: 'revoked', code: null } })
    expect(byLine.get(order.lines[0].lineId)).toMatchObject({ status: 'active', ticket: { status: 'valid' } })
    const retry = await ok(f.client.post(`/orders/${id}/refunds`, { lineIds: [line], reason: 'visitor ill' }))
    expect(retry.refund.refundId).toBe(res.refund.refundId)
    const count = await env.DB.prepare('SELECT count(*) AS n FROM refunds WHERE order_id = ?')
      .bind(order.orderId)
      .first<number>('n')
    expect(count).toBe(1)
    const refundRow = await env.DB.prepare('SELECT provider_ref FROM refunds WHERE id = ?')
      .bind(res.refund.refundId)
      .first<string>('provider_ref')
    expect(refundRow).toBe(`stl_rf_${res.refund.refundId}`)
    expect(await outboxOf(order.orderId)).toEqual(['order.confirmed', 'order.refunded'])
    const { days } = await ok(f.client.get(`/calendar?from=${f.date}&to=${f.date}`))
    expect(days[0].channelQuota.remaining).toBe(18)
  })

  it('cancels a booked order before use: every ticket revoked, quota back, order.cancelled queued', async () => {
    const f = await partnerOnSite()
    const { partnerOrderId: id, order } = await booked(f, 2)
    const cancelled = await ok(f.client.post(`/orders/${id}/cancel`, { reason: 'trip cancelled' }))
    expect(cancelled).toMatchObject({ status: 'refunded', refundedTotal: 18000 })
    expect(cancelled.lines.every((l: { ticket: { status: string } }) => l.ticket.status === 'revoked')).toBe(
      true,
    )
    expect(await outboxOf(order.orderId)).toEqual(['order.confirmed', 'order.refunded', 'order.cancelled'])
    const again = await ok(f.client.post(`/orders/${id}/cancel`, { reason: 'retry' }))
    expect(again.status).toBe('refunded')
    expect(await outboxOf(order.orderId)).toEqual(['order.confirmed', 'order.refunded', 'order.cancelled'])
    const { days } = await ok(f.client.get(`/calendar?from=${f.date}&to=${f.date}`))
    expect(days[0].channelQuota.remaining).toBe(20)
  })

  it('releases a reservation that will not be booked', async () => {
    const f = await partnerOnSite()
    const reservation = await ok(reserveGate(f, 2), 201)
    expect((await f.client.delete(`/reservations/${reservation.reservationId}`)).status).toBe(204)
    expect((await f.client.delete(`/reservations/${reservation.reservationId}`)).status).toBe(204)
    const { days } = await ok(f.client.get(`/calendar?from=${f.date}&to=${f.date}`))
    expect(days[0].channelQuota.remaining).toBe(20)
  })
})

describe('partner API: idempotent booking', () => {
  it('turns 20 concurrent identical creates into one order, one set of tickets and one confirmation event', async () => {
    const f = await partnerOnSite()
    const reservation = await ok(reserveGate(f, 2), 201)
    const id = partnerOrderId()
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        f.client.post('/orders', { partnerOrderId: id, reservationId: reservation.reservationId }),
      ),
    )
    const statuses = answers.map((r) => r.status)
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 200)).toHaveLength(19)
    const bodies = await Promise.all(answers.map((r) => r.json<{ orderId: string; status: string }>()))
    expect(new Set(bodies.map((b) => b.orderId)).size).toBe(1)
    const orderId = bodies[0]!.orderId
    const db = env.DB
    expect(
      await db
        .prepare('SELECT count(*) AS n FROM orders WHERE hold_id = ?')
        .bind(reservation.reservationId)
        .first('n'),
    ).toBe(1)
    expect(
      await db.prepare('SELECT count(*) AS n FROM tickets WHERE order_id = ?').bind(orderId).first('n'),
    ).toBe(2)
    expect(await outboxOf(orderId)).toEqual(['order.confirmed'])
    // A retry long after answers the same order.
    const later = await ok(
      f.client.post('/orders', { partnerOrderId: id, reservationId: reservation.reservationId }),
    )
    expect(later).toMatchObject({ orderId, status: 'paid' })
  })
})

describe('partner API: errors', () => {
  it('refuses a refund the policy rejects (non-refundable product), with the reason and a refund.rejected event', async () => {
    const f = await partnerOnSite()
    const locked = await ok(
      f.owner.post(`${f.base}/visit-products`, {
        siteId: f.siteId,
        name: 'Sunrise tour (non-refundable)',
        kind: 'attraction',
        ticketType: 'general',
        price: 5000,
        realNameRequired: false,
        refundable: false,
      }),
      201,
    )
    await ok(
      f.owner.put(`${f.base}/partners/${f.partner.id}/products`, {
        items: [{ productId: locked.id, marketPrice: 5000, salePrice: 4800, settlementPrice: 4000 }],
      }),
    )
    const reservation = await ok(
      f.client.post('/reservations', { date: f.date, lines: [{ productId: locked.id }] }),
      201,
    )
    const id = partnerOrderId()
    const order = await ok(
      f.client.post('/orders', { partnerOrderId: id, reservationId: reservation.reservationId }),
      201,
    )
    const rejected = await f.client.post(`/orders/${id}/refunds`, { reason: 'changed plans' })
    expect(rejected.status).toBe(409)
    const problem = await problemOf(rejected)
    expect(problem).toMatchObject({ code: 'refund_rejected', rule: 'refund_not_allowed' })
    expect(problem.reason).toMatch(/not refundable/)
    expect((await ok(f.client.get(`/orders/${id}`))).status).toBe('paid')
    expect(await outboxOf(order.orderId)).toEqual(['order.confirmed', 'refund.rejected'])
    const cancel = await f.client.post(`/orders/${id}/cancel`, {})
    expect((await problemOf(cancel)).code).toBe('refund_rejected')
  })

  it('enforces the channel allocation: the partner cannot sell past its quota, even racing, while the web keeps selling', async () => {
    const f = await partnerOnSite({ channelQuotas: { ctrip: 3 }, dailyCapacity: 10 })
    const answers = await Promise.all(Array.from({ length: 8 }, () => reserveGate(f, 1)))
    expect(answers.filter((r) => r.status === 201)).toHaveLength(3)
    const refused = answers.filter((r) => r.status === 409)
    expect(refused).toHaveLength(5)
    const problem = await problemOf(refused[0]!)
    expect(problem.code).toBe('sold_out')
    expect(problem.unavailable).toContain('channel:ctrip')
    const { days } = await ok(f.client.get(`/calendar?from=${f.date}&to=${f.date}`))
    expect(days[0]).toMatchObject({ remaining: 0, channelQuota: { quota: 3, remaining: 0 } })
    // The shared pool (capacity minus allocations) is untouched: the organizer’s own site still sells.
    const web = await new ApiClient().post(`/api/scenic-sites/${f.siteId}/days/${f.date}/holds`, {
      lines: [{ productId: f.gateProduct, slot: '09:00', visitor: visitor() }],
    })
    expect(web.status).toBe(201)
    // A second partner on another channel has its own allocation (none here: the shared pool).
    const meituan = await addPartner(f, { channel: 'meituan' })
    const other = await meituan.client.post('/reservations', {
      date: f.date,
      lines: [{ productId: f.gateProduct, slot: '09:00', visitor: visitor() }],
    })
    expect(other.status).toBe(201)
  })

  it('validates real-name visitor data like the public holds do', async () => {
    const f = await partnerOnSite()
    const badId = await f.client.post('/reservations', {
      date: f.date,
      lines: [
        { productId: f.gateProduct, slot: '09:00', visitor: { name: 'Li', idNumber: '110101199001011234' } },
      ],
    })
    const problem = await problemOf(badId)
    expect(problem.code).toBe('validation')
    expect(problem.errors?.[0]?.path).toBe('json.lines.0.visitor.idNumber')
    const noName = await f.client.post('/reservations', {
      date: f.date,
      lines: [{ productId: f.gateProduct, slot: '09:00', visitor: { idNumber: idNumberFor(7) } }],
    })
    expect(noName.status).toBe(400)
    expect((await problemOf(noName)).detail).toMatch(/name and ID number/)
    const same = visitor()
    const twice = await f.client.post('/reservations', {
      date: f.date,
      lines: [
        { productId: f.gateProduct, slot: '09:00', visitor: same },
        { productId: f.gateProduct, slot: '09:00', visitor: same },
      ],
    })
    expect((await problemOf(twice)).code).toBe('buyer_limit')
  })

  it('needs the gate ticket before the cable car (parent_ticket_required) and only sells the partner’s products', async () => {
    const f = await partnerOnSite()
    const alone = await f.client.post('/reservations', {
      date: f.date,
      lines: [{ productId: f.cableCarProduct, visitor: visitor() }],
    })
    expect(alone.status).toBe(409)
    expect((await problemOf(alone)).code).toBe('parent_ticket_required')
    const person = visitor()
    await ok(
      f.client.post('/reservations', {
        date: f.date,
        lines: [
          { productId: f.gateProduct, slot: '09:00', visitor: person },
          { productId: f.cableCarProduct, visitor: person },
        ],
      }),
      201,
    )
    const limited = await partnerOnSite()
    await ok(
      limited.owner.put(`${limited.base}/partners/${limited.partner.id}/products`, {
        items: [{ productId: limited.childProduct, marketPrice: 1, salePrice: 1, settlementPrice: 1 }],
      }),
    )
    const notOffered = await reserveGate(limited)
    expect(notOffered.status).toBe(404)
    expect((await problemOf(notOffered)).code).toBe('product_not_available')
  })

  it('refuses to book a reservation whose hold expired (reservation_expired), and its quota is back on sale', async () => {
    const f = await partnerOnSite({ channelQuotas: { ctrip: 2 } })
    const t0 = Date.now()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(t0)
    const reservation = await ok(reserveGate(f, 2), 201)
    vi.setSystemTime(t0 + 16 * 60_000)
    const day = env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${f.siteId}:${f.date}`))
    expect(await runDurableObjectAlarm(day)).toBe(true)
    const late = await f.client.post('/orders', {
      partnerOrderId: partnerOrderId(),
      reservationId: reservation.reservationId,
    })
    expect(late.status).toBe(409)
    expect((await problemOf(late)).code).toBe('reservation_expired')
    const { days } = await ok(f.client.get(`/calendar?from=${f.date}&to=${f.date}`))
    expect(days[0].channelQuota).toEqual({ quota: 2, remaining: 2 })
    const orders = await env.DB.prepare('SELECT count(*) AS n FROM orders WHERE hold_id = ?')
      .bind(reservation.reservationId)
      .first<number>('n')
    expect(orders).toBe(0)
  })

  it('refuses a released reservation (reservation_expired), a reused partner order id and a reservation booked twice', async () => {
    const f = await partnerOnSite()
    const gone = await ok(reserveGate(f), 201)
    await f.client.delete(`/reservations/${gone.reservationId}`)
    const late = await f.client.post('/orders', {
      partnerOrderId: partnerOrderId(),
      reservationId: gone.reservationId,
    })
    expect(late.status).toBe(409)
    expect((await problemOf(late)).code).toBe('reservation_expired')

    const { reservation, partnerOrderId: id } = await booked(f)
    const fresh = await ok(reserveGate(f), 201)
    const reused = await f.client.post('/orders', { partnerOrderId: id, reservationId: fresh.reservationId })
    expect((await problemOf(reused)).code).toBe('partner_order_id_reused')
    const twice = await f.client.post('/orders', {
      partnerOrderId: partnerOrderId(),
      reservationId: reservation.reservationId,
    })
    expect((await problemOf(twice)).code).toBe('reservation_already_booked')
    expect((await f.client.get('/orders/NOPE-1')).status).toBe(404)
  })

  it('refuses a refund of lines that are not the order’s or already refunded, and refunds nothing on a cancelled order', async () => {
    const f = await partnerOnSite()
    const { partnerOrderId: id } = await booked(f, 2)
    const unknown = await f.client.post(`/orders/${id}/refunds`, { lineIds: ['oln_nope'], reason: 'x' })
    expect((await problemOf(unknown)).code).toBe('validation')
    await ok(f.client.post(`/orders/${id}/cancel`, {}))
    const after = await f.client.post(`/orders/${id}/refunds`, { reason: 'again' })
    expect((await problemOf(after)).code).toBe('conflict')
  })
})

describe('partner API: partial use', () => {
  it('refuses to refund or cancel a ticket already used at the gate (already_redeemed), and refunds the unused visitor', async () => {
    const f = await partnerOnSite()
    const { partnerOrderId: id, order } = await booked(f, 2)
    const [used, unused] = order.lines
    // The gate API records 核销 as a redemption row (worker/services/redemptions.ts); write one as a gate would.
    await env.DB.prepare(
      `INSERT INTO redemptions (id, ticket_id, organizer_id, scan_id, device_id, gate_name, mode, redeemed_at)
       VALUES (?, ?, ?, 'scan_test', 'dev_test', 'East', 'online', ?)`,
    )
      .bind(`rdm_${crypto.randomUUID()}`, used.ticket.ticketId, f.organizerId, new Date().toISOString())
      .run()
    const queried = await ok(f.client.get(`/orders/${id}`))
    expect(queried.lines[0].ticket.redeemedAt).not.toBeNull()
    expect(queried.lines[1].ticket.redeemedAt).toBeNull()

    const refused = await f.client.post(`/orders/${id}/refunds`, {
      lineIds: [used.lineId],
      reason: 'no show',
    })
    expect(refused.status).toBe(409)
    expect(await problemOf(refused)).toMatchObject({ code: 'already_redeemed', lineIds: [used.lineId] })
    const cancel = await f.client.post(`/orders/${id}/cancel`, {})
    expect((await problemOf(cancel)).code).toBe('already_redeemed')

    const partial = await ok(
      f.client.post(`/orders/${id}/refunds`, { lineIds: [unused.lineId], reason: 'ill' }),
      201,
    )
    expect(partial.order).toMatchObject({ status: 'partially_refunded', refundedTotal: 9000 })
    expect(partial.order.lines[0].ticket.status).toBe('valid')
  })
})

describe('partner API: crash recovery', () => {
  it('finishes a booking whose worker died between the order batch and the inventory confirm (cron), and the retry answers it', async () => {
    const f = await partnerOnSite()
    const reservation = await ok(reserveGate(f, 2), 201)
    const db = openDatabase(env.DB)
    const [partner] = await db.select().from(partners).where(eq(partners.id, f.partner.id))
    // The inventory actor "dies" on confirm: the order, its lines and the settlement payment are already written.
    const crashing = {
      ...env,
      SCENIC_DAY_INVENTORY: {
        idFromName: (name: string) => env.SCENIC_DAY_INVENTORY.idFromName(name),
        get: (id: DurableObjectId) => {
          const stub = env.SCENIC_DAY_INVENTORY.get(id)
          return {
            describeHold: (...args: Parameters<typeof stub.describeHold>) => stub.describeHold(...args),
            confirm: () => Promise.reject(new Error('worker died')),
          }
        },
      },
    } as unknown as typeof env
    const services = { env: crashing, db, logger: jsonLogger({}), payments: paymentProvider(env) }
    const id = partnerOrderId()
    await expect(
      book(services, partner!, { partnerOrderId: id, reservationId: reservation.reservationId }),
    ).rejects.toThrow('worker died')
    const pending = await ok(f.client.get(`/orders/${id}`))
    expect(pending.status).toBe('pending')
    expect(pending.lines.every((l: { ticket: unknown }) => l.ticket === null)).toBe(true)

    await runScheduledJobs(env)
    const finished = await ok(f.client.get(`/orders/${id}`))
    expect(finished.status).toBe('paid')
    expect(finished.lines.every((l: { ticket: { status: string } }) => l.ticket.status === 'valid')).toBe(
      true,
    )
    const retry = await ok(
      f.client.post('/orders', { partnerOrderId: id, reservationId: reservation.reservationId }),
    )
    expect(retry).toMatchObject({ orderId: pending.orderId, status: 'paid' })
    expect(await outboxOf(pending.orderId)).toEqual(['order.confirmed'])
  })
})
