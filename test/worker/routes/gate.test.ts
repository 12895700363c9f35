import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { importTicketKeys } from '../../../worker/domain/gate-decision.ts'
import { verifyRevocationPage } from '../../../worker/domain/revocation-list.ts'
import { rotatingCode, STEP_SECONDS } from '../../../worker/domain/rotating-code.ts'
import {
  ENROLLMENT_FAILURE_WINDOW_MINUTES,
  ENROLLMENT_FAILURES_ALLOWED,
  signDeviceToken,
} from '../../../worker/services/gate-devices.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { buyTickets, enrollGate, GateClient, nonce, postWithKey, showTonight } from '../../support/gate.ts'

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0))

async function revokedIn(body: { revocations: { jws: string } }, org: string, dev: string) {
  const keys = await importTicketKeys((await ok(new ApiClient().get('/.well-known/jwks.json'))).keys)
  const page = await verifyRevocationPage(body.revocations.jws, keys, { org, dev })
  return page
}

describe('gate enrollment and sync', () => {
  it('enrolls a device with a one-time code and hands it scope, rules, keys and a signed revocation page', async () => {
    const show = await showTonight()
    const gate = await enrollGate(
      show.gate,
      show.base,
      { eventId: show.eventId, direction: 'entry' },
      'North 1',
    )
    expect(gate.device).toMatchObject({
      gateName: 'North 1',
      organizerId: show.organizerId,
      scopeKind: 'event',
    })
    const { profile, rules, jwks, revocations } = gate.body
    expect(profile.scope).toHaveLength(1)
    expect(profile.scope[0]).toMatchObject({ kind: 'show', id: show.showId, rotatingCode: false })
    expect(profile.eventSecrets).toEqual({}) // no rotating codes for this event: no secret handed out
    expect(rules).toMatchObject({ admitOnce: true, rotatingCodeMaxAgeSeconds: 60 })
    expect(jwks.keys.length).toBeGreaterThanOrEqual(2) // current and previous
    expect(revocations).toMatchObject({ cursor: 0, more: false })
    const page = await revokedIn(gate.body as never, show.organizerId, gate.device.id)
    expect(page).toMatchObject({ from: 0, to: 0, r: [] })

    const sync = await ok(gate.client.get('/api/gate/sync?cursor=0'))
    expect(sync.profile.scope[0].id).toBe(show.showId)
  })

  it('puts refunded tickets on the signed list, incrementally by cursor; the gate then refuses them', async () => {
    const show = await showTonight()
    const gate = await enrollGate(show.manager, show.base, { eventId: show.eventId })
    const { buyer, orderId, tickets } = await buyTickets(show, show.seatIds.slice(0, 3))
    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[0]!.lineId] }), 201)
    const first = await ok(gate.client.get('/api/gate/sync?cursor=0'))
    const page1 = await revokedIn(first as never, show.organizerId, gate.device.id)
    expect(page1!.r).toEqual([[tickets[0]!.ticketId, 'refunded']])
    expect(first.revocations.cursor).toBeGreaterThan(0)

    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[1]!.lineId] }), 201)
    const second = await ok(gate.client.get(`/api/gate/sync?cursor=${first.revocations.cursor}`))
    const page2 = await revokedIn(second as never, show.organizerId, gate.device.id)
    expect(page2!.r).toEqual([[tickets[1]!.ticketId, 'refunded']]) // only what is new since the cursor
    expect(page2!.from).toBe(first.revocations.cursor)

    const check = await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: nonce() }))
    expect(check).toMatchObject({ admit: false, reason: 'revoked' })
    const valid = await ok(gate.client.post('/api/gate/check', { scan: tickets[2]!.token, nonce: nonce() }))
    expect(valid).toMatchObject({ admit: true, ticket: { tid: tickets[2]!.ticketId } })
  })
})

describe('online check and redemptions (核销)', () => {
  it('a buyer cannot refund a ticket already admitted at a gate, but can refund the unused one', async () => {
    const show = await showTonight()
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const { buyer, orderId, tickets } = await buyTickets(show, show.seatIds.slice(0, 2))
    await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: nonce() }))

    const refused = await postWithKey(buyer, `/api/orders/${orderId}/refunds`, {})
    expect(refused.status).toBe(409)
    const problem = await problemOf(refused)
    expect(problem.code).toBe('already_redeemed')
    expect(problem.lineIds).toEqual([tickets[0]!.lineId])
    const order = await ok(buyer.get(`/api/orders/${orderId}`))
    expect(order.status).toBe('paid') // nothing was refunded

    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[1]!.lineId] }), 201)
  })

  it('admits once, then refuses with when and where; a retried nonce answers the same; an outbox event is written', async () => {
    const show = await showTonight()
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId }, 'East')
    const { tickets } = await buyTickets(show, show.seatIds.slice(0, 1))
    const n = nonce()
    const admitted = await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: n }))
    expect(admitted).toMatchObject({ admit: true, entry: { id: show.showId } })
    const replay = await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: n }))
    expect(replay).toMatchObject({ admit: true, replayed: true })
    const again = await ok(gate.client.post('/api/gate/check', { scan: tickets[0]!.token, nonce: nonce() }))
    expect(again).toMatchObject({ admit: false, reason: 'already_used', previous: { gateName: 'East' } })

    const { items } = await ok(show.gate.get(`${show.base}/redemptions?ticketId=${tickets[0]!.ticketId}`))
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ gateName: 'East', mode: 'online', deviceId: gate.device.id })
    const outbox = await env.DB.prepare(
      "SELECT payload FROM outbox_events WHERE topic = 'ticket.redeemed' AND json_extract(payload, '$.ticketId') = ?",
    )
      .bind(tickets[0]!.ticketId)
      .all<{ payload: string }>()
    expect(outbox.results).toHaveLength(1)
    expect(JSON.parse(outbox.results[0]!.payload)).toMatchObject({ gate: 'East', mode: 'online' })
  })

  it('of many gates racing with the same ticket, exactly one admits', async () => {
    const show = await showTonight()
    const gates = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        enrollGate(show.gate, show.base, { eventId: show.eventId }, `G${i}`),
      ),
    )
    const { tickets } = await buyTickets(show, show.seatIds.slice(0, 1))
    const answers = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        ok(
          gates[i % gates.length]!.client.post('/api/gate/check', {
            scan: tickets[0]!.token,
            nonce: nonce(),
          }),
        ),
      ),
    )
    expect(answers.filter((a) => a.admit)).toHaveLength(1)
    expect(answers.filter((a) => !a.admit).every((a) => a.reason === 'already_used')).toBe(true)
    const count = await env.DB.prepare('SELECT count(*) AS n FROM redemptions WHERE ticket_id = ?')
      .bind(tickets[0]!.ticketId)
      .first<{ n: number }>()
    expect(count!.n).toBe(1)
  })

  it('records uploaded scans once per nonce, and reports two offline gates admitting one ticket as a conflict', async () => {
    const show = await showTonight()
    const north = await enrollGate(show.gate, show.base, { eventId: show.eventId }, 'North')
    const south = await enrollGate(show.gate, show.base, { eventId: show.eventId }, 'South')
    const { tickets } = await buyTickets(show, show.seatIds.slice(0, 2))
    const at = new Date().toISOString()
    const northScans = [
      { nonce: nonce(), scan: tickets[0]!.token, decision: 'admit', scannedAt: at },
      { nonce: nonce(), scan: tickets[1]!.token, decision: 'admit', scannedAt: at },
      { nonce: nonce(), scan: 'garbage', decision: 'refuse', reason: 'bad_signature', scannedAt: at },
    ]
    const up1 = await ok(north.client.post('/api/gate/scans', { scans: northScans }))
    expect(up1.items.map((i: { status: string; redemption?: string }) => [i.status, i.redemption])).toEqual([
      ['recorded', 'redeemed'],
      ['recorded', 'redeemed'],
      ['recorded', undefined],
    ])
    // The same batch again (a retry after a lost response) changes nothing.
    const up2 = await ok(north.client.post('/api/gate/scans', { scans: northScans }))
    expect(up2.items.every((i: { status: string }) => i.status === 'duplicate')).toBe(true)

    // South admitted ticket 0 too while both were offline, and uploads later.
    const up3 = await ok(
      south.client.post('/api/gate/scans', {
        scans: [{ nonce: nonce(), scan: tickets[0]!.token, decision: 'admit', scannedAt: at }],
      }),
    )
    expect(up3.items[0]).toMatchObject({ status: 'recorded', redemption: 'conflict' })

    const { items: conflicts } = await ok(show.manager.get(`${show.base}/gate-conflicts`))
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]).toMatchObject({
      ticketId: tickets[0]!.ticketId,
      gateName: 'South',
      first: { gateName: 'North' },
    })
    const scans = await env.DB.prepare('SELECT count(*) AS n FROM gate_scans WHERE device_id = ?')
      .bind(north.device.id)
      .first<{ n: number }>()
    expect(scans!.n).toBe(3)
    const events = await env.DB.prepare(
      "SELECT count(*) AS n FROM outbox_events WHERE topic = 'ticket.redeemed' AND organizer_id = ?",
    )
      .bind(show.organizerId)
      .first<{ n: number }>()
    expect(events!.n).toBe(2) // one per redeemed ticket, none for the conflict or the duplicates

    // Online after the sync: the ticket is already used.
    const online = await ok(north.client.post('/api/gate/check', { scan: tickets[1]!.token, nonce: nonce() }))
    expect(online).toMatchObject({ admit: false, reason: 'already_used', previous: { gateName: 'North' } })
  })

  it('flags an offline admission of a ticket refunded before or after the scan, and not one still valid', async () => {
    const show = await showTonight()
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId }, 'East')
    const { buyer, orderId, tickets } = await buyTickets(show, show.seatIds.slice(0, 3))
    // Ticket 0 refunded while the gate was offline and before it scanned it; ticket 1 scanned offline, then
    // refunded before the gate's log reached the server; ticket 2 valid throughout.
    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[0]!.lineId] }), 201)
    const at = new Date().toISOString()
    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[1]!.lineId] }), 201)
    const upload = await ok(
      gate.client.post('/api/gate/scans', {
        scans: tickets.map((t) => ({ nonce: nonce(), scan: t.token, decision: 'admit', scannedAt: at })),
      }),
    )
    // Each was admitted at the gate, so each is a redemption; the revoked ones are also flagged.
    expect(upload.items.map((i: { redemption?: string }) => i.redemption)).toEqual([
      'redeemed',
      'redeemed',
      'redeemed',
    ])
    const { items } = await ok(show.manager.get(`${show.base}/gate-conflicts?kind=revoked_admitted`))
    expect(items.map((c: { ticketId: string }) => c.ticketId).sort()).toEqual(
      [tickets[0]!.ticketId, tickets[1]!.ticketId].sort(),
    )
    const byTicket = new Map(items.map((c: { ticketId: string }) => [c.ticketId, c]))
    const first = byTicket.get(tickets[0]!.ticketId) as Record<string, unknown>
    const second = byTicket.get(tickets[1]!.ticketId) as Record<string, unknown>
    expect(first).toMatchObject({ kind: 'revoked_admitted', revocationReason: 'refunded', gateName: 'East' })
    expect(String(first.revokedAt) <= at).toBe(true)
    expect(String(second.revokedAt) > at).toBe(true)
    // Admitting the valid ticket a second time is the other kind, which the filter keeps apart.
    await ok(
      gate.client.post('/api/gate/scans', {
        scans: [{ nonce: nonce(), scan: tickets[2]!.token, decision: 'admit', scannedAt: at }],
      }),
    )
    const all = await ok(show.manager.get(`${show.base}/gate-conflicts`))
    expect(all.items.map((c: { kind: string }) => c.kind).sort()).toEqual([
      'revoked_admitted',
      'revoked_admitted',
      'second_admission',
    ])
    const twice = await ok(show.manager.get(`${show.base}/gate-conflicts?kind=second_admission`))
    expect(twice.items).toMatchObject([{ ticketId: tickets[2]!.ticketId, first: { gateName: 'East' } }])
    const bad = await show.manager.get(`${show.base}/gate-conflicts?kind=fraud`)
    expect(bad.status).toBe(400)
  })

  it('checks the rotating code for events that ask for it; the ticket page gets only its own ticket secret', async () => {
    const show = await showTonight()
    await ok(show.owner.patch(`${show.base}/events/${show.eventId}`, { rotatingCode: true }))
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    expect(Object.keys(gate.body.profile.eventSecrets)).toEqual([show.eventId])
    const { tickets } = await buyTickets(show, show.seatIds.slice(0, 2))
    const [a, b] = tickets
    expect(a!.rotatingCode).toMatchObject({ stepSeconds: STEP_SECONDS })
    expect(a!.rotatingCode!.secret).not.toBe(b!.rotatingCode!.secret)
    expect(a!.rotatingCode!.secret).not.toBe(gate.body.profile.eventSecrets[show.eventId])

    const now = Date.now()
    const secretA = fromBase64Url(a!.rotatingCode!.secret)
    const stale = await rotatingCode(secretA, now - 3 * STEP_SECONDS * 1000)
    const refused = await ok(
      gate.client.post('/api/gate/check', { scan: `${a!.token}~${stale}`, nonce: nonce() }),
    )
    expect(refused).toMatchObject({ admit: false, reason: 'rotating_code_stale' })
    const bare = await ok(gate.client.post('/api/gate/check', { scan: a!.token, nonce: nonce() }))
    expect(bare).toMatchObject({ admit: false, reason: 'rotating_code_stale' })
    // B's code shown with A's token (a page cannot lend its code to another ticket).
    const codeOfB = await rotatingCode(fromBase64Url(b!.rotatingCode!.secret), now)
    const swapped = await ok(
      gate.client.post('/api/gate/check', { scan: `${a!.token}~${codeOfB}`, nonce: nonce() }),
    )
    expect(swapped).toMatchObject({ admit: false, reason: 'rotating_code_stale' })
    const fresh = await rotatingCode(secretA, Date.now())
    const admitted = await ok(
      gate.client.post('/api/gate/check', { scan: `${a!.token}~${fresh}`, nonce: nonce() }),
    )
    expect(admitted).toMatchObject({ admit: true })
  })

  it('gives the ticket page its wallet details', async () => {
    const show = await showTonight()
    const { tickets } = await buyTickets(show, show.seatIds.slice(0, 1))
    expect(tickets[0]).toMatchObject({
      title: 'Gala',
      venue: 'Hall',
      entrance: 'Main',
      seat: 'Main-R1-1',
      rotatingCode: null,
      holderIdMasked: null,
    })
    expect(Date.parse((tickets[0] as never as { startsAt: string }).startsAt)).toBeGreaterThan(Date.now())
  })
})

describe('gate errors', () => {
  it('an enrollment code works once, and not after it expired', async () => {
    const show = await showTonight()
    const { code } = await ok(
      show.gate.post(`${show.base}/gate-enrollments`, { gateName: 'Once', eventId: show.eventId }),
      201,
    )
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/)
    // Two devices racing with the same code: one enrolls.
    const [r1, r2] = await Promise.all([
      new ApiClient().post('/api/gate/enroll', { code }),
      new ApiClient().post('/api/gate/enroll', { code }),
    ])
    expect([r1.status, r2.status].sort()).toEqual([201, 400])
    const reused = await new ApiClient().post('/api/gate/enroll', { code })
    expect((await problemOf(reused)).code).toBe('enrollment_code_invalid')

    const late = await ok(
      show.gate.post(`${show.base}/gate-enrollments`, { gateName: 'Late', eventId: show.eventId }),
      201,
    )
    await env.DB.prepare('UPDATE gate_enrollment_codes SET expires_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), late.id)
      .run()
    expect((await problemOf(await new ApiClient().post('/api/gate/enroll', { code: late.code }))).code).toBe(
      'enrollment_code_invalid',
    )
    expect((await problemOf(await new ApiClient().post('/api/gate/enroll', { code: 'ZZZZZZZZ' }))).code).toBe(
      'enrollment_code_invalid',
    )
  })

  it('refuses an address after ten wrong enrollment codes, even with a right one; other addresses still enroll', async () => {
    const show = await showTonight()
    const guesser = `198.51.100.${Math.floor(Math.random() * 250) + 1}`
    const enroll = (code: string, ip: string) =>
      new ApiClient().fetch('/api/gate/enroll', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'cf-connecting-ip': ip },
        body: JSON.stringify({ code }),
      })
    for (let i = 0; i < ENROLLMENT_FAILURES_ALLOWED; i++) {
      const wrong = await enroll(`WRONG${String(i).padStart(3, '0')}`, guesser)
      expect((await problemOf(wrong)).code).toBe('enrollment_code_invalid')
    }
    const { code } = await ok(
      show.gate.post(`${show.base}/gate-enrollments`, { gateName: 'Guarded', eventId: show.eventId }),
      201,
    )
    const limited = await enroll(code, guesser)
    expect(limited.status).toBe(429)
    expect((await problemOf(limited)).code).toBe('rate_limited')
    const retryAfter = Number(limited.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(2 * ENROLLMENT_FAILURE_WINDOW_MINUTES * 60)
    // The code was not spent by the refused attempt: the staff member's own device enrolls with it.
    expect((await enroll(code, '203.0.113.7')).status).toBe(201)
  })

  it('validates enrollment requests and scan uploads', async () => {
    const show = await showTonight()
    const both = await problemOf(
      await show.gate.post(`${show.base}/gate-enrollments`, {
        gateName: 'X',
        eventId: show.eventId,
        siteId: 'site_x',
      }),
    )
    expect(both.code).toBe('validation')
    const missing = await show.gate.post(`${show.base}/gate-enrollments`, {
      gateName: 'X',
      eventId: 'evt_nope',
    })
    expect(missing.status).toBe(404)
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const bad = await problemOf(
      await gate.client.post('/api/gate/scans', {
        scans: [{ nonce: 'x', scan: '', decision: 'maybe', scannedAt: 'yesterday' }],
      }),
    )
    expect(bad.code).toBe('validation')
    expect(bad.errors!.map((e) => e.path).sort()).toEqual([
      'json.scans.0.decision',
      'json.scans.0.nonce',
      'json.scans.0.scan',
      'json.scans.0.scannedAt',
    ])
  })
})

describe('gate security', () => {
  it('refuses forged, expired, foreign-audience and revoked device tokens', async () => {
    const show = await showTonight()
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const [h, p] = gate.token.split('.')
    const forgedPayload = btoa(JSON.stringify({ ...JSON.parse(atob(p!)), org: 'org_other' })).replaceAll(
      '=',
      '',
    )
    const forged = new GateClient(`${h}.${forgedPayload}.${gate.token.split('.')[2]}`)
    expect((await forged.get('/api/gate/sync')).status).toBe(401)
    const wrongKey = await signDeviceToken(gate.device, 'some-other-secret')
    expect((await new GateClient(wrongKey).get('/api/gate/sync')).status).toBe(401)
    const expired = await signDeviceToken(gate.device, env.SESSION_SECRET, Date.now() - 31 * 86_400_000)
    expect((await new GateClient(expired).get('/api/gate/sync')).status).toBe(401)
    expect((await new ApiClient().get('/api/gate/sync')).status).toBe(401)
    // A staff session cookie is not a device credential.
    expect((await show.owner.get('/api/gate/sync')).status).toBe(401)

    expect((await gate.client.get('/api/gate/sync')).status).toBe(200)
    expect((await show.gate.delete(`${show.base}/gate-devices/${gate.device.id}`)).status).toBe(403)
    expect((await show.manager.delete(`${show.base}/gate-devices/${gate.device.id}`)).status).toBe(204)
    const afterRevoke = await gate.client.get('/api/gate/sync')
    expect((await problemOf(afterRevoke)).code).toBe('unauthorized')
  })

  it("another organizer's device neither syncs this organizer's revocations nor redeems its tickets", async () => {
    const mine = await showTonight()
    const theirs = await showTonight()
    const myGate = await enrollGate(mine.gate, mine.base, { eventId: mine.eventId })
    // Their staff cannot enroll a device for my event.
    const cross = await theirs.gate.post(`${theirs.base}/gate-enrollments`, {
      gateName: 'X',
      eventId: mine.eventId,
    })
    expect(cross.status).toBe(404)
    // Nor use my organizer's admin routes.
    expect((await theirs.owner.get(`${mine.base}/gate-devices`)).status).toBe(403)
    const theirGate = await enrollGate(theirs.gate, theirs.base, { eventId: theirs.eventId })

    const { buyer, orderId, tickets } = await buyTickets(mine, mine.seatIds.slice(0, 2))
    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, { lineIds: [tickets[0]!.lineId] }), 201)
    const theirSync = await ok(theirGate.client.get('/api/gate/sync?cursor=0'))
    const theirPage = await revokedIn(theirSync as never, theirs.organizerId, theirGate.device.id)
    expect(theirPage!.r).toEqual([])
    const mySync = await ok(myGate.client.get('/api/gate/sync?cursor=0'))
    expect((await revokedIn(mySync as never, mine.organizerId, myGate.device.id))!.r).toHaveLength(1)
    // A page cut for my device does not pass as theirs.
    expect(await revokedIn(mySync as never, theirs.organizerId, theirGate.device.id)).toBeUndefined()

    // Their gate is not enrolled for my show: wrong gate online, and an upload claiming an admit redeems nothing.
    const check = await ok(
      theirGate.client.post('/api/gate/check', { scan: tickets[1]!.token, nonce: nonce() }),
    )
    expect(check).toMatchObject({ admit: false, reason: 'wrong_gate' })
    const upload = await ok(
      theirGate.client.post('/api/gate/scans', {
        scans: [
          { nonce: nonce(), scan: tickets[1]!.token, decision: 'admit', scannedAt: new Date().toISOString() },
        ],
      }),
    )
    expect(upload.items[0]).toEqual({
      nonce: expect.any(String),
      status: 'recorded',
      ticketId: tickets[1]!.ticketId,
      refused: 'wrong_gate',
    })
    const mine1 = await ok(myGate.client.post('/api/gate/check', { scan: tickets[1]!.token, nonce: nonce() }))
    expect(mine1).toMatchObject({ admit: true })
    expect((await ok(theirs.owner.get(`${theirs.base}/redemptions`))).items).toEqual([])
  })

  it('refuses tokens not signed by the platform', async () => {
    const show = await showTonight()
    const gate = await enrollGate(show.gate, show.base, { eventId: show.eventId })
    const { tickets } = await buyTickets(show, show.seatIds.slice(0, 1))
    const [h, p, s] = tickets[0]!.token.split('.')
    const tampered = `${h}.${p}.${s!.slice(0, -4)}AAAA`
    const check = await ok(gate.client.post('/api/gate/check', { scan: tampered, nonce: nonce() }))
    expect(check).toMatchObject({ admit: false, reason: 'bad_signature' })
  })
})
