// The query every analytics report takes: an inclusive day range (default the last 30 days, at most 366) and the
// filters a report has. Filters naming a record the organizer does not have answer `validation`, not an empty report.
import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import * as v from 'valibot'
import { events, organizers, salesChannels, scenicSites, shows, visitProducts } from '../../db/schema.ts'
import { localDayOf } from '../../domain/analytics-events.ts'
import type { StaffEnv } from '../../middleware/staff-auth.ts'
import { type FieldError, notFound, validationProblem } from '../../problem.ts'
import { isoDate } from '../query.ts'

const dayMs = 86_400_000
export const maxRangeDays = 366

const calendarDay = v.pipe(
  isoDate,
  v.check((s) => {
    const day = new Date(`${s}T00:00:00Z`)
    return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) === s
  }, 'must be a real calendar day'),
)
const id = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64)))

/** Query entries of a report; unknown parameters are refused (a misspelt filter must not answer everything). */
export const reportQueryEntries = {
  from: v.optional(calendarDay),
  to: v.optional(calendarDay),
  eventId: id,
  showId: id,
  siteId: id,
  productId: id,
  channel: id,
}

export const reportParams = v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)) })

type Query = { [K in keyof typeof reportQueryEntries]?: string | undefined }

/** The organizer's today, the range (defaulted, checked) and the filters, each checked to be the organizer's. */
export async function reportFiltersOf(c: Context<StaffEnv>, organizerId: string, q: Query) {
  const db = c.get('db')
  const [org] = await db
    .select({ timezone: organizers.timezone })
    .from(organizers)
    .where(eq(organizers.id, organizerId))
  if (!org) throw notFound(`organizer ${organizerId}`)
  const today = localDayOf(new Date(), org.timezone)
  const shift = (days: number) =>
    new Date(Date.parse(`${today}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)
  const from = q.from ?? shift(-29)
  const to = q.to ?? today
  const days = (Date.parse(to) - Date.parse(from)) / dayMs
  if (days < 0) throw validationProblem([{ path: 'query.to', message: 'must not be before from' }])
  if (days >= maxRangeDays)
    throw validationProblem([{ path: 'query.to', message: `at most ${maxRangeDays} days after from` }])
  const errors: FieldError[] = []
  const owned = async (
    key: keyof Query,
    table: typeof events | typeof shows | typeof scenicSites | typeof visitProducts,
    noun: string,
  ) => {
    const value = q[key]
    if (!value) return
    const [row] = await db
      .select({ id: table.id })
      .from(table)
      .where(and(eq(table.id, value), eq(table.organizerId, organizerId)))
    if (!row) errors.push({ path: `query.${key}`, message: `no ${noun} ${value} in this organizer` })
  }
  await owned('eventId', events, 'event')
  await owned('showId', shows, 'show')
  await owned('siteId', scenicSites, 'scenic site')
  await owned('productId', visitProducts, 'visit product')
  if (q.channel && q.channel !== 'web') {
    const [row] = await db
      .select({ code: salesChannels.code })
      .from(salesChannels)
      .where(and(eq(salesChannels.code, q.channel), eq(salesChannels.organizerId, organizerId)))
    if (!row)
      errors.push({ path: 'query.channel', message: `no sales channel ${q.channel} in this organizer` })
  }
  if (errors.length) throw validationProblem(errors)
  return {
    today,
    filters: {
      organizerId,
      from,
      to,
      eventId: q.eventId,
      showId: q.showId,
      siteId: q.siteId,
      productId: q.productId,
      channel: q.channel,
    },
  }
}

/** A filter this report has no dimension for: refused rather than silently ignored. */
export function refuseFilters(q: Query, keys: (keyof Query)[], report: string) {
  const errors = keys
    .filter((k) => q[k] !== undefined)
    .map((k) => ({ path: `query.${k}`, message: `the ${report} report cannot be filtered by ${k}` }))
  if (errors.length) throw validationProblem(errors)
}
