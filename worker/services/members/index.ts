// What routes ask of members: the buyer's member page and preferences, and the organizer's tiers, points rules and
// member list. The checkout providers (checkout.ts) and the order subscribers (order-subscribers.ts) are wired in
// worker/services/promotions/providers.ts and worker/services/order-events/index.ts.
import { and, asc, desc, eq, gt, inArray, like, or } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  customers,
  events,
  memberPointsRules,
  memberProfiles,
  memberTiers,
  orders,
  organizers,
  scenicSites,
  shows,
} from '../../db/schema.ts'
import { expiringBy, nextTier, type PointsRules, tierFor } from '../../domain/points-ledger.ts'
import { newId } from '../../ids.ts'
import { settledState } from './ledger.ts'
import {
  currentTier,
  ensureMember,
  findMember,
  last12Months,
  type MemberTierRow,
  readRules,
  readTiers,
} from './profiles.ts'

export { currentTier, readRules, readTiers }

const HISTORY_ROWS = 50

const tierView = (tier: MemberTierRow) => ({
  id: tier.id,
  code: tier.code,
  name: tier.name,
  nameEn: tier.nameEn,
  minSpend: tier.minSpend,
  minPoints: tier.minPoints,
  discountPercent: tier.discountPercent,
  presaleAccess: tier.presaleAccess,
  maxTicketsPerBuyer: tier.maxTicketsPerBuyer,
})

/** The shop's member page: made on the first visit. */
export async function memberPage(db: Database, organizerId: string, customerId: string, now: Date) {
  const member = await ensureMember(db, organizerId, customerId)
  const [tiers, rules, figures, { state, rows }] = await Promise.all([
    readTiers(db, organizerId),
    readRules(db, organizerId),
    last12Months(db, member.id, now),
    settledState(db, member.id, now),
  ])
  const tier = tierFor(tiers, figures)
  const next = nextTier(tiers, tier, figures)
  const purchases = await db
    .select({
      id: orders.id,
      number: orders.number,
      status: orders.status,
      total: orders.total,
      currency: orders.currency,
      createdAt: orders.createdAt,
      eventName: events.name,
      eventNameEn: events.nameEn,
      siteName: scenicSites.name,
      siteNameEn: scenicSites.nameEn,
    })
    .from(orders)
    .leftJoin(shows, eq(shows.id, orders.showId))
    .leftJoin(events, eq(events.id, shows.eventId))
    .leftJoin(scenicSites, eq(scenicSites.id, orders.siteId))
    .where(
      and(
        eq(orders.organizerId, organizerId),
        eq(orders.customerId, customerId),
        inArray(orders.status, ['paid', 'partially_refunded', 'refunded', 'deposit_paid']),
      ),
    )
    .orderBy(desc(orders.createdAt))
    .limit(20)
  const [organizer] = await db
    .select({ name: organizers.name })
    .from(organizers)
    .where(eq(organizers.id, organizerId))
  return {
    organizerId,
    organizerName: organizer?.name ?? '',
    memberId: member.id,
    since: member.createdAt,
    tier: tier ? tierView(tier) : null,
    nextTier: next
      ? { tier: tierView(next.tier), spendToGo: next.spendToGo, pointsToGo: next.pointsToGo }
      : null,
    last12Months: figures,
    tiers: tiers.map(tierView),
    rules,
    points: {
      balance: state.balance,
      debt: state.debt,
      expiring: expiringBy(state, new Date(now.getTime() + 90 * 24 * 3600_000)),
      history: rows
        .slice(-HISTORY_ROWS)
        .reverse()
        .filter((row) => row.points !== 0 || row.debt !== 0)
        .map((row) => ({
          id: row.id,
          kind: row.kind,
          points: row.points,
          debt: row.debt,
          orderId: row.orderId,
          expiresAt: row.expiresAt,
          at: row.createdAt,
        })),
    },
    purchases,
    preferences: {
      favouriteVenueIds: member.favouriteVenueIds,
      favouriteCategories: member.favouriteCategories,
    },
  }
}

export async function savePreferences(
  db: Database,
  organizerId: string,
  customerId: string,
  preferences: { favouriteVenueIds: string[]; favouriteCategories: string[] },
) {
  const member = await ensureMember(db, organizerId, customerId)
  await db.update(memberProfiles).set(preferences).where(eq(memberProfiles.id, member.id))
}

export interface TierInput {
  code: string
  name: string
  nameEn?: string | null | undefined
  minSpend: number | null
  minPoints: number | null
  discountPercent: number
  presaleAccess: boolean
  /** Null or absent: the event's limit. */
  maxTicketsPerBuyer?: number | null | undefined
}

/** Replaces the organizer's tiers (lowest first); a tier keeps its id while its code stays. */
export async function saveTiers(db: Database, organizerId: string, tiers: TierInput[]) {
  const existing = await readTiers(db, organizerId)
  const idOf = new Map(existing.map((tier) => [tier.code, tier.id]))
  const now = new Date().toISOString()
  const keep = tiers.map((tier) => idOf.get(tier.code)).filter((id): id is string => !!id)
  const gone = existing.filter((tier) => !keep.includes(tier.id)).map((tier) => tier.id)
  await db.batch([
    // Ranks move out of the way first, so the new order never collides with the old.
    db.update(memberTiers).set({ rank: -1 }).where(eq(memberTiers.organizerId, organizerId)),
    ...(gone.length ? [db.delete(memberTiers).where(inArray(memberTiers.id, gone))] : []),
    ...tiers.map((tier, rank) => {
      const values = {
        ...tier,
        nameEn: tier.nameEn ?? null,
        maxTicketsPerBuyer: tier.maxTicketsPerBuyer ?? null,
        rank,
        updatedAt: now,
      }
      return db
        .insert(memberTiers)
        .values({ id: idOf.get(tier.code) ?? newId('mtr'), organizerId, ...values })
        .onConflictDoUpdate({ target: memberTiers.id, set: values })
    }),
  ] as unknown as Parameters<Database['batch']>[0])
  return (await readTiers(db, organizerId)).map(tierView)
}

export async function saveRules(db: Database, organizerId: string, rules: PointsRules) {
  const updatedAt = new Date().toISOString()
  await db
    .insert(memberPointsRules)
    .values({ organizerId, ...rules, updatedAt })
    .onConflictDoUpdate({ target: memberPointsRules.organizerId, set: { ...rules, updatedAt } })
  return readRules(db, organizerId)
}

/** The organizer's members, oldest first, searched by contact or name; each with tier and balance. */
export async function listMembers(
  db: Database,
  organizerId: string,
  query: { q?: string | undefined; limit: number; cursor?: string | undefined },
  now: Date,
) {
  const q = query.q?.trim().toLowerCase()
  const rows = await db
    .select({
      id: memberProfiles.id,
      since: memberProfiles.createdAt,
      contact: customers.contact,
      name: customers.name,
    })
    .from(memberProfiles)
    .innerJoin(customers, eq(customers.id, memberProfiles.customerId))
    .where(
      and(
        eq(memberProfiles.organizerId, organizerId),
        q ? or(like(customers.contact, `%${q}%`), like(customers.name, `%${q}%`)) : undefined,
        query.cursor ? gt(memberProfiles.id, query.cursor) : undefined,
      ),
    )
    .orderBy(asc(memberProfiles.id))
    .limit(query.limit + 1)
  const tiers = await readTiers(db, organizerId)
  const page = rows.slice(0, query.limit)
  const items = await Promise.all(
    page.map(async (row) => {
      const [figures, { state }] = await Promise.all([
        last12Months(db, row.id, now),
        settledState(db, row.id, now),
      ])
      const tier = tierFor(tiers, figures)
      return {
        ...row,
        tier: tier ? tierView(tier) : null,
        spend12Months: figures.spend,
        balance: state.balance,
        debt: state.debt,
      }
    }),
  )
  return { items, nextCursor: rows.length > query.limit ? page.at(-1)!.id : null }
}

/**
 * What a signed-in customer's member tier brings to a hold on a show, from one lookup: during a presale its code
 * (the sale phases admit tiers by code; only a tier with presale access passes it), and its higher per-buyer
 * ticket limit. In the general sale an organizer whose tiers raise no limit costs that one read and nothing more.
 */
export async function holdTierBenefits(
  db: Database,
  showId: string,
  customerId: string,
  now: Date,
  presale: boolean,
): Promise<{ memberTier?: string; maxTicketsPerBuyer?: number }> {
  const rows = await db
    .select({ tier: memberTiers })
    .from(shows)
    .innerJoin(memberTiers, eq(memberTiers.organizerId, shows.organizerId))
    .where(eq(shows.id, showId))
    .orderBy(asc(memberTiers.rank))
  const tiers = rows.map((row) => row.tier)
  if (!tiers.length || (!presale && !tiers.some((tier) => tier.maxTicketsPerBuyer !== null))) return {}
  const member = await findMember(db, tiers[0]!.organizerId, customerId)
  const tier = tierFor(tiers, member ? await last12Months(db, member.id, now) : { spend: 0, points: 0 })
  if (!tier) return {}
  return {
    ...(presale && tier.presaleAccess ? { memberTier: tier.code } : {}),
    ...(tier.maxTicketsPerBuyer !== null ? { maxTicketsPerBuyer: tier.maxTicketsPerBuyer } : {}),
  }
}
