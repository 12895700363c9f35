// idempotentInBatch on its own: a route that writes the key's claim in its own batch, then fails or answers.
import { createExecutionContext } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { newApp } from '../../../worker/app.ts'
import { idempotentInBatch } from '../../../worker/middleware/idempotency.ts'
import { ORIGIN } from '../../support/api.ts'
import { idempotencyKey } from '../../support/orders.ts'

/** A route whose batch carries the claim; `after` the batch says how the request then goes on. */
function appWith(after: (written: number) => void | Promise<void>) {
  const app = newApp()
  let batches = 0
  app.post(
    '/api/claims',
    idempotentInBatch(() => 'test:claims'),
    async (c) => {
      const claim = c.get('keyClaim')
      const db = c.get('db')
      await db.batch([claim.insert(db), db.run(sql`SELECT 1`)])
      claim.written = true
      await after(++batches)
      return c.json({ batch: batches }, 201)
    },
  )
  return app
}
const post = (app: ReturnType<typeof newApp>, key: string) =>
  app.fetch(
    new Request(`${ORIGIN}/api/claims`, {
      method: 'POST',
      headers: { 'idempotency-key': key, origin: ORIGIN, 'content-type': 'application/json' },
      body: '{}',
    }),
    env,
    createExecutionContext(),
  )
const stored = (key: string) =>
  env.DB.prepare('SELECT status FROM idempotency_keys WHERE scope = ? AND key = ?')
    .bind('test:claims', key)
    .first<string>('status')

describe('idempotentInBatch', () => {
  it('frees a key whose batch was written when the request then fails on the server', async () => {
    const key = idempotencyKey()
    const app = appWith((n) => {
      if (n === 1) throw new Error('the provider went away after the write')
    })
    expect((await post(app, key)).status).toBe(500)
    expect(await stored(key)).toBeNull()
    // The retry runs again and its answer is the key's.
    const retried = await post(app, key)
    expect(retried.status).toBe(201)
    expect(await retried.json()).toEqual({ batch: 2 })
    expect(await stored(key)).toBe('done')
    const replayed = await post(app, key)
    expect(replayed.headers.get('idempotent-replayed')).toBe('true')
    expect(await replayed.json()).toEqual({ batch: 2 })
  })

  it('answers a request whose batch met the taken key from the stored key, and writes nothing of it', async () => {
    const key = idempotencyKey()
    let twin: Response | undefined
    const app = appWith(async (n) => {
      // The first request holds the key (its batch written, its answer not yet stored) while a twin runs.
      if (n === 1) twin = await post(app, key)
    })
    const first = await post(app, key)
    expect(twin?.status).toBe(409)
    expect(twin?.headers.get('retry-after')).toBe('1')
    expect(first.status).toBe(201)
    expect(await first.json()).toEqual({ batch: 1 })
    // Once answered, the twin's retry replays the first answer.
    const retry = await post(app, key)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect(await retry.json()).toEqual({ batch: 1 })
  })
})
