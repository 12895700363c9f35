import * as v from 'valibot'
import { gateDirections, gateScopeKinds } from '../../db/schema.ts'
import type { GateDecision, GateProfile } from '../../domain/gate-decision.ts'
import type { IdTicketIndex } from '../../domain/id-index.ts'
import { sectionNameView } from './section-names.ts'

export const refusalReasons = [
  'bad_signature',
  'revoked',
  'wrong_gate',
  'wrong_day',
  'not_yet_valid',
  'expired',
  'rotating_code_stale',
  'already_used',
] as const

export const gateDeviceView = v.object({
  id: v.string(),
  organizerId: v.string(),
  gateName: v.string(),
  direction: v.picklist(gateDirections),
  scopeKind: v.picklist(gateScopeKinds),
  scopeId: v.string(),
  fromDate: v.nullable(v.string()),
  toDate: v.nullable(v.string()),
})

const scopeEntry = v.object({
  kind: v.picklist(['show', 'site_day']),
  /** Show id, or `<siteId>:<YYYY-MM-DD>`. */
  id: v.string(),
  /** `eventKey()` of `id`, as carried in tickets. */
  evKey: v.string(),
  /** The event's or site's name. */
  label: v.string(),
  /** Its optional English name (absent in profiles saved before it existed). */
  labelEn: v.optional(v.nullable(v.string())),
  /** Shows: the start (ISO). */
  startsAt: v.optional(v.string()),
  /** Local date (the organizer's time zone) of the show, or the visit date. */
  day: v.string(),
  validFrom: v.string(),
  validUntil: v.string(),
  eventId: v.nullable(v.string()),
  rotatingCode: v.boolean(),
})

/** The gate's offline profile: scope with validity windows, direction, time zone, gate secrets in scope. */
export const gateProfileSchema = v.object({
  deviceId: v.string(),
  organizerId: v.string(),
  gateName: v.string(),
  direction: v.picklist(gateDirections),
  timezone: v.string(),
  scope: v.array(scopeEntry),
  /** Per-event gate secrets (base64url) for rotating codes, only for events in scope that use them. */
  eventSecrets: v.record(v.string(), v.string()),
})

/** The ID index of a gate's bundle (site or show gate): `IdTicketIndex` in worker/domain/id-index.ts. */
export const idTicketIndexSchema = v.object({
  /** HMAC-SHA-256 key (base64url) to hash a typed ID number with; this device's, for `epoch`. */
  key: v.string(),
  epoch: v.string(),
  /** Replaces the gate's index (true) or adds to it. */
  full: v.boolean(),
  /** Send back as `idCursor` (with `idEpoch`) on the next sync. */
  cursor: v.string(),
  groups: v.array(
    v.object({
      ev: v.string(),
      nbf: v.number(),
      exp: v.number(),
      items: v.array(v.string()),
      /** `[hash (96-bit HMAC, base64url), ticket id without tkt_, index into items, masked holder name]`. */
      t: v.array(v.tuple([v.string(), v.string(), v.number(), v.string()])),
    }),
  ),
})

const jwk = v.object({
  kty: v.string(),
  crv: v.string(),
  x: v.string(),
  kid: v.string(),
  alg: v.literal('EdDSA'),
  use: v.literal('sig'),
})
/** Public ticket keys: the current one first, then earlier ones still honoured. */
export const jwksSchema = v.object({ keys: v.array(jwk) })

export const gateSyncSchema = v.object({
  device: gateDeviceView,
  profile: gateProfileSchema,
  rules: v.object({
    admitOnce: v.boolean(),
    rotatingCodeMaxAgeSeconds: v.number(),
    maxScansPerUpload: v.number(),
  }),
  jwks: jwksSchema,
  revocations: v.object({
    /** Compact JWS (EdDSA, `typ: revocations`) of `{org, dev, from, to, more, iat, r: [[ticketId, reason]]}`. */
    jws: v.string(),
    /** Ask again from here. */
    cursor: v.number(),
    more: v.boolean(),
  }),
  /** Admitted and expected tickets per scope entry when counted; admissions after `countedAt` are not in it. */
  attendance: v.object({
    countedAt: v.string(),
    entries: v.array(v.object({ id: v.string(), expected: v.number(), admitted: v.number() })),
  }),
  /** Site gates: product names by the short code tickets carry in `it` (the product id's last 8 characters). */
  products: v.array(v.object({ code: v.string(), name: v.string(), nameEn: v.nullable(v.string()) })),
  /** Show gates: the section names of the seat maps in scope, to read a seat label as section, row and number. */
  sections: v.array(v.string()),
  /** The same sections with the names people read (池座 / Stalls), for naming a seat in the gate's language. */
  sectionNames: v.array(sectionNameView),
  /** Site and show gates: keyed ID-number hashes → tickets (身份证核验, worker/domain/id-index.ts); never raw numbers. */
  idTickets: v.optional(idTicketIndexSchema),
})

export const gateEnrolledSchema = v.object({
  /** Send as `Authorization: Bearer …`. */
  deviceToken: v.string(),
  ...gateSyncSchema.entries,
})

export const scanUploadSchema = v.object({
  items: v.array(
    v.object({
      nonce: v.string(),
      /** `duplicate`: this nonce was recorded before; nothing changed. */
      status: v.picklist(['recorded', 'duplicate']),
      /** Recorded scans: the ticket the signed token names (null when unreadable). */
      ticketId: v.optional(v.nullable(v.string())),
      /** Recorded admissions at an entry gate: the ticket's redemption, or a conflict with an earlier one. */
      redemption: v.optional(v.picklist(['redeemed', 'conflict'])),
      /** An admission the server refused: the ticket is outside the device's scope. */
      refused: v.optional(v.literal('wrong_gate')),
    }),
  ),
})

const verifiedTicket = v.object({
  tid: v.string(),
  evKey: v.string(),
  it: v.string(),
  hh: v.optional(v.string()),
  nbf: v.number(),
  exp: v.number(),
})
const checkAnswer = { nonce: v.string(), replayed: v.optional(v.boolean()) }

/** The server's decision on one scan; a retried nonce answers the first decision (`replayed`). */
export const onlineCheckSchema = v.variant('admit', [
  v.object({ admit: v.literal(true), ticket: verifiedTicket, entry: scopeEntry, ...checkAnswer }),
  v.object({
    admit: v.literal(false),
    reason: v.picklist(refusalReasons),
    ticket: v.optional(verifiedTicket),
    entry: v.optional(scopeEntry),
    /** `already_used`: when (unix ms) and where the ticket was admitted first. */
    previous: v.optional(v.object({ at: v.number(), gateName: v.string() })),
    /** `wrong_day`: the day(s) the ticket is for. */
    ticketDay: v.optional(v.string()),
    ...checkAnswer,
  }),
])

export type GateSync = v.InferOutput<typeof gateSyncSchema>
export type GateEnrolled = v.InferOutput<typeof gateEnrolledSchema>
export type ScanUpload = v.InferOutput<typeof scanUploadSchema>
export type OnlineCheck = v.InferOutput<typeof onlineCheckSchema>

// The schemas restate the pure gate module's types; these lines fail to compile if the two part ways.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never
const sameProfile: Same<v.InferOutput<typeof gateProfileSchema>, GateProfile> = true
const sameDecision: Same<Without<OnlineCheck, 'nonce' | 'replayed'>, GateDecision> = true
const sameIdIndex: Same<v.InferOutput<typeof idTicketIndexSchema>, IdTicketIndex> = true
void sameIdIndex
void sameProfile
void sameDecision
