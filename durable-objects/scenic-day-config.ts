import type { DayConfig, Product, Rule } from './scenic-day-types.ts'

// The slice of the catalogue one scenic day's actor works from: read from D1 on first use and whenever the
// site's catalogue changed (its stamp), kept in the actor's own storage between.

export const DEFAULT_SCENIC_HOLD_MINUTES = 15
/** Bumped when DayConfig gains something (v2: products' age bounds): older stored configs are read again. */
export const DAY_CONFIG_VERSION = 2

export class SiteNotFound extends Error {
  constructor(siteId: string) {
    super(`scenic site ${siteId} not found`)
  }
}

/** Formatters by time zone: building one costs far more than using it, and a hold path asks for today often. */
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** Today's date in a time zone, as YYYY-MM-DD. */
export function dateIn(timezone: string, at = new Date()): string {
  let format = dayFormats.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dayFormats.set(timezone, format)
  }
  return format.format(at)
}

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** Latest change to anything of the site the day depends on. */
export async function catalogueStamp(db: D1Database, siteId: string): Promise<string> {
  const row = await db
    .prepare(
      `SELECT max(
         (SELECT updated_at FROM scenic_sites WHERE id = ?1),
         coalesce((SELECT max(updated_at) FROM visit_products WHERE site_id = ?1), ''),
         coalesce((SELECT max(updated_at) FROM parent_child_rules WHERE site_id = ?1), ''),
         coalesce((SELECT max(updated_at) FROM packages WHERE site_id = ?1), '')
       ) || '|' || (SELECT count(*) FROM visit_products WHERE site_id = ?1)
             || '|' || (SELECT count(*) FROM parent_child_rules WHERE site_id = ?1)
             || '|' || (SELECT count(*) FROM packages WHERE site_id = ?1) AS stamp`,
    )
    .bind(siteId)
    .first<string>('stamp')
  return row ?? ''
}

/** The age bounds of a product's eligibility JSON (height and proof are for the gate). */
function agesOf(eligibility: unknown): Product['ages'] {
  let rule: { minAge?: unknown; maxAge?: unknown } = {}
  try {
    rule = typeof eligibility === 'string' ? JSON.parse(eligibility) : ((eligibility as typeof rule) ?? {})
  } catch {
    // Unreadable eligibility: no age bounds (the admin API only ever stores valid JSON).
  }
  const ages: Product['ages'] = {}
  if (typeof rule.minAge === 'number') ages.minAge = rule.minAge
  if (typeof rule.maxAge === 'number') ages.maxAge = rule.maxAge
  return ages
}

export async function readDayConfig(db: D1Database, siteId: string, date: string): Promise<DayConfig> {
  const site = await db
    .prepare(
      `SELECT s.*, o.currency FROM scenic_sites s JOIN organizers o ON o.id = s.organizer_id WHERE s.id = ?`,
    )
    .bind(siteId)
    .first<Record<string, string | number>>()
  if (!site) throw new SiteNotFound(siteId)
  const [products, rules, packages] = await db.batch<Record<string, string | number | null>>([
    db.prepare('SELECT * FROM visit_products WHERE site_id = ?').bind(siteId),
    db.prepare('SELECT * FROM parent_child_rules WHERE site_id = ?').bind(siteId),
    db.prepare('SELECT * FROM packages WHERE site_id = ?').bind(siteId),
  ])
  return {
    version: DAY_CONFIG_VERSION,
    siteId,
    date,
    currency: String(site.currency),
    holdMinutes: DEFAULT_SCENIC_HOLD_MINUTES,
    dailyCapacity: Number(site.daily_capacity),
    slots: JSON.parse(String(site.time_slots)),
    quotas: JSON.parse(String(site.channel_quotas ?? '{}')),
    bookingDaysAhead: Number(site.booking_days_ahead),
    timezone: String(site.timezone),
    products: Object.fromEntries(
      products!.results.map((p) => [
        String(p.id),
        {
          id: String(p.id),
          name: String(p.name),
          kind: p.kind as Product['kind'],
          ticketType: String(p.ticket_type),
          price: Number(p.price),
          timed: Boolean(p.timed),
          dailyCapacity: p.daily_capacity === null ? null : Number(p.daily_capacity),
          realNameRequired: Boolean(p.real_name_required),
          maxPerIdPerDay: Number(p.max_per_id_per_day),
          status: String(p.status),
          ages: agesOf(p.eligibility),
        },
      ]),
    ),
    rules: rules!.results.map((r) => ({
      parentProductId: String(r.parent_product_id),
      childProductId: String(r.child_product_id),
      matchBy: r.match_by as Rule['matchBy'],
      onParentRefund: r.on_parent_refund as Rule['onParentRefund'],
    })),
    packages: Object.fromEntries(
      packages!.results.map((p) => [
        String(p.id),
        { price: Number(p.price), status: String(p.status), components: JSON.parse(String(p.components)) },
      ]),
    ),
    stamp: await catalogueStamp(db, siteId),
  }
}
