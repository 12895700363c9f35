import * as v from 'valibot'
import { kioskAlertKinds, kioskPrinterStates } from '../../db/schema.ts'
import { amount, pageOf } from './common.ts'
import { ticketSchema } from './orders.ts'

export const kioskRecord = v.object({
  id: v.string(),
  organizerId: v.string(),
  name: v.string(),
  siteId: v.string(),
  enrolledAt: v.string(),
  revokedAt: v.nullable(v.string()),
  lastHeartbeatAt: v.nullable(v.string()),
  appVersion: v.nullable(v.string()),
  printerState: v.nullable(v.picklist(kioskPrinterStates)),
  paperLevel: v.nullable(v.number()),
  lastSaleAt: v.nullable(v.string()),
  errors: v.nullable(
    v.array(v.object({ code: v.string(), message: v.string(), at: v.optional(v.string()) })),
  ),
  catalogueVersion: v.nullable(v.string()),
})

/** The catalogue a kiosk sells: its site's ticket types; `version` changes whenever any of it changes. */
export const kioskCatalogueSchema = v.object({
  version: v.string(),
  site: v.nullable(
    v.object({
      id: v.string(),
      name: v.string(),
      nameEn: v.nullable(v.string()),
      timezone: v.string(),
      timeSlots: v.array(v.object({ code: v.string(), start: v.string(), end: v.string() })),
    }),
  ),
  products: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      nameEn: v.nullable(v.string()),
      ticketType: v.string(),
      /** Base price; the day's price (date prices, tiers) comes with the day. */
      price: amount,
      timed: v.boolean(),
      realNameRequired: v.boolean(),
    }),
  ),
})

export const kioskEnrolledSchema = v.object({
  deviceToken: v.string(),
  kiosk: kioskRecord,
  catalogue: kioskCatalogueSchema,
  heartbeatSeconds: v.number(),
})

export const heartbeatAnswerSchema = v.object({
  /** Refetch `GET /api/kiosk/catalogue` when it differs from the catalogue shown. */
  catalogueVersion: v.string(),
  heartbeatSeconds: v.number(),
  serverTime: v.string(),
})

export const kioskOrderCreatedSchema = v.object({
  orderId: v.string(),
  number: v.string(),
  /** Show it as a QR code: the visitor pays on their phone. */
  checkoutUrl: v.string(),
  amountDue: amount,
  currency: v.string(),
  expiresAt: v.string(),
})

export const kioskOrderStatusSchema = v.object({
  orderId: v.string(),
  number: v.string(),
  status: v.string(),
  total: amount,
  currency: v.string(),
  /** Once paid: the tickets to print. */
  tickets: v.array(ticketSchema),
})

// Console
export const kioskEnrollmentCodeSchema = v.object({
  id: v.string(),
  code: v.string(),
  expiresAt: v.string(),
  kioskName: v.string(),
  siteId: v.string(),
})

export const kioskAlertRecord = v.object({
  id: v.string(),
  organizerId: v.string(),
  kioskId: v.string(),
  kind: v.picklist(kioskAlertKinds),
  detail: v.record(v.string(), v.unknown()),
  openedAt: v.string(),
  resolvedAt: v.nullable(v.string()),
})

export const kioskStatusRecord = v.object({
  ...kioskRecord.entries,
  /** `online`: a heartbeat within the silence window; `silent`: none since; `never_seen`; `revoked`. */
  status: v.picklist(['online', 'silent', 'never_seen', 'revoked']),
  openAlerts: v.array(kioskAlertRecord),
  /** Paid orders sold at this kiosk today (organizer's day). */
  salesToday: v.number(),
})
export const kioskStatusPage = pageOf(kioskStatusRecord)
export const kioskAlertPage = pageOf(kioskAlertRecord)

export type KioskRecord = v.InferOutput<typeof kioskRecord>
export type KioskCatalogue = v.InferOutput<typeof kioskCatalogueSchema>
export type KioskEnrolled = v.InferOutput<typeof kioskEnrolledSchema>
export type HeartbeatAnswer = v.InferOutput<typeof heartbeatAnswerSchema>
export type KioskOrderCreated = v.InferOutput<typeof kioskOrderCreatedSchema>
export type KioskOrderStatus = v.InferOutput<typeof kioskOrderStatusSchema>
export type KioskStatus = v.InferOutput<typeof kioskStatusRecord>
export type KioskAlert = v.InferOutput<typeof kioskAlertRecord>
