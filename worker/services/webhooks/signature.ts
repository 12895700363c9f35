/**
 * Standard Webhooks signing (https://www.standardwebhooks.com): the secret is `whsec_` + base64 key bytes;
 * `webhook-signature` is `v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`, and several
 * space-separated signatures are allowed, which is how a rotated-out secret keeps verifying for a while.
 */
const prefix = 'whsec_'

function base64(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

function secretKeyBytes(secret: string): Uint8Array<ArrayBuffer> {
  if (!secret.startsWith(prefix)) throw new Error('webhook secret must start with whsec_')
  const binary = atob(secret.slice(prefix.length))
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0))
}

/** A fresh signing secret: 32 random bytes (the spec asks for 24 to 64). */
export function newWebhookSecret(): string {
  return prefix + base64(crypto.getRandomValues(new Uint8Array(32)))
}

export async function webhookSignature(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    secretKeyBytes(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign(
    'HMAC',
    key,
    new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`),
  )
  return `v1,${base64(new Uint8Array(mac))}`
}

/** The three Standard Webhooks headers for one attempt, signed with every secret given (current first). */
export async function webhookHeaders(
  secrets: string[],
  id: string,
  timestampSeconds: number,
  body: string,
): Promise<Record<string, string>> {
  const signatures = await Promise.all(secrets.map((s) => webhookSignature(s, id, timestampSeconds, body)))
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': signatures.join(' '),
  }
}
