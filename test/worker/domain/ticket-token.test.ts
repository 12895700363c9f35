import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import {
  eventKey,
  signingKeyFrom,
  signTicket,
  TOKEN_MAX_LENGTH,
  verifyTicket,
} from '../../../worker/domain/ticket-token.ts'
import { parseTicketKeys, publicJwks } from '../../../worker/services/ticket-keys.ts'
import { qrVersion } from '../../../worker/services/ticket-qr.ts'

const keys = parseTicketKeys(env.TICKET_SIGNING_KEYS)
const jwks = publicJwks(keys) as Parameters<typeof verifyTicket>[1][number][]
const now = Math.floor(Date.now() / 1000)
const claims = {
  tid: 'tkt_7ZG57NV90YRRDE7H',
  ev: 'site_01M82SAKMMZX8S6XF1W671WD01:2026-12-31',
  it: 'F671WD01@09:00',
  hh: '123X',
  nbf: now - 60,
  exp: now + 3600,
}

describe('ticket tokens', () => {
  it('sign and verify offline, stay under 300 characters and QR version 15 at level M', async () => {
    const token = await signTicket(claims, await signingKeyFrom(keys.current))
    expect(token.length).toBeLessThanOrEqual(TOKEN_MAX_LENGTH)
    expect(qrVersion(token)).toBeLessThanOrEqual(15)
    const verified = await verifyTicket(token, jwks)
    expect(verified).toEqual({
      ok: true,
      kid: keys.current.kid,
      ticket: {
        tid: claims.tid,
        evKey: eventKey(claims.ev),
        it: claims.it,
        hh: '123X',
        nbf: claims.nbf,
        exp: claims.exp,
      },
    })
    expect(eventKey(claims.ev)).toBe('6XF1W671WD01:261231')
    expect(JSON.parse(atob(token.split('.')[0]!))).toEqual({ alg: 'EdDSA', kid: keys.current.kid })
  })

  it('refuses tampered, foreign-key, not-yet-valid and expired tokens', async () => {
    const signing = await signingKeyFrom(keys.current)
    const token = await signTicket(claims, signing)
    const [h, p, s] = token.split('.')
    const forged = btoa(JSON.stringify({ ...JSON.parse(atob(p!)), i: 'VIP-A-1' }))
      .replaceAll('=', '')
      .replaceAll('+', '-')
      .replaceAll('/', '_')
    expect(await verifyTicket(`${h}.${forged}.${s}`, jwks)).toEqual({ ok: false, reason: 'bad_signature' })
    expect(await verifyTicket(`${h}.${p}.${s}`, jwks.slice(1))).toMatchObject({
      ok: false,
      reason: 'unknown_key',
    })
    expect(await verifyTicket(token, jwks, (claims.nbf - 10) * 1000)).toEqual({
      ok: false,
      reason: 'not_yet_valid',
    })
    expect(await verifyTicket(token, jwks, (claims.exp + 10) * 1000)).toEqual({
      ok: false,
      reason: 'expired',
    })
    expect(await verifyTicket('not-a-token', jwks)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('keeps verifying tickets signed with the previous key after a rotation', async () => {
    expect(keys.previous).toHaveLength(1)
    expect(keys.previous[0]!.d).toBeUndefined() // only the public half is kept
    expect(jwks.map((k) => k.kid)).toEqual([keys.current.kid, keys.previous[0]!.kid])
    expect(jwks.every((k) => !('d' in k) || k.d === undefined)).toBe(true)
  })
})
