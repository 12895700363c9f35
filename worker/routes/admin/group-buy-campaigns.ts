import { and, eq, inArray } from 'drizzle-orm'
import * as v from 'valibot'
import { groupBuyCampaignStatuses, groupBuyCampaigns, groupBuys, shows } from '../../db/schema.ts'
import { conflict, type FieldError, validationProblem } from '../../problem.ts'
import { groupBuyCampaignInput, groupBuyCampaignRecord } from '../contracts/admin/group-buy-campaigns.ts'
import { catalogueResource } from './catalogue-resource.ts'

export const groupBuyCampaignRoutes = catalogueResource({
  noun: 'group-buy campaign',
  tag: 'Group buys (admin)',
  table: groupBuyCampaigns,
  idPrefix: 'gbc',
  schema: groupBuyCampaignRecord,
  create: groupBuyCampaignInput,
  readRoles: ['owner', 'manager'],
  writeRoles: ['owner', 'manager'],
  filters: { status: v.optional(v.picklist(groupBuyCampaignStatuses)) },
  where: (f) => [f.status ? eq(groupBuyCampaigns.status, f.status) : undefined],
  check: async (c, campaign, organizerId) => {
    const errors: FieldError[] = []
    if (campaign.minSize > campaign.maxSize)
      errors.push({ path: 'json.minSize', message: 'must not be more than maxSize' })
    const showIds = [...new Set(campaign.showIds)]
    const found = showIds.length
      ? await c
          .get('db')
          .select({ id: shows.id, prices: shows.prices })
          .from(shows)
          .where(and(eq(shows.organizerId, organizerId), inArray(shows.id, showIds)))
      : []
    for (const id of showIds) {
      const show = found.find((s) => s.id === id)
      if (!show) {
        errors.push({ path: 'json.showIds', message: `no show ${id} in this organizer` })
        continue
      }
      for (const [category, price] of Object.entries(campaign.groupPrices)) {
        const regular = show.prices[category]
        if (regular === undefined)
          errors.push({
            path: `json.groupPrices.${category}`,
            message: `show ${id} has no price category ${category}`,
          })
        else if (price > regular)
          errors.push({
            path: `json.groupPrices.${category}`,
            message: `must not exceed the regular price ${regular} of show ${id}`,
          })
      }
    }
    const cheapest = Math.min(...Object.values(campaign.groupPrices))
    if (campaign.leaderDiscount > cheapest)
      errors.push({ path: 'json.leaderDiscount', message: 'must not exceed the lowest group price' })
    if (errors.length) throw validationProblem(errors)
  },
  beforeDelete: async (c, campaign) => {
    const [used] = await c
      .get('db')
      .select({ id: groupBuys.id })
      .from(groupBuys)
      .where(eq(groupBuys.campaignId, String(campaign.id)))
      .limit(1)
    if (used) throw conflict('Groups were started under this campaign; end it (status `ended`) instead')
  },
})
