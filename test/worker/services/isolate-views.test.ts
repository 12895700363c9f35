import { describe, expect, it } from 'vitest'
import type { QueueAnswer } from '../../../durable-objects/waiting-room/contract.ts'
import type { WaitingRoomSettings } from '../../../worker/domain/waiting-room.ts'
import { holdsAlone } from '../../../worker/services/isolate-holds.ts'
import { IsolateViews, type SendViews } from '../../../worker/services/waiting-room/isolate-views.ts'

// Position reads coalesced per isolate and room (isolate-views.ts): concurrent reads of one room go as one call in
// the order they came, never mixed with another room's (another shard or on-sale), and each caller gets its own
// buyer's answer back.

const settings = (opensAt: string): WaitingRoomSettings => ({
  enabled: true,
  opensAt,
  admissionPerMinute: null,
  requireChallenge: false,
  passMinutes: 10,
})

const answerFor = (buyerId: string): QueueAnswer => ({
  queue: { state: 'open', opensAt: null, waiting: 3, admittedPerMinute: 0 },
  place: { state: 'waiting', position: Number(buyerId.slice(-1)), estimatedWaitSeconds: null },
})

describe('isolate views', () => {
  it('sends concurrent reads of one room together, in order, and answers each its own place', async () => {
    const views = new IsolateViews()
    const sent: { room: string; opensAt: string; buyers: string[] }[] = []
    const send: SendViews = async (room, roomSettings, buyerIds) => {
      sent.push({ room: `${room.onSale}#${room.shard}`, opensAt: roomSettings.opensAt, buyers: buyerIds })
      return buyerIds.map(answerFor)
    }
    const batching = { batchInIsolate: true }
    const a = { onSale: 'show:a', shard: 0 }
    const answers = await Promise.all([
      views.view(a, { buyerId: 'buy_1', settings: settings('t1') }, batching, send),
      views.view(a, { buyerId: 'buy_2', settings: settings('t1') }, batching, send),
      views.view(
        { onSale: 'show:a', shard: 1 },
        { buyerId: 'buy_5', settings: settings('t1') },
        batching,
        send,
      ),
      views.view(
        { onSale: 'show:b', shard: 0 },
        { buyerId: 'buy_7', settings: settings('t1') },
        batching,
        send,
      ),
      views.view(a, { buyerId: 'buy_3', settings: settings('t2') }, batching, send),
    ])
    expect(answers.map((x) => x.place?.position)).toEqual([1, 2, 5, 7, 3])
    // One call per room; the batch carries its last read's settings.
    expect(sent).toEqual([
      { room: 'show:a#0', opensAt: 't2', buyers: ['buy_1', 'buy_2', 'buy_3'] },
      { room: 'show:a#1', opensAt: 't1', buyers: ['buy_5'] },
      { room: 'show:b#0', opensAt: 't1', buyers: ['buy_7'] },
    ])
  })

  it('reads alone without isolate batching', async () => {
    const views = new IsolateViews()
    const sent: string[][] = []
    const send: SendViews = async (_room, _settings, buyerIds) => {
      sent.push(buyerIds)
      return buyerIds.map(answerFor)
    }
    const a = { onSale: 'show:a', shard: 0 }
    await Promise.all([
      views.view(a, { buyerId: 'buy_1', settings: settings('t') }, holdsAlone, send),
      views.view(a, { buyerId: 'buy_2', settings: settings('t') }, holdsAlone, send),
    ])
    expect(sent).toEqual([['buy_1'], ['buy_2']])
  })
})
