import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { demoIds } from '../../../worker/demo/demo-data.ts'
import { loadDemo } from '../../../worker/demo/seed.ts'
import { ApiClient } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'

describe('demo data: cinema group buy', () => {
  it('offers a 团购 campaign on the demo screenings that a buyer can start a group in', async () => {
    await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    await loadDemo(env.DB, { ownerEmail: 'owner@demo.local', password: 'demo-password-2026' })
    const campaigns = await env.DB.prepare('SELECT id FROM group_buy_campaigns WHERE organizer_id = ?')
      .bind(demoIds.organizer)
      .all()
    expect(campaigns.results).toEqual([{ id: demoIds.groupBuyCampaign }])
    const screening = demoIds.screenings[2]
    const buyer = new ApiClient()
    const listing = await ok(buyer.get(`/api/group-buys/shows/${screening}`))
    expect(listing.campaigns).toMatchObject([{ id: demoIds.groupBuyCampaign, groupPrices: { STD: 3000 } }])
    const started = await ok(
      buyer.post(`/api/group-buys/campaigns/${demoIds.groupBuyCampaign}/groups`, {
        showId: screening,
        quantity: 2,
        category: 'STD',
        email: 'friends@example.com',
      }),
      201,
    )
    // Two group-price seats less the leader's 5.00.
    expect(started.membership.amountDue).toBe(2 * 3000 - 500)
    expect(started.membership.seats).toHaveLength(2)
    expect(started.group).toMatchObject({ status: 'open', minSize: 3, maxSize: 8 })
  })
})
