import { CompactSign, type CryptoKey, importJWK, type JWK } from 'jose'

// Tickets are compact JWS (EdDSA / Ed25519) that any enrolled gate verifies offline with the published
// public keys. The payload uses one-letter claims and ids without their type prefixes, so a token stays
// ≤ 300 characters and its QR code ≤ version 15 at error correction M (asserted in tests).
// Pure: the worker signs with it, the gate scanner in the browser verifies with the same code.

export interface TicketClaims {
  /** Ticket id. */
  tid: string
  /** What it admits to: a show id, or `<siteId>:<YYYY-MM-DD>` for a scenic visit. */
  ev: string
  /** Seat label, or product (short) and time slot, for the gate's screen and rules. */
  it: string
  /** Holder hint for real-name tickets (last 4 of the ID number), never the full number. */
  hh?: string
  /** Valid from / until (unix seconds). */
  nbf: number
  exp: number
}

export interface SigningKey {
  kid: string
  key: CryptoKey
}

export const TOKEN_MAX_LENGTH = 300

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const unprefix = (id: string) => id.slice(id.indexOf('_') + 1)

/**
 * The short form of what a ticket admits to, as carried in tokens: the last 12 characters of the show
 * or site id (60 random bits), plus `:YYMMDD` for a visit date. A gate compares it with
 * `eventKey()` of the show or site-day it is enrolled for.
 */
export function eventKey(ev: string): string {
  const [id, date] = ev.split(':')
  const short = unprefix(id!).slice(-12)
  return date ? `${short}:${date.slice(2).replaceAll('-', '')}` : short
}

export async function signingKeyFrom(jwk: JWK & { kid: string }): Promise<SigningKey> {
  return { kid: jwk.kid, key: (await importJWK(jwk, 'EdDSA')) as CryptoKey }
}

export async function signTicket(claims: TicketClaims, signing: SigningKey): Promise<string> {
  const payload = {
    t: unprefix(claims.tid),
    e: eventKey(claims.ev),
    i: claims.it,
    ...(claims.hh ? { h: claims.hh } : {}),
    n: claims.nbf,
    // Validity as minutes from `n`: shorter than a second timestamp.
    d: Math.ceil((claims.exp - claims.nbf) / 60),
  }
  return new CompactSign(encoder.encode(JSON.stringify(payload)))
    .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid })
    .sign(signing.key)
}

/** What a gate learns from a valid token. */
export interface VerifiedTicket {
  tid: string
  /** `eventKey()` of the show or site-day the ticket is for. */
  evKey: string
  it: string
  hh?: string
  nbf: number
  exp: number
}

export type VerifyResult =
  | { ok: true; ticket: VerifiedTicket; kid: string }
  | { ok: false; reason: 'bad_signature' | 'unknown_key' | 'not_yet_valid' | 'expired' | 'malformed' }

/** Why a token's signature could not be accepted. */
export type SignatureFailure = 'bad_signature' | 'unknown_key' | 'malformed'

export type ReadResult =
  | { ok: true; ticket: VerifiedTicket; kid: string }
  | { ok: false; reason: SignatureFailure }

function kidOf(token: string): string | undefined {
  const dot = token.indexOf('.')
  if (dot < 0) return undefined
  try {
    return JSON.parse(atob(token.slice(0, dot).replaceAll('-', '+').replaceAll('_', '/'))).kid
  } catch {
    return undefined
  }
}

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0))

/**
 * Checks a token's signature with already imported keys (by `kid`) and decodes its claims, without judging
 * its validity window: the gate's decision does that, so it can tell "wrong day" from "expired".
 * This is the gate's hot path, so it is one Web Crypto `verify` over the token as scanned, with the few
 * header checks a compact JWS needs here (EdDSA only, no `crit`), rather than a general JWS library call.
 */
export async function readTicket(
  token: string,
  keyFor: (kid: string) => CryptoKey | undefined,
): Promise<ReadResult> {
  const [h, p, s, extra] = token.split('.')
  if (!h || !p || !s || extra !== undefined) return { ok: false, reason: 'malformed' }
  let header: { alg?: unknown; kid?: unknown; crit?: unknown }
  let signature: Uint8Array<ArrayBuffer>
  try {
    header = JSON.parse(atob(h.replaceAll('-', '+').replaceAll('_', '/')))
    signature = fromBase64Url(s)
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (header.alg !== 'EdDSA' || header.crit !== undefined || typeof header.kid !== 'string')
    return { ok: false, reason: 'malformed' }
  const key = keyFor(header.kid)
  if (!key) return { ok: false, reason: 'unknown_key' }
  const valid = await crypto.subtle
    .verify(key.algorithm, key, signature, encoder.encode(`${h}.${p}`))
    .catch(() => false)
  if (!valid) return { ok: false, reason: 'bad_signature' }
  let payload: { t?: unknown; e?: unknown; i?: unknown; h?: unknown; n?: unknown; d?: unknown }
  try {
    payload = JSON.parse(decoder.decode(fromBase64Url(p)))
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (
    typeof payload?.t !== 'string' ||
    typeof payload.e !== 'string' ||
    typeof payload.i !== 'string' ||
    typeof payload.n !== 'number' ||
    typeof payload.d !== 'number'
  )
    return { ok: false, reason: 'malformed' }
  return {
    ok: true,
    kid: header.kid,
    ticket: {
      tid: `tkt_${payload.t}`,
      evKey: payload.e,
      it: payload.i,
      ...(typeof payload.h === 'string' ? { hh: payload.h } : {}),
      nbf: payload.n,
      exp: payload.n + payload.d * 60,
    },
  }
}

/** Verifies offline against public keys by `kid` (current and previous, so rotation never strands a ticket). */
export async function verifyTicket(
  token: string,
  publicKeys: (JWK & { kid: string })[],
  now = Date.now(),
): Promise<VerifyResult> {
  const kid = kidOf(token)
  const jwk = publicKeys.find((k) => k.kid === kid)
  const key = jwk ? ((await importJWK(jwk, 'EdDSA')) as CryptoKey) : undefined
  const read = await readTicket(token, () => key)
  if (!read.ok) return read
  const seconds = Math.floor(now / 1000)
  if (seconds < read.ticket.nbf) return { ok: false, reason: 'not_yet_valid' }
  if (seconds >= read.ticket.exp) return { ok: false, reason: 'expired' }
  return read
}
