import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { readShowConfig } from '../../durable-objects/show-inventory/catalogue.ts'
import type { ShowInventory } from '../../durable-objects/show-inventory/index.ts'
import { openDatabase } from '../../worker/db/client.ts'
import { showInventoryService } from '../../worker/services/show-inventory.ts'
import { ApiClient } from '../support/api.ts'
import { gridChart, ok, showOnSale } from '../support/catalogue.ts'

// How a show's actor takes catalogue edits: the admin write hands it the settings it wrote (typed, read once in
// the worker), an older hand-over never replaces a newer one, and its own read of D1 remains the fallback.

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
const priceOfA = async (showId: string) =>
  (await inventory(showId).availability(showId)).categories.find((c) => c.code === 'A')!.price

describe('show inventory: catalogue settings', () => {
  it('reads the show settings through the typed catalogue reader', async () => {
    const show = await showOnSale(gridChart(2, 10), { maxTicketsPerBuyer: 4, holdMinutes: 12 })
    const read = await readShowConfig(openDatabase(env.DB), show.showId)
    expect(read).toMatchObject({
      venueId: show.venueId,
      config: {
        showId: show.showId,
        holdMinutes: 12,
        maxPerAccount: 4,
        realNameRequired: false,
        signInToHold: false,
        status: 'scheduled',
        prices: { A: 10000 },
        categories: [{ code: 'A', name: 'Zone A' }],
        stage: { x: 100, y: 0 },
        stamp: expect.stringMatching(/^\d{4}-.+\|\d{4}-.+$/),
      },
    })
    expect(await readShowConfig(openDatabase(env.DB), 'shw_missing')).toBeNull()
  })

  it('takes settings handed over without reading D1, drops an older hand-over, and reads D1 when asked', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const stub = inventory(show.showId)
    expect(await priceOfA(show.showId)).toBe(10000)
    const { config } = (await readShowConfig(openDatabase(env.DB), show.showId))!
    const [showAt, eventAt] = config.stamp!.split('|')
    const later = (iso: string, ms: number) => new Date(Date.parse(iso!) + ms).toISOString()
    // Settings D1 does not have: the actor can only have them from the hand-over.
    const pushed = { ...config, prices: { A: 11111 }, stamp: `${later(showAt!, 1000)}|${eventAt}` }
    expect(await stub.refreshConfig(show.showId, pushed)).toEqual({ refreshed: true })
    expect(await priceOfA(show.showId)).toBe(11111)
    // An earlier edit's hand-over arriving late changes nothing.
    const stale = { ...config, prices: { A: 22222 }, stamp: `${later(showAt!, 500)}|${eventAt}` }
    expect(await stub.refreshConfig(show.showId, stale)).toEqual({ refreshed: false })
    expect(await priceOfA(show.showId)).toBe(11111)
    // Its own look at D1 (the fallback) takes what D1 says.
    expect(await stub.refreshConfig(show.showId)).toEqual({ refreshed: true })
    expect(await priceOfA(show.showId)).toBe(10000)
    // Stored too: a restart keeps what it took.
    await runInDurableObject(stub, (_instance: ShowInventory, state) => {
      const stored = state.storage.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'config'")
        .one()
      expect(JSON.parse(stored.value).prices).toEqual({ A: 10000 })
    })
  })

  it('an admin price edit reaches the actor through the hand-over at once', async () => {
    const show = await showOnSale(gridChart(2, 10))
    expect(await priceOfA(show.showId)).toBe(10000)
    await ok(show.owner.patch(`${show.base}/shows/${show.showId}`, { prices: { A: 13000 } }))
    expect(await priceOfA(show.showId)).toBe(13000)
    const hold = await ok(
      new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]] }),
      201,
    )
    expect(hold.total).toBe(13000)
    // The service hands over only what D1 has: nothing newer, nothing to take.
    const service = showInventoryService(env.SHOW_INVENTORY, env.HOLD_GATEWAY)
    expect(await service.pushConfig(openDatabase(env.DB), show.showId)).toEqual({ refreshed: false })
    expect(await service.pushConfig(openDatabase(env.DB), 'shw_missing')).toEqual({ refreshed: false })
  })
})
