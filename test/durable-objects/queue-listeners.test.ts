import { describe, expect, it } from 'vitest'
import { LISTENING_MS, QueueListeners } from '../../durable-objects/shared/queue-listeners.ts'

// Which waiting rooms an inventory actor tells of lapsed holds: only rooms that asked it what is left lately (a room
// asks on every tick, 1–5 s apart, while it has anyone to admit), so a show or day without a queue wakes none.

describe('an inventory actor’s waiting rooms', () => {
  it('are the rooms that asked within the listening window, each shard by its own name', () => {
    const rooms = new QueueListeners()
    expect(rooms.listening(1_000)).toEqual([])
    rooms.heard('show:shw_1', 1_000)
    rooms.heard('show:shw_1#3', 2_000)
    expect(rooms.listening(2_000)).toEqual(['show:shw_1', 'show:shw_1#3'])
    expect(rooms.listening(1_000 + LISTENING_MS)).toEqual(['show:shw_1', 'show:shw_1#3'])
    expect(rooms.listening(1_001 + LISTENING_MS)).toEqual(['show:shw_1#3'])
    // Asking again keeps a room listening.
    rooms.heard('show:shw_1', 1_001 + LISTENING_MS)
    expect(rooms.listening(2_001 + LISTENING_MS)).toEqual(['show:shw_1'])
  })

  it('tell nobody, and never fail, when no room asked or there is no binding', async () => {
    const rooms = new QueueListeners()
    await expect(rooms.tellReleased(undefined, ['buy_1'], 0)).resolves.toBeUndefined()
    rooms.heard('show:shw_1', 0)
    await expect(rooms.tellReleased(undefined, ['buy_1'], 0)).resolves.toBeUndefined()
  })
})
