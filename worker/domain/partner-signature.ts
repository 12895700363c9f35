// How an OTA partner signs a `/partner/v1` request. Pure (Web Crypto only), so the worker and the
// example partner client (`scripts/partner-client.ts`) compute the very same string.
//
//   canonical = METHOD \n path?query \n timestamp \n nonce \n hex(SHA-256(body))
//   x-partner-signature = hex(HMAC-SHA256(secret, canonical))

export const PARTNER_HEADERS = {
  key: 'x-partner-key',
  timestamp: 'x-partner-timestamp',
  nonce: 'x-partner-nonce',
  signature: 'x-partner-signature',
} as const

/** Requests whose timestamp is further than this from our clock are refused (`stale_request`). */
export const SIGNATURE_WINDOW_SECONDS = 300

const encoder = new TextEncoder()
const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('')

export async function sha256Hex(body: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const data = typeof body === 'string' ? encoder.encode(body) : body
  return hex(await crypto.subtle.digest('SHA-256', data))
}

export async function canonicalRequest(parts: {
  method: string
  pathWithQuery: string
  timestamp: string
  nonce: string
  body: string | Uint8Array<ArrayBuffer>
}): Promise<string> {
  return [
    parts.method.toUpperCase(),
    parts.pathWithQuery,
    parts.timestamp,
    parts.nonce,
    await sha256Hex(parts.body),
  ].join('\n')
}

export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey(
    'raw',
    encoder.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  return new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)))
}

/** The four headers for a request (the partner side). */
export async function signPartnerRequest(input: {
  keyId: string
  secret: string
  method: string
  pathWithQuery: string
  body?: string
  now?: number
  nonce?: string
}): Promise<Record<string, string>> {
  const timestamp = String(Math.floor((input.now ?? Date.now()) / 1000))
  const nonce = input.nonce ?? crypto.randomUUID()
  const canonical = await canonicalRequest({
    method: input.method,
    pathWithQuery: input.pathWithQuery,
    timestamp,
    nonce,
    body: input.body ?? '',
  })
  return {
    [PARTNER_HEADERS.key]: input.keyId,
    [PARTNER_HEADERS.timestamp]: timestamp,
    [PARTNER_HEADERS.nonce]: nonce,
    [PARTNER_HEADERS.signature]: hex((await hmacSha256(input.secret, canonical)).buffer as ArrayBuffer),
  }
}

/** Constant-time comparison of a presented hex signature against the expected MAC. */
export function signatureMatches(expected: Uint8Array, presentedHex: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(presentedHex)) return false
  const presented = new Uint8Array(32)
  for (let i = 0; i < 32; i++) presented[i] = Number.parseInt(presentedHex.slice(i * 2, i * 2 + 2), 16)
  if (expected.byteLength !== presented.byteLength) return false
  let diff = 0
  for (let i = 0; i < expected.byteLength; i++) diff |= expected[i]! ^ presented[i]!
  return diff === 0
}
