import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { gateScans, redemptionConflicts, redemptions, tickets } from '../db/schema.ts'
import {
  createGate,
  type GateDecision,
  importTicketKeys,
  parseScan,
  type RefusalReason,
} from '../domain/gate-decision.ts'
import { ticketOfIdScan } from '../domain/id-index.ts'
import { type ReadResult, readTicket } from '../domain/ticket-token.ts'
import { newId } from '../ids.ts'
import { Problem } from '../problem.ts'
import { type GateDevice, gateProfile } from './gate-devices.ts'
import { idScanTicket, realNameTickets } from './gate-id-index.ts'
import { ticketsOutsideScope } from './gate-scope.ts'
import { parseTicketKeys, publicJwks } from './ticket-keys.ts'

// 核销: gates report scans; the first admission of a ticket becomes its redemption (and a
// `ticket.redeemed` outbox event, in the same batch); any later admission of the same ticket, which only
// an offline gate can make, is recorded as a conflict for the organizer to look at, and so is an offline
// admission of a ticket that is revoked by the time the scan is uploaded.

let keyring: { secret: string; keys: ReturnType<typeof importTicketKeys> } | undefined
/** Public ticket keys imported once per isolate (re-imported when the secret changes, i.e. after rotation). */
function ticketKeys(secret: string) {
  if (keyring?.secret !== secret)
    keyring = { secret, keys: importTicketKeys(publicJwks(parseTicketKeys(secret))) }
  return keyring.keys
}

async function readScan(scan: string, keysSecret: string): Promise<ReadResult> {
  const keys = await ticketKeys(keysSecret)
  return readTicket(parseScan(scan).token, (kid) => keys.get(kid))
}

/** The D1 binding under drizzle (drizzle's own batch cannot run raw SQL with parameters). */
const d1Of = (db: Database) => (db as Database & { $client: D1Database }).$client

export interface UploadedScan {
  nonce: string
  scan: string
  decision: 'admit' | 'refuse'
  reason?: RefusalReason | undefined
  scannedAt: string
}

/**
 * The statements that record one scan and, for a new admission at an entry gate, its redemption or
 * conflict and the outbox event. Everything keys off the scan row this call inserts (`scanId`), so a
 * nonce already recorded changes nothing: uploads are idempotent.
 */
function scanStatements(
  db: Database,
  device: GateDevice,
  scan: {
    scanId: string
    nonce: string
    ticketId: string | null
    decision: 'admit' | 'refuse'
    reason: string | null
    mode: 'offline' | 'online'
    scannedAt: string
  },
): D1PreparedStatement[] {
  // Plain D1 statements: INSERT … SELECT into tables with named columns, conditional on the rows this batch wrote.
  const d1 = d1Of(db)
  const statements = [
    d1
      .prepare(
        `INSERT INTO gate_scans (id, device_id, nonce, organizer_id, ticket_id, decision, reason, mode, scanned_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (device_id, nonce) DO NOTHING`,
      )
      .bind(
        scan.scanId,
        device.id,
        scan.nonce,
        device.organizerId,
        scan.ticketId,
        scan.decision,
        scan.reason,
        scan.mode,
        scan.scannedAt,
      ),
  ]
  if (scan.decision !== 'admit' || !scan.ticketId || device.direction !== 'entry') return statements
  const redemptionId = newId('rdm')
  statements.push(
    // Only tickets of the device's own organizer can be redeemed by it.
    d1
      .prepare(
        `INSERT INTO redemptions (id, ticket_id, organizer_id, scan_id, device_id, gate_name, mode, redeemed_at)
         SELECT ?, s.ticket_id, s.organizer_id, s.id, s.device_id, ?, s.mode, s.scanned_at
         FROM gate_scans s JOIN tickets t ON t.id = s.ticket_id JOIN orders o ON o.id = t.order_id
         WHERE s.id = ? AND o.organizer_id = s.organizer_id
         ON CONFLICT (ticket_id) DO NOTHING`,
      )
      .bind(redemptionId, device.gateName, scan.scanId),
    d1
      .prepare(
        `INSERT INTO outbox_events (id, topic, organizer_id, payload)
         SELECT ?, 'ticket.redeemed', r.organizer_id,
                json_object('ticketId', r.ticket_id, 'orderId', t.order_id, 'redemptionId', r.id,
                            'gate', r.gate_name, 'deviceId', r.device_id, 'mode', r.mode, 'redeemedAt', r.redeemed_at)
         FROM redemptions r JOIN tickets t ON t.id = r.ticket_id
         WHERE r.id = ?`,
      )
      .bind(newId('evt'), redemptionId),
  )
  // Online, a lost race is answered as a refusal instead (that scan never admitted anyone), and a revoked
  // ticket is refused on the server's current list.
  if (scan.mode === 'offline')
    statements.push(
      d1
        .prepare(
          `INSERT INTO redemption_conflicts
             (id, organizer_id, ticket_id, redemption_id, scan_id, device_id, gate_name, scanned_at, kind)
           SELECT ?, r.organizer_id, r.ticket_id, r.id, s.id, s.device_id, ?, s.scanned_at, 'second_admission'
           FROM gate_scans s JOIN redemptions r ON r.ticket_id = s.ticket_id
           WHERE s.id = ? AND r.scan_id <> s.id AND r.organizer_id = s.organizer_id
           ON CONFLICT (scan_id) DO NOTHING`,
        )
        .bind(newId('rcf'), device.gateName, scan.scanId),
      // Admitted although revoked: the gate had not synced the revocation yet, or the ticket was refunded (or
      // rebooked) before this admission reached the server. Either way someone got in on a ticket paid back.
      d1
        .prepare(
          `INSERT INTO redemption_conflicts
             (id, organizer_id, ticket_id, redemption_id, scan_id, device_id, gate_name, scanned_at, kind,
              revocation_reason, revoked_at)
           SELECT ?, s.organizer_id, s.ticket_id, r.id, s.id, s.device_id, ?, s.scanned_at, 'revoked_admitted',
                  v.reason, v.revoked_at
           FROM gate_scans s JOIN ticket_revocations v ON v.ticket_id = s.ticket_id
             JOIN redemptions r ON r.ticket_id = s.ticket_id
           WHERE s.id = ? AND v.organizer_id = s.organizer_id AND r.scan_id = s.id
           ON CONFLICT (scan_id) DO NOTHING`,
        )
        .bind(newId('rcf'), device.gateName, scan.scanId),
    )
  return statements
}

export type ScanOutcome =
  | { nonce: string; status: 'duplicate' }
  | {
      nonce: string
      status: 'recorded'
      ticketId: string | null
      redemption?: 'redeemed' | 'conflict'
      /** The device reported an admission the server refused: the ticket is outside the device's scope. */
      refused?: 'wrong_gate'
    }

/** Records a batch of a gate's scan log (idempotent per nonce) in one D1 batch. */
export async function recordScans(
  db: Database,
  device: GateDevice,
  keysSecret: string,
  scans: UploadedScan[],
): Promise<ScanOutcome[]> {
  // Nonces repeated inside one upload count once.
  const unique = [...new Map(scans.map((s) => [s.nonce, s])).values()]
  // Admissions by ID number (身份证核验) name their ticket (`id:<ticket>`): only a real-name ticket counts.
  const byIdNumber = await realNameTickets(
    db,
    unique.map((s) => ticketOfIdScan(s.scan)).filter((id) => id !== undefined),
  )
  const prepared = await Promise.all(
    unique.map(async (s) => {
      // The server trusts the signature, not the device, for which ticket a scan was.
      const idTicket = ticketOfIdScan(s.scan)
      const read = idTicket ? undefined : await readScan(s.scan, keysSecret)
      const ticketId = idTicket
        ? byIdNumber.has(idTicket)
          ? idTicket
          : null
        : read?.ok
          ? read.ticket.tid
          : null
      return {
        scanId: newId('gsc'),
        nonce: s.nonce,
        ticketId,
        decision: ticketId ? s.decision : ('refuse' as 'admit' | 'refuse'),
        reason: ticketId ? (s.reason ?? null) : ('bad_signature' as string | null),
        mode: 'offline' as const,
        scannedAt: new Date(s.scannedAt).toISOString(),
      }
    }),
  )
  if (prepared.length === 0) return []
  // An admission of a ticket the device is not enrolled for is recorded as the refusal it should have been.
  const outside = await ticketsOutsideScope(
    db,
    device,
    prepared.filter((p) => p.decision === 'admit' && p.ticketId).map((p) => p.ticketId!),
  )
  const refusedOutOfScope = new Set<string>()
  for (const p of prepared)
    if (p.decision === 'admit' && p.ticketId && outside.has(p.ticketId)) {
      p.decision = 'refuse'
      p.reason = 'wrong_gate'
      refusedOutOfScope.add(p.scanId)
    }
  await d1Of(db).batch(prepared.flatMap((p) => scanStatements(db, device, p)))
  const scanIds = prepared.map((p) => p.scanId)
  const [redeemed, conflicted] = await Promise.all([
    db.select({ scanId: redemptions.scanId }).from(redemptions).where(inArray(redemptions.scanId, scanIds)),
    db
      .select({ scanId: redemptionConflicts.scanId })
      .from(redemptionConflicts)
      .where(inArray(redemptionConflicts.scanId, scanIds)),
  ])
  const stored = new Set(
    (await db.select({ id: gateScans.id }).from(gateScans).where(inArray(gateScans.id, scanIds))).map(
      (r) => r.id,
    ),
  )
  const redeemedSet = new Set(redeemed.map((r) => r.scanId))
  const conflictSet = new Set(conflicted.map((r) => r.scanId))
  return prepared.map((p) => {
    if (!stored.has(p.scanId)) return { nonce: p.nonce, status: 'duplicate' }
    const redemption = redeemedSet.has(p.scanId)
      ? 'redeemed'
      : conflictSet.has(p.scanId)
        ? 'conflict'
        : undefined
    return {
      nonce: p.nonce,
      status: 'recorded',
      ticketId: p.ticketId,
      ...(redemption ? { redemption } : {}),
      ...(refusedOutOfScope.has(p.scanId) ? { refused: 'wrong_gate' as const } : {}),
    }
  })
}

export type OnlineCheck = GateDecision & { nonce: string; replayed?: boolean }

/**
 * Online mode: the server decides with the same code as the gate, on the server's truth (revocations,
 * redemptions by every gate), and admits once atomically: the redemption insert is one statement on a
 * unique ticket id, so of two gates racing with the same ticket exactly one is admitted.
 */
export async function checkOnline(
  db: Database,
  device: GateDevice,
  keysSecret: string,
  input: { scan: string; code?: string | undefined; nonce: string },
  now = Date.now(),
): Promise<OnlineCheck> {
  // An admission by ID number (身份证核验) names a real-name ticket instead of carrying its token.
  const idTicketId = ticketOfIdScan(input.scan)
  const idTicket = idTicketId ? await idScanTicket(db, idTicketId) : undefined
  const read: ReadResult = idTicketId
    ? idTicket
      ? { ok: true, ticket: idTicket, kid: '' }
      : { ok: false, reason: 'bad_signature' }
    : await readScan(input.scan, keysSecret)
  const ticketId = read.ok ? read.ticket.tid : undefined
  const [earlier, ticketRow, redemption] = await Promise.all([
    db
      .select()
      .from(gateScans)
      .where(and(eq(gateScans.deviceId, device.id), eq(gateScans.nonce, input.nonce)))
      .then((r) => r[0]),
    ticketId
      ? db
          .select({ status: tickets.status })
          .from(tickets)
          .where(eq(tickets.id, ticketId))
          .then((r) => r[0])
      : undefined,
    ticketId
      ? db
          .select()
          .from(redemptions)
          .where(eq(redemptions.ticketId, ticketId))
          .then((r) => r[0])
      : undefined,
  ])
  const priorAdmission =
    redemption && redemption.scanId !== earlier?.id
      ? { at: Date.parse(redemption.redeemedAt), gateName: redemption.gateName }
      : undefined
  const gate = createGate(await gateProfile(db, device), await ticketKeys(keysSecret))
  const facts = {
    // A signed ticket this platform no longer holds as valid is refused like a revoked one.
    revoked: { has: () => ticketRow?.status !== 'valid' },
    admitted: { get: () => priorAdmission },
    now,
  }
  const decided: GateDecision = idTicketId
    ? idTicket
      ? gate.decideTicket({ ticket: idTicket, ...facts })
      : { admit: false, reason: 'bad_signature' }
    : await gate.decide({ scan: input.scan, ...(input.code ? { code: input.code } : {}), ...facts })
  // The server's own scope check, on the ticket's order (the token's event key alone lets any day of a site in).
  const decision: GateDecision =
    decided.admit && (await ticketsOutsideScope(db, device, [decided.ticket.tid])).size > 0
      ? { admit: false, reason: 'wrong_gate', ticket: decided.ticket }
      : decided
  if (earlier) {
    // A retried check (same nonce) answers what was decided the first time and records nothing.
    if (earlier.decision === 'admit' && decision.admit)
      return { ...decision, nonce: input.nonce, replayed: true }
    return {
      admit: false,
      reason: (earlier.reason ?? (decision.admit ? 'already_used' : decision.reason)) as RefusalReason,
      ...(read.ok ? { ticket: read.ticket } : {}),
      ...(priorAdmission ? { previous: priorAdmission } : {}),
      nonce: input.nonce,
      replayed: true,
    }
  }
  const scanId = newId('gsc')
  await d1Of(db).batch(
    scanStatements(db, device, {
      scanId,
      nonce: input.nonce,
      ticketId: ticketId ?? null,
      decision: decision.admit ? 'admit' : 'refuse',
      reason: decision.admit ? null : decision.reason,
      mode: 'online',
      scannedAt: new Date(now).toISOString(),
    }),
  )
  if (!decision.admit || device.direction !== 'entry') return { ...decision, nonce: input.nonce }
  const [winner] = await db.select().from(redemptions).where(eq(redemptions.ticketId, decision.ticket.tid))
  if (winner?.scanId === scanId) return { ...decision, nonce: input.nonce }
  // Another gate got there first (between our read and our write): refuse, and say where and when.
  await db
    .update(gateScans)
    .set({ decision: 'refuse', reason: 'already_used' })
    .where(eq(gateScans.id, scanId))
  return {
    admit: false,
    reason: 'already_used',
    ticket: decision.ticket,
    entry: decision.entry,
    ...(winner ? { previous: { at: Date.parse(winner.redeemedAt), gateName: winner.gateName } } : {}),
    nonce: input.nonce,
  }
}

/**
 * Refuses (409 `already_redeemed`, naming the lines) when any of these lines' tickets was already admitted at a
 * gate: a used ticket is not refunded, cancelled or moved. `detail` says what was refused.
 */
export async function refuseRedeemedLines(
  db: Database,
  orderId: string,
  lineIds: string[],
  detail: string,
): Promise<void> {
  if (lineIds.length === 0) return
  const rows = await db
    .select({ lineId: tickets.orderLineId })
    .from(redemptions)
    .innerJoin(tickets, eq(tickets.id, redemptions.ticketId))
    .where(and(eq(tickets.orderId, orderId), inArray(tickets.orderLineId, lineIds)))
  if (rows.length)
    throw new Problem({
      code: 'already_redeemed',
      status: 409,
      title: 'Ticket already used',
      detail,
      extensions: { lineIds: rows.map((r) => r.lineId) },
    })
}
