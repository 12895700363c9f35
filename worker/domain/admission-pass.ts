// The waiting room's admission pass: `<payload>.<mac>`, both base64url, the MAC an HMAC-SHA256 over the payload
// with the platform's ADMISSION_PASS_SECRET. The payload binds the pass to one buyer, one on-sale and an expiry,
// so a pass is useless to another buyer, for another show or day, or after it lapses. Web Crypto only (no binding):
// the queue actor signs passes as it admits buyers and the worker verifies them on the hold routes.

export interface AdmissionPassClaims {
  /** The buyer id (the shop's buyer cookie or the signed-in customer). */
  buyerId: string
  /** The on-sale: `show:<showId>` or `day:<siteId>:<date>`. */
  onSale: string
  /** Epoch milliseconds the pass lapses at. */
  expiresAt: number
}

export type PassCheck =
  | { ok: true; claims: AdmissionPassClaims }
  | { ok: false; reason: 'expired' | 'invalid' }

const encoder = new TextEncoder()
const keys = new Map<string, Promise<CryptoKey>>()

/** The HMAC key of `secret` for `purpose` (passes and ID hashes use different keys from one secret). */
function hmacKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\n${secret}`
  let key = keys.get(id)
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', encoder.encode(id))
      .then((raw) =>
        crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']),
      )
    if (keys.size > 16) keys.clear()
    keys.set(id, key)
  }
  return key
}

const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null
  try {
    const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0))
  } catch {
    return null
  }
}

/** Signs a pass for these claims. */
export async function signAdmissionPass(secret: string, claims: AdmissionPassClaims): Promise<string> {
  const payload = toBase64Url(
    encoder.encode(JSON.stringify({ b: claims.buyerId, s: claims.onSale, e: claims.expiresAt })),
  )
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret, 'admission-pass'),
    encoder.encode(payload),
  )
  return `${payload}.${toBase64Url(new Uint8Array(mac))}`
}

/**
 * Checks a pass for `buyerId` at `onSale` at `now`: `invalid` for a forged or malformed pass or one of another
 * buyer or on-sale, `expired` for a genuine one that lapsed. The MAC is checked first (constant time, by Web
 * Crypto), so nothing of an unsigned payload is believed.
 */
export async function verifyAdmissionPass(
  secret: string,
  pass: string,
  expected: { buyerId: string; onSale: string; now: number },
): Promise<PassCheck> {
  const [payload, mac, extra] = pass.split('.')
  if (!payload || !mac || extra !== undefined || pass.length > 1_000) return { ok: false, reason: 'invalid' }
  const signature = fromBase64Url(mac)
  if (!signature) return { ok: false, reason: 'invalid' }
  const genuine = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret, 'admission-pass'),
    signature,
    encoder.encode(payload),
  )
  if (!genuine) return { ok: false, reason: 'invalid' }
  let claims: AdmissionPassClaims
  try {
    const raw = JSON.parse(new TextDecoder().decode(fromBase64Url(payload)!)) as {
      b: string
      s: string
      e: number
    }
    claims = { buyerId: raw.b, onSale: raw.s, expiresAt: raw.e }
  } catch {
    return { ok: false, reason: 'invalid' }
  }
  if (claims.buyerId !== expected.buyerId || claims.onSale !== expected.onSale)
    return { ok: false, reason: 'invalid' }
  if (!(claims.expiresAt > expected.now)) return { ok: false, reason: 'expired' }
  return { ok: true, claims }
}

/**
 * A real-name ID number as the queue keeps it: an HMAC under the platform secret (hex), so the queue can tell
 * two joins with one ID apart without ever storing the number.
 */
export async function idNumberHash(secret: string, idNumber: string): Promise<string> {
  const mac = await crypto.subtle.sign(
    'HMAC',
    await hmacKey(secret, 'queue-id-number'),
    encoder.encode(idNumber),
  )
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** The on-sale name of a show and of a scenic site's visit date (the queue actor's name too). */
export const showOnSale = (showId: string) => `show:${showId}`
export const dayOnSale = (siteId: string, date: string) => `day:${siteId}:${date}`
