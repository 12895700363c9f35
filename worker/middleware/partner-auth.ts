import { and, eq, lt, sql } from 'drizzle-orm'
import { createMiddleware } from 'hono/factory'
import { partnerNonces, partnerRateWindows, partners } from '../db/schema.ts'
import {
  canonicalRequest,
  hmacSha256,
  PARTNER_HEADERS,
  SIGNATURE_WINDOW_SECONDS,
  signatureMatches,
} from '../domain/partner-signature.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'
import { openPartnerSecret } from '../services/partner-secrets.ts'

export type Partner = typeof partners.$inferSelect
export type PartnerEnv = AppEnv & { Variables: { partner: Partner } }

const NONCE = /^[A-Za-z0-9_-]{16,64}$/

const refuse = (code: string, detail: string, status: 401 | 403 | 409 = 401) =>
  new Problem({ code, status, title: 'Request signature not accepted', detail })

/**
 * Authenticates a signed partner request (see worker/domain/partner-signature.ts): known active key,
 * timestamp within ±5 minutes, HMAC over method, path+query, timestamp, nonce and body hash (current
 * secret, or the previous one during its grace period after a rotation), a nonce never seen before,
 * then the partner's per-minute request budget. The nonce is recorded only once the signature checks
 * out, so nobody can burn a partner's nonces.
 */
export const requirePartnerSignature = createMiddleware<PartnerEnv>(async (c, next) => {
  const keyId = c.req.header(PARTNER_HEADERS.key)
  const timestamp = c.req.header(PARTNER_HEADERS.timestamp)
  const nonce = c.req.header(PARTNER_HEADERS.nonce)
  const signature = c.req.header(PARTNER_HEADERS.signature)
  if (!keyId || !timestamp || !nonce || !signature) {
    throw refuse(
      'bad_signature',
      `Sign the request: ${Object.values(PARTNER_HEADERS).join(', ')} are all required`,
    )
  }
  const db = c.get('db')
  const [partner] = await db.select().from(partners).where(eq(partners.keyId, keyId)).limit(1)
  if (!partner) throw refuse('unknown_key', 'No partner has this key')
  if (partner.status !== 'active') throw refuse('partner_disabled', 'This partner is disabled', 403)
  const now = Date.now()
  const seconds = Number(timestamp)
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now / 1000 - seconds) > SIGNATURE_WINDOW_SECONDS) {
    throw refuse(
      'stale_request',
      `x-partner-timestamp must be unix seconds within ${SIGNATURE_WINDOW_SECONDS} s of our clock (ours: ${Math.floor(now / 1000)})`,
    )
  }
  if (!NONCE.test(nonce)) throw refuse('bad_signature', 'x-partner-nonce must be 16–64 of [A-Za-z0-9_-]')
  const url = new URL(c.req.url)
  const canonical = await canonicalRequest({
    method: c.req.method,
    pathWithQuery: url.pathname + url.search,
    timestamp,
    nonce,
    body: new Uint8Array(await c.req.arrayBuffer()),
  })
  const secrets = [partner.secretCiphertext]
  if (
    partner.previousSecretCiphertext &&
    partner.previousSecretExpiresAt &&
    partner.previousSecretExpiresAt > new Date(now).toISOString()
  ) {
    secrets.push(partner.previousSecretCiphertext)
  }
  let valid = false
  for (const sealed of secrets) {
    const secret = await openPartnerSecret(c.env.SESSION_SECRET, partner.id, sealed)
    // Both candidates are always checked, so timing does not tell which secret matched.
    valid = signatureMatches(await hmacSha256(secret, canonical), signature) || valid
  }
  if (!valid) throw refuse('bad_signature', 'The signature does not match the request')

  const nowIso = new Date(now).toISOString()
  const windowStart = new Date(Math.floor(now / 60_000) * 60_000).toISOString()
  // A nonce is kept past the longest time its request could still be fresh.
  const nonceExpiresAt = new Date((seconds + 2 * SIGNATURE_WINDOW_SECONDS) * 1000).toISOString()
  const [recorded, counted] = await db.batch([
    db
      .insert(partnerNonces)
      .values({ partnerId: partner.id, nonce, expiresAt: nonceExpiresAt })
      .onConflictDoNothing()
      .returning({ nonce: partnerNonces.nonce }),
    db
      .insert(partnerRateWindows)
      .values({ partnerId: partner.id, windowStart, count: 1 })
      .onConflictDoUpdate({
        target: [partnerRateWindows.partnerId, partnerRateWindows.windowStart],
        set: { count: sql`${partnerRateWindows.count} + 1` },
      })
      .returning({ count: partnerRateWindows.count }),
  ])
  if (recorded.length === 0) throw refuse('replayed_request', 'This nonce was already used', 409)
  const count = counted[0]?.count ?? 1
  if (count === 1) {
    // First request of the partner's minute: sweep its expired nonces and old windows.
    await db.batch([
      db
        .delete(partnerNonces)
        .where(and(eq(partnerNonces.partnerId, partner.id), lt(partnerNonces.expiresAt, nowIso))),
      db
        .delete(partnerRateWindows)
        .where(
          and(eq(partnerRateWindows.partnerId, partner.id), lt(partnerRateWindows.windowStart, windowStart)),
        ),
    ])
  }
  if (count > partner.rateLimitPerMinute) {
    const retryAfter = Math.max(1, Math.ceil((Date.parse(windowStart) + 60_000 - now) / 1000))
    throw new Problem({
      code: 'rate_limited',
      detail: `At most ${partner.rateLimitPerMinute} requests per minute; retry in ${retryAfter} s`,
      headers: { 'retry-after': String(retryAfter) },
    })
  }
  c.set('partner', partner)
  await next()
})
