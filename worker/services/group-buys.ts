import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm'
import QRCode from 'qrcode'
import type { GroupBuyTerms, GroupBuyView, GroupRefusal } from '../../durable-objects/group-buy/contract.ts'
import type { Database } from '../db/client.ts'
import { events, groupBuyCampaigns, groupBuys, organizers, shows } from '../db/schema.ts'
import { groupDeadline, groupProgress, groupShareUrl } from '../domain/group-buy.ts'
import { newId } from '../ids.ts'
import { notFound, Problem } from '../problem.ts'
import { QR_OPTIONS } from './ticket-qr.ts'

type Campaign = typeof groupBuyCampaigns.$inferSelect

/** What buyers see of a campaign: no internal fields beyond what pricing and joining need. */
export function publicCampaign(campaign: Campaign) {
  return {
    id: campaign.id,
    organizerId: campaign.organizerId,
    name: campaign.name,
    nameEn: campaign.nameEn,
    description: campaign.description,
    showIds: campaign.showIds,
    groupPrices: campaign.groupPrices,
    minSize: campaign.minSize,
    maxSize: campaign.maxSize,
    lifetimeMinutes: campaign.lifetimeMinutes,
    perBuyerLimit: campaign.perBuyerLimit,
    leaderDiscount: campaign.leaderDiscount,
    autoComplete: campaign.autoComplete,
  }
}

/** An active campaign; paused, ended or unknown ones are not found for buyers. */
export async function activeCampaign(db: Database, campaignId: string): Promise<Campaign> {
  const [campaign] = await db
    .select()
    .from(groupBuyCampaigns)
    .where(and(eq(groupBuyCampaigns.id, campaignId), eq(groupBuyCampaigns.status, 'active')))
  if (!campaign) throw notFound(`group-buy campaign ${campaignId}`)
  return campaign
}

/** Active campaigns that include a show. */
export async function campaignsForShow(db: Database, showId: string): Promise<Campaign[]> {
  return db
    .select()
    .from(groupBuyCampaigns)
    .where(
      and(
        eq(groupBuyCampaigns.status, 'active'),
        sql`EXISTS (SELECT 1 FROM json_each(${groupBuyCampaigns.showIds}) WHERE value = ${showId})`,
      ),
    )
    .orderBy(asc(groupBuyCampaigns.id))
}

/**
 * The terms a new group of `campaign` for `showId` starts with: its deadline never passes the sale end. Before
 * the general sale a leader with a presale code may start one: the show's actor decides whether a presale
 * phase admits the code when it holds the leader's seats.
 */
export async function termsForNewGroup(
  db: Database,
  campaign: Campaign,
  showId: string,
  opts: { presaleCode?: string } = {},
  now = Date.now(),
): Promise<GroupBuyTerms> {
  if (!campaign.showIds.includes(showId)) throw notFound(`show ${showId} in campaign ${campaign.id}`)
  const [show] = await db
    .select({
      id: shows.id,
      status: shows.status,
      saleStartsAt: shows.saleStartsAt,
      saleEndsAt: shows.saleEndsAt,
      holdMinutes: shows.holdMinutes,
      currency: organizers.currency,
      eventStatus: events.status,
    })
    .from(shows)
    .innerJoin(organizers, eq(organizers.id, shows.organizerId))
    .innerJoin(events, eq(events.id, shows.eventId))
    .where(and(eq(shows.id, showId), eq(shows.organizerId, campaign.organizerId)))
  if (!show) throw notFound(`show ${showId}`)
  const deadline = groupDeadline(now, campaign.lifetimeMinutes, show.saleEndsAt)
  if (
    show.status !== 'scheduled' ||
    show.eventStatus !== 'published' ||
    (now < Date.parse(show.saleStartsAt) && !opts.presaleCode) ||
    deadline.getTime() <= now
  ) {
    throw new Problem({
      code: 'not_on_sale',
      status: 409,
      detail: 'Tickets for this show are not on sale now',
    })
  }
  return {
    groupId: newId('grp', now),
    campaignId: campaign.id,
    organizerId: campaign.organizerId,
    showId,
    prices: campaign.groupPrices,
    minSize: campaign.minSize,
    maxSize: campaign.maxSize,
    deadline: deadline.toISOString(),
    perBuyerLimit: campaign.perBuyerLimit,
    leaderDiscount: campaign.leaderDiscount,
    autoComplete: campaign.autoComplete,
    paymentMinutes: show.holdMinutes,
    currency: show.currency,
  }
}

/** Groups of a show still taking members (open, or succeeded with places left), closest to succeeding first, so newcomers join rather than start. */
export async function openGroupsForShow(db: Database, showId: string, origin: string, now = new Date()) {
  const rows = await db
    .select()
    .from(groupBuys)
    .where(
      and(
        eq(groupBuys.showId, showId),
        // A group that already succeeded but has places left is the best join of all: confirmed on payment.
        inArray(groupBuys.status, ['open', 'succeeded']),
        gt(groupBuys.deadline, now.toISOString()),
        sql`${groupBuys.memberCount} < ${groupBuys.maxSize}`,
      ),
    )
    .orderBy(
      sql`CASE WHEN ${groupBuys.status} = 'succeeded' THEN 0 ELSE ${groupBuys.minSize} - ${groupBuys.paidCount} END`,
      asc(groupBuys.deadline),
    )
    .limit(50)
  return rows.map((g) => ({
    groupId: g.id,
    campaignId: g.campaignId,
    showId: g.showId,
    status: g.status,
    memberCount: g.memberCount,
    paidCount: g.paidCount,
    minSize: g.minSize,
    maxSize: g.maxSize,
    needed: g.status === 'succeeded' ? 0 : Math.max(0, g.minSize - g.paidCount),
    progress: groupProgress(g.paidCount, g.minSize),
    deadline: g.deadline,
    shareUrl: groupShareUrl(origin, g.id),
  }))
}

/** The public page of a group: progress, deadline, share link and its QR code (SVG). */
export async function groupPage(view: GroupBuyView, origin: string) {
  const shareUrl = groupShareUrl(origin, view.groupId)
  return {
    ...view,
    progress: groupProgress(view.paidCount, view.minSize),
    shareUrl,
    shareQrSvg: await QRCode.toString(shareUrl, { ...QR_OPTIONS, type: 'svg' }),
  }
}

/** A refusal from the group's actor as the problem+json the API answers with. */
export function groupProblem(refusal: GroupRefusal): Problem {
  const { ok: _ok, code, status, detail, ...extensions } = refusal
  return new Problem({ code, status: status as 400, detail, extensions })
}
