import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { showOnSale as showOnSaleName } from '../../../worker/domain/admission-pass.ts'
import type { WaitingRoomSettings } from '../../../worker/domain/waiting-room.ts'
import { gridChart, showOnSale } from '../../support/catalogue.ts'
import {
  aMinuteAgo,
  buyerIdOf,
  inAnHour,
  joinInOrder,
  placeOf,
  queueActor,
  queuePath,
  setRoom,
} from '../../support/waiting-room.ts'

// One waiting room under an on-sale's load (issue 22): a buyer asking for their place writes nothing (the room
// answered only ~150–240 reads a second when each read was a commit) yet still counts as there, and joins sent
// together in one `joinBatch` call keep every rule of single joins (one place per buyer and per ID, arrival order).

const lastSeen = (onSale: string) =>
  runInDurableObject(queueActor(onSale), (_i, state) =>
    Object.fromEntries(
      state.storage.sql
        .exec<{ buyer_id: string; last_seen_at: number }>('SELECT buyer_id, last_seen_at FROM places')
        .toArray()
        .map((r) => [r.buyer_id, r.last_seen_at]),
    ),
  )

describe('waiting room: reading a place', () => {
  it('writes nothing, yet a buyer who keeps asking is not skipped as abandoned', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const room = `${show.base}/shows/${show.showId}`
    const path = queuePath(show.showId)
    await setRoom(show.manager, room, { opensAt: inAnHour() })
    const [polling, gone] = await joinInOrder(path, 2)
    const onSale = showOnSaleName(show.showId)
    // Both joined three minutes ago (storage rewound: the clock is not waited on).
    const longAgo = Date.now() - 180_000
    await runInDurableObject(queueActor(onSale), (_i, state) => {
      state.storage.sql.exec('UPDATE places SET last_seen_at = ?', longAgo)
    })
    // One of them keeps the page open and asks for their place.
    for (let i = 0; i < 3; i++)
      expect((await placeOf(polling!, path)).place).toMatchObject({ state: 'waiting' })
    // Nothing was written for those reads.
    expect(Object.values(await lastSeen(onSale))).toEqual([longAgo, longAgo])
    // At opening the tick knows who asked: the one who kept asking is admitted, the other skipped.
    await setRoom(show.manager, room, { opensAt: aMinuteAgo() })
    await queueActor(onSale).tick()
    expect((await placeOf(polling!, path)).place).toMatchObject({ state: 'admitted' })
    expect((await placeOf(gone!, path)).place).toEqual({
      state: 'expired',
      position: null,
      estimatedWaitSeconds: null,
    })
    expect((await queueActor(onSale).inspect(onSale)).skipped).toBe(1)
    // The tick wrote the reads down.
    expect((await lastSeen(onSale))[buyerIdOf(polling!)]).toBeGreaterThan(longAgo)
  })
})

describe('waiting room: joins sent together', () => {
  it('keeps one place per buyer and per ID, and serves the batch in arrival order', async () => {
    const show = await showOnSale(gridChart(1, 2))
    const opensAt = aMinuteAgo()
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, { opensAt })
    const onSale = showOnSaleName(show.showId)
    const settings: WaitingRoomSettings = {
      enabled: true,
      opensAt,
      admissionPerMinute: null,
      requireChallenge: false,
      passMinutes: 10,
    }
    const actor = queueActor(onSale)
    const outcomes = await actor.joinBatch(onSale, settings, [
      { buyerId: 'buy_batch1', idHash: 'id-one' },
      { buyerId: 'buy_batch2', idHash: 'id-one' },
      { buyerId: 'buy_batch3' },
      { buyerId: 'buy_batch1', idHash: 'id-one' },
      { buyerId: 'buy_batch4', idHash: 'id-four' },
    ])
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.code))).toEqual(['ok', 'queue_id_taken', 'ok', 'ok', 'ok'])
    // Places in the order the batch brought them; the buyer who joined twice keeps their first place.
    expect(outcomes.map((o) => o.answer.place?.position ?? null)).toEqual([1, null, 2, 1, 3])
    expect(outcomes[4]!.answer.queue).toMatchObject({ state: 'open', waiting: 3 })
    // Two seats: the first two arrivals are admitted, in arrival order; the third waits at the front.
    await actor.tick()
    expect((await actor.admissionOrder(onSale)).map((r) => r.buyerId)).toEqual(['buy_batch1', 'buy_batch3'])
    expect((await actor.view(onSale, settings, 'buy_batch4')).place).toMatchObject({
      state: 'waiting',
      position: 1,
    })
  })
})

describe('waiting room: a pass seen late', () => {
  it('runs its full time from when the buyer first sees it, and only once', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const path = queuePath(show.showId)
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, {
      opensAt: aMinuteAgo(),
      passMinutes: 10,
    })
    const [buyer] = await joinInOrder(path, 1)
    const onSale = showOnSaleName(show.showId)
    await queueActor(onSale).tick()
    // Admitted almost ten minutes ago while their page was between reads: 5 s of the pass would be left.
    await runInDurableObject(queueActor(onSale), (_i, state) => {
      state.storage.sql.exec('UPDATE places SET pass_expires_at = ?', Date.now() + 5_000)
    })
    const seen = (await placeOf(buyer!, path)).place!
    expect(seen.state).toBe('admitted')
    expect(Date.parse(seen.passExpiresAt!)).toBeGreaterThan(Date.now() + 9 * 60_000)
    // Reading again does not move it further.
    expect((await placeOf(buyer!, path)).place!.passExpiresAt).toBe(seen.passExpiresAt)
  })
})
