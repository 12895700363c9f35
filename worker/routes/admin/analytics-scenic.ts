import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { packages } from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { validationProblem } from '../../problem.ts'
import { copurchaseReport, secondaryReport } from '../../services/analytics/scenic-reports.ts'
import { validate } from '../../validation.ts'
import {
  copurchasePackageInput,
  copurchaseReport as copurchaseReportSchema,
  secondaryReport as secondaryReportSchema,
} from '../contracts/admin/analytics-scenic.ts'
import { packageRecord } from '../contracts/admin/packages.ts'
import { json } from '../openapi.ts'
import { queryInteger } from '../query.ts'
import { refuseFilters, reportFiltersOf, reportParams, reportQueryEntries } from './analytics-filters.ts'
import { checkPackage } from './packages.ts'

// 二消 (secondary purchases of gate-ticket visitors) and the co-purchase table of a scenic site, from the rollups;
// a combination becomes a draft package in one click.

const tag = 'Organizer reports'
const invalid = {
  400: {
    description:
      'No `siteId`; `from`/`to` invalid, reversed or over 366 days apart; a filter not the organizer’s (code `validation`)',
  },
}
const siteRequired = (siteId: string | undefined): string => {
  if (!siteId) throw validationProblem([{ path: 'query.siteId', message: 'name the scenic site' }])
  return siteId
}

export const scenicReportRoutes = new Hono<StaffEnv>()

scenicReportRoutes.get(
  '/secondary',
  describeRoute({
    tags: [tag],
    summary: '二消: share of gate-ticket visitors who bought each secondary product, by visit day and slot',
    description:
      '`share` = the product’s standing tickets over the entry (gate) tickets of the same visit day and slot; a ' +
      'product bought beside a gate ticket counts in that ticket’s slot, one bought alone in slot ``. Refunds are ' +
      'taken out. `productId` narrows to one secondary product.',
    responses: { 200: { description: 'The figures', content: json(secondaryReportSchema) }, ...invalid },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', reportParams),
  validate('query', v.strictObject(reportQueryEntries)),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const query = c.req.valid('query')
    refuseFilters(query, ['eventId', 'showId'], 'secondary purchase')
    const siteId = siteRequired(query.siteId)
    const { filters } = await reportFiltersOf(c, organizerId, query)
    return c.json(await secondaryReport(c.get('db'), { ...filters, siteId }))
  },
)

scenicReportRoutes.get(
  '/copurchase',
  describeRoute({
    tags: [tag],
    summary:
      'Co-purchase table: product pairs and triples bought in one order, with support, confidence and lift',
    description:
      'Over the site’s paid orders for visit days in the range (as they stand after refunds). support = orders ' +
      'with every product / all orders; per rule X→Y, confidence = orders(X∪Y)/orders(X), lift = confidence / ' +
      'support(Y). Most frequent first; `minOrders` drops rare ones, `productId` keeps those holding it.',
    responses: { 200: { description: 'The table', content: json(copurchaseReportSchema) }, ...invalid },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', reportParams),
  validate(
    'query',
    v.strictObject({
      ...reportQueryEntries,
      minOrders: queryInteger(1, 1_000_000, 1),
      limit: queryInteger(1, 500, 100),
    }),
  ),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { minOrders, limit, ...query } = c.req.valid('query')
    refuseFilters(query, ['eventId', 'showId'], 'co-purchase')
    const siteId = siteRequired(query.siteId)
    const { filters } = await reportFiltersOf(c, organizerId, query)
    return c.json(await copurchaseReport(c.get('db'), { ...filters, siteId, minOrders, limit }))
  },
)

scenicReportRoutes.post(
  '/copurchase/packages',
  describeRoute({
    tags: [tag],
    summary:
      'Make a combination a package: a draft (inactive) package of one of each product, for the organizer to price',
    description:
      'Checked as the packages route checks a package (products of this organizer and this site, none twice). ' +
      'Named after its products; priced at the sum of their prices until the organizer sets the package price.',
    responses: {
      201: { description: 'The draft package', content: json(packageRecord) },
      400: {
        description: 'Fewer than two or more than three products, or not the site’s (code `validation`)',
      },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', reportParams),
  validate('json', copurchasePackageInput),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { siteId, productIds } = c.req.valid('json')
    const db = c.get('db')
    const input = {
      siteId,
      name: '',
      price: 0,
      components: productIds.map((productId) => ({ productId, quantity: 1 })),
      status: 'inactive' as const,
    }
    const products = await checkPackage(c, input, organizerId)
    const named = productIds.map((id) => products.find((p) => p.id === id)!)
    const nameEn = named.every((p) => p.nameEn) ? named.map((p) => p.nameEn).join(' + ') : null
    const [row] = await db
      .insert(packages)
      .values({
        ...input,
        id: newId('pkg'),
        organizerId,
        name: named.map((p) => p.name).join(' + '),
        nameEn,
        price: named.reduce((sum, p) => sum + p.price, 0),
      })
      .returning()
    return c.json(row!, 201)
  },
)
