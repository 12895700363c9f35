import { describe, expect, it } from 'vitest'
import { problemOf } from '../../../support/api.ts'
import { ok, showOnSale } from '../../../support/catalogue.ts'
import { campaignOnSale, newBuyer, startGroup } from '../../../support/group-buy.ts'

const valid = (showId: string) => ({
  name: 'Two for one 团购',
  showIds: [showId],
  groupPrices: { A: 7000 },
  minSize: 2,
  maxSize: 6,
})

describe('group-buy campaigns (admin): happy path', () => {
  it('lets a manager create, read, list and update a campaign, with defaults', async () => {
    const show = await showOnSale()
    const base = `${show.base}/group-buy-campaigns`
    const created = await ok(show.manager.post(base, valid(show.showId)), 201)
    expect(created).toMatchObject({
      organizerId: show.organizerId,
      lifetimeMinutes: 24 * 60,
      perBuyerLimit: 4,
      leaderDiscount: 0,
      autoComplete: false,
      status: 'active',
    })
    expect(await ok(show.manager.get(`${base}/${created.id}`))).toMatchObject({ groupPrices: { A: 7000 } })
    const list = await ok(show.owner.get(`${base}?status=active`))
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([created.id])
    const updated = await ok(show.manager.patch(`${base}/${created.id}`, { autoComplete: true, maxSize: 8 }))
    expect(updated).toMatchObject({ autoComplete: true, maxSize: 8 })
  })
})

describe('group-buy campaigns (admin): errors', () => {
  it('lists every bad field: sizes, unknown categories, prices above the regular price, discount', async () => {
    const show = await showOnSale()
    const res = await show.manager.post(`${show.base}/group-buy-campaigns`, {
      ...valid(show.showId),
      minSize: 8,
      maxSize: 4,
      groupPrices: { A: 20000, Z: 100 },
      leaderDiscount: 50000,
    })
    const problem = await problemOf(res)
    expect(problem.code).toBe('validation')
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(
      ['json.groupPrices.A', 'json.groupPrices.Z', 'json.leaderDiscount', 'json.minSize'].sort(),
    )
    const shape = await problemOf(
      await show.manager.post(`${show.base}/group-buy-campaigns`, {
        ...valid(show.showId),
        minSize: 1,
        showIds: [],
      }),
    )
    expect(shape.errors!.map((e) => e.path).sort()).toEqual(['json.minSize', 'json.showIds'])
  })

  it('refuses to delete a campaign groups were started under', async () => {
    const fixture = await campaignOnSale()
    await ok(startGroup(newBuyer(), fixture), 201)
    const res = await fixture.manager.delete(`${fixture.base}/group-buy-campaigns/${fixture.campaignId}`)
    expect((await problemOf(res)).code).toBe('conflict')
  })
})

describe('group-buy campaigns (admin): security', () => {
  it('is for owners and managers of the organizer, on its own shows only', async () => {
    const show = await showOnSale()
    const other = await showOnSale()
    const base = `${show.base}/group-buy-campaigns`
    expect((await problemOf(await show.gate.post(base, valid(show.showId)))).code).toBe('forbidden')
    expect((await problemOf(await show.gate.get(base))).code).toBe('forbidden')
    const foreignShow = await problemOf(await show.manager.post(base, valid(other.showId)))
    expect(foreignShow.errors).toEqual([expect.objectContaining({ path: 'json.showIds' })])
    const created = await ok(show.manager.post(base, valid(show.showId)), 201)
    // Another organizer's staff neither see nor change it.
    expect((await other.manager.get(`${other.base}/group-buy-campaigns/${created.id}`)).status).toBe(404)
    expect((await problemOf(await other.manager.get(`${base}/${created.id}`))).code).toBe('forbidden')
  })
})
