import { describe, expect, it } from 'vitest'
import type { QueuedPlace } from '../../../durable-objects/waiting-room/contract.ts'
import { showOnSale as showOnSaleName } from '../../../worker/domain/admission-pass.ts'
import { shardName, shardOf } from '../../../worker/domain/waiting-room.ts'
import { mergeRoomOrders } from '../../../worker/domain/waiting-room-order.ts'
import { gridChart, showOnSale } from '../../support/catalogue.ts'
import { aMinuteAgo, inAnHour, queueActor, setRoom } from '../../support/waiting-room.ts'

// The room's order over everyone who joined after the opening (`queueOrder`, the bench's queue fairness): what a
// figure over admitted buyers only cannot see when nobody who joined after the opening is admitted.

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** A show of `seats` seats whose room (over `shards`) took `pre` joins before its opening and `post` after it. */
async function queuedShow(seats: number, pre: string[], post: string[], shards = 1) {
  const show = await showOnSale(gridChart(1, seats))
  const path = `${show.base}/shows/${show.showId}`
  const onSale = showOnSaleName(show.showId)
  const room = (buyerId: string) => queueActor(shardName(onSale, shardOf(buyerId, shards)))
  const before = await setRoom(show.manager, path, { opensAt: inAnHour(), shards })
  for (const buyerId of pre) await room(buyerId).join(onSale, before.settings, { buyerId })
  // The organizer moves the opening to a minute ago: the pre-queue is drawn, later joins take tickets in order.
  const after = await setRoom(show.manager, path, { opensAt: aMinuteAgo(), shards })
  for (const buyerId of post) {
    await room(buyerId).join(onSale, after.settings, { buyerId })
    // Join times a few ms apart, so the order across rooms is not left to ties.
    await pause(3)
  }
  const rooms = Array.from({ length: shards }, (_, k) => queueActor(shardName(onSale, k)))
  return { onSale, rooms }
}

/** One room's whole queue order, `limit` places a page. */
async function wholeOrder(room: ReturnType<typeof queueActor>, onSale: string, limit: number) {
  const all: QueuedPlace[] = []
  for (let offset = 0; ; offset += limit) {
    const page = await room.queueOrder(onSale, offset, limit)
    all.push(...page)
    if (page.length < limit) return all
  }
}

describe('waiting room: the queue order after the opening', () => {
  it('lists who joined after the opening in join order, without the pre-queue, with whether each was admitted', async () => {
    const pre = ['pre-a', 'pre-b', 'pre-c']
    const post = ['post-1', 'post-2', 'post-3', 'post-4', 'post-5', 'post-6']
    const { onSale, rooms } = await queuedShow(5, pre, post)
    const [room] = rooms
    const listed = await room!.queueOrder(onSale)
    expect(listed.map((p) => p.buyerId)).toEqual(post)
    // Arrivals and tickets follow the pre-queue's three.
    expect(listed.map((p) => [p.arrival, p.ticket])).toEqual(post.map((_, i) => [4 + i, 4 + i]))
    const times = listed.map((p) => p.admissionTime)
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(times[0]).toBeGreaterThan(Date.now() - 30_000)

    // Five seats (the room also ticks on its own alarm from the opening): the drawn pre-queue goes first, then
    // the first two who joined after the opening; the rest wait.
    await room!.tick()
    expect((await room!.inspect(onSale)).admitted).toBe(5)
    const decided = await room!.queueOrder(onSale)
    expect(decided.map((p) => p.buyerId)).toEqual(post)
    expect(decided.map((p) => p.outcome)).toEqual([
      'admitted',
      'admitted',
      'waiting',
      'waiting',
      'waiting',
      'waiting',
    ])
    // The admission records agree: the same two, the only ones admitted who were not pre-queued.
    const admitted = (await room!.admissionOrder(onSale)).filter((r) => !r.preQueued).map((r) => r.buyerId)
    expect(admitted).toEqual(['post-1', 'post-2'])
  })

  it('pages like the whole list, and answers nothing past its end or for a room that never opened', async () => {
    const post = Array.from({ length: 7 }, (_, i) => `paged-${i}`)
    const { onSale, rooms } = await queuedShow(4, ['early-1', 'early-2'], post)
    const whole = await rooms[0]!.queueOrder(onSale)
    expect(whole).toHaveLength(7)
    expect(await wholeOrder(rooms[0]!, onSale, 3)).toEqual(whole)
    expect((await rooms[0]!.queueOrder(onSale, 2, 2)).map((p) => p.buyerId)).toEqual(['paged-2', 'paged-3'])
    expect(await rooms[0]!.queueOrder(onSale, 7, 10)).toEqual([])

    const unopened = await showOnSale(gridChart(1, 4))
    const name = showOnSaleName(unopened.showId)
    const { settings } = await setRoom(unopened.manager, `${unopened.base}/shows/${unopened.showId}`, {
      opensAt: inAnHour(),
    })
    await queueActor(name).join(name, settings, { buyerId: 'before-only' })
    expect(await queueActor(name).queueOrder(name)).toEqual([])
  })

  it('over several rooms: their orders merged by admission time give the join order across rooms', async () => {
    const pre = Array.from({ length: 4 }, (_, i) => `spread-pre-${i}`)
    const post = Array.from({ length: 12 }, (_, i) => `spread-${i}`)
    // The joins land in more than one room, interleaved.
    expect(new Set(post.map((id) => shardOf(id, 3))).size).toBeGreaterThan(1)
    const { onSale, rooms } = await queuedShow(40, pre, post, 3)
    const orders = await Promise.all(rooms.map((room) => wholeOrder(room, onSale, 2)))
    expect(orders.flat()).toHaveLength(12)
    for (const [k, order] of orders.entries())
      expect(order.map((p) => p.buyerId)).toEqual(post.filter((id) => shardOf(id, 3) === k))
    expect(mergeRoomOrders(orders).map((p) => p.buyerId)).toEqual(post)
  })
})
