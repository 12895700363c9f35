// What the gate's offline decisions go by besides the ticket itself: the revoked tickets it has synced and the
// admissions its scan log holds (its own, and earlier ones the server named), plus when it admitted people.
import type { PriorAdmission } from '../../worker/domain/gate-decision.ts'
import type { ScanOutcome } from './device-state.ts'
import type { ScanRecord } from './store.ts'

export class ScanMemory {
  readonly revoked = new Set<string>()
  readonly admitted = new Map<string, PriorAdmission>()
  /** When this device admitted someone (ms), for the count between syncs. */
  admitTimes: number[] = []

  clear() {
    this.revoked.clear()
    this.admitted.clear()
    this.admitTimes = []
  }

  /** What later decisions learn from a scan: its admission, or an earlier admission the server named. */
  remember(scan: ScanRecord, gateName: string) {
    if (scan.decision === 'admit') this.admitTimes.push(Date.parse(scan.scannedAt))
    if (!scan.ticketId) return
    if (scan.decision === 'admit' && !this.admitted.has(scan.ticketId))
      this.admitted.set(scan.ticketId, { at: Date.parse(scan.scannedAt), gateName })
    if (scan.reason === 'already_used' && scan.previous && !this.admitted.has(scan.ticketId))
      this.admitted.set(scan.ticketId, scan.previous)
  }
}

/** The scan-log entry for a decision (what the sync uploads; the scan text is cut to what the server takes). */
export function scanRecordOf(outcome: ScanOutcome, text: string): ScanRecord {
  const { nonce, decision, mode, source, at } = outcome
  return {
    nonce,
    scan: text.trim().slice(0, 600),
    decision: decision.admit ? 'admit' : 'refuse',
    ...(decision.admit ? {} : { reason: decision.reason }),
    ...(decision.ticket ? { ticketId: decision.ticket.tid } : {}),
    ...(!decision.admit && decision.previous ? { previous: decision.previous } : {}),
    scannedAt: new Date(at).toISOString(),
    mode,
    source,
    uploaded: mode === 'online' ? 1 : 0,
  }
}
