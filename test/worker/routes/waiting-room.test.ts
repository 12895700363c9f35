import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { showOnSale as showOnSaleName } from '../../../worker/domain/admission-pass.ts'
import { preQueueOrder } from '../../../worker/domain/waiting-room.ts'
import { ApiClient, organizerWithStaff, problemOf } from '../../support/api.ts'
import { gridChart, idNumberFor, ok, showOnSale } from '../../support/catalogue.ts'
import {
  aMinuteAgo,
  inAnHour,
  joinInOrder,
  placeOf,
  queueActor,
  queuePath,
  setRoom,
} from '../../support/waiting-room.ts'

// The waiting room's queue through the real routes (issue 22): the pre-queue drawn at opening, first come first
// served after it, one place per buyer and per ID, abandoned places skipped, the bot challenge, the organizer's
// switch. Ticks are driven by the test (`tick()`, the alarm's work) so nothing waits on the clock.

describe('waiting room: the order of the queue', () => {
  it('draws the pre-queue at random at opening (reproducibly from the stored seed), then admits in that order', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const room = `${show.base}/shows/${show.showId}`
    await setRoom(show.manager, room, { opensAt: inAnHour() })
    const buyers = await joinInOrder(queuePath(show.showId), 30)
    const before = await placeOf(buyers[0]!, queuePath(show.showId))
    expect(before.queue).toMatchObject({ state: 'before_open', waiting: 30 })
    expect(before.place).toEqual({ state: 'waiting', position: null, estimatedWaitSeconds: null })
    // The organizer opens the queue now: the 30 early arrivals are shuffled; 10 seats admit 10 buyers.
    await setRoom(show.manager, room, { opensAt: aMinuteAgo() })
    const actor = queueActor(showOnSaleName(show.showId))
    await actor.tick()
    const { seed } = await actor.inspect(showOnSaleName(show.showId))
    const drawn = preQueueOrder(
      seed,
      buyers.map((_, i) => i + 1),
    ).map((arrival) => arrival - 1)
    const answers = await Promise.all(buyers.map((b) => placeOf(b, queuePath(show.showId))))
    const admitted = answers.flatMap((a, i) => (a.place?.state === 'admitted' ? [i] : []))
    expect(admitted.sort((a, b) => a - b)).toEqual(drawn.slice(0, 10).sort((a, b) => a - b))
    // Not the first ten to arrive.
    expect(admitted).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    for (const i of admitted) {
      expect(answers[i]!.place!.pass).toMatch(/^[\w-]+\.[\w-]+$/)
      expect(Date.parse(answers[i]!.place!.passExpiresAt!)).toBeGreaterThan(Date.now() + 9 * 60_000)
    }
    // Everyone else waits at the place drawn for them, 1-based.
    drawn.slice(10).forEach((buyer, k) => {
      expect(answers[buyer]!.place).toMatchObject({ state: 'waiting', position: k + 1 })
    })
    expect(answers[0]!.queue).toMatchObject({ state: 'open', waiting: 20 })
    // The actor's record agrees: admitted in the drawn order, every one a pre-queue arrival.
    const order = await actor.admissionOrder(showOnSaleName(show.showId))
    expect(order.map((r) => r.arrival - 1)).toEqual(drawn.slice(0, 10))
    expect(order.every((r) => r.preQueued)).toBe(true)
  })

  it('after opening, serves first come first served', async () => {
    const show = await showOnSale(gridChart(1, 3))
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, { opensAt: aMinuteAgo() })
    const buyers = await joinInOrder(queuePath(show.showId), 6)
    const actor = queueActor(showOnSaleName(show.showId))
    await actor.tick()
    const answers = await Promise.all(buyers.map((b) => placeOf(b, queuePath(show.showId))))
    expect((await actor.admissionOrder(showOnSaleName(show.showId))).map((r) => r.arrival)).toEqual([1, 2, 3])
    // Three seats: the first three arrivals are admitted, the next three wait in arrival order.
    expect(answers.map((a) => a.place!.state)).toEqual([
      'admitted',
      'admitted',
      'admitted',
      'waiting',
      'waiting',
      'waiting',
    ])
    expect(answers.slice(3).map((a) => a.place!.position)).toEqual([1, 2, 3])
  })
})

describe('waiting room: one place per buyer and per ID', () => {
  it('keeps one place per buyer however often they join, and one per real-name ID under a race', async () => {
    const show = await showOnSale(gridChart(1, 10), { realNameRequired: true })
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, { opensAt: inAnHour() })
    const path = queuePath(show.showId)
    const buyer = new ApiClient()
    const first = await ok(buyer.post(path, {}))
    const again = await ok(buyer.post(path, {}))
    expect(again).toEqual(first)
    expect(again.queue.waiting).toBe(1)

    // Ten buyers race to join with one ID number: one place, nine refusals.
    const id = idNumberFor(4242)
    const racers = Array.from({ length: 10 }, () => new ApiClient())
    const answers = await Promise.all(racers.map((r) => r.post(path, { idNumber: id })))
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1)
    const refused = answers.filter((r) => r.status !== 200)
    expect(refused).toHaveLength(9)
    for (const r of refused) expect((await problemOf(r)).code).toBe('queue_id_taken')
    expect((await placeOf(new ApiClient(), path)).queue.waiting).toBe(2)
    // The ID is kept only as a keyed hash.
    await runInDurableObject(queueActor(showOnSaleName(show.showId)), (_i, state) => {
      const rows = state.storage.sql.exec<{ id_hash: string | null }>('SELECT id_hash FROM places').toArray()
      expect(rows.some((r) => r.id_hash?.includes(id))).toBe(false)
      expect(rows.filter((r) => r.id_hash !== null)).toHaveLength(1)
    })
  })
})

describe('waiting room: abandoned places', () => {
  it('skips a buyer who neither kept a socket nor asked for their place for two minutes', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const room = `${show.base}/shows/${show.showId}`
    const path = queuePath(show.showId)
    await setRoom(show.manager, room, { opensAt: inAnHour() })
    const [gone, stayed] = await joinInOrder(path, 2)
    const onSale = showOnSaleName(show.showId)
    // The first buyer was last heard of three minutes ago (storage rewound: the clock is not waited on).
    await runInDurableObject(queueActor(onSale), (_i, state) => {
      state.storage.sql.exec('UPDATE places SET last_seen_at = ? WHERE arrival = 1', Date.now() - 180_000)
    })
    await setRoom(show.manager, room, { opensAt: aMinuteAgo() })
    await queueActor(onSale).tick()
    expect((await placeOf(stayed!, path)).place!.state).toBe('admitted')
    expect((await placeOf(gone!, path)).place).toEqual({
      state: 'expired',
      position: null,
      estimatedWaitSeconds: null,
    })
    expect((await queueActor(onSale).inspect(onSale)).skipped).toBe(1)
    // Back again, they queue at the back.
    const back = await ok(gone!.post(path, {}))
    expect(back.place).toMatchObject({ state: 'waiting', position: 1 })
  })
})

describe('waiting room: bot challenge', () => {
  it('refuses a join without a passing challenge when the organizer requires one', async () => {
    const show = await showOnSale(gridChart(1, 10))
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, {
      opensAt: inAnHour(),
      requireChallenge: true,
    })
    const path = queuePath(show.showId)
    const buyer = new ApiClient()
    const none = await buyer.post(path, {})
    expect(none.status).toBe(403)
    expect(await problemOf(none)).toMatchObject({ code: 'challenge_failed' })
    const failed = await buyer.post(path, { challengeToken: 'robot' })
    expect(failed.status).toBe(403)
    expect((await problemOf(failed)).detail).toMatch(/did not pass/)
    expect((await placeOf(buyer, path)).place).toBeNull()
    // The local double passes its own token.
    const joined = await ok(buyer.post(path, { challengeToken: 'pass' }))
    expect(joined.place.state).toBe('waiting')
  })
})

describe('waiting room: the organizer’s switch', () => {
  it('is set and read per show by its organizer only; another organizer’s show is not found', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const room = `${show.base}/shows/${show.showId}/waiting-room`
    expect(await ok(show.gate.get(room))).toMatchObject({ settings: null, queue: { state: 'off' } })
    const opensAt = inAnHour()
    const saved = await ok(
      show.manager.put(room, { enabled: true, opensAt, admissionPerMinute: 600, passMinutes: 5 }),
    )
    expect(saved).toMatchObject({
      onSale: `show:${show.showId}`,
      settings: { enabled: true, opensAt, admissionPerMinute: 600, requireChallenge: false, passMinutes: 5 },
      queue: { state: 'before_open', opensAt, waiting: 0 },
    })
    // Gate staff read it but may not change it.
    expect((await show.gate.put(room, { enabled: false, opensAt, admissionPerMinute: null })).status).toBe(
      403,
    )
    // Another organizer's staff: not found, through their own organizer or this one's.
    const other = await organizerWithStaff()
    const theirs = await other.owner.put(`${other.base}/shows/${show.showId}/waiting-room`, {
      enabled: false,
      opensAt,
      admissionPerMinute: null,
    })
    expect(theirs.status).toBe(404)
    expect((await other.owner.get(room)).status).toBe(403)
    // The shop sees it on the show.
    const detail = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    expect(detail.waitingRoom).toEqual({ opensAt, state: 'before_open' })
    // Bad input is one validation problem.
    const bad = await show.manager.put(room, { enabled: true, opensAt: 'soon', admissionPerMinute: 0 })
    expect(bad.status).toBe(400)
    expect((await problemOf(bad)).code).toBe('validation')
  })
})
