import * as v from 'valibot'
import { groupBuyMemberStatuses } from '../../db/schema.ts'
import { amount } from './common.ts'

const role = v.picklist(['leader', 'member'])

/** What buyers see of a campaign: pricing and joining terms only. */
export const groupCampaignSchema = v.object({
  id: v.string(),
  organizerId: v.string(),
  name: v.string(),
  nameEn: v.nullable(v.string()),
  description: v.nullable(v.string()),
  showIds: v.array(v.string()),
  /** Group price per price category, minor units. */
  groupPrices: v.record(v.string(), amount),
  minSize: v.number(),
  maxSize: v.number(),
  lifetimeMinutes: v.number(),
  perBuyerLimit: v.number(),
  leaderDiscount: amount,
  /** 虚拟成团: at the deadline a group with a paid member succeeds, the organizer funding the rest. */
  autoComplete: v.boolean(),
})

/** A group still taking members, as listed for its show. */
export const openGroupSchema = v.object({
  groupId: v.string(),
  campaignId: v.string(),
  showId: v.string(),
  status: v.picklist(['open', 'succeeded', 'failed']),
  memberCount: v.number(),
  paidCount: v.number(),
  minSize: v.number(),
  maxSize: v.number(),
  /** Paid members still needed (0 once it succeeded). */
  needed: v.number(),
  /** Percent of the minimum paid. */
  progress: v.number(),
  deadline: v.string(),
  shareUrl: v.string(),
})

export const showGroupBuysSchema = v.object({
  showId: v.string(),
  campaigns: v.array(groupCampaignSchema),
  /** Closest to succeeding first, so newcomers join rather than start. */
  groups: v.array(openGroupSchema),
})

const memberStatus = v.picklist(groupBuyMemberStatuses)

/** A group's page: progress, members (no personal data), share link and QR code, and your own membership. */
export const groupViewSchema = v.object({
  groupId: v.string(),
  campaignId: v.string(),
  showId: v.string(),
  /** Groups still forming or voided are not found. */
  status: v.picklist(['open', 'succeeded', 'failed']),
  minSize: v.number(),
  maxSize: v.number(),
  deadline: v.string(),
  prices: v.record(v.string(), amount),
  currency: v.string(),
  leaderDiscount: amount,
  memberCount: v.number(),
  paidCount: v.number(),
  placesLeft: v.number(),
  needed: v.number(),
  /** 虚拟成团 filled the missing places. */
  virtual: v.boolean(),
  /** Members holding a place: no names or contacts. */
  members: v.array(
    v.object({
      role,
      quantity: v.number(),
      status: v.picklist(['awaiting_payment', 'paid', 'confirmed']),
      joinedAt: v.string(),
    }),
  ),
  you: v.nullable(
    v.object({
      memberId: v.string(),
      role,
      /** `joining` only while your own join is still being decided. */
      status: v.union([memberStatus, v.literal('joining')]),
      orderId: v.nullable(v.string()),
      payBy: v.string(),
    }),
  ),
  progress: v.number(),
  shareUrl: v.string(),
  /** The share link as a QR code (SVG markup). */
  shareQrSvg: v.string(),
})

/** Your place in a group: pay `amountDue` for the order at `checkoutUrl` before `payBy`. */
export const membershipSchema = v.object({
  groupId: v.string(),
  memberId: v.string(),
  role,
  orderId: v.string(),
  paymentId: v.string(),
  checkoutUrl: v.nullable(v.string()),
  amountDue: amount,
  payBy: v.string(),
  seats: v.array(
    v.object({
      id: v.string(),
      label: v.string(),
      section: v.string(),
      row: v.string(),
      category: v.string(),
      price: amount,
    }),
  ),
})

export const groupStartedSchema = v.object({ group: groupViewSchema, membership: membershipSchema })
export const groupLeftSchema = v.object({ status: v.string() })

export type GroupCampaign = v.InferOutput<typeof groupCampaignSchema>
export type OpenGroup = v.InferOutput<typeof openGroupSchema>
export type ShowGroupBuys = v.InferOutput<typeof showGroupBuysSchema>
export type MemberStatus = v.InferOutput<typeof memberStatus>
export type GroupView = v.InferOutput<typeof groupViewSchema>
export type Membership = v.InferOutput<typeof membershipSchema>
export type GroupStarted = v.InferOutput<typeof groupStartedSchema>
