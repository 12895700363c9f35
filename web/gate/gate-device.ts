// This device as a gate: enrollment, the offline decision (the same pure module the server runs), the
// scan log, the online check, and sync (scan uploads in idempotent batches, revocations by cursor).
// Components subscribe to its state; everything it knows is kept in IndexedDB so a reload offline works.
// The requests live in gate-server.ts, what decisions remember in scan-memory.ts, the state's shape in device-state.ts.
import {
  createGate,
  type Gate,
  type GateDecision,
  importTicketKeys,
} from '../../worker/domain/gate-decision.ts'
import { type IdTicket, idScan } from '../../worker/domain/id-index.ts'
import type { GateSync } from '../../worker/routes/contracts/gate.ts'
import { ApiError } from '../lib/api.ts'
import { type Attendance, attendanceOf } from './attendance.ts'
import {
  type DeviceState,
  RETRY_INTERVAL_MS,
  type ScanOutcome,
  SYNC_INTERVAL_MS,
  type SyncState,
} from './device-state.ts'
import {
  checkOnline,
  deviceFieldsOf,
  enrollWithCode,
  fetchSyncPage,
  isNetworkFailure,
  uploadScans,
  verifiedRevocations,
} from './gate-server.ts'
import { type IdLookup, IdTicketBook } from './id-admission.ts'
import { ScanMemory, scanRecordOf } from './scan-memory.ts'
import {
  addRevocations,
  allConflicts,
  allRevocations,
  allScans,
  clearGate,
  type EnrolledDevice,
  type GateStore,
  loadDevice,
  markUploaded,
  openGateStore,
  pendingScans,
  putScan,
  type ScanRecord,
  type ScanSource,
  saveDevice,
} from './store.ts'

const newNonce = () => crypto.randomUUID()

export class GateDeviceRuntime {
  private db!: GateStore
  private gate: Gate | undefined
  private memory = new ScanMemory()
  private ids = new IdTicketBook()
  private listeners = new Set<(state: DeviceState) => void>()
  private syncing: Promise<void> | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  /**
   * Whether the last request reached the server. `navigator.onLine` alone is not trusted: it says true on a
   * Wi-Fi with no way out, so the gate goes by what its own requests do.
   */
  private reachable: boolean | undefined
  state: DeviceState = {
    ready: false,
    revokedCount: 0,
    scansCount: 0,
    idTicketsCount: 0,
    sync: { online: navigator.onLine, syncing: false, pending: 0, conflicts: [], unenrolled: false },
  }

  subscribe(listener: (state: DeviceState) => void) {
    this.listeners.add(listener)
    listener(this.state)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private set(patch: Partial<DeviceState>, sync?: Partial<SyncState>) {
    this.state = { ...this.state, ...patch, sync: { ...this.state.sync, ...sync } }
    for (const listener of this.listeners) listener(this.state)
  }

  /** Loads what the device already knows; works with no network at all. */
  async start(storeName?: string) {
    this.db = await openGateStore(storeName)
    const enrolled = await loadDevice(this.db)
    if (enrolled) {
      await this.useDevice(enrolled)
      await this.ids.load(this.db, enrolled)
      this.state = { ...this.state, enrolled, sync: { ...this.state.sync, lastSyncAt: enrolled.lastSyncAt } }
    }
    for (const { ticketId } of await allRevocations(this.db)) this.memory.revoked.add(ticketId)
    for (const scan of await allScans(this.db)) this.remember(scan)
    await this.refreshCounts({ ready: true, ...(enrolled ? { enrolled } : {}) })
    addEventListener('online', () => void this.sync())
    addEventListener('offline', () => this.set({}, { online: false }))
    void this.sync()
  }

  stop() {
    clearTimeout(this.timer)
  }

  /** Online means: the browser has a network and the server answered our last request. */
  private isOnline() {
    return navigator.onLine && this.reachable !== false
  }

  private contact(reached: boolean) {
    this.reachable = reached
    this.set({}, { online: this.isOnline() })
  }

  private scheduleSync() {
    clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.sync(), this.reachable ? SYNC_INTERVAL_MS : RETRY_INTERVAL_MS)
  }

  private async useDevice(enrolled: EnrolledDevice) {
    this.gate = createGate(enrolled.profile, await importTicketKeys(enrolled.jwks))
  }

  private remember(scan: ScanRecord) {
    this.memory.remember(scan, this.state.enrolled?.device.gateName ?? '')
  }

  private async refreshCounts(patch: Partial<DeviceState> = {}) {
    const [pending, conflicts, scans] = await Promise.all([
      pendingScans(this.db),
      allConflicts(this.db),
      this.db.count('scans'),
    ])
    this.set(
      { ...patch, revokedCount: this.memory.revoked.size, scansCount: scans, idTicketsCount: this.ids.size },
      { pending: pending.length, conflicts },
    )
    this.set({ attendance: this.attendance() })
  }

  private attendance(): Attendance | undefined {
    return this.state.enrolled
      ? attendanceOf(this.state.enrolled, this.memory.admitTimes, Date.now())
      : undefined
  }

  async enroll(code: string) {
    const bundle = await enrollWithCode(code)
    await clearGate(this.db)
    this.memory.clear()
    this.ids.clear()
    const enrolled: EnrolledDevice = {
      token: bundle.deviceToken,
      ...deviceFieldsOf(bundle),
      cursor: 0,
      enrolledAt: new Date().toISOString(),
    }
    await this.useDevice(enrolled)
    const stored = await this.applyRevocations(enrolled, bundle)
    await saveDevice(this.db, stored)
    await this.refreshCounts({ enrolled: stored, last: undefined })
    this.set({}, { unenrolled: false, lastError: undefined })
    if (bundle.revocations.more) void this.sync()
  }

  async forget() {
    await clearGate(this.db)
    this.gate = undefined
    this.memory.clear()
    this.ids.clear()
    this.state = { ...this.state, enrolled: undefined, last: undefined, attendance: undefined }
    await this.refreshCounts()
  }

  /** Takes in a verified revocation page and the ID index's new tickets; answers the device record to store. */
  private async applyRevocations(enrolled: EnrolledDevice, bundle: GateSync): Promise<EnrolledDevice> {
    const page = await verifiedRevocations(bundle)
    await addRevocations(this.db, page.r)
    for (const [ticketId] of page.r) this.memory.revoked.add(ticketId)
    // A new ID index replaces the stored one (the previous sync's cursor and key); without one the stored one stays.
    return {
      ...enrolled,
      ...(bundle.idTickets ? { idIndex: await this.ids.apply(this.db, bundle.idTickets) } : {}),
      ...deviceFieldsOf(bundle),
      cursor: page.to,
      lastSyncAt: new Date().toISOString(),
    }
  }

  /**
   * Decides a scan. The local decision comes first (well under 100 ms); a refusal it is sure of is final.
   * An admission (or a signature from a key this device may not have yet) is confirmed with the server
   * when it is reachable, so a ticket admitted at another gate a moment ago is caught live.
   */
  async scan(
    text: string,
    source: ScanSource,
    decodedAt = performance.now(),
    /** A rotating code read off the holder's screen, when it is not inside the scan. */
    code?: string,
  ): Promise<ScanOutcome> {
    const enrolled = this.state.enrolled
    if (!this.gate || !enrolled) throw new Error('not enrolled')
    const nonce = newNonce()
    const now = Date.now()
    const local = await this.gate.decide({
      scan: text,
      ...(code ? { code } : {}),
      revoked: this.memory.revoked,
      admitted: this.memory.admitted,
      now,
    })
    const localMs = performance.now() - decodedAt
    let decision = local
    let mode: 'online' | 'offline' = 'offline'
    const askServer = local.admit || local.reason === 'bad_signature'
    if (askServer && this.isOnline() && !this.state.sync.unenrolled) {
      const server = await this.askServer(enrolled, text, nonce, code)
      if (server) {
        decision = server
        mode = 'online'
      }
    }
    const outcome: ScanOutcome = {
      nonce,
      decision,
      mode,
      source,
      localMs,
      totalMs: performance.now() - decodedAt,
      at: now,
    }
    await this.keep(outcome, text)
    if (mode === 'offline' && this.isOnline()) void this.sync()
    return outcome
  }

  /** The tickets a typed or card-read ID number holds at this gate (offline: its keyed hashes). */
  lookUpId(typed: string): Promise<IdLookup> {
    return this.ids.lookUp(typed)
  }

  /**
   * Admits (or refuses) a ticket staff chose after an ID look-up, by the same rules as a scan of it. Decided here
   * and uploaded with the scan log (as `id:<ticket>`, never the number), at once when the server is reachable.
   */
  async admitById(found: IdTicket, lookedUpAt = performance.now()): Promise<ScanOutcome> {
    const enrolled = this.state.enrolled
    if (!this.gate || !enrolled) throw new Error('not enrolled')
    const now = Date.now()
    const nonce = newNonce()
    const scan = idScan(found.ticket.tid)
    const local = this.gate.decideTicket({
      ticket: found.ticket,
      revoked: this.memory.revoked,
      admitted: this.memory.admitted,
      now,
    })
    const localMs = performance.now() - lookedUpAt
    // As for a scan: an admission is confirmed with the server when it can be, so another gate's is caught live.
    const server =
      local.admit && this.isOnline() && !this.state.sync.unenrolled
        ? await this.askServer(enrolled, scan, nonce, undefined)
        : undefined
    const mode = server ? 'online' : 'offline'
    const outcome: ScanOutcome = {
      nonce,
      decision: server ?? local,
      mode,
      source: 'id_card',
      localMs,
      totalMs: performance.now() - lookedUpAt,
      at: now,
      holder: found.name,
    }
    await this.keep(outcome, scan)
    if (mode === 'offline' && this.isOnline()) void this.sync()
    return outcome
  }

  /** Shows a decision and writes it to the scan log (what later decisions and the sync go by). */
  private async keep(outcome: ScanOutcome, text: string) {
    this.set({ last: outcome })
    const record = scanRecordOf(outcome, text)
    this.remember(record)
    await putScan(this.db, record)
    await this.refreshCounts()
  }

  private async askServer(
    enrolled: EnrolledDevice,
    scan: string,
    nonce: string,
    code: string | undefined,
  ): Promise<GateDecision | undefined> {
    try {
      const answer = await checkOnline(enrolled, scan, nonce, code)
      this.contact(true)
      return answer
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) this.set({}, { unenrolled: true })
      else if (isNetworkFailure(error)) {
        this.contact(false)
        this.scheduleSync()
      }
      // Unreachable, slow or refused: the local decision stands.
      return undefined
    }
  }

  /** Uploads the pending scan log, then pulls revocations (and profile, rules, keys) by cursor. */
  sync(): Promise<void> {
    if (!this.syncing) {
      this.syncing = this.runSync().finally(() => {
        this.syncing = undefined
        this.scheduleSync()
      })
    }
    return this.syncing
  }

  private async runSync() {
    let enrolled = this.state.enrolled
    if (!enrolled || this.state.sync.unenrolled) return
    if (!navigator.onLine) {
      this.set({}, { online: false })
      return
    }
    this.set({}, { syncing: true })
    try {
      for (;;) {
        const batch = (await pendingScans(this.db)).slice(0, enrolled.rules.maxScansPerUpload)
        if (batch.length === 0) break
        const conflicts = await uploadScans(enrolled, batch)
        await markUploaded(
          this.db,
          batch.map((s) => s.nonce),
          conflicts,
        )
        await this.refreshCounts()
      }
      for (;;) {
        const bundle = await fetchSyncPage(enrolled)
        enrolled = await this.applyRevocations(enrolled, bundle)
        await saveDevice(this.db, enrolled)
        await this.useDevice(enrolled)
        if (!bundle.revocations.more) break
      }
      await this.refreshCounts({ enrolled })
      this.contact(true)
      this.set({}, { syncing: false, lastSyncAt: enrolled.lastSyncAt, lastError: undefined })
    } catch (error) {
      const unenrolled = error instanceof ApiError && error.status === 401
      if (isNetworkFailure(error)) this.contact(false)
      this.set(
        {},
        { syncing: false, unenrolled, lastError: error instanceof Error ? error.message : String(error) },
      )
    }
  }
}
