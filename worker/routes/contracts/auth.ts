import * as v from 'valibot'
import { staffRoles } from '../../db/schema.ts'

/** The signed-in staff member and their role in each organizer. */
export const staffMeSchema = v.object({
  id: v.string(),
  email: v.string(),
  name: v.string(),
  platformAdmin: v.boolean(),
  organizers: v.array(v.object({ id: v.string(), name: v.string(), role: v.picklist(staffRoles) })),
  /** The organizer this account last chose in the console, on any browser; null before the first choice. */
  lastOrganizerId: v.nullable(v.string()),
})

export const invitationPreviewSchema = v.object({
  email: v.string(),
  role: v.picklist(staffRoles),
  organizerName: v.string(),
  expiresAt: v.string(),
  /** False: the accept page asks for a name and password; true: for signing in as that account. */
  accountExists: v.boolean(),
  signedInAsInvitee: v.boolean(),
})

export const invitationAcceptedSchema = v.object({
  userId: v.string(),
  organizerId: v.string(),
  role: v.picklist(staffRoles),
  accountCreated: v.boolean(),
})

export type StaffMe = v.InferOutput<typeof staffMeSchema>
export type InvitationPreview = v.InferOutput<typeof invitationPreviewSchema>
export type InvitationAccepted = v.InferOutput<typeof invitationAcceptedSchema>
