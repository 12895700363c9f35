import type { JWK } from 'jose'
import { describe, expect, it } from 'vitest'
import {
  createGate,
  type GateProfile,
  type GateScopeEntry,
  importTicketKeys,
  type PriorAdmission,
  parseScan,
} from '../../../worker/domain/gate-decision.ts'
import { signRevocationPage, verifyRevocationPage } from '../../../worker/domain/revocation-list.ts'
import { rotatingCode, STEP_SECONDS, ticketSecret } from '../../../worker/domain/rotating-code.ts'
import {
  eventKey,
  signingKeyFrom,
  signTicket,
  type TicketClaims,
} from '../../../worker/domain/ticket-token.ts'

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '')

/** A fresh Ed25519 key pair as JWKs, as `npm run dev` makes them. */
async function newKey(kid: string) {
  const pair = (await crypto.subtle.generateKey({ name: 'Ed25519' }, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  const { key_ops: _ops, ext: _ext, ...priv } = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JWK
  const { d: _d, ...pub } = priv
  return {
    signing: await signingKeyFrom({ ...priv, kid, alg: 'EdDSA' } as JWK & { kid: string }),
    public: { ...pub, kid, alg: 'EdDSA' } as JWK & { kid: string },
  }
}

const hour = 3600
const showId = 'shw_01JDEMO0SHOW0A1B2C3D4E5F6G'
const otherShowId = 'shw_01JDEMO0SHOW0ZZZZZZZZZZZZZ'
const siteId = 'site_01M82SAKMMZX8S6XF1W671WD01'
// 18:00 in Shanghai on 1 December 2026; the show ends at 21:00, the ticket lapses at 22:00.
const start = Date.parse('2026-12-01T10:00:00Z') / 1000
const showWindow = { nbf: start - 4 * hour, exp: start + 4 * hour }
const tid = 'tkt_7ZG57NV90YRRDE7H'

const showEntry = (over: Partial<GateScopeEntry> = {}): GateScopeEntry => ({
  kind: 'show',
  id: showId,
  evKey: eventKey(showId),
  label: 'Gala',
  day: '2026-12-01',
  validFrom: new Date(showWindow.nbf * 1000).toISOString(),
  validUntil: new Date(showWindow.exp * 1000).toISOString(),
  eventId: 'evt_1',
  rotatingCode: false,
  ...over,
})

const profile = (over: Partial<GateProfile> = {}): GateProfile => ({
  deviceId: 'gdv_1',
  organizerId: 'org_1',
  gateName: 'North',
  direction: 'entry',
  timezone: 'Asia/Shanghai',
  scope: [showEntry()],
  eventSecrets: {},
  ...over,
})

const none = { has: (_id: string) => false }
const noLog = new Map<string, PriorAdmission>()

async function setup(over: Partial<GateProfile> = {}) {
  const current = await newKey('kB')
  const previous = await newKey('kA')
  const keys = await importTicketKeys([current.public, previous.public])
  const gate = createGate(profile(over), keys)
  const sign = (claims: Partial<TicketClaims> = {}, key = current) =>
    signTicket({ tid, ev: showId, it: 'Main-R1-1', ...showWindow, ...claims }, key.signing)
  return { gate, keys, sign, current, previous }
}

const at = (seconds: number) => seconds * 1000

describe('gate decision: admits', () => {
  it('admits a valid ticket in scope, offline, and says what it is', async () => {
    const { gate, sign } = await setup()
    const decision = await gate.decide({
      scan: await sign(),
      revoked: none,
      admitted: noLog,
      now: at(start - hour),
    })
    expect(decision).toMatchObject({ admit: true, ticket: { tid, it: 'Main-R1-1' }, entry: { id: showId } })
  })

  it('admits a ticket signed with the previous key after a rotation', async () => {
    const { gate, sign, previous } = await setup()
    const token = await sign({}, previous)
    expect(JSON.parse(atob(token.split('.')[0]!)).kid).toBe('kA')
    expect(await gate.decide({ scan: token, revoked: none, admitted: noLog, now: at(start) })).toMatchObject({
      admit: true,
    })
  })

  it('admits a multi-day scenic ticket on its second day at a gate enrolled for the site', async () => {
    const dayStart = Date.parse('2026-12-01T00:00:00+08:00') / 1000
    const days = ['2026-12-01', '2026-12-02', '2026-12-03'].map(
      (day): GateScopeEntry => ({
        kind: 'site_day',
        id: `${siteId}:${day}`,
        evKey: eventKey(`${siteId}:${day}`),
        label: day,
        day,
        validFrom: '',
        validUntil: '',
        eventId: null,
        rotatingCode: false,
      }),
    )
    const { gate, sign } = await setup({ scope: days.slice(1) })
    const token = await sign({ ev: `${siteId}:2026-12-01`, nbf: dayStart, exp: dayStart + 2 * 24 * hour })
    const day2 = at(dayStart + 24 * hour + 10 * hour)
    expect(await gate.decide({ scan: token, revoked: none, admitted: noLog, now: day2 })).toMatchObject({
      admit: true,
    })
    const day3 = at(dayStart + 2 * 24 * hour + 10 * hour)
    expect(await gate.decide({ scan: token, revoked: none, admitted: noLog, now: day3 })).toMatchObject({
      admit: false,
      reason: 'wrong_day',
      ticketDay: '2026-12-01',
    })
    const otherSite = await sign({ ev: 'site_01M82SAKMMZX8S6XF1W6ZZZZZZ:2026-12-02' })
    expect(await gate.decide({ scan: otherSite, revoked: none, admitted: noLog, now: day2 })).toMatchObject({
      admit: false,
      reason: 'wrong_gate',
    })
  })

  it('security: a gate enrolled for some days of a site does not admit a visit on another day, even while it is valid', async () => {
    const dayStart = Date.parse('2026-12-01T00:00:00+08:00') / 1000
    const scope = ['2026-12-02', '2026-12-03'].map(
      (day): GateScopeEntry => ({
        kind: 'site_day',
        id: `${siteId}:${day}`,
        evKey: eventKey(`${siteId}:${day}`),
        label: day,
        day,
        validFrom: '',
        validUntil: '',
        eventId: null,
        rotatingCode: false,
      }),
    )
    const { gate, sign } = await setup({ scope })
    const oneDay = await sign({ ev: `${siteId}:2026-12-01`, nbf: dayStart, exp: dayStart + 24 * hour })
    const onItsDay = at(dayStart + 10 * hour)
    expect(await gate.decide({ scan: oneDay, revoked: none, admitted: noLog, now: onItsDay })).toMatchObject({
      admit: false,
      reason: 'wrong_gate',
    })
    const later = dayStart + 5 * 24 * hour
    const afterRange = await sign({ ev: `${siteId}:2026-12-06`, nbf: later, exp: later + 24 * hour })
    expect(
      await gate.decide({ scan: afterRange, revoked: none, admitted: noLog, now: at(later + 10 * hour) }),
    ).toMatchObject({ admit: false, reason: 'wrong_gate' })
  })

  it('lets an exit gate pass a ticket that was already admitted', async () => {
    const { gate, sign } = await setup({ direction: 'exit' })
    const log = new Map([[tid, { at: at(start - 2 * hour), gateName: 'North' }]])
    expect(
      await gate.decide({ scan: await sign(), revoked: none, admitted: log, now: at(start) }),
    ).toMatchObject({
      admit: true,
    })
  })
})

describe('gate decision: every refusal reason', () => {
  it('bad_signature: tampered claims, unknown key, garbage', async () => {
    const { gate, sign } = await setup()
    const [h, p, s] = (await sign()).split('.')
    const forged = toBase64Url(
      new TextEncoder().encode(JSON.stringify({ ...JSON.parse(atob(p!)), i: 'VIP-A-1' })),
    )
    const stranger = await newKey('kB') // same kid, different key: a forger guessing the kid
    const decide = (scan: string) => gate.decide({ scan, revoked: none, admitted: noLog, now: at(start) })
    expect(await decide(`${h}.${forged}.${s}`)).toEqual({ admit: false, reason: 'bad_signature' })
    expect(await decide(await sign({}, stranger))).toEqual({ admit: false, reason: 'bad_signature' })
    const unknownKid = await newKey('kZ')
    expect(await decide(await sign({}, unknownKid))).toEqual({ admit: false, reason: 'bad_signature' })
    expect(await decide('not-a-token')).toEqual({ admit: false, reason: 'bad_signature' })
    expect(await decide('')).toEqual({ admit: false, reason: 'bad_signature' })
  })

  it('revoked, wrong_gate, not_yet_valid, expired and wrong_day', async () => {
    const { gate, sign } = await setup()
    const token = await sign()
    const decide = (scan: string, now: number, revoked = none) =>
      gate.decide({ scan, revoked, admitted: noLog, now })
    expect(await decide(token, at(start), { has: (id: string) => id === tid })).toMatchObject({
      admit: false,
      reason: 'revoked',
    })
    expect(await decide(await sign({ ev: otherShowId }), at(start))).toMatchObject({ reason: 'wrong_gate' })
    // 13:00 in Shanghai, before the doors open at 14:00 the same day.
    expect(await decide(token, at(start - 5 * hour))).toMatchObject({ reason: 'not_yet_valid' })
    // 22:30 the same evening, after the ticket lapsed.
    expect(await decide(token, at(showWindow.exp + 1800))).toMatchObject({ reason: 'expired' })
    expect(await decide(token, at(start - 3 * 24 * hour))).toMatchObject({
      reason: 'wrong_day',
      ticketDay: '2026-12-01',
    })
    expect(await decide(token, at(start + 2 * 24 * hour))).toMatchObject({ reason: 'wrong_day' })
  })

  it('already_used, with when and where', async () => {
    const { gate, sign } = await setup()
    const first = { at: at(start - 2 * hour), gateName: 'South' }
    const decision = await gate.decide({
      scan: await sign(),
      revoked: none,
      admitted: new Map([[tid, first]]),
      now: at(start),
    })
    expect(decision).toMatchObject({ admit: false, reason: 'already_used', previous: first })
  })

  it('rotating_code_stale: missing, older than a minute, or another ticket’s code; fresh codes admit', async () => {
    const eventSecret = crypto.getRandomValues(new Uint8Array(32))
    const { gate, sign } = await setup({
      scope: [showEntry({ rotatingCode: true })],
      eventSecrets: { evt_1: toBase64Url(eventSecret) },
    })
    const token = await sign()
    const now = at(start)
    const mine = await ticketSecret(eventSecret, tid)
    const decide = (scan: string, code?: string) =>
      gate.decide({ scan, ...(code ? { code } : {}), revoked: none, admitted: noLog, now })
    expect(await decide(`${token}~${await rotatingCode(mine, now)}`)).toMatchObject({ admit: true })
    // Typed separately, and the previous step (up to a minute old) still counts.
    expect(await decide(token, await rotatingCode(mine, now - STEP_SECONDS * 1000))).toMatchObject({
      admit: true,
    })
    expect(await decide(token)).toMatchObject({ reason: 'rotating_code_stale' })
    expect(await decide(`${token}~${await rotatingCode(mine, now - 3 * STEP_SECONDS * 1000)}`)).toMatchObject(
      {
        reason: 'rotating_code_stale',
      },
    )
    const other = await ticketSecret(eventSecret, 'tkt_OTHER00000000000')
    expect(await decide(`${token}~${await rotatingCode(other, now)}`)).toMatchObject({
      reason: 'rotating_code_stale',
    })
    // A gate without the event's secret cannot accept any code.
    const blind = await setup({ scope: [showEntry({ rotatingCode: true })] })
    expect(
      await blind.gate.decide({
        scan: `${await blind.sign()}~${await rotatingCode(mine, now)}`,
        revoked: none,
        admitted: noLog,
        now,
      }),
    ).toMatchObject({ reason: 'rotating_code_stale' })
  })

  it('parses scans with and without a rotating code', () => {
    expect(parseScan(' a.b.c~123456\n')).toEqual({ token: 'a.b.c', code: '123456' })
    expect(parseScan('a.b.c')).toEqual({ token: 'a.b.c' })
  })
})

describe('signed revocation pages', () => {
  it('verify with the ticket keys, only for the organizer and device they were cut for, and not when altered', async () => {
    const { keys, current } = await setup()
    const page = {
      org: 'org_1',
      dev: 'gdv_1',
      from: 0,
      to: 7,
      more: false,
      iat: 1,
      r: [[tid, 'refunded']] as [string, string][],
    }
    const jws = await signRevocationPage(page, current.signing)
    expect(await verifyRevocationPage(jws, keys, { org: 'org_1', dev: 'gdv_1' })).toEqual(page)
    expect(await verifyRevocationPage(jws, keys, { org: 'org_2', dev: 'gdv_1' })).toBeUndefined()
    expect(await verifyRevocationPage(jws, keys, { org: 'org_1', dev: 'gdv_2' })).toBeUndefined()
    const [h, , s] = jws.split('.')
    const emptied = toBase64Url(new TextEncoder().encode(JSON.stringify({ ...page, r: [] })))
    expect(
      await verifyRevocationPage(`${h}.${emptied}.${s}`, keys, { org: 'org_1', dev: 'gdv_1' }),
    ).toBeUndefined()
    const stranger = await newKey('kB')
    const foreign = await signRevocationPage(page, stranger.signing)
    expect(await verifyRevocationPage(foreign, keys, { org: 'org_1', dev: 'gdv_1' })).toBeUndefined()
    // A ticket token is not a revocation page, even though the same key signed it.
    const { sign } = await setup()
    expect(await verifyRevocationPage(await sign(), keys, { org: 'org_1', dev: 'gdv_1' })).toBeUndefined()
  })
})
