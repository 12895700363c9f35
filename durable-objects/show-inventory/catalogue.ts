import { and, asc, eq, sql } from 'drizzle-orm'
import { type Database, openDatabase } from '../../worker/db/client.ts'
import {
  events,
  organizers,
  presaleCodes,
  seats,
  showPricing,
  showSalePhases,
  shows,
  venues,
} from '../../worker/db/schema.ts'
import type { ShowConfig } from './contract.ts'
import { type CatalogueSeat, finishImport, importSeats } from './store.ts'

// The show's slice of the catalogue, read from D1 through the typed schema (read-only): its sale settings, and
// the venue's seats the first time the actor is used. The admin API reads the same settings with
// `readShowConfig` after an edit and hands them to the actor (`refreshConfig`), so the actor does not read D1
// back; its own periodic check (CATALOGUE_TTL_MS) is the fallback.

export class ShowNotFound extends Error {
  constructor(showId: string) {
    super(`show ${showId} not found`)
  }
}

/** The show's sale settings (prices, window, limits, categories), and its venue; null if the show is gone. */
export async function readShowConfig(
  db: Database,
  showId: string,
): Promise<{ config: ShowConfig; venueId: string } | null> {
  const [row] = await db
    .select({
      venueId: shows.venueId,
      saleStartsAt: shows.saleStartsAt,
      saleEndsAt: shows.saleEndsAt,
      prices: shows.prices,
      holdMinutes: shows.holdMinutes,
      status: shows.status,
      updatedAt: shows.updatedAt,
      signInToHold: shows.signInToHold,
      maxPerAccount: events.maxTicketsPerBuyer,
      realNameRequired: events.realNameRequired,
      eventUpdatedAt: events.updatedAt,
      currency: organizers.currency,
      stageX: venues.stageX,
      stageY: venues.stageY,
      categories: venues.priceCategories,
      venueKind: venues.kind,
      schedules: showPricing.schedules,
      flashSales: showPricing.flashSales,
      pricingUpdatedAt: showPricing.updatedAt,
      salePhases: showSalePhases.phases,
      phasesUpdatedAt: showSalePhases.updatedAt,
    })
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .innerJoin(venues, eq(venues.id, shows.venueId))
    .innerJoin(organizers, eq(organizers.id, shows.organizerId))
    .leftJoin(showPricing, eq(showPricing.showId, shows.id))
    .leftJoin(showSalePhases, eq(showSalePhases.showId, shows.id))
    .where(eq(shows.id, showId))
  if (!row) return null
  // Codes travel to the actor only while a phase is open to them (making codes moves `phasesUpdatedAt`).
  const codes = row.salePhases?.some((p) => p.codes)
    ? await db
        .select({ code: presaleCodes.code, maxUses: presaleCodes.maxUses })
        .from(presaleCodes)
        .where(eq(presaleCodes.showId, showId))
    : []
  return {
    venueId: row.venueId,
    config: {
      showId,
      currency: row.currency,
      holdMinutes: row.holdMinutes,
      saleStartsAt: row.saleStartsAt,
      saleEndsAt: row.saleEndsAt,
      status: row.status,
      maxPerAccount: row.maxPerAccount,
      realNameRequired: row.realNameRequired,
      signInToHold: row.signInToHold,
      prices: row.prices,
      categories: row.categories,
      seatFocus: row.venueKind === 'cinema' ? 'screen' : 'stage',
      stage: row.stageX === null || row.stageY === null ? null : { x: row.stageX, y: row.stageY },
      ...(row.schedules || row.flashSales
        ? { pricing: { schedules: row.schedules ?? [], flashSales: row.flashSales ?? [] } }
        : {}),
      ...(row.salePhases?.length ? { salePhases: row.salePhases } : {}),
      ...(codes.length ? { presaleCodes: Object.fromEntries(codes.map((c) => [c.code, c.maxUses])) } : {}),
      stamp: `${row.updatedAt}|${row.eventUpdatedAt}|${row.pricingUpdatedAt ?? ''}|${row.phasesUpdatedAt ?? ''}`,
    },
  }
}

/** Venue seats per catalogue read on first use: a stadium's comes in pages this size. */
export const IMPORT_PAGE = 2000

/**
 * A page of the venue's seats in layout order (section, row, position in the row, then id), after `after` (the
 * last seat of the page before; the order's columns compared as one tuple, along the venue's row index).
 */
export async function readVenueSeats(
  db: Database,
  venueId: string,
  after: CatalogueSeat | null = null,
  limit = IMPORT_PAGE,
): Promise<CatalogueSeat[]> {
  return db
    .select({
      id: seats.id,
      label: seats.label,
      section: seats.section,
      row: seats.row,
      ordinal: seats.ordinal,
      category: seats.category,
      x: seats.x,
      y: seats.y,
      accessible: seats.accessible,
      companion: seats.companion,
      restrictedView: seats.restrictedView,
      blocked: seats.blocked,
    })
    .from(seats)
    .where(
      and(
        eq(seats.venueId, venueId),
        after
          ? sql`(${seats.section}, ${seats.row}, ${seats.ordinal}, ${seats.id}) > (${after.section}, ${after.row}, ${after.ordinal}, ${after.id})`
          : undefined,
      ),
    )
    .orderBy(asc(seats.section), asc(seats.row), asc(seats.ordinal), asc(seats.id))
    .limit(limit)
}

/** Copies the show's settings and its venue's seats into the actor's storage (its first use). */
export async function importFromCatalogue(storage: DurableObjectStorage, d1: D1Database, showId: string) {
  const db = openDatabase(d1)
  const latest = await readShowConfig(db, showId)
  if (!latest) throw new ShowNotFound(showId)
  let stored = 0
  for (let after: CatalogueSeat | null = null; ; ) {
    const page = await readVenueSeats(db, latest.venueId, after)
    importSeats(storage, page, stored)
    stored += page.length
    if (page.length < IMPORT_PAGE) break
    after = page[page.length - 1]!
  }
  finishImport(storage, latest.config, stored)
}

/**
 * Whether a config handed to the actor is at least as new as the one it has: each part of the stamp (show and
 * event `updated_at`, ISO times) no older. Two edits' pushes may arrive out of order; the older is dropped.
 */
export function notOlder(pushed: ShowConfig, current: ShowConfig): boolean {
  if (!pushed.stamp || !current.stamp) return true
  const next = pushed.stamp.split('|')
  const now = current.stamp.split('|')
  return next.every((part, k) => part >= (now[k] ?? ''))
}
