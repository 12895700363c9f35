import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { scenicSites, type TimeSlot, ticketTypes, visitProducts } from '../../db/schema.ts'
import { conflict, type FieldError, validationProblem } from '../../problem.ts'
import { productKinds, visitProductInput, visitProductRecord } from '../contracts/admin/visit-products.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { referenced } from './references.ts'

export const visitProductRoutes = catalogueResource({
  noun: 'visit product',
  tag: 'Catalogue: visit products',
  table: visitProducts,
  idPrefix: 'prd',
  schema: visitProductRecord,
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
