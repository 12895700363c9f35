// Gates and redemption (核销): enrollment codes and failed guesses, devices, the revocation list gates sync,
// scans, redemptions and double admissions.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns.ts'
import { organizers } from './staff.ts'

/** What a gate is enrolled for: an event's shows, or a site's days from `fromDate` to `toDate`. */
export const gateScopeKinds = ['event', 'site'] as const
export const gateDirections = ['entry', 'exit'] as const

/** Per-event secret gates recompute rotating anti-screenshot codes from; created on first use. */
export const eventGateSecrets = sqliteTable('event_gate_secrets', {
  eventId: text().primaryKey(),
  /** 32 random bytes, base64url. Only enrolled gates of the event's organizer ever receive it. */
  secret: text().notNull(),
  createdAt: createdAt(),
})

/** Short-lived single-use codes staff type into a gate device to enroll it; only a hash is stored. */
export const gateEnrollmentCodes = sqliteTable(
  'gate_enrollment_codes',
  {
    id: text().primaryKey(),
    codeHash: text().notNull().unique(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    gateName: text().notNull(),
    direction: text({ enum: gateDirections }).notNull(),
    scopeKind: text({ enum: gateScopeKinds }).notNull(),
    scopeId: text().notNull(),
    fromDate: text(),
    toDate: text(),
    expiresAt: text().notNull(),
    consumedAt: text(),
    deviceId: text(),
    createdBy: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('gate_enrollment_codes_org').on(t.organizerId, t.createdAt)],
)

export const gateDevices = sqliteTable(
  'gate_devices',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    gateName: text().notNull(),
    direction: text({ enum: gateDirections }).notNull(),
    scopeKind: text({ enum: gateScopeKinds }).notNull(),
    scopeId: text().notNull(),
    fromDate: text(),
    toDate: text(),
    enrolledAt: createdAt(),
    lastSyncAt: text(),
    /** A revoked device's token stops working at once (checked on every call). */
    revokedAt: text(),
  },
  (t) => [index('gate_devices_org').on(t.organizerId, t.enrolledAt)],
)

/**
 * Tickets gates must refuse, in the order they were revoked: `seq` is the sync cursor. Written in the same
 * D1 batch that revokes the ticket (refund, cancellation, rebooking).
 */
export const ticketRevocations = sqliteTable(
  'ticket_revocations',
  {
    seq: integer().primaryKey({ autoIncrement: true }),
    ticketId: text().notNull().unique(),
    organizerId: text().notNull(),
    /** Show id, or scenic site id (the visit date is in `ev`). */
    scopeId: text().notNull(),
    /** Show id or `<siteId>:<date>`, as in the ticket's claims. */
    ev: text().notNull(),
    reason: text().notNull(),
    revokedAt: createdAt(),
  },
  (t) => [index('ticket_revocations_scope').on(t.scopeId, t.seq)],
)

/** Every scan a gate reported (admitted or refused), once per device and client nonce. */
export const gateScans = sqliteTable(
  'gate_scans',
  {
    id: text().primaryKey(),
    deviceId: text().notNull(),
    nonce: text().notNull(),
    organizerId: text().notNull(),
    ticketId: text(),
    decision: text({ enum: ['admit', 'refuse'] }).notNull(),
    reason: text(),
    mode: text({ enum: ['offline', 'online'] }).notNull(),
    scannedAt: text().notNull(),
    receivedAt: createdAt(),
  },
  (t) => [uniqueIndex('gate_scans_nonce').on(t.deviceId, t.nonce), index('gate_scans_ticket').on(t.ticketId)],
)

/** 核销: the first admission of a ticket. One per ticket: a ticket admits once per validity window. */
export const redemptions = sqliteTable(
  'redemptions',
  {
    id: text().primaryKey(),
    ticketId: text().notNull().unique(),
    organizerId: text().notNull(),
    scanId: text().notNull(),
    deviceId: text().notNull(),
    gateName: text().notNull(),
    mode: text({ enum: ['offline', 'online'] }).notNull(),
    redeemedAt: text().notNull(),
    recordedAt: createdAt(),
  },
  (t) => [index('redemptions_org').on(t.organizerId, t.recordedAt)],
)

export const redemptionConflictKinds = ['second_admission', 'revoked_admitted'] as const

/**
 * An offline admission the organizer should look at: the ticket was admitted before (`second_admission`), or it had
 * been revoked (refunded, cancelled, rebooked) by the time the gate's scan log reached the server (`revoked_admitted`:
 * the gate had not synced the revocation, or the refund went through before the admission was uploaded).
 */
export const redemptionConflicts = sqliteTable(
  'redemption_conflicts',
  {
    id: text().primaryKey(),
    organizerId: text().notNull(),
    ticketId: text().notNull(),
    /** The ticket's redemption: the earlier admission, or (revoked_admitted) this scan's own. */
    redemptionId: text().notNull(),
    scanId: text().notNull().unique(),
    deviceId: text().notNull(),
    gateName: text().notNull(),
    scannedAt: text().notNull(),
    kind: text({ enum: redemptionConflictKinds }).notNull().default('second_admission'),
    /** For revoked_admitted: why and when the ticket was revoked (before or after the scan). */
    revocationReason: text(),
    revokedAt: text(),
    detectedAt: createdAt(),
  },
  (t) => [index('redemption_conflicts_org').on(t.organizerId, t.detectedAt)],
)

/**
 * Wrong enrollment codes per client address and 15-minute window: a code is short enough to type on a gate, so
 * guessing is capped rather than left to the code's length alone.
 */
export const gateEnrollmentFailures = sqliteTable(
  'gate_enrollment_failures',
  {
    client: text().notNull(),
    windowStart: text().notNull(),
    count: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.client, t.windowStart] })],
)
