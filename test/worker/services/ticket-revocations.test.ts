import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { revocationsSince, revokeTicketsOfLines } from '../../../worker/services/orders/ticket-revocations.ts'
import { ok } from '../../support/catalogue.ts'
import { buyTickets, enrollGate, nonce, postWithKey, showTonight } from '../../support/gate.ts'

describe('ticket revocation list', () => {
  it('lists rebooked tickets (改签) with their reason, and the gate refuses the old ticket', async () => {
    const show = await showTonight()
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const now = Date.now()
    const later = await ok(
      show.owner.post(`${show.base}/shows`, {
        eventId: show.eventId,
        venueId: show.venueId,
        startsAt: new Date(now + 3 * 3_600_000).toISOString(),
        saleStartsAt: new Date(now - 3_600_000).toISOString(),
        saleEndsAt: new Date(now + 2 * 3_600_000).toISOString(),
        prices: { A: 10000 },
      }),
      201,
    )
    const { buyer, orderId, tickets } = await buyTickets(show, show.seatIds.slice(0, 1))
    const seats = (await ok(buyer.get(`/api/shows/${later.id}/seat-map`))).seats.map(
      (s: { id: string }) => s.id,
    )
    const hold = await ok(buyer.post(`/api/shows/${later.id}/holds`, { seatIds: seats.slice(0, 1) }), 201)
    const rebooked = await ok(
      postWithKey(buyer, `/api/orders/${orderId}/rebook`, { holdId: hold.id, showId: later.id }),
      201,
    )
    if (rebooked.checkoutUrl)
      await ok(
        buyer.post(`/api/payments/sandbox/checkout/${rebooked.paymentId}/complete`, { outcome: 'pay' }),
      )
    const listed = await revocationsSince(
      openDatabase(env.DB),
      show.organizerId,
      { kind: 'event', id: show.eventId },
      0,
      10,
    )
    expect(listed.map((r) => [r.ticketId, r.reason])).toEqual([[tickets[0]!.ticketId, 'rebooked']])
    const check = await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: nonce() }))
    expect(check).toMatchObject({ admit: false, reason: 'revoked' })
  })

  it('lists a ticket once, even when its revocation runs again', async () => {
    const show = await showTonight()
    const { tickets } = await buyTickets(show, show.seatIds.slice(0, 2))
    const db = openDatabase(env.DB)
    const lineIds = tickets.map((t) => t.lineId)
    await db.batch([...revokeTicketsOfLines(db, lineIds, 'cancelled')])
    await db.batch([...revokeTicketsOfLines(db, lineIds, 'cancelled')])
    const listed = await revocationsSince(db, show.organizerId, { kind: 'event', id: show.eventId }, 0, 10)
    expect(listed.map((r) => r.ticketId).sort()).toEqual(tickets.map((t) => t.ticketId).sort())
    expect(listed[1]!.seq).toBeGreaterThan(listed[0]!.seq)
  })
})
