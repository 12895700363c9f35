import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { scenicSites } from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { type FieldError, notFound, validationProblem } from '../../problem.ts'
import { scenicDay } from '../../services/scenic-day.ts'
import { validate } from '../../validation.ts'
import {
  capacity,
  channelCode,
  scenicSiteInput,
  scenicSiteRecord,
  siteDayInventory,
  siteDayQuotas,
} from '../contracts/admin/scenic-sites.ts'
import { inventoryProblem } from '../inventory-problem.ts'
import { json } from '../openapi.ts'
import { isoDate } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'

export const scenicSiteRoutes = catalogueResource({
  noun: 'scenic site',
  tag: 'Catalogue: scenic sites',
  table: scenicSites,
  idPrefix: 'site',
  schema: scenicSiteRecord,
  create: scenicSiteInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: { city: v.optional(v.string()) },
  where: (f) => [f.city ? eq(scenicSites.city, f.city) : undefined],
  check: async (_c, site) => {
    const errors: FieldError[] = []
    if (site.closesAt <= site.opensAt)
      errors.push({ path: 'json.closesAt', message: 'must be after opensAt' })
    const codes = new Set<string>()
    site.timeSlots.forEach((slot, i) => {
      if (codes.has(slot.code))
        errors.push({ path: `json.timeSlots.${i}.code`, message: `duplicate slot ${slot.code}` })
      codes.add(slot.code)
      if (slot.end <= slot.start)
        errors.push({ path: `json.timeSlots.${i}.end`, message: 'must be after start' })
      if (slot.capacity > site.dailyCapacity) {
        errors.push({ path: `json.timeSlots.${i}.capacity`, message: 'cannot exceed the daily capacity' })
      }
    })
    const reserved = Object.values(site.channelQuotas).reduce((sum, n) => sum + n, 0)
    if (reserved > site.dailyCapacity) {
      errors.push({
        path: 'json.channelQuotas',
        message: `channel quotas (${reserved}) exceed the daily capacity`,
      })
    }
    if (errors.length) throw validationProblem(errors)
  },
})

// ---- one visit date's live quota (the site-day DO is the truth) ----

const dayParams = v.object({ organizerId: v.string(), id: v.string(), date: isoDate })

async function ownedSite(c: Context<StaffEnv>, organizerId: string, id: string) {
  const [row] = await c
    .get('db')
    .select({ id: scenicSites.id })
    .from(scenicSites)
    .where(and(eq(scenicSites.id, id), eq(scenicSites.organizerId, organizerId)))
  if (!row) throw notFound(`scenic site ${id}`)
  return row.id
}

scenicSiteRoutes.get(
  '/:id/days/:date/inventory',
  describeRoute({
    tags: ['Catalogue: scenic sites'],
    summary: 'What is left on one visit date, per slot, product and channel',
    description:
      'Every channel’s allocation for the day (`channels`: quota and what is left) besides the general pool; the public ' +
      'and partner views show only their own channel.',
    responses: { 200: { description: 'Availability of the day', content: json(siteDayInventory) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', dayParams),
  async (c) => {
    const { organizerId, id, date } = c.req.valid('param')
    const siteId = await ownedSite(c, organizerId, id)
    return c.json(await scenicDay(c.env.SCENIC_DAY_INVENTORY, siteId, date).availability(siteId, date))
  },
)

scenicSiteRoutes.put(
  '/:id/days/:date/quotas',
  describeRoute({
    tags: ['Catalogue: scenic sites'],
    summary: "Replace one date's channel allocations (e.g. more for an OTA on a holiday)",
    description:
      'Refused when the quotas exceed the daily capacity or go below what a channel already holds.',
    responses: {
      200: { description: 'New quotas', content: json(siteDayQuotas) },
      400: { description: 'Not possible (code `validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', dayParams),
  validate('json', v.object({ quotas: v.record(channelCode, capacity) })),
  async (c) => {
    const { organizerId, id, date } = c.req.valid('param')
    const siteId = await ownedSite(c, organizerId, id)
    const result = await scenicDay(c.env.SCENIC_DAY_INVENTORY, siteId, date).setQuotas(
      siteId,
      date,
      c.req.valid('json').quotas,
    )
    if (!result.ok) throw inventoryProblem(result)
    return c.json(result)
  },
)
