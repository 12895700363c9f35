import * as v from 'valibot'
import { gateDirections, gateScopeKinds, redemptionConflictKinds } from '../../../db/schema.ts'
import { pageOf } from '../common.ts'

/** A one-time enrollment code: shown this once (only its hash is kept). */
export const enrollmentCode = v.object({
  id: v.string(),
  code: v.string(),
  expiresAt: v.string(),
  gateName: v.string(),
  direction: v.picklist(gateDirections),
  scopeKind: v.picklist(gateScopeKinds),
  /** Event id, or scenic site id. */
  scopeId: v.string(),
})

export const gateDeviceRecord = v.object({
  id: v.string(),
  organizerId: v.string(),
  gateName: v.string(),
  direction: v.picklist(gateDirections),
  scopeKind: v.picklist(gateScopeKinds),
  scopeId: v.string(),
  fromDate: v.nullable(v.string()),
  toDate: v.nullable(v.string()),
  enrolledAt: v.string(),
  lastSyncAt: v.nullable(v.string()),
  /** Set once revoked: its token stops working at once. */
  revokedAt: v.nullable(v.string()),
})
export const gateDevicePage = pageOf(gateDeviceRecord)

const gateModes = ['offline', 'online'] as const

/** 核销: a ticket's first admission. */
export const redemptionRecord = v.object({
  id: v.string(),
  ticketId: v.string(),
  organizerId: v.string(),
  scanId: v.string(),
  deviceId: v.string(),
  gateName: v.string(),
  mode: v.picklist(gateModes),
  redeemedAt: v.string(),
  recordedAt: v.string(),
})
export const redemptionPage = pageOf(redemptionRecord)

export const gateConflict = v.object({
  id: v.string(),
  organizerId: v.string(),
  ticketId: v.string(),
  redemptionId: v.string(),
  scanId: v.string(),
  deviceId: v.string(),
  gateName: v.string(),
  scannedAt: v.string(),
  kind: v.picklist(redemptionConflictKinds),
  /** `revoked_admitted`: why and when the ticket was revoked (before or after the scan). */
  revocationReason: v.nullable(v.string()),
  revokedAt: v.nullable(v.string()),
  detectedAt: v.string(),
  /** The redemption it collided with (for `revoked_admitted`, this admission's own). */
  first: v.object({
    redemptionId: v.string(),
    gateName: v.string(),
    deviceId: v.string(),
    redeemedAt: v.string(),
  }),
})
export const gateConflictPage = pageOf(gateConflict)

export type EnrollmentCode = v.InferOutput<typeof enrollmentCode>
export type GateDeviceRecord = v.InferOutput<typeof gateDeviceRecord>
export type RedemptionRecord = v.InferOutput<typeof redemptionRecord>
export type GateConflict = v.InferOutput<typeof gateConflict>
