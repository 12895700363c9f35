import { and, eq, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Context } from 'hono'
import { createMiddleware } from 'hono/factory'
import type { Database } from '../db/client.ts'
import { causedBy } from '../db/error-causes.ts'
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
type KeyedRequest = KeyOf & { requestHash: string }
type Answer = { responseStatus: number; responseBody: string }
const keyIs = and(eq(idempotencyKeys.scope, slot('scope')), eq(idempotencyKeys.key, slot('key')))
const keyValues = { scope: slot('scope'), key: slot('key'), requestHash: slot('requestHash') }
/** Every keyed request runs the claim and the answer (an order step among them): prepared once per isolate. */
const claimKey = statement<KeyedRequest>()((db) =>
  db
    .insert(idempotencyKeys)
    .values({ ...keyValues, status: 'in_progress' })
    .onConflictDoNothing()
    .returning(),
)
/** The claim inside the route's own batch: a key already taken fails the batch (primary key), writing nothing. */
const claimInBatch = statement<KeyedRequest>()((db) =>
  db.insert(idempotencyKeys).values({ ...keyValues, status: 'in_progress' }),
)
/** A request that claimed nothing and ends in a final answer: claim and answer at once, if the key is free. */
const claimAnswered = statement<KeyedRequest & Answer>()((db) =>
  db
    .insert(idempotencyKeys)
    .values({
      ...keyValues,
      status: 'done',
      responseStatus: sql`${slot('responseStatus')}`,
      responseBody: sql`${slot('responseBody')}`,
    })
    .onConflictDoNothing()
    .returning({ key: idempotencyKeys.key }),
)
const storeAnswer = statement<KeyOf & Answer>()((db) =>
  db
    .update(idempotencyKeys)
    .set({
      status: 'done',
      responseStatus: sql`${slot('responseStatus')}`,
      responseBody: sql`${slot('responseBody')}`,
    })
    .where(keyIs),
)
const storedKey = statement<KeyOf>()((db) => db.select().from(idempotencyKeys).where(keyIs))
const freeKey = statement<KeyOf>()((db) => db.delete(idempotencyKeys).where(keyIs))

/** The request's key, checked, with its scope and the hash of what it asks. */
async function keyedRequest(c: Context<AppEnv>, scopeOf: (c: Context<AppEnv>) => string) {
  const key = c.req.header('idempotency-key')
  if (!key || !keyPattern.test(key)) {
    throw new Problem({
      code: 'validation',
      detail: 'Send an Idempotency-Key header (8–128 letters, digits, _ . : -)',
    })
  }
  const requestHash = await sha256(`${c.req.method} ${c.req.path}\n${await c.req.text()}`)
  return { scope: scopeOf(c), key, requestHash }
}

/** The answer to a request whose key another request holds: refused (another body, still running) or replayed. */
async function answerOfTakenKey(db: Database, request: KeyedRequest): Promise<Response> {
  const [stored] = await storedKey.all(db, request)
  if (stored && stored.requestHash !== request.requestHash) {
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
      'content-type': (stored.responseStatus ?? 200) >= 400 ? 'application/problem+json' : 'application/json',
      'idempotent-replayed': 'true',
    },
  })
}

/** What the handler ended in: a thrown error (hono's error handler may already have made it `c.res`) or `c.res`. */
async function outcomeOf(c: Context<AppEnv>, thrown: unknown) {
  const error = thrown ?? c.error
  if (thrown !== undefined) {
    if (error instanceof Problem && error.status < 500)
      return { error, status: error.status, body: JSON.stringify(error.body(c.req.path)) }
    return { error, status: 500, body: '' }
  }
  const status = c.res.status
  return { error, status, body: status < 500 ? await c.res.clone().text() : '' }
}

/** After a request that holds its key: its answer is stored, or a server error frees the key for a retry. */
async function settleClaimed(
  db: Database,
  request: KeyedRequest,
  status: number,
  body: string,
  send?: KeyClaim['sendAnswer'],
) {
  // Errors thrown as Problems are final answers (e.g. sold out); unexpected ones free the key.
  if (status >= 500) await freeKey.run(db, request)
  else {
    const answer = { ...request, responseStatus: status, responseBody: body }
    // The same update however often it runs: safe to send in a group that may be retried alone.
    if (send) await send(storeAnswer.in(db, answer))
    else await storeAnswer.run(db, answer)
  }
}

/**
 * `Idempotency-Key` for unsafe requests, per caller (`scope`): the first request runs and its response is
 * stored; a repeat with the same body replays it; a repeat while the first still runs gets 409 with
 * Retry-After; the same key with a different body is refused. Server errors free the key for a retry.
 */
export function idempotent(scopeOf: (c: Context<AppEnv>) => string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const request = await keyedRequest(c, scopeOf)
    const db = c.get('db')
    const inserted = await claimKey.all(db, request)
    if (inserted.length === 0) return answerOfTakenKey(db, request)
    let thrown: unknown
    try {
      await next()
    } catch (error) {
      thrown = error
    }
    const { status, body } = await outcomeOf(c, thrown)
    await settleClaimed(db, request, status, body)
    if (thrown !== undefined) throw thrown
  })
}

/** The key's claim as the route writes it: in the batch that does the request's work (see `idempotentInBatch`). */
export interface KeyClaim {
  /** The claim's insert for the route's batch: a key already taken fails that batch, so nothing of it is written. */
  insert(db: Database): BatchItem<'sqlite'>
  /** Set by whoever ran that batch once it was written: this request holds the key. */
  written: boolean
  /** How the stored answer reaches D1 (the route's own batching, e.g. with the isolate's order batches); alone if unset. */
  sendAnswer?: (statement: BatchItem<'sqlite'>) => Promise<void>
  /**
   * The key's stored row, for a route that must know before it acts whether the key was used (an order that holds
   * seats: a repeat must not hold them again), read in a batch of its own reads.
   */
  lookup(db: Database): BatchItem<'sqlite'>
  /** Set by the route when `lookup` found the key taken: the stored key answers, as for a failed batch. */
  taken: boolean
}

const isKeyTaken = (error: unknown) => causedBy(error, /UNIQUE constraint failed: idempotency_keys\./)

/**
 * `idempotent` with the claim written by the route in its own batch (`c.get('keyClaim')`), one D1 round trip less
 * for a request that writes: the route puts `claim.insert(db)` first in its batch and sets `claim.written` once that
 * batch was written. Answers are those of `idempotent`:
 * - the batch written: the key is this request's, its answer stored (or the key freed on a server error);
 * - the batch failed on the taken key (a repeat, a concurrent twin, another body): nothing of it was written, and
 *   the stored key answers — replayed, 409 while the first still runs, 422 for another body;
 * - no batch written and a final answer (a 4xx before or in the batch): claimed with that answer in one insert if
 *   the key is free, else the stored key answers as above, so a key that answered once answers alike;
 * - no batch written and a server error: nothing was claimed, nothing to free;
 * - the route read the key with `lookup` and found it taken (`taken`): the stored key answers.
 */
export function idempotentInBatch(scopeOf: (c: Context<AppEnv>) => string) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const request = await keyedRequest(c, scopeOf)
    const db = c.get('db')
    const claim: KeyClaim = {
      insert: (d) => claimInBatch.in(d, request),
      written: false,
      lookup: (d) => storedKey.in(d, request),
      taken: false,
    }
    c.set('keyClaim', claim)
    let thrown: unknown
    try {
      await next()
    } catch (error) {
      thrown = error
    }
    const { error, status, body } = await outcomeOf(c, thrown)
    if (claim.taken && !claim.written) {
      if (thrown !== undefined && !(thrown instanceof Problem)) throw thrown
      c.res = undefined
      c.res = await answerOfTakenKey(db, request)
      return
    }
    if (claim.written) {
      await settleClaimed(db, request, status, body, claim.sendAnswer)
      if (thrown !== undefined) throw thrown
      return
    }
    if (status >= 500 && !isKeyTaken(error)) {
      if (thrown !== undefined) throw thrown
      return
    }
    if (status < 500) {
      const claimed = await claimAnswered.all(db, { ...request, responseStatus: status, responseBody: body })
      if (claimed.length > 0) {
        if (thrown !== undefined) throw thrown
        return
      }
    }
    const answer = await answerOfTakenKey(db, request)
    c.res = undefined // the answer replaces this request's own, headers and all
    c.res = answer
  })
}
