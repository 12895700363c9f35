import * as v from 'valibot'
import { nonEmpty } from '../../query.ts'
import { pageOf } from '../common.ts'

export const organizerInput = v.object({
  name: nonEmpty(),
  slug: v.pipe(
    v.string(),
    v.regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lowercase letters, digits and -; 2–63 long'),
  ),
  currency: v.optional(v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'an ISO 4217 code like CNY')), 'CNY'),
  timezone: v.optional(v.pipe(v.string(), v.maxLength(64)), 'Asia/Shanghai'),
  contactEmail: v.optional(v.nullable(v.pipe(v.string(), v.email()))),
  allowGuestCheckout: v.optional(v.boolean(), true),
})

export const organizerRecord = v.object({
  id: v.string(),
  ...organizerInput.entries,
  contactEmail: v.nullable(v.string()),
  createdAt: v.string(),
  updatedAt: v.string(),
})
/** A listed organizer also says how many of its shows are still to come (the console opens on one that has some). */
export const organizerListItem = v.object({ ...organizerRecord.entries, upcomingShows: v.number() })
export const organizerPage = pageOf(organizerListItem)

export const createdOrganizer = v.object({
  ...organizerRecord.entries,
  /** The first owner's invitation, when `ownerEmail` was given. */
  ownerInvitation: v.optional(
    v.object({
      id: v.string(),
      email: v.string(),
      role: v.string(),
      invitedBy: v.string(),
      createdAt: v.string(),
      expiresAt: v.string(),
    }),
  ),
})

export type OrganizerRecord = v.InferOutput<typeof organizerRecord>
export type OrganizerListItem = v.InferOutput<typeof organizerListItem>
