import * as v from 'valibot'
import { staffRoles } from '../../../db/schema.ts'
import { listOf } from '../common.ts'

export const staffMember = v.object({
  userId: v.string(),
  email: v.string(),
  name: v.string(),
  role: v.picklist(staffRoles),
})
export const staffMemberList = listOf(staffMember)

export const staffInvitation = v.object({
  id: v.string(),
  email: v.string(),
  role: v.picklist(staffRoles),
  /** Who invited (staff user id). */
  invitedBy: v.string(),
  createdAt: v.string(),
  expiresAt: v.string(),
})
export const staffInvitationList = listOf(staffInvitation)

export type StaffMember = v.InferOutput<typeof staffMember>
export type StaffInvitation = v.InferOutput<typeof staffInvitation>
