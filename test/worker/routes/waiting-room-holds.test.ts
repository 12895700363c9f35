import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import {
  dayOnSale,
  showOnSale as showOnSaleName,
  signAdmissionPass,
} from '../../../worker/domain/admission-pass.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, scenicSiteOnSale, showOnSale } from '../../support/catalogue.ts'
import {
  aMinuteAgo,
  buyerIdOf,
  holdsPath,
  holdWith,
  inAnHour,
  joinInOrder,
  liveSocket,
  placeOf,
  queueActor,
  queuePath,
  passSecret as secret,
  setRoom,
} from '../../support/waiting-room.ts'

// What a waiting room does to the hold routes (issue 22): while it is on, a hold needs the buyer's own admission
// pass for this on-sale; sold out closes the queue and tells the waiting buyers; a returned seat re-opens it.

/** A show with its waiting room open and `n` buyers admitted (one tick); answers them with their passes. */
async function admittedBuyers(seats: number, n: number) {
  const show = await showOnSale(gridChart(1, seats))
  await setRoom(show.manager, `${show.base}/shows/${show.showId}`, { opensAt: aMinuteAgo() })
  const buyers = await joinInOrder(queuePath(show.showId), n)
  await queueActor(showOnSaleName(show.showId)).tick()
  const passes = await Promise.all(
    buyers.map(async (b) => (await placeOf(b, queuePath(show.showId))).place?.pass),
  )
  return { show, buyers, passes }
}

describe('waiting room: holds need an admission pass', () => {
  it('refuses a hold without a pass during the on-sale, and takes one with the buyer’s own pass', async () => {
    const { show, buyers, passes } = await admittedBuyers(10, 1)
    const [buyer] = buyers
    const refused = await holdWith(buyer!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] })
    expect(refused.status).toBe(403)
    const problem = await problemOf(refused)
    expect(problem).toMatchObject({
      code: 'admission_required',
      reason: 'missing',
      queueUrl: `/shows/${show.showId}/queue`,
    })
    expect(Date.parse(String(problem.opensAt))).toBeLessThan(Date.now())
    const held = await ok(
      holdWith(buyer!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }, passes[0]),
      201,
    )
    expect(held.seats.map((s: { id: string }) => s.id)).toEqual([show.seatIds[0]])
    // The queue hears the buyer held (after the answer, off the buyer's wait): no longer choosing seats.
    await vi.waitFor(
      async () =>
        expect(
          (await queueActor(showOnSaleName(show.showId)).inspect(showOnSaleName(show.showId))).choosing,
        ).toBe(0),
      { timeout: 5_000, interval: 100 },
    )
  })

  it('refuses a pass of another buyer, of another show, a lapsed one and a forged one', async () => {
    const { show, buyers, passes } = await admittedBuyers(10, 2)
    const [a, b] = buyers
    const hold = (who: ApiClient, pass: string, seat = show.seatIds[0]) =>
      holdWith(who, holdsPath(show.showId), { seatIds: [seat] }, pass)
    const reasonOf = async (res: Response) => {
      expect(res.status).toBe(403)
      const problem = await problemOf(res)
      expect(problem.code).toBe('admission_required')
      return problem.reason
    }
    // B holding with A's pass.
    expect(await reasonOf(await hold(b!, passes[0]!))).toBe('invalid')
    // A's pass for this show on another show with a waiting room.
    const other = await admittedBuyers(10, 1)
    expect(
      await reasonOf(
        await holdWith(a!, holdsPath(other.show.showId), { seatIds: [other.show.seatIds[0]] }, passes[0]),
      ),
    ).toBe('invalid')
    // A genuine pass that lapsed a second ago.
    const lapsed = await signAdmissionPass(secret(), {
      buyerId: buyerIdOf(a!),
      onSale: showOnSaleName(show.showId),
      expiresAt: Date.now() - 1_000,
    })
    expect(await reasonOf(await hold(a!, lapsed))).toBe('expired')
    // Forged: signed with another key, and A's pass rewritten for B.
    const wrongKey = await signAdmissionPass('not-the-platform-secret', {
      buyerId: buyerIdOf(b!),
      onSale: showOnSaleName(show.showId),
      expiresAt: Date.now() + 600_000,
    })
    expect(await reasonOf(await hold(b!, wrongKey))).toBe('invalid')
    const [, mac] = passes[0]!.split('.')
    const payload = btoa(
      JSON.stringify({ b: buyerIdOf(b!), s: showOnSaleName(show.showId), e: Date.now() + 600_000 }),
    )
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '')
    expect(await reasonOf(await hold(b!, `${payload}.${mac}`))).toBe('invalid')
    // Nothing was held by any of them; each still holds with their own pass.
    await ok(hold(a!, passes[0]!), 201)
    await ok(hold(b!, passes[1]!, show.seatIds[1]), 201)
  })

  it('leaves a show without a waiting room as it was', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    await ok(holdWith(buyer, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }), 201)
    expect((await ok(buyer.get(`/api/shows/${show.showId}`))).waitingRoom).toBeNull()
    expect(await ok(buyer.get(queuePath(show.showId)))).toEqual({
      queue: { state: 'off', opensAt: null, waiting: 0, admittedPerMinute: 0 },
      place: null,
    })
    const join = await buyer.post(queuePath(show.showId), {})
    expect(join.status).toBe(409)
    expect((await problemOf(join)).code).toBe('queue_off')
  })
})

describe('waiting room: sold out and returned seats', () => {
  it('closes the queue at sold out, tells the waiting buyer’s socket, and re-opens when a seat comes back', async () => {
    const { show, buyers, passes } = await admittedBuyers(2, 3)
    const [a, b, c] = buyers
    const onSale = showOnSaleName(show.showId)
    const actor = queueActor(onSale)
    expect(passes.map((p) => typeof p)).toEqual(['string', 'string', 'undefined'])
    const socket = await liveSocket(c!, queuePath(show.showId))
    const first = await socket.next(() => true)
    expect(first.place).toMatchObject({ state: 'waiting', position: 1 })

    const holdA = await ok(
      holdWith(a!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }, passes[0]),
      201,
    )
    await ok(holdWith(b!, holdsPath(show.showId), { seatIds: [show.seatIds[1]] }, passes[1]), 201)
    await actor.tick()
    const closed = await socket.next((m) => m.queue.state === 'sold_out')
    expect(closed.place).toMatchObject({ state: 'waiting', position: 1 })
    const late = await new ApiClient().post(queuePath(show.showId), {})
    expect(late.status).toBe(409)
    expect((await problemOf(late)).code).toBe('sold_out')
    expect((await ok(new ApiClient().get(`/api/shows/${show.showId}`))).waitingRoom.state).toBe('sold_out')

    // A gives their seat back: the queue re-opens and admits C, whose socket gets the pass.
    const released = await a!.delete(`${holdsPath(show.showId)}/${holdA.id}`)
    expect(released.status).toBe(204)
    await vi.waitFor(async () => expect((await actor.inspect(onSale)).choosing).toBe(0), {
      timeout: 5_000,
      interval: 100,
    })
    await actor.tick()
    const admitted = await socket.next((m) => m.place?.state === 'admitted')
    expect(admitted.queue.state).toBe('open')
    await ok(holdWith(c!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }, admitted.place!.pass), 201)
    socket.ws.close()
  })
})

describe('waiting room: scenic days', () => {
  it('gates a visit date’s holds the same way and shows the room on the day', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 20 })
    const dayPath = `/api/scenic-sites/${site.siteId}/days/${site.date}`
    const opensAt = inAnHour()
    await setRoom(site.manager, `${site.base}/scenic-sites/${site.siteId}/days/${site.date}`, { opensAt })
    expect((await ok(new ApiClient().get(dayPath))).waitingRoom).toEqual({ opensAt, state: 'before_open' })
    const buyer = new ApiClient()
    const lines = [{ productId: site.childProduct, slot: '09:00' }]
    const refused = await holdWith(buyer, `${dayPath}/holds`, { lines })
    expect(refused.status).toBe(403)
    expect(await problemOf(refused)).toMatchObject({
      code: 'admission_required',
      queueUrl: `/scenic/${site.siteId}/queue?date=${site.date}`,
      opensAt,
    })
    await ok(buyer.post(`${dayPath}/queue`, {}))
    await setRoom(site.manager, `${site.base}/scenic-sites/${site.siteId}/days/${site.date}`, {
      opensAt: aMinuteAgo(),
    })
    await queueActor(dayOnSale(site.siteId, site.date)).tick()
    const { place } = await placeOf(buyer, `${dayPath}/queue`)
    expect(place?.state).toBe('admitted')
    await ok(holdWith(buyer, `${dayPath}/holds`, { lines }, place!.pass), 201)
  })
})
