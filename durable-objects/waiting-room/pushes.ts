import { PUSH_EVERY_MS, PUSH_FRONT, pushWindow } from '../../worker/domain/waiting-room.ts'
import { buyerTag, placeView, queueView, sendTo } from './answers.ts'
import type { QueueAnswer } from './contract.ts'
import * as store from './store.ts'

// What a room pushes to its buyers' hibernatable WebSockets: changed places at once, the front of the queue and a
// rotating window behind it every few seconds, and everyone at once when the whole queue changes.

/** What the pushes use of their room (index.ts hands itself over as this). */
export interface PushingRoom {
  ctx: DurableObjectState
  sql: SqlStorage
  onSale: string
  counters: store.QueueCounters
  /** A buyer's answer now; `row`: their place, already read. */
  answer(buyerId: string, now: number, row?: store.PlaceRow): Promise<QueueAnswer>
  /** The buyer sees their place now (a pass new to them starts now); answers the place. */
  sawPlace(buyerId: string, now: number): store.PlaceRow | undefined
}

/**
 * Changed places at once (admitted, lapsed), and every few seconds the front of the queue and a rotating window
 * behind it: each tick's pushes are bounded, whatever the queue's length.
 */
export async function pushPositions(room: PushingRoom, changed: string[], now: number) {
  const { ctx, sql, counters } = room
  for (const buyerId of changed) {
    // A live socket shows the pass at once: its time starts now, not at the buyer's next read.
    const live = ctx.getWebSockets(buyerTag(buyerId)).length > 0
    sendTo(ctx, buyerId, await room.answer(buyerId, now, live ? room.sawPlace(buyerId, now) : undefined))
  }
  if (now - counters.lastPushAt < PUSH_EVERY_MS) return
  counters.lastPushAt = now
  const front = counters.cursor + PUSH_FRONT
  const window = pushWindow(counters.pushFrom, front, counters.lastTicket)
  counters.pushFrom = window.next
  store.saveCounters(sql, counters)
  const rows = [
    ...store.placesBetween(sql, counters.cursor, front),
    ...(window.start <= window.end ? store.placesBetween(sql, window.start - 1, window.end) : []),
  ]
  const queue = queueView(counters, now)
  for (const row of rows) {
    if (ctx.getWebSockets(buyerTag(row.buyer_id)).length === 0) continue
    const place = await placeView(counters, store.placeOf(sql, row.buyer_id), room.onSale, undefined, now)
    sendTo(ctx, row.buyer_id, { queue, place })
  }
}

/** Everyone at once (opening, sold out, seats back, settings changed): each socket gets its own answer. */
export async function pushAll(room: PushingRoom, now: number) {
  for (const ws of room.ctx.getWebSockets()) {
    const buyerId = (ws.deserializeAttachment() as { buyerId?: string } | null)?.buyerId
    if (!buyerId) continue
    try {
      ws.send(JSON.stringify(await room.answer(buyerId, now)))
    } catch {
      // a closing socket
    }
  }
}
