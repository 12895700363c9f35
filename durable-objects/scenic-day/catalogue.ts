import { count, eq, max, sql } from 'drizzle-orm'
import { openDatabase } from '../../worker/db/client.ts'
import { organizers, packages, parentChildRules, scenicSites, visitProducts } from '../../worker/db/schema.ts'
import {
  DAY_CONFIG_VERSION,
  type DayConfig,
  DEFAULT_SCENIC_HOLD_MINUTES,
  type Product,
} from './rules/day-config.ts'

// The day's slice of the catalogue, read from D1 (read only: the admin routes own these tables). One D1 batch
// reads the settings and the stamp together, so the stamp is never newer than the settings it stands for.

export class SiteNotFound extends Error {
  constructor(siteId: string) {
    super(`scenic site ${siteId} not found`)
  }
}

const stampQueries = (db: ReturnType<typeof openDatabase>, siteId: string) =>
  [
    db.select({ at: scenicSites.updatedAt }).from(scenicSites).where(eq(scenicSites.id, siteId)),
    db
      .select({ at: max(visitProducts.updatedAt), n: count() })
      .from(visitProducts)
      .where(eq(visitProducts.siteId, siteId)),
    db
      .select({ at: max(parentChildRules.updatedAt), n: count() })
      .from(parentChildRules)
      .where(eq(parentChildRules.siteId, siteId)),
    db
      .select({ at: max(packages.updatedAt), n: count() })
      .from(packages)
      .where(eq(packages.siteId, siteId)),
  ] as const

type StampRows = [
  { at: string }[],
  { at: string | null; n: number }[],
  { at: string | null; n: number }[],
  { at: string | null; n: number }[],
]

/**
 * The latest change to anything of the site the day depends on, and how many products, rules and packages it
 * has (a deletion changes no `updated_at`); '' when the site does not exist.
 */
function stampOf([site, products, rules, pkgs]: StampRows): string {
  const siteAt = site[0]?.at
  if (siteAt === undefined) return ''
  const [p, r, k] = [products[0], rules[0], pkgs[0]]
  const latest = [siteAt, p?.at ?? '', r?.at ?? '', k?.at ?? ''].sort().at(-1)
  return `${latest}|${p?.n ?? 0}|${r?.n ?? 0}|${k?.n ?? 0}`
}

/** The site's catalogue stamp: when it differs from the one a config was read at, the config is stale. */
export async function catalogueStamp(d1: D1Database, siteId: string): Promise<string> {
  const db = openDatabase(d1)
  return stampOf((await db.batch(stampQueries(db, siteId))) as StampRows)
}

/** The age bounds of a product's eligibility JSON (height and proof are for the gate). */
function agesOf(eligibility: string | null): Product['ages'] {
  let rule: { minAge?: unknown; maxAge?: unknown } = {}
  try {
    rule = JSON.parse(eligibility ?? '{}') ?? {}
  } catch {
    // Unreadable eligibility: no age bounds (the admin API only ever stores valid JSON).
  }
  const ages: Product['ages'] = {}
  if (typeof rule.minAge === 'number') ages.minAge = rule.minAge
  if (typeof rule.maxAge === 'number') ages.maxAge = rule.maxAge
  return ages
}

/** The day's settings as the catalogue has them now; SiteNotFound when there is no such site. */
export async function readDayConfig(d1: D1Database, siteId: string, date: string): Promise<DayConfig> {
  const db = openDatabase(d1)
  const [site, products, rules, pkgs, ...stamp] = await db.batch([
    db
      .select({
        currency: organizers.currency,
        dailyCapacity: scenicSites.dailyCapacity,
        timeSlots: scenicSites.timeSlots,
        channelQuotas: scenicSites.channelQuotas,
        bookingDaysAhead: scenicSites.bookingDaysAhead,
        timezone: scenicSites.timezone,
      })
      .from(scenicSites)
      .innerJoin(organizers, eq(organizers.id, scenicSites.organizerId))
      .where(eq(scenicSites.id, siteId)),
    db
      .select({
        id: visitProducts.id,
        name: visitProducts.name,
        kind: visitProducts.kind,
        ticketType: visitProducts.ticketType,
        price: visitProducts.price,
        timed: visitProducts.timed,
        dailyCapacity: visitProducts.dailyCapacity,
        realNameRequired: visitProducts.realNameRequired,
        maxPerIdPerDay: visitProducts.maxPerIdPerDay,
        status: visitProducts.status,
        pricing: visitProducts.pricing,
        // As stored: an unreadable value means no age bounds rather than a day that cannot load.
        eligibility: sql<string | null>`${visitProducts.eligibility}`,
      })
      .from(visitProducts)
      .where(eq(visitProducts.siteId, siteId)),
    db
      .select({
        parentProductId: parentChildRules.parentProductId,
        childProductId: parentChildRules.childProductId,
        matchBy: parentChildRules.matchBy,
        onParentRefund: parentChildRules.onParentRefund,
      })
      .from(parentChildRules)
      .where(eq(parentChildRules.siteId, siteId)),
    db
      .select({
        id: packages.id,
        price: packages.price,
        status: packages.status,
        components: packages.components,
        pricing: packages.pricing,
      })
      .from(packages)
      .where(eq(packages.siteId, siteId)),
    ...stampQueries(db, siteId),
  ])
  const settings = site[0]
  if (!settings) throw new SiteNotFound(siteId)
  return {
    version: DAY_CONFIG_VERSION,
    siteId,
    date,
    currency: settings.currency,
    holdMinutes: DEFAULT_SCENIC_HOLD_MINUTES,
    dailyCapacity: settings.dailyCapacity,
    slots: settings.timeSlots,
    quotas: settings.channelQuotas ?? {},
    bookingDaysAhead: settings.bookingDaysAhead,
    timezone: settings.timezone,
    products: Object.fromEntries(
      products.map(({ eligibility, ...p }) => [p.id, { ...p, ages: agesOf(eligibility) }]),
    ),
    rules,
    packages: Object.fromEntries(
      pkgs.map((p) => [
        p.id,
        { price: p.price, status: p.status, components: p.components, pricing: p.pricing },
      ]),
    ),
    stamp: stampOf(stamp as StampRows),
  }
}
