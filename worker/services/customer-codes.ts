import { and, desc, eq, gt, isNull, lt, sql } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { customerCodes } from '../db/schema.ts'
import { newId } from '../ids.ts'
import { timingSafeEqual } from './password.ts'

export const CODE_TTL_MINUTES = 10
export const MAX_CODES_PER_HOUR = 5
export const MAX_CODE_ATTEMPTS = 5
const HOUR_MS = 3_600_000

export type ContactKind = 'email' | 'phone'

/** Emails are trimmed and lower-cased; phone numbers lose spaces and dashes (digits, optional leading +). */
export function normalizeContact(raw: string): string {
  const s = raw.trim()
  return s.includes('@') ? s.toLowerCase() : s.replace(/[\s-]/g, '')
}

export function isValidContact(contact: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(contact) || /^\+?[0-9]{6,15}$/.test(contact)
}

export const contactKind = (contact: string): ContactKind => (contact.includes('@') ? 'email' : 'phone')

/** Six uniformly random digits (rejection sampling, so no digit string is likelier than another). */
export function generateCode(): string {
  const buf = new Uint32Array(1)
  const limit = 4_294_000_000 // largest multiple of 1,000,000 below 2^32
  do crypto.getRandomValues(buf)
  while (buf[0]! >= limit)
  return String(buf[0]! % 1_000_000).padStart(6, '0')
}

/** HMAC-SHA256(secret, contact + code): only this is stored, and it is useless without the secret. */
export async function hashCode(secret: string, contact: string, code: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${contact}\n${code}`)),
  )
}

const toHex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16))

export type IssueOutcome = { ok: true; code: string } | { ok: false; retryAfterSeconds: number }

/**
 * Stores a new code for `contact` unless it already had MAX_CODES_PER_HOUR in the last hour. The count and
 * the insert are one statement, so concurrent requests cannot slip past the limit.
 */
export async function issueCode(
  db: Database,
  secret: string,
  contact: string,
  now = Date.now(),
): Promise<IssueOutcome> {
  const code = generateCode()
  const createdAt = new Date(now).toISOString()
  const hourAgo = new Date(now - HOUR_MS).toISOString()
  const result = await db.run(sql`
    INSERT INTO customer_codes (id, contact, code_hash, expires_at, created_at)
    SELECT ${newId('otp', now)}, ${contact}, ${toHex(await hashCode(secret, contact, code))},
      ${new Date(now + CODE_TTL_MINUTES * 60_000).toISOString()}, ${createdAt}
    WHERE (SELECT count(*) FROM customer_codes WHERE contact = ${contact} AND created_at > ${hourAgo})
      < ${MAX_CODES_PER_HOUR}`)
  if (result.meta.changes === 1) return { ok: true, code }
  const [oldest] = await db
    .select({ at: sql<string>`min(${customerCodes.createdAt})` })
    .from(customerCodes)
    .where(and(eq(customerCodes.contact, contact), gt(customerCodes.createdAt, hourAgo)))
  const retryMs = oldest?.at ? Date.parse(oldest.at) + HOUR_MS - now : HOUR_MS
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(retryMs / 1000)) }
}

/**
 * True when `code` matches the newest unconsumed, unexpired code for `contact`, which is then used up.
 * Every try is counted before comparing (one conditional UPDATE), so parallel guesses cannot exceed
 * MAX_CODE_ATTEMPTS; a code with that many tries is dead and a new one must be requested.
 */
export async function consumeCode(
  db: Database,
  secret: string,
  contact: string,
  code: string,
  now = Date.now(),
): Promise<boolean> {
  const at = new Date(now).toISOString()
  const [latest] = await db
    .select()
    .from(customerCodes)
    .where(and(eq(customerCodes.contact, contact), isNull(customerCodes.consumedAt)))
    .orderBy(desc(customerCodes.createdAt), desc(customerCodes.id))
    .limit(1)
  // Hash before any early return, so a missing code takes about as long as a wrong one.
  const given = await hashCode(secret, contact, code)
  if (!latest) return false
  const [claimed] = await db
    .update(customerCodes)
    .set({ attempts: sql`${customerCodes.attempts} + 1` })
    .where(
      and(
        eq(customerCodes.id, latest.id),
        isNull(customerCodes.consumedAt),
        gt(customerCodes.expiresAt, at),
        lt(customerCodes.attempts, MAX_CODE_ATTEMPTS),
      ),
    )
    .returning({ id: customerCodes.id })
  if (!claimed || !timingSafeEqual(fromHex(latest.codeHash), given)) return false
  // Consume exactly once, even if two correct verifications race.
  const consumed = await db
    .update(customerCodes)
    .set({ consumedAt: at })
    .where(and(eq(customerCodes.id, latest.id), isNull(customerCodes.consumedAt)))
    .returning({ id: customerCodes.id })
  return consumed.length === 1
}
