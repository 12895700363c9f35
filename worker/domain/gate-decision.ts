import { type CryptoKey, importJWK, type JWK } from 'jose'
import { checkRotatingCode, importHmacKey } from './rotating-code.ts'
import { readTicket, type VerifiedTicket } from './ticket-token.ts'

// The gate's decision: admit or refuse a scanned ticket, offline, in well under a millisecond of our own
// work beside one Ed25519 verification. Pure (Web Crypto + jose, no bindings): the worker's online check
// and the gate app in the browser run this same code on the same inputs.

export type RefusalReason =
  | 'bad_signature'
  | 'revoked'
  | 'wrong_gate'
  | 'wrong_day'
  | 'not_yet_valid'
  | 'expired'
  | 'rotating_code_stale'
  | 'already_used'

/** One show or site-day an enrolled gate admits to. */
export interface GateScopeEntry {
  kind: 'show' | 'site_day'
  /** Show id, or `<siteId>:<YYYY-MM-DD>`. */
  id: string
  /** `eventKey()` of `id`, as carried in tokens. */
  evKey: string
  /** The event's or site's name (the day and time are beside it). */
  label: string
  /** Its optional English name; absent in profiles saved before it existed. */
  labelEn?: string | null
  /** Shows: the start (ISO), for the gate to show in its own words and zone. */
  startsAt?: string
  /** Local date (the organizer's time zone) of the show, or the visit date. */
  day: string
  validFrom: string
  validUntil: string
  /** Event whose gate secret recomputes rotating codes, when the event asks for them. */
  eventId: string | null
  rotatingCode: boolean
}

/** Everything a gate needs besides keys, revocations and its own scan log. */
export interface GateProfile {
  deviceId: string
  organizerId: string
  gateName: string
  direction: 'entry' | 'exit'
  timezone: string
  scope: GateScopeEntry[]
  /** Per-event gate secrets (base64url), only for events in scope that use rotating codes. */
  eventSecrets: Record<string, string>
}

/** What the gate remembers of an earlier admission of a ticket (its own scans and synced redemptions). */
export interface PriorAdmission {
  at: number
  gateName: string
}

export interface DecisionInput {
  /** What the scanner read: the token, optionally followed by `~` and the rotating code. */
  scan: string
  /** A rotating code typed separately (overrides one in the scan). */
  code?: string
  /** Revoked ticket ids (from the signed revocation list). */
  revoked: { has(ticketId: string): boolean }
  /** Earlier admissions by ticket id. */
  admitted: { get(ticketId: string): PriorAdmission | undefined }
  now: number
}

export type GateDecision =
  | { admit: true; ticket: VerifiedTicket; entry: GateScopeEntry }
  | {
      admit: false
      reason: RefusalReason
      ticket?: VerifiedTicket
      entry?: GateScopeEntry
      /** For `already_used`: when and where the ticket was admitted first. */
      previous?: PriorAdmission
      /** For `wrong_day`: the day(s) the ticket is for. */
      ticketDay?: string
    }

/** Splits a scan into token and rotating code (`<jws>~<6 digits>`). */
export function parseScan(scan: string): { token: string; code?: string } {
  const trimmed = scan.trim()
  const tilde = trimmed.indexOf('~')
  if (tilde < 0) return { token: trimmed }
  return { token: trimmed.slice(0, tilde), code: trimmed.slice(tilde + 1) }
}

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0))

/** Public keys imported once, by `kid` (current and earlier keys, so rotation never strands a ticket). */
export async function importTicketKeys(jwks: (JWK & { kid?: string })[]): Promise<Map<string, CryptoKey>> {
  const keys = new Map<string, CryptoKey>()
  for (const jwk of jwks) {
    if (jwk.kid && jwk.kty === 'OKP' && jwk.crv === 'Ed25519' && !jwk.d)
      keys.set(jwk.kid, (await importJWK(jwk, 'EdDSA')) as CryptoKey)
  }
  return keys
}

const siteOf = (evKey: string) => {
  const colon = evKey.indexOf(':')
  return colon < 0 ? undefined : evKey.slice(0, colon)
}
/** `YYMMDD` → `YYYY-MM-DD`. */
const dayOfEvKey = (evKey: string) => {
  const d = evKey.slice(evKey.indexOf(':') + 1)
  return `20${d.slice(0, 2)}-${d.slice(2, 4)}-${d.slice(4, 6)}`
}

/** A ticket found without a token (by the holder's ID number): judged like a scan of it, no code to check. */
export interface TicketDecisionInput extends DecisionFacts {
  ticket: VerifiedTicket
}
/** What a decision knows besides the ticket: revocations, earlier admissions, the time. */
type DecisionFacts = Omit<DecisionInput, 'scan' | 'code'>

export interface Gate {
  readonly profile: GateProfile
  decide(input: DecisionInput): Promise<GateDecision>
  /**
   * The decision on a ticket the gate knows from its ID index (身份证核验): the same scope, day, revocation and
   * admit-once rules as a scan. No rotating code: the card in staff's hand is the proof a screenshot is not.
   */
  decideTicket(input: TicketDecisionInput): GateDecision
}

/** Prepares a gate once (keys imported, scope indexed) so each decision does only the per-scan work. */
export function createGate(profile: GateProfile, keys: Map<string, CryptoKey>): Gate {
  const byEvKey = new Map(profile.scope.map((entry) => [entry.evKey, entry]))
  const siteDays = new Map<string, GateScopeEntry[]>()
  for (const entry of profile.scope) {
    const site = entry.kind === 'site_day' ? siteOf(entry.evKey) : undefined
    if (site) siteDays.set(site, [...(siteDays.get(site) ?? []), entry])
  }
  // Each event's gate secret is imported once, on its first rotating-code scan.
  const secrets = new Map(
    Object.entries(profile.eventSecrets).map(([eventId, secret]) => [
      eventId,
      { bytes: fromBase64Url(secret), key: undefined as Promise<CryptoKey> | undefined },
    ]),
  )
  const secretKey = (eventId: string | null) => {
    const secret = eventId ? secrets.get(eventId) : undefined
    if (!secret) return undefined
    secret.key ??= importHmacKey(secret.bytes)
    return secret.key
  }
  const localDate = new Intl.DateTimeFormat('en-CA', {
    timeZone: profile.timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  })
  const keyFor = (kid: string) => keys.get(kid)

  /** Everything but the signature, the rotating code and admit-once; `ask_code` means in scope and in time. */
  const judge = (
    ticket: VerifiedTicket,
    input: DecisionFacts,
  ): GateDecision | { admit: 'ask_code'; entry: GateScopeEntry } => {
    if (input.revoked.has(ticket.tid)) return { admit: false, reason: 'revoked', ticket }

    // In scope: the exact show or site-day, or (multi-day visits) an enrolled day of the site that the
    // ticket's own days reach; an enrolled site on other days is still the wrong gate.
    let entry = byEvKey.get(ticket.evKey)
    const site = siteOf(ticket.evKey)
    if (!entry && site) {
      const [first, last] = [dayOfEvKey(ticket.evKey), localDate.format((ticket.exp - 1) * 1000)]
      entry = siteDays.get(site)?.find((day) => day.day >= first && day.day <= last)
    }
    if (!entry) return { admit: false, reason: 'wrong_gate', ticket }

    const seconds = Math.floor(input.now / 1000)
    if (seconds < ticket.nbf || seconds >= ticket.exp) {
      const today = localDate.format(input.now)
      const first = site ? dayOfEvKey(ticket.evKey) : entry.day
      const last = site ? localDate.format((ticket.exp - 1) * 1000) : entry.day
      if (today < first || today > last)
        return { admit: false, reason: 'wrong_day', ticket, entry, ticketDay: first }
      return { admit: false, reason: seconds < ticket.nbf ? 'not_yet_valid' : 'expired', ticket, entry }
    }

    return { admit: 'ask_code', entry }
  }
  const admitOnce = (ticket: VerifiedTicket, entry: GateScopeEntry, input: DecisionFacts): GateDecision => {
    if (profile.direction === 'entry') {
      const previous = input.admitted.get(ticket.tid)
      if (previous) return { admit: false, reason: 'already_used', ticket, entry, previous }
    }
    return { admit: true, ticket, entry }
  }

  return {
    profile,
    async decide(input) {
      const parsed = parseScan(input.scan)
      const read = await readTicket(parsed.token, keyFor)
      if (!read.ok) return { admit: false, reason: 'bad_signature' }
      const ticket = read.ticket
      const judged = judge(ticket, input)
      if (judged.admit !== 'ask_code') return judged
      const { entry } = judged
      if (entry.rotatingCode) {
        const secret = secretKey(entry.eventId)
        const code = input.code ?? parsed.code
        if (!secret || !code || !(await checkRotatingCode(await secret, ticket.tid, code, input.now)))
          return { admit: false, reason: 'rotating_code_stale', ticket, entry }
      }
      return admitOnce(ticket, entry, input)
    },
    decideTicket(input) {
      const judged = judge(input.ticket, input)
      return judged.admit === 'ask_code' ? admitOnce(input.ticket, judged.entry, input) : judged
    },
  }
}

/** What the gate app keeps per scan, uploaded later in idempotent batches (the nonce dedupes). */
export interface ScanLogEntry {
  nonce: string
  scan: string
  decision: 'admit' | 'refuse'
  reason?: RefusalReason
  ticketId?: string
  scannedAt: string
}
