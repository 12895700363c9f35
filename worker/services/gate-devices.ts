import { and, eq, gt, gte, isNull, lt, sql } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import {
  events,
  gateDevices,
  gateEnrollmentCodes,
  gateEnrollmentFailures,
  organizers,
  scenicSites,
  shows,
} from '../db/schema.ts'
import type { GateProfile, GateScopeEntry } from '../domain/gate-decision.ts'
import { type RevocationPage, signRevocationPage } from '../domain/revocation-list.ts'
import { eventKey } from '../domain/ticket-token.ts'
import { newId } from '../ids.ts'
import { Problem } from '../problem.ts'
import { readDeviceCredential, signDeviceCredential } from './device-credentials.ts'
import { eventGateSecret } from './event-gate-secrets.ts'
import { productNames, scopeAttendance, scopeSections } from './gate-attendance.ts'
import { gateIdIndex, type IdIndexEnv, type IdIndexSince } from './gate-id-index.ts'
import { revocationsSince } from './orders/ticket-revocations.ts'
import { currentSigningKey, parseTicketKeys, publicJwks } from './ticket-keys.ts'
import { showTicketWindow, visitDayStart } from './tickets.ts'

export type GateDevice = typeof gateDevices.$inferSelect

export const ENROLLMENT_CODE_MINUTES = 15
export const DEVICE_TOKEN_DAYS = 30
/** Revocations per signed page; a gate asks again while `more` is true. */
export const REVOCATION_PAGE_SIZE = 1000
export const MAX_SITE_DAYS = 62

/** What gates are told besides keys and scope. */
export const GATE_RULES = {
  /** A ticket is admitted once per validity window, across all gates (enforced online, reconciled after sync). */
  admitOnce: true,
  rotatingCodeMaxAgeSeconds: 60,
  maxScansPerUpload: 50,
} as const

// Crockford base32 without I, L, O, U: easy to read off a screen and type on a gate.
const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
const encoder = new TextEncoder()

export function newEnrollmentCode(): string {
  let code = ''
  for (const byte of crypto.getRandomValues(new Uint8Array(8))) code += alphabet[byte % 32]
  return code
}

export const normalizeCode = (code: string) =>
  code.toUpperCase().replaceAll(/[\s-]/g, '').replaceAll('O', '0').replaceAll(/[IL]/g, '1')

async function hashCode(code: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    'SHA-256',
    encoder.encode(`gate-enrollment:${normalizeCode(code)}`),
  )
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export interface EnrollmentRequest {
  organizerId: string
  gateName: string
  direction: 'entry' | 'exit'
  eventId?: string | undefined
  siteId?: string | undefined
  fromDate?: string | undefined
  toDate?: string | undefined
  createdBy: string
}

/** Creates a single-use enrollment code (returned once, stored only as a hash). */
export async function createEnrollmentCode(db: Database, input: EnrollmentRequest, now = Date.now()) {
  let scopeKind: 'event' | 'site'
  let scopeId: string
  if (input.eventId) {
    const [event] = await db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.id, input.eventId), eq(events.organizerId, input.organizerId)))
    if (!event) throw new Problem({ code: 'not_found', detail: `event ${input.eventId} was not found` })
    scopeKind = 'event'
    scopeId = event.id
  } else {
    const [site] = await db
      .select({ id: scenicSites.id })
      .from(scenicSites)
      .where(and(eq(scenicSites.id, input.siteId!), eq(scenicSites.organizerId, input.organizerId)))
    if (!site) throw new Problem({ code: 'not_found', detail: `scenic site ${input.siteId} was not found` })
    scopeKind = 'site'
    scopeId = site.id
  }
  const code = newEnrollmentCode()
  const id = newId('gec')
  const expiresAt = new Date(now + ENROLLMENT_CODE_MINUTES * 60_000).toISOString()
  await db.insert(gateEnrollmentCodes).values({
    id,
    codeHash: await hashCode(code),
    organizerId: input.organizerId,
    gateName: input.gateName,
    direction: input.direction,
    scopeKind,
    scopeId,
    fromDate: scopeKind === 'site' ? input.fromDate! : null,
    toDate: scopeKind === 'site' ? input.toDate! : null,
    expiresAt,
    createdBy: input.createdBy,
  })
  return { id, code, expiresAt, gateName: input.gateName, direction: input.direction, scopeKind, scopeId }
}

const invalidCode = () =>
  new Problem({
    code: 'enrollment_code_invalid',
    status: 400,
    detail: 'This enrollment code is unknown, already used or expired; ask for a new one',
  })

/** Wrong codes one client address may try per window before enrollment refuses it until the window ends. */
export const ENROLLMENT_FAILURES_ALLOWED = 10
export const ENROLLMENT_FAILURE_WINDOW_MINUTES = 15

const WINDOW_MS = ENROLLMENT_FAILURE_WINDOW_MINUTES * 60_000
const windowStartOf = (now: number) => Math.floor(now / WINDOW_MS) * WINDOW_MS

/**
 * Refuses a client that gave too many wrong codes in this window and the one before (429, with when to retry):
 * counting the previous window too means guessing cannot restart at a window's edge.
 */
export async function refuseCodeGuessing(db: Database, client: string, now = Date.now()) {
  const current = windowStartOf(now)
  const previous = current - WINDOW_MS
  const rows = await db
    .select({ windowStart: gateEnrollmentFailures.windowStart, count: gateEnrollmentFailures.count })
    .from(gateEnrollmentFailures)
    .where(
      and(
        eq(gateEnrollmentFailures.client, client),
        gte(gateEnrollmentFailures.windowStart, new Date(previous).toISOString()),
      ),
    )
  const inCurrent = rows.find((r) => r.windowStart === new Date(current).toISOString())?.count ?? 0
  const total = rows.reduce((n, r) => n + r.count, 0)
  if (total < ENROLLMENT_FAILURES_ALLOWED) return
  // Clear once the failures counted fall out: the previous window's at this window's end, this one's a window later.
  const clearsAt = current + (inCurrent >= ENROLLMENT_FAILURES_ALLOWED ? 2 : 1) * WINDOW_MS
  const retryAfter = Math.max(1, Math.ceil((clearsAt - now) / 1000))
  throw new Problem({
    code: 'rate_limited',
    detail: `Too many wrong enrollment codes from this address; try again in ${retryAfter} s`,
    headers: { 'retry-after': String(retryAfter) },
  })
}

/** Counts a wrong code against the client's current window (and forgets windows no longer counted). */
export async function recordWrongCode(db: Database, client: string, now = Date.now()) {
  const current = windowStartOf(now)
  await db.batch([
    db
      .insert(gateEnrollmentFailures)
      .values({ client, windowStart: new Date(current).toISOString(), count: 1 })
      .onConflictDoUpdate({
        target: [gateEnrollmentFailures.client, gateEnrollmentFailures.windowStart],
        set: { count: sql`${gateEnrollmentFailures.count} + 1` },
      }),
    db
      .delete(gateEnrollmentFailures)
      .where(
        and(
          eq(gateEnrollmentFailures.client, client),
          lt(gateEnrollmentFailures.windowStart, new Date(current - WINDOW_MS).toISOString()),
        ),
      ),
  ])
}

/** Redeems a code exactly once (a conditional update decides races) and registers the device. */
export async function redeemEnrollmentCode(
  db: Database,
  code: string,
  now = Date.now(),
): Promise<GateDevice> {
  const [row] = await db
    .select()
    .from(gateEnrollmentCodes)
    .where(eq(gateEnrollmentCodes.codeHash, await hashCode(code)))
  if (!row) throw invalidCode()
  const deviceId = newId('gdv')
  const nowIso = new Date(now).toISOString()
  const [claimed] = await db.batch([
    db
      .update(gateEnrollmentCodes)
      .set({ consumedAt: nowIso, deviceId })
      .where(
        and(
          eq(gateEnrollmentCodes.id, row.id),
          isNull(gateEnrollmentCodes.consumedAt),
          gt(gateEnrollmentCodes.expiresAt, nowIso),
        ),
      )
      .returning({ id: gateEnrollmentCodes.id }),
    db.insert(gateDevices).select(
      sql`SELECT ${deviceId}, organizer_id, gate_name, direction, scope_kind, scope_id, from_date, to_date,
        ${nowIso}, NULL, NULL
      FROM gate_enrollment_codes WHERE id = ${row.id} AND device_id = ${deviceId}`,
    ),
  ])
  if (claimed.length === 0) throw invalidCode()
  const [device] = await db.select().from(gateDevices).where(eq(gateDevices.id, deviceId))
  return device!
}

/** The device credential: an HS256 JWT only this platform can mint or check. */
export function signDeviceToken(
  device: { id: string; organizerId: string },
  secret: string,
  now = Date.now(),
) {
  return signDeviceCredential('gate', device, secret, DEVICE_TOKEN_DAYS, now)
}

/** The enrolled, not revoked device a token names; undefined for forged, expired, foreign or revoked ones. */
export async function deviceOfToken(
  db: Database,
  token: string,
  secret: string,
): Promise<GateDevice | undefined> {
  const credential = await readDeviceCredential('gate', token, secret)
  if (!credential) return undefined
  const [device] = await db.select().from(gateDevices).where(eq(gateDevices.id, credential.deviceId))
  if (!device || device.revokedAt || device.organizerId !== credential.organizerId) return undefined
  return device
}

const localDay = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(iso),
  )

function* daysBetween(from: string, to: string) {
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000)
    yield new Date(t).toISOString().slice(0, 10)
}

/** The device's scope, rules and the secrets it needs offline (only for events in its scope). */
export async function gateProfile(db: Database, device: GateDevice): Promise<GateProfile> {
  const [org] = await db.select().from(organizers).where(eq(organizers.id, device.organizerId))
  const scope: GateScopeEntry[] = []
  const eventSecrets: Record<string, string> = {}
  let timezone = org?.timezone ?? 'Asia/Shanghai'
  if (device.scopeKind === 'event') {
    const [event] = await db.select().from(events).where(eq(events.id, device.scopeId))
    const rows = await db
      .select()
      .from(shows)
      .where(and(eq(shows.eventId, device.scopeId), eq(shows.status, 'scheduled')))
      .orderBy(shows.startsAt)
    for (const show of rows) {
      const { nbf, exp } = showTicketWindow(show)
      scope.push({
        kind: 'show',
        id: show.id,
        evKey: eventKey(show.id),
        label: event?.name ?? 'Show',
        labelEn: event?.nameEn ?? null,
        startsAt: show.startsAt,
        day: localDay(show.startsAt, timezone),
        validFrom: new Date(nbf * 1000).toISOString(),
        validUntil: new Date(exp * 1000).toISOString(),
        eventId: show.eventId,
        rotatingCode: event?.rotatingCode ?? false,
      })
    }
    if (event?.rotatingCode) eventSecrets[event.id] = await eventGateSecret(db, event.id)
  } else {
    const [site] = await db.select().from(scenicSites).where(eq(scenicSites.id, device.scopeId))
    timezone = site?.timezone ?? timezone
    for (const day of daysBetween(device.fromDate!, device.toDate!)) {
      const start = visitDayStart(day)
      scope.push({
        kind: 'site_day',
        id: `${device.scopeId}:${day}`,
        evKey: eventKey(`${device.scopeId}:${day}`),
        label: site?.name ?? 'Site',
        labelEn: site?.nameEn ?? null,
        day,
        validFrom: new Date(start * 1000).toISOString(),
        validUntil: new Date((start + 86_400) * 1000).toISOString(),
        eventId: null,
        rotatingCode: false,
      })
    }
  }
  return {
    deviceId: device.id,
    organizerId: device.organizerId,
    gateName: device.gateName,
    direction: device.direction,
    timezone,
    scope,
    eventSecrets,
  }
}

/** A signed page of the revocations the device has not seen yet. */
export async function revocationPage(
  db: Database,
  device: GateDevice,
  keysSecret: string,
  cursor: number,
  now = Date.now(),
) {
  const rows = await revocationsSince(
    db,
    device.organizerId,
    { kind: device.scopeKind, id: device.scopeId },
    cursor,
    REVOCATION_PAGE_SIZE + 1,
  )
  const more = rows.length > REVOCATION_PAGE_SIZE
  const listed = rows.slice(0, REVOCATION_PAGE_SIZE)
  const page: RevocationPage = {
    org: device.organizerId,
    dev: device.id,
    from: cursor,
    to: listed.at(-1)?.seq ?? cursor,
    more,
    iat: Math.floor(now / 1000),
    r: listed.map((r) => [r.ticketId, r.reason]),
  }
  return { jws: await signRevocationPage(page, await currentSigningKey(keysSecret)), cursor: page.to, more }
}

/**
 * Everything a gate downloads to work offline; `cursor` is what it last synced to. With `ids`, a gate's
 * bundle carries its keyed ID index too (gate-id-index.ts), from where that index stood.
 */
export async function gateSync(
  db: Database,
  device: GateDevice,
  keysSecret: string,
  cursor: number,
  ids?: { env: IdIndexEnv; since: IdIndexSince },
) {
  const [profile, revocations, idTickets] = await Promise.all([
    gateProfile(db, device),
    revocationPage(db, device, keysSecret, cursor),
    ids ? gateIdIndex(db, ids.env, device, ids.since) : undefined,
  ])
  const site = device.scopeKind === 'site' ? device.scopeId : undefined
  const [attendance, products, sections] = await Promise.all([
    scopeAttendance(db, profile, site ? { kind: 'site', siteId: site } : { kind: 'event' }),
    site ? productNames(db, site) : [],
    site ? [] : scopeSections(db, profile),
  ])
  await db
    .update(gateDevices)
    .set({ lastSyncAt: new Date().toISOString() })
    .where(eq(gateDevices.id, device.id))
  return {
    profile,
    rules: GATE_RULES,
    jwks: { keys: publicJwks(parseTicketKeys(keysSecret)) },
    revocations,
    attendance,
    products,
    sections: sections.map((section) => section.key),
    sectionNames: sections,
    ...(idTickets ? { idTickets } : {}),
  }
}
