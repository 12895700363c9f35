import { and, asc, count, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  commissionRules,
  distributionClicks,
  distributionLinks,
  distributionSettings,
  distributors,
  events,
  shows,
  visitProducts,
} from '../../db/schema.ts'
import { type CommissionKind, newRefCode } from '../../domain/distribution.ts'
import { newId } from '../../ids.ts'
import { notFound } from '../../problem.ts'
import { attributionDays, inviteCouponOf } from './commission-events.ts'

// The organizer's side of distribution: distributors, their share links, commission rules and the attribution
// window. Every read and write is scoped to the organizer; another organizer's ids answer not_found.

export interface DistributorInput {
  name: string
  kind: 'kol' | 'agency' | 'staff'
  contact: string
  status: 'active' | 'disabled'
  commissionKind: CommissionKind
  commissionValue: number
}

export async function listDistributors(db: Database, organizerId: string) {
  return db
    .select()
    .from(distributors)
    .where(eq(distributors.organizerId, organizerId))
    .orderBy(asc(distributors.createdAt), asc(distributors.id))
}

export async function readDistributor(db: Database, organizerId: string, id: string) {
  const [row] = await db
    .select()
    .from(distributors)
    .where(and(eq(distributors.id, id), eq(distributors.organizerId, organizerId)))
  if (!row) throw notFound(`distributor ${id}`)
  return row
}

export async function createDistributor(db: Database, organizerId: string, input: DistributorInput) {
  const id = newId('dst')
  await db.insert(distributors).values({ id, organizerId, ...input, contact: input.contact.toLowerCase() })
  return readDistributor(db, organizerId, id)
}

export async function updateDistributor(
  db: Database,
  organizerId: string,
  id: string,
  input: Partial<DistributorInput>,
) {
  await readDistributor(db, organizerId, id)
  const set = { ...input, ...(input.contact ? { contact: input.contact.toLowerCase() } : {}) }
  await db
    .update(distributors)
    .set({ ...set, updatedAt: new Date().toISOString() })
    .where(and(eq(distributors.id, id), eq(distributors.organizerId, organizerId)))
  return readDistributor(db, organizerId, id)
}

/** Links with their click counts (one counted row per click, no addresses). */
export async function listLinks(db: Database, organizerId: string, distributorIds: string[]) {
  if (distributorIds.length === 0) return []
  const links = await db
    .select()
    .from(distributionLinks)
    .where(
      and(
        eq(distributionLinks.organizerId, organizerId),
        inArray(distributionLinks.distributorId, distributorIds),
      ),
    )
    .orderBy(asc(distributionLinks.createdAt), asc(distributionLinks.id))
  const clicks = links.length
    ? await db
        .select({ linkId: distributionClicks.linkId, clicks: count() })
        .from(distributionClicks)
        .where(
          inArray(
            distributionClicks.linkId,
            links.map((l) => l.id),
          ),
        )
        .groupBy(distributionClicks.linkId)
    : []
  const byLink = new Map(clicks.map((c) => [c.linkId, c.clicks]))
  const names = await targetNames(db, links)
  return links.map((l) => ({
    ...l,
    clicks: byLink.get(l.id) ?? 0,
    targetName: names.get(l.targetId)?.name ?? '',
    targetNameEn: names.get(l.targetId)?.nameEn ?? null,
    targetStartsAt: names.get(l.targetId)?.startsAt ?? null,
  }))
}

/** What a link opens, as the console and the distributor's page name it (a show by its event and time). */
async function targetNames(db: Database, links: { targetKind: string; targetId: string }[]) {
  const ids = (kind: string) => [
    ...new Set(links.filter((l) => l.targetKind === kind).map((l) => l.targetId)),
  ]
  const names = new Map<string, { name: string; nameEn: string | null; startsAt: string | null }>()
  const eventIds = ids('event')
  if (eventIds.length)
    for (const e of await db
      .select({ id: events.id, name: events.name, nameEn: events.nameEn })
      .from(events)
      .where(inArray(events.id, eventIds)))
      names.set(e.id, { name: e.name, nameEn: e.nameEn, startsAt: null })
  const showIds = ids('show')
  if (showIds.length)
    for (const s of await db
      .select({ id: shows.id, name: events.name, nameEn: events.nameEn, startsAt: shows.startsAt })
      .from(shows)
      .innerJoin(events, eq(events.id, shows.eventId))
      .where(inArray(shows.id, showIds)))
      names.set(s.id, { name: s.name, nameEn: s.nameEn, startsAt: s.startsAt })
  const productIds = ids('product')
  if (productIds.length)
    for (const p of await db
      .select({ id: visitProducts.id, name: visitProducts.name, nameEn: visitProducts.nameEn })
      .from(visitProducts)
      .where(inArray(visitProducts.id, productIds)))
      names.set(p.id, { name: p.name, nameEn: p.nameEn, startsAt: null })
  return names
}

/** The shop page a target lives on must belong to the organizer; a product link also names its site. */
async function checkTarget(
  db: Database,
  organizerId: string,
  kind: 'event' | 'show' | 'product',
  id: string,
) {
  if (kind === 'event') {
    const [row] = await db
      .select({ id: events.id })
      .from(events)
      .where(and(eq(events.id, id), eq(events.organizerId, organizerId)))
    if (!row) throw notFound(`event ${id}`)
    return null
  }
  if (kind === 'show') {
    const [row] = await db
      .select({ id: shows.id })
      .from(shows)
      .where(and(eq(shows.id, id), eq(shows.organizerId, organizerId)))
    if (!row) throw notFound(`show ${id}`)
    return null
  }
  const [row] = await db
    .select({ siteId: visitProducts.siteId })
    .from(visitProducts)
    .where(and(eq(visitProducts.id, id), eq(visitProducts.organizerId, organizerId)))
  if (!row) throw notFound(`visit product ${id}`)
  return row.siteId
}

export async function createLink(
  db: Database,
  organizerId: string,
  distributorId: string,
  target: { targetKind: 'event' | 'show' | 'product'; targetId: string },
) {
  await readDistributor(db, organizerId, distributorId)
  const siteId = await checkTarget(db, organizerId, target.targetKind, target.targetId)
  const id = newId('dln')
  await db
    .insert(distributionLinks)
    .values({ id, organizerId, distributorId, ref: newRefCode(), siteId, ...target })
  const [link] = await listLinks(db, organizerId, [distributorId]).then((ls) => ls.filter((l) => l.id === id))
  return link!
}

export async function setLinkActive(db: Database, organizerId: string, linkId: string, active: boolean) {
  const [link] = await db
    .select()
    .from(distributionLinks)
    .where(and(eq(distributionLinks.id, linkId), eq(distributionLinks.organizerId, organizerId)))
  if (!link) throw notFound(`link ${linkId}`)
  await db.update(distributionLinks).set({ active }).where(eq(distributionLinks.id, linkId))
  const [after] = await listLinks(db, organizerId, [link.distributorId]).then((ls) =>
    ls.filter((l) => l.id === linkId),
  )
  return after!
}

export interface CommissionRuleInput {
  distributorId: string | null
  scopeKind: 'event' | 'product'
  scopeId: string
  kind: CommissionKind
  value: number
}

export const listRules = (db: Database, organizerId: string) =>
  db
    .select()
    .from(commissionRules)
    .where(eq(commissionRules.organizerId, organizerId))
    .orderBy(asc(commissionRules.createdAt), asc(commissionRules.id))

/** One rule per scope and distributor (or all distributors): saving again replaces it. */
export async function putRule(db: Database, organizerId: string, input: CommissionRuleInput) {
  if (input.distributorId) await readDistributor(db, organizerId, input.distributorId)
  await checkTarget(db, organizerId, input.scopeKind, input.scopeId)
  const existing = (await listRules(db, organizerId)).find(
    (r) =>
      r.scopeKind === input.scopeKind &&
      r.scopeId === input.scopeId &&
      r.distributorId === input.distributorId,
  )
  const now = new Date().toISOString()
  const id = existing?.id ?? newId('crl')
  if (existing)
    await db
      .update(commissionRules)
      .set({ ...input, updatedAt: now })
      .where(eq(commissionRules.id, id))
  else await db.insert(commissionRules).values({ id, organizerId, ...input })
  const [row] = await db.select().from(commissionRules).where(eq(commissionRules.id, id))
  return row!
}

export async function deleteRule(db: Database, organizerId: string, id: string) {
  const [row] = await db
    .select({ id: commissionRules.id })
    .from(commissionRules)
    .where(and(eq(commissionRules.id, id), eq(commissionRules.organizerId, organizerId)))
  if (!row) throw notFound(`commission rule ${id}`)
  await db.delete(commissionRules).where(eq(commissionRules.id, id))
}

export async function readSettings(db: Database, organizerId: string) {
  return {
    attributionDays: await attributionDays(db, organizerId),
    inviteCouponId: await inviteCouponOf(db, organizerId),
  }
}

export async function putSettings(
  db: Database,
  organizerId: string,
  settings: { attributionDays: number; inviteCouponId?: string | null },
) {
  const now = new Date().toISOString()
  await db
    .insert(distributionSettings)
    .values({ organizerId, ...settings, updatedAt: now })
    .onConflictDoUpdate({ target: distributionSettings.organizerId, set: { ...settings, updatedAt: now } })
  return readSettings(db, organizerId)
}
