import { describe, expect, it } from 'vitest'
import { HoldQueue, HoldQueueTimeout, MAX_BATCH } from '../../../durable-objects/shared/hold-queue.ts'

/** A send that answers each request doubled and records the batch sizes it saw. */
function doubling() {
  const batches: number[][] = []
  const send = async (requests: number[]) => {
    batches.push(requests)
    await scheduler.wait(1)
    return requests.map((r) => r * 2)
  }
  return { batches, send }
}

describe('hold queue: happy', () => {
  it('coalesces concurrent callers into few batches, each caller getting its own answer', async () => {
    const { batches, send } = doubling()
    const queue = new HoldQueue(send)
    const requests = Array.from({ length: 600 }, (_, i) => i)
    const outcomes = await Promise.all(requests.map((r) => queue.hold(r)))
    expect(outcomes).toEqual(requests.map((r) => r * 2))
    expect(batches.flat().sort((a, b) => a - b)).toEqual(requests)
    expect(batches.length).toBeLessThan(10)
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(MAX_BATCH)
    expect(queue.batches).toBe(batches.length)
  })

  it('a caller alone is sent alone, at once', async () => {
    const { batches, send } = doubling()
    const queue = new HoldQueue(send)
    expect(await queue.hold(21)).toBe(42)
    expect(await queue.hold(5)).toBe(10)
    expect(batches).toEqual([[21], [5]])
  })

  it('the caller that starts sending is kept alive until the last batch it sends is answered', async () => {
    const { batches, send } = doubling()
    const queue = new HoldQueue(send)
    const kept: Promise<unknown>[] = []
    const keepAlive = (p: Promise<unknown>) => kept.push(p)
    const first = Array.from({ length: 300 }, (_, i) => queue.hold(i, keepAlive))
    // Callers arriving while the first batch is out go in later batches, sent by the same caller.
    await scheduler.wait(0)
    const second = Array.from({ length: 300 }, (_, i) => queue.hold(1000 + i, keepAlive))
    await Promise.all([...first, ...second])
    expect(batches.length).toBeGreaterThan(1)
    expect(kept).toHaveLength(1)
    await kept[0]
    expect(queue.batches).toBe(batches.length)
  })

  it('with handOffAfterMs, a queued caller takes over sending (and is kept alive in turn)', async () => {
    const { batches, send } = doubling()
    const queue = new HoldQueue(send, { handOffAfterMs: 0 })
    const kept: Promise<unknown>[] = []
    const keepAlive = (p: Promise<unknown>) => kept.push(p)
    const calls = [queue.hold(1, keepAlive)]
    await scheduler.wait(0)
    calls.push(...Array.from({ length: 10 }, (_, i) => queue.hold(10 + i, keepAlive)))
    expect(await Promise.all(calls)).toEqual(
      [1, ...Array.from({ length: 10 }, (_, i) => 10 + i)].map((r) => r * 2),
    )
    expect(batches).toHaveLength(2)
    expect(kept).toHaveLength(2)
  })
})

describe('hold queue: errors', () => {
  it('a failed batch fails its own callers; callers queued behind it go in the next batch and get answers', async () => {
    let call = 0
    const queue = new HoldQueue(async (requests: number[]) => {
      call++
      await scheduler.wait(1)
      if (call === 1) throw new Error('actor restarted')
      return requests.map((r) => r + 1)
    })
    const first = queue.hold(1)
    // Let the first batch leave; callers arriving while it is in flight wait for the next one.
    await scheduler.wait(0)
    const later = Array.from({ length: 20 }, (_, i) => queue.hold(100 + i))
    await expect(first).rejects.toThrow('actor restarted')
    expect(await Promise.all(later)).toEqual(later.map((_, i) => 101 + i))
    expect(call).toBe(2)
  })

  it('callers give up after answerWithinMs when their batch never answers, and the queue recovers', async () => {
    let call = 0
    const queue = new HoldQueue(
      (requests: number[]) => {
        call++
        // The first batch's sender is lost: its answer never comes.
        if (call === 1) return new Promise<number[]>(() => {})
        return Promise.resolve(requests.map((r) => -r))
      },
      { answerWithinMs: 60 },
    )
    const stuck = [queue.hold(1), queue.hold(2), queue.hold(3)]
    for (const caller of stuck) await expect(caller).rejects.toBeInstanceOf(HoldQueueTimeout)
    // Nothing is left waiting on the lost batch: a new caller starts a batch of its own.
    expect(await queue.hold(7)).toBe(-7)
    expect(call).toBe(2)
  })

  it('without answerWithinMs a caller waits as long as its batch takes', async () => {
    const queue = new HoldQueue(async (requests: number[]) => {
      await scheduler.wait(120)
      return requests
    })
    expect(await queue.hold(3)).toBe(3)
  })
})
