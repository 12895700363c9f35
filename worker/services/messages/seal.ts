// Sensitive message text (a sign-in code, an invitation link) is kept encrypted in the outbox only until it is
// delivered, so a retry can still send it; the key derives from the worker's SESSION_SECRET and never leaves it.

const encoder = new TextEncoder()
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes))
const unb64 = (text: string) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0))

async function sealKey(secret: string): Promise<CryptoKey> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(`outgoing-message-seal\u0000${secret}`))
  return crypto.subtle.importKey('raw', digest, 'AES-GCM', false, ['encrypt', 'decrypt'])
}

/** `v1.<iv>.<ciphertext>` (base64) of `value` as JSON. */
export async function seal(secret: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const cipher = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await sealKey(secret),
    encoder.encode(JSON.stringify(value)),
  )
  return `v1.${b64(iv)}.${b64(new Uint8Array(cipher))}`
}

/** The value `seal` sealed; throws when the secret differs or the text was altered. */
export async function unseal<T>(secret: string, sealed: string): Promise<T> {
  const [version, iv, cipher] = sealed.split('.')
  if (version !== 'v1' || !iv || !cipher) throw new Error('not a sealed message')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: unb64(iv) },
    await sealKey(secret),
    unb64(cipher),
  )
  return JSON.parse(new TextDecoder().decode(plain)) as T
}
