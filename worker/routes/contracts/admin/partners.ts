import * as v from 'valibot'
import { amount, listOf, pageOf } from '../common.ts'

export const partnerSchema = v.object({
  id: v.string(),
  name: v.string(),
  /** The sales channel code it sells (its orders and webhooks carry it). */
  channel: v.string(),
  salesChannelId: v.string(),
  /** Public key id, sent as `x-partner-key`. */
  keyId: v.string(),
  status: v.picklist(['active', 'disabled']),
  rateLimitPerMinute: v.number(),
  /** After a rotation, the replaced secret verifies until then. */
  previousSecretExpiresAt: v.nullable(v.string()),
  createdAt: v.string(),
})
export const partnerPage = pageOf(partnerSchema)

export const partnerCredentials = v.object({
  ...partnerSchema.entries,
  secret: v.pipe(v.string(), v.description('The signing secret. Shown only in this response; store it now.')),
})

export const partnerProduct = v.object({
  productId: v.string(),
  name: v.string(),
  siteId: v.string(),
  /** Crossed-out list price. */
  marketPrice: amount,
  /** What the partner sells at. */
  salePrice: amount,
  /** What the partner pays us: the order total. */
  settlementPrice: amount,
})
export const partnerProductList = listOf(partnerProduct)

export type Partner = v.InferOutput<typeof partnerSchema>
export type PartnerCredentials = v.InferOutput<typeof partnerCredentials>
export type PartnerProduct = v.InferOutput<typeof partnerProduct>
