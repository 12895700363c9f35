import { and, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { packages, partners, salesChannels, scenicSites, visitProducts } from '../../db/schema.ts'
import { emptyScenicPricing, type ScenicPricing } from '../../domain/scenic-price-calendar.ts'
import { scenicPricingErrors } from '../../domain/scenic-price-check.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { refreshBookableDays } from '../../services/scenic-day.ts'
import { validate } from '../../validation.ts'
import { scenicPricingInput, scenicPricingRecord } from '../contracts/admin/scenic-pricing.ts'
import { json } from '../openapi.ts'

// A scenic product's or package's price calendar and schedule, set as one document: checked whole, stored with
// the product (package) in D1; its `updated_at` moves the catalogue stamp, so each day's actor reads it again
// (durable-objects/scenic-day/catalogue.ts); the bookable days are told at once, so the price a buyer sees
// right after a save is the price they pay.

type Db = StaffEnv['Variables']['db']
const params = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  id: v.pipe(v.string(), v.maxLength(64)),
})

/** What the two kinds of item share: where they are stored and how a day's capacity bounds their tiers. */
const items = {
  product: { table: visitProducts, noun: 'visit product', tag: 'Catalogue: visit products' },
  package: { table: packages, noun: 'package', tag: 'Catalogue: packages' },
} as const

async function ownedItem(db: Db, kind: keyof typeof items, organizerId: string, id: string) {
  const { table, noun } = items[kind]
  const [row] = await db
    .select({
      id: table.id,
      siteId: table.siteId,
      price: table.price,
      pricing: table.pricing,
      updatedAt: table.updatedAt,
    })
    .from(table)
    .where(and(eq(table.id, id), eq(table.organizerId, organizerId)))
  if (!row) throw notFound(`${noun} ${id}`)
  return row
}

const record = (row: Awaited<ReturnType<typeof ownedItem>>) => ({
  ...(row.pricing ?? emptyScenicPricing()),
  id: row.id,
  basePrice: row.price,
  updatedAt: row.pricing ? row.updatedAt : null,
})

/** The channel codes a rule may name: the organizer's sales channels and partners, and the shop's `web`. */
async function channelCodes(db: Db, organizerId: string) {
  const [own, partner] = await db.batch([
    db
      .select({ code: salesChannels.code })
      .from(salesChannels)
      .where(eq(salesChannels.organizerId, organizerId)),
    db.select({ code: partners.channel }).from(partners).where(eq(partners.organizerId, organizerId)),
  ])
  return [...new Set(['web', ...own.map((r) => r.code), ...partner.map((r) => r.code)])]
}

export const scenicPricingRoutes = new Hono<StaffEnv>()

for (const kind of ['product', 'package'] as const) {
  const { table, noun, tag } = items[kind]
  const path = kind === 'product' ? '/visit-products/:id/pricing' : '/packages/:id/pricing'
  scenicPricingRoutes.get(
    path,
    describeRoute({
      tags: [tag],
      summary: `The ${noun}'s price calendar and tiers`,
      responses: { 200: { description: 'Date rules and tiers', content: json(scenicPricingRecord) } },
    }),
    requireOrganizerRole('owner', 'manager', 'gate'),
    validate('param', params),
    async (c) => {
      const { organizerId, id } = c.req.valid('param')
      return c.json(record(await ownedItem(c.get('db'), kind, organizerId, id)))
    },
  )
  scenicPricingRoutes.put(
    path,
    describeRoute({
      tags: [tag],
      summary: `Set the ${noun}'s price calendar and tiers (replaces both)`,
      description:
        'Date rules override the base price on the venue’s calendar dates; the most specific wins: a single `date`, then a ' +
        'range (`from`–`to`, inclusive), then `weekdays` (0 Sunday … 6 Saturday) with their `holidays`; a rule naming the ' +
        'channel beats one of the same kind without. Tiers (early bird by `minDaysAhead`, "the first N of a day" by ' +
        '`quantity`, windows by `startsAt`/`endsAt`) apply in order on top, below the day’s price, counted per visit day. ' +
        'Rules and tiers without `channels` are for the organizer’s own channels: OTA partners keep their settlement prices ' +
        'unless a rule or tier names their channel. Every bad field comes back in one `validation` problem; nothing is saved.',
      responses: {
        200: {
          description: 'Saved; the next hold of each day is quoted from it',
          content: json(scenicPricingRecord),
        },
        400: { description: 'Every bad field (`validation`)' },
      },
    }),
    requireOrganizerRole('owner', 'manager'),
    validate('param', params),
    validate('json', scenicPricingInput),
    async (c) => {
      const { organizerId, id } = c.req.valid('param')
      const db = c.get('db')
      const item = await ownedItem(db, kind, organizerId, id)
      const input: ScenicPricing = c.req.valid('json')
      const [site] = await db
        .select({
          dailyCapacity: scenicSites.dailyCapacity,
          timezone: scenicSites.timezone,
          bookingDaysAhead: scenicSites.bookingDaysAhead,
        })
        .from(scenicSites)
        .where(eq(scenicSites.id, item.siteId))
      const errors = scenicPricingErrors(input, {
        basePrice: item.price,
        dailyCapacity: site?.dailyCapacity ?? null,
        channels: await channelCodes(db, organizerId),
      })
      if (errors.length) throw validationProblem(errors)
      const pricing = input.dates.length || input.tiers.length ? input : null
      await db
        .update(table)
        .set({ pricing, updatedAt: new Date().toISOString() })
        .where(eq(table.id, item.id))
      // Every bookable day quotes from the new prices at once (the calendar shows them, the next hold pays them).
      if (site) await refreshBookableDays(c.env.SCENIC_DAY_INVENTORY, item.siteId, site)
      return c.json(record(await ownedItem(db, kind, organizerId, id)))
    },
  )
}
