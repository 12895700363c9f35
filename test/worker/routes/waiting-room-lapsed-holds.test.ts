import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { scenicDay } from '../../../durable-objects/scenic-day/stub.ts'
import { dayOnSale, showOnSale as showOnSaleName } from '../../../worker/domain/admission-pass.ts'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, scenicSiteOnSale, showOnSale } from '../../support/catalogue.ts'
import {
  aMinuteAgo,
  holdsPath,
  holdWith,
  joinInOrder,
  placeOf,
  queueActor,
  queuePath,
  setRoom,
} from '../../support/waiting-room.ts'

// A buyer who holds and never pays (issue 22): while the room follows how fast buyers finish, they count as active
// until they finish. When their hold lapses in the inventory actor, the actor tells the room (the same `released`
// step a release over the hold routes sends), so admission re-opens then, not when their pass lapses (an hour here).

afterEach(() => {
  vi.useRealTimers()
})

/** Moves the clock `ms` ahead (Date only: the actors' alarms and expiries read it), as the lapse tests do. */
function later(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(Date.now() + ms)
}

const waitUntilActive = (actor: ReturnType<typeof queueActor>, onSale: string, active: number) =>
  vi.waitFor(async () => expect(await actor.inspect(onSale)).toMatchObject({ active }), {
    timeout: 5_000,
    interval: 100,
  })

describe('waiting room: holds that lapse', () => {
  it('a show: buyers whose holds lapse stop counting as active, and the next buyer is admitted', async () => {
    const show = await showOnSale(gridChart(1, 2), { holdMinutes: 1 })
    const onSale = showOnSaleName(show.showId)
    const actor = queueActor(onSale)
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, {
      opensAt: aMinuteAgo(),
      passMinutes: 60,
    })
    const [a, b, c] = await joinInOrder(queuePath(show.showId), 3)
    await actor.tick()
    const passOf = async (buyer: ApiClient) => (await placeOf(buyer, queuePath(show.showId))).place?.pass
    const [passA, passB] = [await passOf(a!), await passOf(b!)]
    await ok(holdWith(a!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }, passA), 201)
    await ok(holdWith(b!, holdsPath(show.showId), { seatIds: [show.seatIds[1]] }, passB), 201)
    await vi.waitFor(async () => expect((await actor.inspect(onSale)).choosing).toBe(0), {
      timeout: 5_000,
      interval: 100,
    })
    // Both hold, neither pays: sold out, C waits.
    await actor.tick()
    expect(await actor.inspect(onSale)).toMatchObject({ soldOut: true, active: 2, admitted: 2 })

    // A minute on the room ticks (asking the show what is left), then the show's alarm lapses both holds.
    later(61_000)
    await actor.tick()
    expect((await actor.inspect(onSale)).active).toBe(2)
    await runDurableObjectAlarm(env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(show.showId)))
    await waitUntilActive(actor, onSale, 0)

    // Their passes still have most of an hour; the room admits C at its next tick all the same.
    await actor.tick()
    const place = (await placeOf(c!, queuePath(show.showId))).place
    expect(place?.state).toBe('admitted')
    expect(await actor.inspect(onSale)).toMatchObject({ soldOut: false, active: 1, admitted: 3 })
    // A released buyer's later steps change nothing: A's pass still works, but A no longer counts as active.
    await ok(holdWith(a!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }, passA), 201)
    await ok(holdWith(c!, holdsPath(show.showId), { seatIds: [show.seatIds[1]] }, place!.pass), 201)
    await vi.waitFor(async () => expect((await actor.inspect(onSale)).choosing).toBe(0), {
      timeout: 5_000,
      interval: 100,
    })
    expect((await actor.inspect(onSale)).active).toBe(1)
  })

  it('a buyer with another hold still active is not released until that one lapses too', async () => {
    const show = await showOnSale(gridChart(1, 4), { holdMinutes: 1 })
    const onSale = showOnSaleName(show.showId)
    const actor = queueActor(onSale)
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, {
      opensAt: aMinuteAgo(),
      passMinutes: 60,
    })
    const [a] = await joinInOrder(queuePath(show.showId), 1)
    await actor.tick()
    const pass = (await placeOf(a!, queuePath(show.showId))).place?.pass
    await ok(holdWith(a!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }, pass), 201)
    // A second hold, made 30 s later, lapses 30 s after the first.
    later(30_000)
    await ok(holdWith(a!, holdsPath(show.showId), { seatIds: [show.seatIds[1]] }, pass), 201)
    await vi.waitFor(async () => expect((await actor.inspect(onSale)).choosing).toBe(0), {
      timeout: 5_000,
      interval: 100,
    })
    const inventory = env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(show.showId))
    later(31_000)
    await actor.tick()
    await runDurableObjectAlarm(inventory)
    expect((await inventory.counts(show.showId)).memory.held).toBe(1)
    // The first lapsed, the second still holds a seat: A is still deciding how to pay for it.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect((await actor.inspect(onSale)).active).toBe(1)
    later(30_000)
    await actor.tick()
    await runDurableObjectAlarm(inventory)
    await waitUntilActive(actor, onSale, 0)
  })

  it('a visit date: a lapsed hold is told to the day’s room too', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 20 })
    const dayPath = `/api/scenic-sites/${site.siteId}/days/${site.date}`
    const onSale = dayOnSale(site.siteId, site.date)
    const actor = queueActor(onSale)
    await setRoom(site.manager, `${site.base}/scenic-sites/${site.siteId}/days/${site.date}`, {
      opensAt: aMinuteAgo(),
      passMinutes: 60,
    })
    const buyer = new ApiClient()
    await ok(buyer.post(`${dayPath}/queue`, {}))
    await actor.tick()
    const { place } = await placeOf(buyer, `${dayPath}/queue`)
    const lines = [{ productId: site.childProduct, slot: '09:00' }]
    await ok(holdWith(buyer, `${dayPath}/holds`, { lines }, place!.pass), 201)
    await vi.waitFor(async () => expect((await actor.inspect(onSale)).choosing).toBe(0), {
      timeout: 5_000,
      interval: 100,
    })
    expect((await actor.inspect(onSale)).active).toBe(1)
    // The day's holds last 15 minutes; the pass an hour.
    later(16 * 60_000)
    await actor.tick()
    expect((await actor.inspect(onSale)).active).toBe(1)
    await runDurableObjectAlarm(scenicDay(env.SCENIC_DAY_INVENTORY, site.siteId, site.date))
    await waitUntilActive(actor, onSale, 0)
  })
})
