import { and, eq, gt, lte, sql } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { staffSignInGuesses } from '../db/schema.ts'
import { Problem } from '../problem.ts'

// Password guesses against staff accounts. Every guess claims a slot before the password is checked (one
// conditional upsert per key that refuses once the key is at its limit), so a burst of parallel requests gets
// no more guesses evaluated than the limit. Wrong guesses are counted per (account, client address) with a small
// limit, per address across accounts, and per account across addresses with a much higher limit: an outsider
// can lock an account only from their own addresses, unless they command enough addresses to reach the
// account-wide limit, which bounds distributed guessing.

export const SIGN_IN_GUESS_LIMITS = {
  windowMinutes: 15,
  perAccountAndAddress: 5,
  perAddress: 30,
  perAccount: 100,
} as const

/**
 * The client address guesses are counted against. Cloudflare sets CF-Connecting-IP itself (a client cannot
 * choose it); an IPv6 client is counted by its /64, the block one subscriber usually holds.
 */
export function clientAddress(header: string | undefined): string {
  const address = header?.trim().toLowerCase()
  if (!address) return 'unknown'
  if (!address.includes(':')) return address
  const [head = '', tail = ''] = address.split('::')
  const left = head ? head.split(':') : []
  const right = address.includes('::') ? (tail ? tail.split(':') : []) : []
  const groups = [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

interface Claim {
  key: string
  windowStart: string
}

const windowMs = SIGN_IN_GUESS_LIMITS.windowMinutes * 60_000

/** Claims one guess on `key` unless it is at `limit` in its current window; answers the claim or the wait in s. */
async function claimOne(
  db: Database,
  key: string,
  limit: number,
  now: number,
): Promise<Claim | { retryAfter: number }> {
  const t = staffSignInGuesses
  const nowIso = new Date(now).toISOString()
  const stale = new Date(now - windowMs).toISOString()
  const [row] = await db
    .insert(t)
    .values({ key, windowStart: nowIso, count: 1 })
    .onConflictDoUpdate({
      target: t.key,
      set: {
        count: sql`CASE WHEN ${t.windowStart} <= ${stale} THEN 1 ELSE ${t.count} + 1 END`,
        windowStart: sql`CASE WHEN ${t.windowStart} <= ${stale} THEN ${nowIso} ELSE ${t.windowStart} END`,
      },
      setWhere: sql`${t.windowStart} <= ${stale} OR ${t.count} < ${limit}`,
    })
    .returning({ windowStart: t.windowStart })
  if (row) return { key, windowStart: row.windowStart }
  const [full] = await db.select().from(t).where(eq(t.key, key))
  const endsAt = full ? Date.parse(full.windowStart) + windowMs : now + windowMs
  return { retryAfter: Math.max(1, Math.ceil((endsAt - now) / 1000)) }
}

/** Gives a claimed guess back (its window unchanged): the guess was right, or was never evaluated. */
async function giveBack(db: Database, claim: Claim) {
  const t = staffSignInGuesses
  await db
    .update(t)
    .set({ count: sql`${t.count} - 1` })
    .where(and(eq(t.key, claim.key), eq(t.windowStart, claim.windowStart), gt(t.count, 0)))
}

export interface SignInGuess {
  /** The password was right: forget this address's failures on the account and give the slots back. */
  succeeded(): Promise<void>
}

/**
 * Claims a guess at `email`'s password from `address`, or throws 429 `rate_limited` with `Retry-After`.
 * Call before checking the password; a wrong password simply leaves the guess counted.
 */
export async function claimSignInGuess(
  db: Database,
  email: string,
  address: string,
  now = Date.now(),
): Promise<SignInGuess> {
  const keys: [string, number][] = [
    [`a:${address}`, SIGN_IN_GUESS_LIMITS.perAddress],
    [`ea:${email} ${address}`, SIGN_IN_GUESS_LIMITS.perAccountAndAddress],
    [`e:${email}`, SIGN_IN_GUESS_LIMITS.perAccount],
  ]
  const claims: Claim[] = []
  for (const [key, limit] of keys) {
    const outcome = await claimOne(db, key, limit, now)
    if ('retryAfter' in outcome) {
      // A refused guess is not evaluated, so it does not count against the keys claimed before it.
      await Promise.all(claims.map((claim) => giveBack(db, claim)))
      throw new Problem({
        code: 'rate_limited',
        detail: `Too many failed sign-ins; try again in ${Math.ceil(outcome.retryAfter / 60)} minute(s)`,
        headers: { 'retry-after': String(outcome.retryAfter) },
      })
    }
    claims.push(outcome)
  }
  const [perAddress, perAccountAndAddress, perAccount] = claims as [Claim, Claim, Claim]
  return {
    async succeeded() {
      await Promise.all([
        giveBack(db, perAddress),
        giveBack(db, perAccount),
        db.delete(staffSignInGuesses).where(eq(staffSignInGuesses.key, perAccountAndAddress.key)),
      ])
    },
  }
}

/** Deletes counters whose window has ended (they no longer limit anything); for the cron. Answers how many. */
export async function forgetStaleSignInGuesses(db: Database, now = Date.now()): Promise<number> {
  const stale = new Date(now - windowMs).toISOString()
  const gone = await db
    .delete(staffSignInGuesses)
    .where(lte(staffSignInGuesses.windowStart, stale))
    .returning({ key: staffSignInGuesses.key })
  return gone.length
}
