// Member profiles, an organizer's tiers and points rules, and the 12-month figures a tier is decided on.
import { and, asc, eq, gt, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberPoints, memberPointsRules, memberProfiles, memberTiers } from '../../db/schema.ts'
import { type PointsRules, tierFor } from '../../domain/points-ledger.ts'
import { newId } from '../../ids.ts'

export type MemberTierRow = typeof memberTiers.$inferSelect
export type MemberRow = typeof memberProfiles.$inferSelect

const YEAR_MS = 365 * 24 * 3600_000

/** The organizer's tiers, lowest first. */
export async function readTiers(db: Database, organizerId: string): Promise<MemberTierRow[]> {
  const rows = await db
    .select()
    .from(memberTiers)
    .where(eq(memberTiers.organizerId, organizerId))
    .orderBy(asc(memberTiers.rank))
  return rows
}

export async function readRules(db: Database, organizerId: string): Promise<PointsRules | null> {
  const [row] = await db
    .select()
    .from(memberPointsRules)
    .where(eq(memberPointsRules.organizerId, organizerId))
  if (!row) return null
  const { earnPerYuan, pointsPerYuan, maxRedeemPercent, expiryYears } = row
  return { earnPerYuan, pointsPerYuan, maxRedeemPercent, expiryYears }
}

export async function findMember(db: Database, organizerId: string, customerId: string) {
  const [row] = await db
    .select()
    .from(memberProfiles)
    .where(and(eq(memberProfiles.organizerId, organizerId), eq(memberProfiles.customerId, customerId)))
  return row ?? null
}

/** The customer's member profile with this organizer, made on first use (concurrent first uses make one). */
export async function ensureMember(
  db: Database,
  organizerId: string,
  customerId: string,
): Promise<MemberRow> {
  const found = await findMember(db, organizerId, customerId)
  if (found) return found
  await db
    .insert(memberProfiles)
    .values({ id: newId('mem'), organizerId, customerId })
    .onConflictDoNothing({ target: [memberProfiles.organizerId, memberProfiles.customerId] })
  return (await findMember(db, organizerId, customerId))!
}

/** Paid spend (net of refunds) and points earned (net of reversals) over the 12 months before `now`. */
export async function last12Months(db: Database, memberId: string, now: Date) {
  const since = new Date(now.getTime() - YEAR_MS).toISOString()
  const [row] = await db
    .select({
      spend: sql<number>`coalesce(sum(${memberPoints.spend}), 0)`,
      points: sql<number>`coalesce(sum(CASE ${memberPoints.kind} WHEN 'earn' THEN ${memberPoints.points}
        WHEN 'reverse' THEN ${memberPoints.points} - ${memberPoints.debt} ELSE 0 END), 0)`,
    })
    .from(memberPoints)
    .where(and(eq(memberPoints.memberId, memberId), gt(memberPoints.createdAt, since)))
  return { spend: Math.max(0, row?.spend ?? 0), points: Math.max(0, row?.points ?? 0) }
}

/** The tier a customer has with an organizer now (a customer with no profile yet has the open tier, if any). */
export async function currentTier(db: Database, organizerId: string, customerId: string, now: Date) {
  const tiers = await readTiers(db, organizerId)
  if (!tiers.length) return { tiers, tier: null, member: null, figures: { spend: 0, points: 0 } }
  const member = await findMember(db, organizerId, customerId)
  const figures = member ? await last12Months(db, member.id, now) : { spend: 0, points: 0 }
  return { tiers, tier: tierFor(tiers, figures), member, figures }
}
