import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { scenicSites, type TimeSlot, ticketTypes, visitProducts } from '../../db/schema.ts'
import { conflict, type FieldError, validationProblem } from '../../problem.ts'
import { money, nonEmpty } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { recordOf } from './records.ts'
import { referenced } from './references.ts'

const age = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(150))
const height = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(300))

export const eligibilitySchema = v.object({
  minAge: v.optional(age),
  maxAge: v.optional(age),
  minHeightCm: v.optional(height),
  maxHeightCm: v.optional(height),
  proof: v.optional(v.pipe(v.string(), v.maxLength(64))),
  note: v.optional(v.pipe(v.string(), v.maxLength(500))),
})

const productKinds = ['entry', 'attraction', 'show'] as const

export const visitProductInput = v.object({
  siteId: v.string(),
  name: nonEmpty(),
  kind: v.picklist(productKinds),
  ticketType: v.picklist(ticketTypes),
  eligibility: v.optional(eligibilitySchema, {}),
  price: money,
  validityDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(366)), 1),
  timed: v.optional(v.boolean(), false),
  dailyCapacity: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(0)))),
  realNameRequired: v.optional(v.boolean(), true),
  maxPerIdPerDay: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(100)), 1),
  refundable: v.optional(v.boolean(), true),
  status: v.optional(v.picklist(['active', 'inactive']), 'active'),
})

export const visitProductRoutes = catalogueResource({
  noun: 'visit product',
  tag: 'Catalogue: visit products',
  table: visitProducts,
  idPrefix: 'prd',
  schema: recordOf(visitProductInput.entries),
  create: visitProductInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: {
    siteId: v.optional(v.string()),
    kind: v.optional(v.picklist(productKinds)),
    ticketType: v.optional(v.picklist(ticketTypes)),
  },
  where: (f) => [
    f.siteId ? eq(visitProducts.siteId, f.siteId) : undefined,
    f.kind ? eq(visitProducts.kind, f.kind) : undefined,
    f.ticketType ? eq(visitProducts.ticketType, f.ticketType) : undefined,
  ],
  eventsOnUpdate: (before, after) =>
    before.price === after.price
      ? []
      : [
          {
            topic: 'price.changed',
            payload: {
              productId: after.id,
              siteId: after.siteId,
              price: after.price,
              previousPrice: before.price,
            },
          },
        ],
  // Package components and parent-child rules refer to products; packages keep them in JSON, out of the foreign keys' sight.
  beforeDelete: async (c, product) => {
    const inPackage = await c.env.DB.prepare(
      "SELECT p.name FROM packages p, json_each(p.components) j WHERE json_extract(j.value, '$.productId') = ? LIMIT 1",
    )
      .bind(product.id)
      .first<string>('name')
    if (inPackage)
      throw conflict(`The product is part of the package "${inPackage}"; remove it from the package first`)
  },
  check: async (c, product, organizerId) => {
    const site = await referenced<{ timeSlots: TimeSlot[] }>(
      c,
      scenicSites,
      product.siteId,
      organizerId,
      'siteId',
      'scenic site',
    )
    const errors: FieldError[] = []
    const e = product.eligibility
    if (e.minAge !== undefined && e.maxAge !== undefined && e.minAge > e.maxAge) {
      errors.push({ path: 'json.eligibility.maxAge', message: 'must not be below minAge' })
    }
    if (e.minHeightCm !== undefined && e.maxHeightCm !== undefined && e.minHeightCm > e.maxHeightCm) {
      errors.push({ path: 'json.eligibility.maxHeightCm', message: 'must not be below minHeightCm' })
    }
    if (product.timed && site.timeSlots.length === 0) {
      errors.push({ path: 'json.timed', message: 'the site has no time slots to pick from' })
    }
    if (errors.length) throw validationProblem(errors)
  },
})
