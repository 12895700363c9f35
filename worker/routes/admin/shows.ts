import { eq, gte, lte } from 'drizzle-orm'
import * as v from 'valibot'
import { events, type PriceCategory, shows, venues } from '../../db/schema.ts'
import { type FieldError, validationProblem } from '../../problem.ts'
import { isoDateTime, money } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { recordOf } from './records.ts'
import { referenced } from './references.ts'

export const refundTier = v.object({
  minHoursBefore: v.pipe(v.number(), v.minValue(0), v.maxValue(24 * 365)),
  feePercent: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)),
})

/** Full refund from 72 h before the start, 20% fee from 24 h, nothing after. */
export const defaultRefundTiers = [
  { minHoursBefore: 72, feePercent: 0 },
  { minHoursBefore: 24, feePercent: 20 },
]

export const showInput = v.object({
  eventId: v.string(),
  venueId: v.string(),
  startsAt: isoDateTime,
  endsAt: v.optional(v.nullable(isoDateTime)),
  saleStartsAt: isoDateTime,
  saleEndsAt: isoDateTime,
  prices: v.pipe(
    v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(32)), money),
    v.minEntries(1, 'at least one price'),
  ),
  holdMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(120)), 15),
  status: v.optional(v.picklist(['scheduled', 'cancelled']), 'scheduled'),
  refundTiers: v.optional(v.pipe(v.array(refundTier), v.maxLength(10)), defaultRefundTiers),
})

export const showRecord = recordOf(showInput.entries)

export const showRoutes = catalogueResource({
  noun: 'show',
  tag: 'Catalogue: shows',
  table: shows,
  idPrefix: 'shw',
  schema: showRecord,
  create: showInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: {
    eventId: v.optional(v.string()),
    venueId: v.optional(v.string()),
    from: v.optional(isoDateTime),
    to: v.optional(isoDateTime),
  },
  where: (f) => [
    f.eventId ? eq(shows.eventId, f.eventId) : undefined,
    f.venueId ? eq(shows.venueId, f.venueId) : undefined,
    f.from ? gte(shows.startsAt, new Date(f.from).toISOString()) : undefined,
    f.to ? lte(shows.startsAt, new Date(f.to).toISOString()) : undefined,
  ],
  check: async (c, show, organizerId) => {
    await referenced(c, events, show.eventId, organizerId, 'eventId', 'event')
    const venue = await referenced<{ priceCategories: PriceCategory[] }>(
      c,
      venues,
      show.venueId,
      organizerId,
      'venueId',
      'venue',
    )
    const errors: FieldError[] = []
    const at = (s: string) => Date.parse(s)
    if (show.endsAt && at(show.endsAt) <= at(show.startsAt))
      errors.push({ path: 'json.endsAt', message: 'must be after startsAt' })
    if (at(show.saleEndsAt) <= at(show.saleStartsAt))
      errors.push({ path: 'json.saleEndsAt', message: 'must be after saleStartsAt' })
    const known = new Set(venue.priceCategories.map((category) => category.code))
    for (const code of Object.keys(show.prices)) {
      if (!known.has(code))
        errors.push({ path: `json.prices.${code}`, message: `the venue has no price category ${code}` })
    }
    for (const code of known) {
      if (!(code in show.prices))
        errors.push({ path: `json.prices.${code}`, message: `price category ${code} needs a price` })
    }
    if (errors.length) throw validationProblem(errors)
  },
})
