// The gate's requests to the server: enroll, the online check, scan uploads and the sync pages, and the
// signature check a revocation page must pass before the device trusts it.
import { importTicketKeys } from '../../worker/domain/gate-decision.ts'
import { verifyRevocationPage } from '../../worker/domain/revocation-list.ts'
import type { GateEnrolled, GateSync, OnlineCheck, ScanUpload } from '../../worker/routes/contracts/gate.ts'
import { ApiError, api } from '../lib/api.ts'
import { ONLINE_CHECK_TIMEOUT_MS } from './device-state.ts'
import type { ConflictRecord, EnrolledDevice, ScanRecord } from './store.ts'

/** No answer at all (no network, server down, timed out), as opposed to an answer saying no. */
export const isNetworkFailure = (error: unknown) =>
  error instanceof ApiError
    ? error.status === 0
    : error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')

const bearer = (enrolled: EnrolledDevice) => ({ authorization: `Bearer ${enrolled.token}` })

export const enrollWithCode = (code: string) =>
  api<GateEnrolled>('/api/gate/enroll', { method: 'POST', body: { code } })

/** What every enrollment and sync answer brings for the device record (it replaces what was there). */
export const deviceFieldsOf = (bundle: GateSync) => ({
  device: bundle.device,
  profile: bundle.profile,
  rules: bundle.rules,
  jwks: bundle.jwks.keys,
  attendance: bundle.attendance,
  products: bundle.products,
  sections: bundle.sections,
  sectionNames: bundle.sectionNames,
})

/** The server's decision on a scan; throws when it cannot be had in time (the local decision then stands). */
export const checkOnline = (
  enrolled: EnrolledDevice,
  scan: string,
  nonce: string,
  code: string | undefined,
) =>
  api<OnlineCheck>('/api/gate/check', {
    method: 'POST',
    body: { scan: scan.trim().slice(0, 600), nonce, ...(code ? { code } : {}) },
    headers: bearer(enrolled),
    signal: AbortSignal.timeout(ONLINE_CHECK_TIMEOUT_MS),
  })

/** Uploads a batch of the scan log; answers the conflicts the server found (another device admitted first). */
export async function uploadScans(enrolled: EnrolledDevice, batch: ScanRecord[]): Promise<ConflictRecord[]> {
  const { items } = await api<ScanUpload>('/api/gate/scans', {
    method: 'POST',
    headers: bearer(enrolled),
    body: {
      scans: batch.map((s) => ({
        nonce: s.nonce,
        scan: s.scan,
        decision: s.decision,
        ...(s.reason ? { reason: s.reason } : {}),
        scannedAt: s.scannedAt,
      })),
    },
  })
  const reportedAt = new Date().toISOString()
  return items
    .filter((item) => item.redemption === 'conflict')
    .map((item) => ({
      nonce: item.nonce,
      ticketId: item.ticketId ?? null,
      scannedAt: batch.find((s) => s.nonce === item.nonce)?.scannedAt ?? reportedAt,
      reportedAt,
    }))
}

/** The next sync page after the device's revocation cursor (and ID-index cursor, when it has one). */
export const fetchSyncPage = (enrolled: EnrolledDevice) =>
  api<GateSync>('/api/gate/sync', {
    query: {
      cursor: enrolled.cursor,
      ...(enrolled.idIndex?.cursor
        ? { idEpoch: enrolled.idIndex.epoch, idCursor: enrolled.idIndex.cursor }
        : {}),
    },
    headers: bearer(enrolled),
  })

/** A revocation page whose signature verified (ticket keys, cut for this device); throws otherwise. */
export async function verifiedRevocations(bundle: GateSync) {
  const keys = await importTicketKeys(bundle.jwks.keys)
  const page = await verifyRevocationPage(bundle.revocations.jws, keys, {
    org: bundle.device.organizerId,
    dev: bundle.device.id,
  })
  if (!page) throw new Error('The revocation list’s signature did not verify')
  return page
}
