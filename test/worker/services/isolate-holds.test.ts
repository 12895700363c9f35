import { describe, expect, it } from 'vitest'
import { HoldQueueTimeout } from '../../../durable-objects/shared/hold-queue.ts'
import { Problem } from '../../../worker/problem.ts'
import { answeredInTime, holdsAlone, IsolateHolds } from '../../../worker/services/isolate-holds.ts'

describe('isolate holds', () => {
  it('batches concurrent holds per inventory key, never across keys', async () => {
    const holds = new IsolateHolds<string>()
    const sent: string[][] = []
    const alone: string[] = []
    const route = {
      alone: async (request: string) => {
        alone.push(request)
        return `alone ${request}`
      },
      batch: async (requests: string[]) => {
        sent.push(requests)
        return requests.map((r) => `line ${r}`)
      },
    }
    const batching = { batchInIsolate: true }
    const answers = await Promise.all([
      holds.send('show-a', 'a1', batching, route),
      holds.send('show-a', 'a2', batching, route),
      holds.send('show-b', 'b1', batching, route),
      holds.send('show-a', 'a3', batching, route),
    ])
    expect(answers).toEqual(['line a1', 'line a2', 'line b1', 'line a3'])
    expect(sent).toEqual([['a1', 'a2', 'a3'], ['b1']])
    expect(alone).toEqual([])
  })

  it('without batching in the isolate each hold goes alone', async () => {
    const holds = new IsolateHolds<string>()
    const sent: string[][] = []
    const route = {
      alone: async (request: string) => `alone ${request}`,
      batch: async (requests: string[]) => {
        sent.push(requests)
        return requests.map((r) => `line ${r}`)
      },
    }
    const answers = await Promise.all(['a1', 'a2'].map((r) => holds.send('show-a', r, holdsAlone, route)))
    expect(answers).toEqual(['alone a1', 'alone a2'])
    expect(sent).toEqual([])
  })

  it('an answer that did not come in time becomes 503 inventory_busy with Retry-After; other errors pass', async () => {
    const busy = await answeredInTime(Promise.reject(new HoldQueueTimeout('late'))).catch((e: unknown) => e)
    expect(busy).toBeInstanceOf(Problem)
    expect((busy as Problem).status).toBe(503)
    expect((busy as Problem).code).toBe('inventory_busy')
    expect((busy as Problem).headers['retry-after']).toBe('2')
    const other = new Error('actor reset')
    await expect(answeredInTime(Promise.reject(other))).rejects.toBe(other)
    expect(await answeredInTime(Promise.resolve('line'))).toBe('line')
  })
})
