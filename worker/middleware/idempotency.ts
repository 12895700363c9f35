import { and, eq, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import { slot, statement } from '../db/prepared.ts'
import { idempotencyKeys } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'

const keyPattern = /^[A-Za-z0-9_.:-]{8,128}$/

async function sha256(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

type KeyOf = { scope: string; key: string }
const keyIs = and(eq(idempotencyKeys.scope, slot('scope')), eq(idempotencyKeys.key, slot('key')))
/** Every keyed request runs the claim and the answer (an order step among them): prepared once per isolate. */
const claimKey = statement<KeyOf & { requestHash: string }>()((db) =>
  db
    .insert(idempotencyKeys)
    .values({
      scope: slot('scope'),
      key: slot('key'),
      requestHash: slot('requestHash'),
      status: 'in_progress',
    })
    .onConflictDoNothing()
    .returning(),
)
const storeAnswer = statement<KeyOf & { responseStatus: number; responseBody: string }>()((db) =>
  db
    .update(idempotencyKeys)
    .set({
      status: 'done',
      responseStatus: sql`${slot('responseStatus')}`,
      responseBody: sql`${slot('responseBody')}`,
    })
    .where(keyIs),
)

/**
 * `Idempotency-Key` for unsafe requests, per caller (`scope`): the first request runs and its response is
 * stored; a repeat with the same body replays it; a repeat while the first still runs gets 409 with
 * Retry-After; the same key with a different body is refused. Server errors free the key for a retry.
 */
export function idempotent(scopeOf: (c: Context<AppEnv>) => string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const key = c.req.header('idempotency-key')
    if (!key || !keyPattern.test(key)) {
      throw new Problem({
        code: 'validation',
        detail: 'Send an Idempotency-Key header (8–128 letters, digits, _ . : -)',
      })
    }
    const scope = scopeOf(c)
    const requestHash = await sha256(`${c.req.method} ${c.req.path}\n${await c.req.raw.clone().text()}`)
    const db = c.get('db')
    const inserted = await claimKey.all(db, { scope, key, requestHash })
    if (inserted.length === 0) {
      const [stored] = await db
        .select()
        .from(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
      if (stored && stored.requestHash !== requestHash) {
        throw new Problem({
          code: 'idempotency_key_reused',
          status: 422,
          title: 'Idempotency key reused',
          detail: 'This Idempotency-Key was used with a different request',
        })
      }
      if (!stored || stored.status === 'in_progress') {
        throw new Problem({
          code: 'conflict',
          detail: 'The first request with this Idempotency-Key is still running',
          headers: { 'retry-after': '1' },
        })
      }
      return new Response(stored.responseBody, {
        status: stored.responseStatus ?? 200,
        headers: {
          'content-type':
            (stored.responseStatus ?? 200) >= 400 ? 'application/problem+json' : 'application/json',
          'idempotent-replayed': 'true',
        },
      })
    }
    try {
      await next()
    } catch (error) {
      // Errors thrown as Problems are final answers (e.g. sold out); unexpected ones free the key.
      if (error instanceof Problem && error.status < 500) {
        await storeAnswer.run(db, {
          scope,
          key,
          responseStatus: error.status,
          responseBody: JSON.stringify(error.body(c.req.path)),
        })
      } else {
        await db
          .delete(idempotencyKeys)
          .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
      }
      throw error
    }
    if (c.res.status >= 500) {
      await db
        .delete(idempotencyKeys)
        .where(and(eq(idempotencyKeys.scope, scope), eq(idempotencyKeys.key, key)))
      return
    }
    await storeAnswer.run(db, {
      scope,
      key,
      responseStatus: c.res.status,
      responseBody: await c.res.clone().text(),
    })
  })
}
