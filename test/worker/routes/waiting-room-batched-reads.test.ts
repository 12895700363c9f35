import { runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import * as store from '../../../durable-objects/waiting-room/store.ts'
import { showOnSale as showOnSaleName } from '../../../worker/domain/admission-pass.ts'
import type { WaitingRoomSettings } from '../../../worker/domain/waiting-room.ts'
import { gridChart, showOnSale } from '../../support/catalogue.ts'
import { aMinuteAgo, queueActor, setRoom } from '../../support/waiting-room.ts'

// A room's per-read cost at an on-sale's scale (issue 22, the stadium bench): position reads sent together
// (`viewBatch`) answer exactly what single reads answer and count as being there like them; the tick writes the
// reads down in one statement per few thousand buyers; and a buyer who rejoins after their pass lapsed gets a
// pass that again runs from when they first see it.

const settingsFrom = (opensAt: string): WaitingRoomSettings => ({
  enabled: true,
  opensAt,
  admissionPerMinute: null,
  requireChallenge: false,
  passMinutes: 10,
})

async function openRoom(seats: number) {
  const show = await showOnSale(gridChart(1, seats))
  const opensAt = aMinuteAgo()
  await setRoom(show.manager, `${show.base}/shows/${show.showId}`, { opensAt })
  const onSale = showOnSaleName(show.showId)
  return { onSale, settings: settingsFrom(opensAt), actor: queueActor(onSale) }
}

describe('waiting room: reads sent together', () => {
  it('answers each buyer what a single read answers, writes nothing, and counts them as there', async () => {
    const { onSale, settings, actor } = await openRoom(1)
    await actor.joinBatch(onSale, settings, [
      { buyerId: 'buy_rb1', idHash: 'rb-1' },
      { buyerId: 'buy_rb2', idHash: 'rb-2' },
      { buyerId: 'buy_rb3', idHash: 'rb-3' },
    ])
    // Everyone joined three minutes ago and has not asked since (storage rewound, the clock is not waited on).
    const longAgo = Date.now() - 180_000
    await runInDurableObject(actor, (_i, state) => {
      state.storage.sql.exec('UPDATE places SET last_seen_at = ?', longAgo)
    })
    // Buyer 1 asks only in the batch; buyer 3 (and a stranger) both ways; buyer 2 never.
    const batch = await actor.viewBatch(onSale, settings, ['buy_rb3', 'buy_nobody', 'buy_rb1'])
    const single = await Promise.all(['buy_rb3', 'buy_nobody'].map((b) => actor.view(onSale, settings, b)))
    expect(batch.slice(0, 2)).toEqual(single)
    expect(batch.map((a) => a.place?.position ?? null)).toEqual([3, null, 1])
    expect(batch[1]!.place).toBeNull()
    const stored = await runInDurableObject(actor, (_i, state) =>
      state.storage.sql
        .exec<{ n: number }>('SELECT count(*) AS n FROM places WHERE last_seen_at = ?', longAgo)
        .one(),
    )
    expect(stored.n).toBe(3)
    // One seat: buyer 1, who asked in the batch only, is admitted, not skipped as abandoned (had the batch not
    // counted, buyers 1 and 2 would be skipped and buyer 3 admitted).
    await actor.tick()
    expect((await actor.admissionOrder(onSale)).map((r) => r.buyerId)).toEqual(['buy_rb1'])
    expect((await actor.inspect(onSale)).skipped).toBe(0)
    const [first, , third] = await actor.viewBatch(onSale, settings, ['buy_rb1', 'buy_rb2', 'buy_rb3'])
    expect(first!.place).toMatchObject({ state: 'admitted' })
    expect(third!.place).toMatchObject({ state: 'waiting', position: 2 })
  })
})

describe('waiting room: the tick writes reads down', () => {
  it('sets every seen buyer in chunks, and never moves a later sighting back', async () => {
    const { actor } = await openRoom(1)
    const result = await runInDurableObject(actor, (_i, state) => {
      const sql = state.storage.sql
      // More buyers than one statement carries (TOUCH_CHUNK is 5,000).
      for (let i = 0; i < 5_003; i++)
        sql.exec(
          `INSERT INTO places (buyer_id, arrival, state, joined_at, last_seen_at) VALUES (?, ?, 'waiting', 0, ?)`,
          `buy_t${i}`,
          i,
          i === 7 ? 9_000 : 100,
        )
      const seen = new Map<string, number>()
      for (let i = 0; i < 5_003; i++) seen.set(`buy_t${i}`, 5_000 + i)
      seen.set('buy_not_here', 7_000)
      store.touchAll(sql, seen)
      const rows = sql
        .exec<{ buyer_id: string; last_seen_at: number }>('SELECT buyer_id, last_seen_at FROM places')
        .toArray()
      return Object.fromEntries(rows.map((r) => [r.buyer_id, r.last_seen_at]))
    })
    expect(Object.keys(result)).toHaveLength(5_003)
    expect(result.buy_t0).toBe(5_000)
    expect(result.buy_t5002).toBe(10_002)
    // Seen at 9,000 already: a sighting at 5,007 does not move it back.
    expect(result.buy_t7).toBe(9_000)
  })
})

describe('waiting room: a buyer back after their pass lapsed', () => {
  it('gets a new pass that runs its full time from when they first see it', async () => {
    const { onSale, settings, actor } = await openRoom(10)
    await actor.joinBatch(onSale, settings, [{ buyerId: 'buy_again', idHash: 'again' }])
    await actor.tick()
    // Seen once (the pass now runs from that sight), then lapsed unused.
    expect((await actor.view(onSale, settings, 'buy_again')).place).toMatchObject({ state: 'admitted' })
    await runInDurableObject(actor, (_i, state) => {
      state.storage.sql.exec('UPDATE places SET pass_expires_at = ?', Date.now() - 1)
    })
    await actor.tick()
    expect((await actor.view(onSale, settings, 'buy_again')).place).toMatchObject({ state: 'expired' })
    // Back at the end of the queue, admitted again while their page was between reads: 5 s would be left.
    const [rejoined] = await actor.joinBatch(onSale, settings, [{ buyerId: 'buy_again', idHash: 'again' }])
    expect(rejoined!.answer.place).toMatchObject({ state: 'waiting', position: 1 })
    await actor.tick()
    await runInDurableObject(actor, (_i, state) => {
      state.storage.sql.exec('UPDATE places SET pass_expires_at = ?', Date.now() + 5_000)
    })
    const seen = (await actor.view(onSale, settings, 'buy_again')).place!
    expect(seen.state).toBe('admitted')
    expect(Date.parse(seen.passExpiresAt!)).toBeGreaterThan(Date.now() + 9 * 60_000)
  })
})
