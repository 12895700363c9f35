// What the gate device shows and how often it talks to the server: the state components subscribe to.
import type { GateDecision } from '../../worker/domain/gate-decision.ts'
import type { Attendance } from './attendance.ts'
import type { ConflictRecord, EnrolledDevice, ScanSource } from './store.ts'

/** How long an online check may take before the gate decides on its own. */
export const ONLINE_CHECK_TIMEOUT_MS = 1500
/** Background sync while the app is open. */
export const SYNC_INTERVAL_MS = 30_000
/** While the server cannot be reached, how soon to try again (a failing request offline costs nothing). */
export const RETRY_INTERVAL_MS = 5_000

export interface ScanOutcome {
  nonce: string
  decision: GateDecision
  mode: 'online' | 'offline'
  source: ScanSource
  /** From the decode (or Enter) to the local decision, in milliseconds. */
  localMs: number
  /** From the decode to the decision on screen (includes the online check when there was one). */
  totalMs: number
  at: number
  /** Admitted by ID number: the holder's masked name, for staff to compare with the card. */
  holder?: string
}

export interface SyncState {
  online: boolean
  syncing: boolean
  lastSyncAt?: string
  lastError?: string
  pending: number
  conflicts: ConflictRecord[]
  /** The server no longer accepts this device (revoked or expired): enroll again. */
  unenrolled: boolean
}

export interface DeviceState {
  ready: boolean
  attendance?: Attendance
  enrolled?: EnrolledDevice
  sync: SyncState
  last?: ScanOutcome
  revokedCount: number
  scansCount: number
  /** Tickets this gate can find by the holder's ID number. */
  idTicketsCount: number
}
