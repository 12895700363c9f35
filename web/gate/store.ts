// The gate's memory on the device, in IndexedDB (through the small `idb` wrapper): its credential and
// everything it needs offline (profile, rules, keys, revocation cursor), the revocations it has synced,
// its scan log (each scan with a client nonce, uploaded later) and conflicts the server reported.
import { type DBSchema, type IDBPDatabase, openDB } from 'idb'
import type { JWK } from 'jose'
import type { GateProfile, PriorAdmission, RefusalReason } from '../../worker/domain/gate-decision.ts'
import type { IdTicketGroup, IdTicketIndex } from '../../worker/domain/id-index.ts'
import type { GateSync } from '../../worker/routes/contracts/gate.ts'

export type GateRules = GateSync['rules']

export interface EnrolledDevice {
  token: string
  device: GateSync['device']
  profile: GateProfile
  rules: GateRules
  jwks: (JWK & { kid?: string })[]
  /** Revocation cursor: what the next sync asks from. */
  cursor: number
  enrolledAt: string
  lastSyncAt?: string
  /** Admitted / expected per scope entry at the last sync (absent on devices enrolled before it existed). */
  attendance?: GateSync['attendance']
  /** Site gates: product names by the short code in tickets. */
  products?: GateSync['products']
  /** Show gates: seat-map section names, to read seat labels as section, row and number. */
  sections?: GateSync['sections']
  /** The same sections with the names people read (池座 / Stalls); absent on devices synced before them. */
  sectionNames?: GateSync['sectionNames']
  /** The ID index's key and where it stands (its tickets are in the `idTickets` store). */
  idIndex?: Pick<IdTicketIndex, 'key' | 'epoch' | 'cursor'>
}

/** `id_card`: found by the holder's ID number (typed, or from a card reader that types it). */
export type ScanSource = 'camera' | 'wedge' | 'typed' | 'id_card'

export interface ScanRecord {
  nonce: string
  scan: string
  decision: 'admit' | 'refuse'
  reason?: RefusalReason
  ticketId?: string
  scannedAt: string
  /** Who decided: the server (online check) or this device. */
  mode: 'online' | 'offline'
  source: ScanSource
  /** 1 once the server holds this scan (an online check records it at once). A number so it can be indexed. */
  uploaded: 0 | 1
  /** For `already_used`: the earlier admission the decision named. */
  previous?: PriorAdmission
}

export interface ConflictRecord {
  nonce: string
  ticketId: string | null
  scannedAt: string
  reportedAt: string
}

interface GateDb extends DBSchema {
  device: { key: 'current'; value: EnrolledDevice }
  revocations: { key: string; value: { ticketId: string; reason: string } }
  scans: { key: string; value: ScanRecord; indexes: { uploaded: number } }
  conflicts: { key: string; value: ConflictRecord }
  /**
   * The ID index's pages as synced (keyed ID-number hashes → tickets, 身份证核验): one record per sync that
   * brought any, so a big day is written in one put rather than one per ticket.
   */
  idPages: { key: number; value: IdTicketGroup[] }
}

export type GateStore = IDBPDatabase<GateDb>

export function openGateStore(name = 'gate-scanner'): Promise<GateStore> {
  return openDB<GateDb>(name, 2, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore('device')
        db.createObjectStore('revocations', { keyPath: 'ticketId' })
        db.createObjectStore('scans', { keyPath: 'nonce' }).createIndex('uploaded', 'uploaded')
        db.createObjectStore('conflicts', { keyPath: 'nonce' })
      }
      if (oldVersion < 2) db.createObjectStore('idPages', { autoIncrement: true })
    },
  })
}

export const loadDevice = (db: GateStore) => db.get('device', 'current')
export const saveDevice = (db: GateStore, device: EnrolledDevice) => db.put('device', device, 'current')

/** Forgets the enrollment and everything learnt under it (the scan log too: a new enrollment starts clean). */
export async function clearGate(db: GateStore) {
  const tx = db.transaction(['device', 'revocations', 'scans', 'conflicts', 'idPages'], 'readwrite')
  await Promise.all([
    tx.objectStore('idPages').clear(),
    tx.objectStore('device').clear(),
    tx.objectStore('revocations').clear(),
    tx.objectStore('scans').clear(),
    tx.objectStore('conflicts').clear(),
    tx.done,
  ])
}

export async function addRevocations(db: GateStore, revoked: [ticketId: string, reason: string][]) {
  const tx = db.transaction('revocations', 'readwrite')
  await Promise.all([...revoked.map(([ticketId, reason]) => tx.store.put({ ticketId, reason })), tx.done])
}

export const allRevocations = (db: GateStore) => db.getAll('revocations')
export const allScans = (db: GateStore) => db.getAll('scans')
export const pendingScans = (db: GateStore) => db.getAllFromIndex('scans', 'uploaded', 0)
export const putScan = (db: GateStore, scan: ScanRecord) => db.put('scans', scan)
export const allConflicts = (db: GateStore) => db.getAll('conflicts')

export async function markUploaded(db: GateStore, nonces: string[], conflicts: ConflictRecord[]) {
  const tx = db.transaction(['scans', 'conflicts'], 'readwrite')
  const scans = tx.objectStore('scans')
  const work: Promise<unknown>[] = nonces.map(async (nonce) => {
    const scan = await scans.get(nonce)
    if (scan) await scans.put({ ...scan, uploaded: 1 })
  })
  for (const conflict of conflicts) work.push(tx.objectStore('conflicts').put(conflict))
  await Promise.all([...work, tx.done])
}

export const allIdPages = (db: GateStore) => db.getAll('idPages')

/** Keeps a synced page of the ID index: in place of all before it (`full`), or beside them. */
export async function putIdPage(db: GateStore, groups: IdTicketGroup[], full: boolean) {
  const tx = db.transaction('idPages', 'readwrite')
  if (full) await tx.store.clear()
  if (groups.length) await tx.store.add(groups)
  await tx.done
}
