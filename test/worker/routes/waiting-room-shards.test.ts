import { describe, expect, it, vi } from 'vitest'
import {
  dayOnSale,
  idNumberHash,
  showOnSale as showOnSaleName,
} from '../../../worker/domain/admission-pass.ts'
import { shardName, shardOf, WATERMARK_SLACK_MS } from '../../../worker/domain/waiting-room.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, idNumberFor, ok, scenicSiteOnSale, showOnSale } from '../../support/catalogue.ts'
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

// An on-sale's queue split over shards (issue 22: one room takes ~250 joins a second), through the real routes:
// the organizer sets `shards`, buyers spread over them, each keeps one place over reloads and the socket, one
// place per ID holds across shards, each shard admits in arrival order, and sold out reaches every shard.

const shardCookie = (buyer: ApiClient, showId: string) => buyer.sideCookies.get(`queue_shard_show_${showId}`)
const shardActor = (showId: string, shard: number) => queueActor(shardName(showOnSaleName(showId), shard))

/** A show with a 4-shard waiting room open since a minute ago and `n` buyers joined in order. */
async function shardedShow(seats: number, n: number) {
  const show = await showOnSale(gridChart(1, seats))
  const room = `${show.base}/shows/${show.showId}`
  const saved = await setRoom(show.manager, room, { opensAt: aMinuteAgo(), shards: 4 })
  const buyers = await joinInOrder(queuePath(show.showId), n)
  const shardOfBuyer = buyers.map((b) => shardOf(buyerIdOf(b), 4))
  return { show, room, saved, buyers, shardOfBuyer }
}

const tickAll = (showId: string) => Promise.all([0, 1, 2, 3].map((k) => shardActor(showId, k).tick()))

describe('waiting room shards: the organizer’s setting', () => {
  it('is saved and shown (default 1), and refuses more than 64', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const room = `${show.base}/shows/${show.showId}`
    expect((await setRoom(show.manager, room, { opensAt: inAnHour() })).settings.shards).toBe(1)
    await setRoom(show.manager, room, { opensAt: inAnHour(), shards: 4 })
    expect((await ok(show.manager.get(`${room}/waiting-room`))).settings.shards).toBe(4)
    const refused = await show.manager.put(`${room}/waiting-room`, {
      enabled: true,
      opensAt: inAnHour(),
      admissionPerMinute: null,
      shards: 65,
    })
    expect(refused.status).toBe(400)
    expect((await problemOf(refused)).code).toBe('validation')
  })
})

describe('waiting room shards: the count stays put while buyers queue', () => {
  const putShards = (staff: ApiClient, room: string, opensAt: string, shards: number, enabled = true) =>
    staff.put(`${room}/waiting-room`, { enabled, opensAt, admissionPerMinute: null, shards })
  const expectShardsFixed = async (res: Response, shards: number) => {
    expect(res.status).toBe(409)
    expect(await problemOf(res)).toMatchObject({
      code: 'conflict',
      reason: 'shards_fixed_while_open',
      shards,
    })
  }

  it('changes freely before anyone queues, then refuses a lower (or higher) count while the pre-queue holds buyers', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const room = `${show.base}/shows/${show.showId}`
    const opensAt = inAnHour()
    await setRoom(show.manager, room, { opensAt, shards: 8 })
    expect((await ok(putShards(show.manager, room, opensAt, 4))).settings.shards).toBe(4)
    // A buyer waits in the pre-queue of their buyer id's shard: a count of 2 would look for them elsewhere.
    const [buyer] = await joinInOrder(queuePath(show.showId), 1)
    await expectShardsFixed(await putShards(show.manager, room, opensAt, 2), 4)
    await expectShardsFixed(await putShards(show.manager, room, opensAt, 6), 4)
    expect((await ok(show.manager.get(`${room}/waiting-room`))).settings.shards).toBe(4)
    // The same count with another change goes through, and the buyer keeps their place.
    await ok(
      show.manager.put(`${room}/waiting-room`, { enabled: true, opensAt, admissionPerMinute: 50, shards: 4 }),
    )
    expect((await placeOf(buyer!, queuePath(show.showId))).place).toMatchObject({ state: 'waiting' })
  })

  it('refuses lowering while the queue is open, and lets the count change once the room is off', async () => {
    const { show, room, buyers } = await shardedShow(100, 12)
    const opensAt = aMinuteAgo()
    await expectShardsFixed(await putShards(show.manager, room, opensAt, 1), 4)
    // Every buyer's place is still found in their shard.
    const answers = await Promise.all(buyers.map((b) => placeOf(b, queuePath(show.showId))))
    expect(answers.every((a) => a.place?.state === 'waiting')).toBe(true)
    // Switched off (everyone may hold, nobody is kept waiting), the count may change.
    await ok(putShards(show.manager, room, opensAt, 4, false))
    expect((await ok(putShards(show.manager, room, opensAt, 1, false))).settings.shards).toBe(1)
  })

  it('refuses it on an open scenic visit date too', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 40 })
    const room = `${site.base}/scenic-sites/${site.siteId}/days/${site.date}`
    const opensAt = aMinuteAgo()
    await setRoom(site.manager, room, { opensAt, shards: 3 })
    await expectShardsFixed(await putShards(site.manager, room, opensAt, 2), 3)
  })
})

describe('waiting room shards: buyers’ places', () => {
  it('spreads buyers over the shards; each keeps one place over reloads, without the cookie, and on the socket', async () => {
    const { show, room, buyers, shardOfBuyer } = await shardedShow(100, 24)
    const path = queuePath(show.showId)
    // Each buyer's place is in their buyer id's shard, remembered in the cookie; several shards are used.
    expect(buyers.map((b) => shardCookie(b, show.showId))).toEqual(shardOfBuyer.map(String))
    expect(new Set(shardOfBuyer).size).toBeGreaterThan(1)
    const counts = await Promise.all(
      // A shard's inspection answers its own count times the shards, like its queue figures.
      [0, 1, 2, 3].map(
        async (k) => (await shardActor(show.showId, k).inspect(showOnSaleName(show.showId))).waiting / 4,
      ),
    )
    expect(counts).toEqual([0, 1, 2, 3].map((k) => shardOfBuyer.filter((s) => s === k).length))

    const [buyer] = buyers
    const first = await placeOf(buyer!, path)
    expect(first.place).toMatchObject({ state: 'waiting', position: 1 })
    // A buyer sees the whole queue estimated from their shard; the organizer sees the shards added up.
    expect(first.queue.waiting).toBe(counts[shardOfBuyer[0]!]! * 4)
    expect((await ok(show.manager.get(`${room}/waiting-room`))).queue).toMatchObject({
      state: 'open',
      waiting: 24,
    })
    // A reload, a join again, and a reload with the shard cookie lost all find the same place.
    expect((await placeOf(buyer!, path)).place).toEqual(first.place)
    expect((await ok(buyer!.post(path, {}))).place).toEqual(first.place)
    buyer!.sideCookies.clear()
    expect((await placeOf(buyer!, path)).place).toEqual(first.place)
    expect(shardCookie(buyer!, show.showId)).toBe(String(shardOfBuyer[0]))
    // The live socket answers from the same shard.
    const socket = await liveSocket(buyer!, path)
    expect((await socket.next(() => true)).place).toEqual(first.place)
    socket.ws.close()
  })

  it('keeps one place per real-name ID across shards under a race, found again by the cookie or by joining again', async () => {
    const show = await showOnSale(gridChart(1, 10), { realNameRequired: true })
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, { opensAt: inAnHour(), shards: 4 })
    const path = queuePath(show.showId)
    const id = idNumberFor(5151)
    const racers = Array.from({ length: 10 }, () => new ApiClient())
    const answers = await Promise.all(racers.map((r) => r.post(path, { idNumber: id })))
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1)
    const refused = answers.filter((r) => r.status !== 200)
    expect(refused).toHaveLength(9)
    for (const r of refused) expect((await problemOf(r)).code).toBe('queue_id_taken')
    // The place is in the ID's shard, and the winner's cookie says so.
    const winner = racers[answers.findIndex((r) => r.status === 200)]!
    const idShard = shardOf(await idNumberHash(secret(), id), 4)
    expect(shardCookie(winner, show.showId)).toBe(String(idShard))
    expect((await placeOf(winner, path)).place).toMatchObject({ state: 'waiting', position: null })
    // Cookie lost: joining again with the ID number finds the same place (no second one).
    winner.sideCookies.clear()
    expect((await ok(winner.post(path, { idNumber: id }))).place).toMatchObject({ state: 'waiting' })
    expect((await placeOf(winner, path)).place).toMatchObject({ state: 'waiting' })
    const inspected = await shardActor(show.showId, idShard).inspect(showOnSaleName(show.showId))
    expect(inspected.waiting / 4).toBe(1)
  })
})

describe('waiting room shards: admission and sold out', () => {
  it('admits each shard’s earliest arrivals in order, sharing the seats among the shards', async () => {
    const { show, buyers, shardOfBuyer } = await shardedShow(8, 40)
    await tickAll(show.showId)
    const answers = await Promise.all(buyers.map((b) => placeOf(b, queuePath(show.showId))))
    const admitted = answers.flatMap((a, i) => (a.place?.state === 'admitted' ? [i] : []))
    // Eight seats over four shards: two each, the first two to arrive in each shard.
    const expected = [0, 1, 2, 3].flatMap((k) =>
      buyers.flatMap((_, i) => (shardOfBuyer[i] === k ? [i] : [])).slice(0, 2),
    )
    expect(admitted).toEqual(expected.sort((a, b) => a - b))
    for (const k of [0, 1, 2, 3]) {
      const order = await shardActor(show.showId, k).admissionOrder(showOnSaleName(show.showId))
      expect(order.map((r) => r.arrival)).toEqual([1, 2])
    }
    // Everyone else waits; within a shard, in arrival order.
    for (const k of [0, 1, 2, 3]) {
      const positions = answers
        .filter((a, i) => shardOfBuyer[i] === k && a.place?.state === 'waiting')
        .map((a) => a.place!.position!)
      expect(positions).toEqual([...positions].sort((a, b) => a - b))
      expect(new Set(positions).size).toBe(positions.length)
    }
  })

  it('tells the buyers of every shard when the show sells out', async () => {
    const { show, buyers, shardOfBuyer } = await shardedShow(1, 20)
    await tickAll(show.showId)
    const answers = await Promise.all(buyers.map((b) => placeOf(b, queuePath(show.showId))))
    const first = answers.findIndex((a) => a.place?.state === 'admitted')
    await ok(
      holdWith(
        buyers[first]!,
        holdsPath(show.showId),
        { seatIds: [show.seatIds[0]] },
        answers[first]!.place!.pass,
      ),
      201,
    )
    await tickAll(show.showId)
    const after = await Promise.all(buyers.map((b) => placeOf(b, queuePath(show.showId))))
    for (const k of new Set(shardOfBuyer)) {
      const inShard = after.filter((_, i) => shardOfBuyer[i] === k)
      expect(inShard.every((a) => a.queue.state === 'sold_out')).toBe(true)
    }
    const late = await new ApiClient().post(queuePath(show.showId), {})
    expect((await problemOf(late)).code).toBe('sold_out')
  })
})

describe('waiting room shards: a scenic visit date', () => {
  it('finds each visitor’s place in their shard, and a pass from any shard holds', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 40 })
    const dayPath = `/api/scenic-sites/${site.siteId}/days/${site.date}`
    const room = `${site.base}/scenic-sites/${site.siteId}/days/${site.date}`
    await setRoom(site.manager, room, { opensAt: aMinuteAgo(), shards: 4 })
    const buyers = await joinInOrder(`${dayPath}/queue`, 12)
    const shards = buyers.map((b) => shardOf(buyerIdOf(b), 4))
    const cookie = `queue_shard_day_${site.siteId}_${site.date}`.replace(/[^A-Za-z0-9_-]/g, '_')
    expect(buyers.map((b) => b.sideCookies.get(cookie))).toEqual(shards.map(String))
    const onSale = dayOnSale(site.siteId, site.date)
    await Promise.all([0, 1, 2, 3].map((k) => queueActor(shardName(onSale, k)).tick()))
    const answers = await Promise.all(buyers.map((b) => placeOf(b, `${dayPath}/queue`)))
    expect(answers.every((a) => a.place?.state === 'admitted')).toBe(true)
    // A visitor queued in a shard other than the first holds with their pass (it names the date, not the shard).
    const i = shards.findIndex((k) => k !== 0)
    const lines = [{ productId: site.childProduct, slot: '09:00' }]
    await ok(holdWith(buyers[i]!, `${dayPath}/holds`, { lines }, answers[i]!.place!.pass), 201)
    // The hold is noted in that visitor's shard (not the first's): one fewer of its admitted is still choosing.
    const shard = queueActor(shardName(onSale, shards[i]!))
    const inShard = shards.filter((k) => k === shards[i]).length
    await vi.waitFor(async () => expect((await shard.inspect(onSale)).choosing).toBe(inShard - 1), {
      timeout: 5_000,
      interval: 100,
    })
  })
})

describe('waiting room shards: fairness across rooms', () => {
  /** `n` buyer ids whose places belong in room `k` of 2. */
  const idsIn = (k: number, prefix: string, n: number) =>
    Array.from({ length: 200 }, (_, i) => `${prefix}-${i}`)
      .filter((id) => shardOf(id, 2) === k)
      .slice(0, n)

  it('a room with a short queue admits no one who joined after another room’s waiting head (beyond the slack)', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const room = `${show.base}/shows/${show.showId}`
    const { settings } = await setRoom(show.manager, room, { opensAt: aMinuteAgo(), shards: 2 })
    const onSale = showOnSaleName(show.showId)
    const [first, second] = [shardActor(show.showId, 0), shardActor(show.showId, 1)]
    // Three early buyers in room 0: its share of the 4 seats admits two, the third waits at its head.
    const early = idsIn(0, 'early', 3)
    for (const buyerId of early) await first.join(onSale, settings, { buyerId })
    await first.tick()
    expect((await first.inspect(onSale)).admitted).toBe(2)
    // Two buyers join room 1 later than that head by more than the slack.
    await new Promise((resolve) => setTimeout(resolve, WATERMARK_SLACK_MS + 500))
    const late = idsIn(1, 'late', 2)
    for (const buyerId of late) await second.join(onSale, settings, { buyerId })
    // Room 1 has its share of the seats free, yet waits: an earlier buyer still waits in room 0.
    expect((await second.tick()).admitted).toBe(0)
    expect(await second.inspect(onSale)).toMatchObject({ admitted: 0, cursor: 0, lastTicket: 2 })
    // An admitted buyer of room 0 releases; room 0 admits its head, and then room 1 may go on, in arrival order.
    await first.progress(onSale, early[0]!, 'released')
    await first.tick()
    expect((await first.inspect(onSale)).admitted).toBe(3)
    await second.tick()
    const order = await second.admissionOrder(onSale)
    expect(order.map((r) => r.buyerId)).toEqual(late)
  })
})
