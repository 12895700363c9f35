import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { memberships } from '../../../worker/db/schema.ts'
import { createGate, importTicketKeys } from '../../../worker/domain/gate-decision.ts'
import { verifyRevocationPage } from '../../../worker/domain/revocation-list.ts'
import { type ApiClient, createStaffUser, problemOf, signIn } from '../../support/api.ts'
import {
  gridChart,
  idNumberFor,
  ok,
  type ShowFixture,
  scenicSiteOnSale,
  showOnSale,
} from '../../support/catalogue.ts'
import { enrollGate, nonce, showTonight } from '../../support/gate.ts'

let keys = 0
const key = () => `box-test-${Date.now()}-${keys++}`

async function clerkFor(organizerId: string) {
  const user = await createStaffUser()
  await openDatabase(env.DB).insert(memberships).values({ userId: user.id, organizerId, role: 'box_office' })
  return { id: user.id, client: await signIn(user.email) }
}

const sell = (clerk: ApiClient, show: ShowFixture, items: Record<string, unknown>, tender: unknown) =>
  clerk.fetch(`/api/box/organizers/${show.organizerId}/sales`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key() },
    body: JSON.stringify({ items: { kind: 'show', showId: show.showId, ...items }, tender }),
  })

describe('box office', () => {
  it('a shift of cash, card and payment-code sales, a refund and a reprint closes with the totals by tender', async () => {
    const show = await showTonight({ seats: 10 }) // one row, category A at 100.00, refundable in full
    const { id: clerkId, client: clerk } = await clerkFor(show.organizerId)
    const box = `/api/box/organizers/${show.organizerId}`

    // Nothing sells before a shift is open; one open shift per clerk.
    expect(
      (
        await problemOf(
          await sell(
            clerk,
            show,
            { best: { category: 'A', quantity: 1 } },
            { kind: 'cash', tendered: 10000 },
          ),
        )
      ).code,
    ).toBe('shift_required')
    const shift = await ok(clerk.post(`${box}/shift`, { openingFloat: 50_000 }), 201)
    expect((await problemOf(await clerk.post(`${box}/shift`, { openingFloat: 1 }))).code).toBe('shift_open')

    // Cash: two seats best available, 500.00 handed over for 200.00.
    const first = await ok(
      await sell(clerk, show, { best: { category: 'A', quantity: 2 } }, { kind: 'cash', tendered: 50_000 }),
      201,
    )
    expect(first).toMatchObject({ status: 'paid', total: 20_000, change: 30_000 })
    expect(first.tickets).toHaveLength(2)
    expect(first.tickets.every((t: { token: string | null }) => typeof t.token === 'string')).toBe(true)
    // Cash, exact; then short of the total (refused, the seat goes back at once).
    const second = await ok(
      await sell(clerk, show, { seatIds: [show.seatIds[0]] }, { kind: 'cash', tendered: 10_000 }),
      201,
    )
    expect(second.change).toBe(0)
    const short = await problemOf(
      await sell(clerk, show, { seatIds: [show.seatIds[1]] }, { kind: 'cash', tendered: 9_999 }),
    )
    expect(short).toMatchObject({ code: 'tender_short', total: 10_000 })
    // Card on the terminal, with its reference; the payment code through the sandbox provider; a declined code.
    const card = await ok(
      await sell(clerk, show, { seatIds: [show.seatIds[1]] }, { kind: 'card', reference: 'TERM-0042' }),
      201,
    )
    expect(card.change).toBeNull()
    const declined = await sell(
      clerk,
      show,
      { seatIds: [show.seatIds[2]] },
      { kind: 'payment_code', code: '134567890123450000' },
    )
    expect(declined.status).toBe(402)
    expect((await problemOf(declined)).code).toBe('payment_declined')
    await ok(
      await sell(
        clerk,
        show,
        { seatIds: [show.seatIds[2]] },
        { kind: 'payment_code', code: '134567890123456789' },
      ),
      201,
    )

    // The clerk is in the audit trail and the orders carry channel box_office.
    const audit = await env.DB.prepare(
      "SELECT a.actor, o.channel FROM audit_events a JOIN orders o ON o.id = a.order_id WHERE a.order_id = ? AND a.action = 'order.created'",
    )
      .bind(first.orderId)
      .first<{ actor: string; channel: string }>()
    expect(audit).toEqual({ actor: `staff:${clerkId}`, channel: 'box_office' })

    // A refund of the exact-cash sale, by its number, pays 100.00 back in cash.
    const refund = await ok(clerk.post(`${box}/orders/${second.number}/refund`, {}))
    expect(refund).toMatchObject({ amount: 10_000, status: 'succeeded', tender: 'cash' })

    // A reprint: a new token; the old one is revoked, the gate refuses it online and offline after a sync.
    const gate = await enrollGate(show.manager, show.base, { eventId: show.eventId })
    const old = first.tickets[0]
    const reprint = await ok(clerk.post(`${box}/tickets/${old.ticketId}/reprint`, {}))
    const fresh = reprint.order.tickets.find((t: { ticketId: string }) => t.ticketId === reprint.ticketId)
    expect(fresh.status).toBe('valid')
    expect(fresh.token).not.toBe(old.token)
    expect(
      reprint.order.tickets.find((t: { ticketId: string }) => t.ticketId === old.ticketId),
    ).toMatchObject({ status: 'revoked', token: null })
    expect((await problemOf(await clerk.post(`${box}/tickets/${old.ticketId}/reprint`, {}))).code).toBe(
      'ticket_not_reprintable',
    )

    const sync = await ok(gate.client.get('/api/gate/sync?cursor=0'))
    const jwks = await importTicketKeys((await ok(clerk.get('/.well-known/jwks.json'))).keys)
    const page = await verifyRevocationPage(sync.revocations.jws, jwks, {
      org: show.organizerId,
      dev: gate.device.id,
    })
    expect(page!.r).toContainEqual([old.ticketId, 'reprinted'])
    const offline = createGate(sync.profile, jwks)
    const revoked = new Set(page!.r.map(([id]) => id))
    const now = Date.now()
    expect(await offline.decide({ scan: old.token, revoked, admitted: new Map(), now })).toMatchObject({
      admit: false,
      reason: 'revoked',
    })
    const freshOffline = await offline.decide({ scan: fresh.token, revoked, admitted: new Map(), now })
    expect(freshOffline, JSON.stringify(freshOffline)).toMatchObject({ admit: true })
    expect(await ok(gate.client.post('/api/gate/check', { scan: old.token, nonce: nonce() }))).toMatchObject({
      admit: false,
      reason: 'revoked',
    })
    const freshOnline = await ok(gate.client.post('/api/gate/check', { scan: fresh.token, nonce: nonce() }))
    expect(freshOnline, JSON.stringify(freshOnline)).toMatchObject({ admit: true })
    // Admitted now: no more reprints of it (a second way in).
    expect((await problemOf(await clerk.post(`${box}/tickets/${fresh.ticketId}/reprint`, {}))).code).toBe(
      'ticket_not_reprintable',
    )

    // Totals by tender: cash 200 + 100 − 100, card 100, payment code 100; the declined and the short sale count nothing.
    const view = await ok(clerk.get(`${box}/shift`))
    expect(view.totals).toEqual({
      sales: { cash: 30_000, card: 10_000, payment_code: 10_000 },
      refunds: { cash: 10_000, card: 0, payment_code: 0 },
      net: { cash: 20_000, card: 10_000, payment_code: 10_000 },
      salesCount: 4,
      refundsCount: 1,
      expectedCash: 70_000,
    })
    const closed = await ok(clerk.post(`${box}/shift/close`, { shiftId: shift.id, countedCash: 69_500 }))
    expect(closed).toMatchObject({
      status: 'closed',
      expectedCash: 70_000,
      countedCash: 69_500,
      difference: -500,
      closingTotals: { cash: 20_000, card: 10_000, payment_code: 10_000 },
    })
    expect(
      (await problemOf(await clerk.post(`${box}/shift/close`, { shiftId: shift.id, countedCash: 70_000 })))
        .code,
    ).toBe('shift_required')
    expect(
      (
        await problemOf(
          await sell(clerk, show, { seatIds: [show.seatIds[3]] }, { kind: 'cash', tendered: 10_000 }),
        )
      ).code,
    ).toBe('shift_required')
    // The seats the short and declined sales held went back: seat 2 (declined) was sold after, seat 3 is still free.
    const map = await ok(clerk.get(`/api/shows/${show.showId}/seat-map`))
    const states = Object.fromEntries(map.seats.map((s: { id: string; state: string }) => [s.id, s.state]))
    expect(states[show.seatIds[3]!]).toBe('free')
    expect(states[show.seatIds[0]!]).toBe('free') // refunded
  })

  it("the event's per-buyer limit applies to each window sale, not to all a clerk sells", async () => {
    const show = await showOnSale(gridChart(1, 6), {
      startsInHours: 2,
      maxTicketsPerBuyer: 2,
      refundTiers: [{ minHoursBefore: 0, feePercent: 0 }],
    })
    const { client: clerk } = await clerkFor(show.organizerId)
    await ok(clerk.post(`/api/box/organizers/${show.organizerId}/shift`, { openingFloat: 0 }), 201)
    // Three customers of two tickets each: six tickets, three times the limit, all sold at one window. The
    // terminal's reference repeats (terminals restart their numbering), which must not refuse a sale either.
    for (let customer = 0; customer < 3; customer++) {
      const sale = await ok(
        await sell(
          clerk,
          show,
          { best: { category: 'A', quantity: 2 } },
          { kind: 'card', reference: 'TERM-1' },
        ),
        201,
      )
      expect(sale.tickets).toHaveLength(2)
    }
    // One customer asking for more than the limit is still refused.
    const more = await showOnSale(gridChart(1, 6), { startsInHours: 2, maxTicketsPerBuyer: 2 })
    const { client: theirs } = await clerkFor(more.organizerId)
    await ok(theirs.post(`/api/box/organizers/${more.organizerId}/shift`, { openingFloat: 0 }), 201)
    const tooMany = await sell(
      theirs,
      more,
      { best: { category: 'A', quantity: 3 } },
      { kind: 'card', reference: 'X' },
    )
    expect((await problemOf(tooMany)).code).toBe('buyer_limit')
  })

  it('two racing shift openings leave one open shift; gate staff and other organizers cannot sell', async () => {
    const show = await showTonight({ seats: 4 })
    const { client: clerk } = await clerkFor(show.organizerId)
    const box = `/api/box/organizers/${show.organizerId}`
    const opened = await Promise.all([1, 2, 3].map(() => clerk.post(`${box}/shift`, { openingFloat: 100 })))
    expect(opened.map((r) => r.status).sort()).toEqual([201, 409, 409])
    expect((await show.gate.post(`${box}/shift`, { openingFloat: 0 })).status).toBe(403)
    const other = await showTonight({ seats: 2 })
    expect((await clerk.get(`/api/box/organizers/${other.organizerId}/shift`)).status).toBe(403)
    // A clerk cannot reprint another organizer's ticket through their own organizer.
    const { client: theirClerk } = await clerkFor(other.organizerId)
    await ok(theirClerk.post(`/api/box/organizers/${other.organizerId}/shift`, { openingFloat: 0 }), 201)
    const theirs = await ok(
      await sell(
        theirClerk,
        other,
        { best: { category: 'A', quantity: 1 } },
        { kind: 'card', reference: 'T1' },
      ),
      201,
    )
    const cross = await clerk.post(`${box}/tickets/${theirs.tickets[0].ticketId}/reprint`, {})
    expect((await problemOf(cross)).code).toBe('ticket_not_reprintable')
  })
})

describe('box office: scenic tickets', () => {
  it('sells a package with its real-name visitor and a gate ticket with its cable car (父子票), refunds by tender', async () => {
    const site = await scenicSiteOnSale()
    const { client: clerk } = await clerkFor(site.organizerId)
    const box = `/api/box/organizers/${site.organizerId}`
    const shift = await ok(clerk.post(`${box}/shift`, { openingFloat: 0 }), 201)
    const sellScenic = (body: Record<string, unknown>, tender: unknown) =>
      clerk.fetch(`${box}/sales`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key() },
        body: JSON.stringify({
          items: { kind: 'scenic', siteId: site.siteId, visitDate: site.date, ...body },
          tender,
        }),
      })
    const visitor = (n: number) => ({ name: '王', idNumber: idNumberFor(7100 + n) })
    const pkg = await ok(
      await sellScenic(
        {
          packageId: site.packageId,
          lines: [
            { productId: site.gateProduct, slot: '09:00', visitor: visitor(1) },
            { productId: site.cableCarProduct, parent: { line: 0 } },
          ],
        },
        { kind: 'cash', tendered: 20_000 },
      ),
      201,
    )
    expect(pkg).toMatchObject({ status: 'paid', total: 18_000, change: 2_000 })
    expect(pkg.tickets).toHaveLength(2)
    // A real-name gate ticket needs its visitor: refused before any money moves.
    const nameless = await sellScenic(
      { lines: [{ productId: site.gateProduct, slot: '10:00' }] },
      { kind: 'card', reference: 'X' },
    )
    expect(await problemOf(nameless)).toMatchObject({ status: 400, code: 'validation' })
    const pair = await ok(
      await sellScenic(
        {
          lines: [
            { productId: site.gateProduct, slot: '10:00', visitor: visitor(2) },
            { productId: site.cableCarProduct, parent: { line: 0 } },
          ],
        },
        { kind: 'card', reference: 'TERM-7' },
      ),
      201,
    )
    expect(pair.total).toBe(12_000 + 8_000)
    const channel = await env.DB.prepare('SELECT channel, kind FROM orders WHERE id = ?')
      .bind(pair.orderId)
      .first()
    expect(channel).toEqual({ channel: 'box_office', kind: 'scenic' })

    const refund = await ok(clerk.post(`${box}/orders/${pair.number}/refund`, {}))
    expect(refund).toMatchObject({ amount: 20_000, tender: 'card', status: 'succeeded' })
    const closed = await ok(clerk.post(`${box}/shift/close`, { shiftId: shift.id, countedCash: 18_000 }))
    expect(closed).toMatchObject({
      expectedCash: 18_000,
      difference: 0,
      closingTotals: { cash: 18_000, card: 0, payment_code: 0 },
    })
  })
})
