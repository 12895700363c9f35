// Partner signing secrets at rest. HMAC verification needs the secret itself (a hash would not let us
// recompute the MAC), so the secret is stored AES-256-GCM encrypted under a key derived with HKDF from
// the Worker secret `SESSION_SECRET` (no extra secret to provision; rotating SESSION_SECRET means
// rotating every partner's secret too). A database dump alone therefore reveals no partner secret.

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const keys = new Map<string, Promise<CryptoKey>>()

function b64url(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')
}

function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replaceAll('-', '+').replaceAll('_', '/'))
  return Uint8Array.from(s, (ch) => ch.charCodeAt(0))
}

function encryptionKey(masterSecret: string): Promise<CryptoKey> {
  let key = keys.get(masterSecret)
  if (!key) {
    key = (async () => {
      const base = await crypto.subtle.importKey('raw', encoder.encode(masterSecret), 'HKDF', false, [
        'deriveKey',
      ])
      return crypto.subtle.deriveKey(
        {
          name: 'HKDF',
          hash: 'SHA-256',
          salt: encoder.encode('edge-ticketing'),
          info: encoder.encode('partner-signing-secrets/v1'),
        },
        base,
        { name: 'AES-GCM', length: 256 },
        false,
        ['encrypt', 'decrypt'],
      )
    })()
    keys.set(masterSecret, key)
  }
  return key
}

/** A fresh partner signing secret (256 random bits), shown to the organizer once. */
export function newPartnerSecret(): string {
  return `psk_${b64url(crypto.getRandomValues(new Uint8Array(32)))}`
}

/** A fresh public key id, sent by the partner as `x-partner-key`. */
export function newPartnerKeyId(): string {
  return `pk_${b64url(crypto.getRandomValues(new Uint8Array(12)))}`
}

/** `v1.<iv>.<ciphertext>`; the partner id is bound as associated data so ciphertexts cannot be swapped between rows. */
export async function sealPartnerSecret(masterSecret: string, partnerId: string, secret: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(partnerId) },
    await encryptionKey(masterSecret),
    encoder.encode(secret),
  )
  return `v1.${b64url(iv)}.${b64url(new Uint8Array(sealed))}`
}

export async function openPartnerSecret(masterSecret: string, partnerId: string, sealed: string) {
  const [version, iv, data] = sealed.split('.')
  if (version !== 'v1' || !iv || !data) throw new Error('unknown partner secret format')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromB64url(iv), additionalData: encoder.encode(partnerId) },
    await encryptionKey(masterSecret),
    fromB64url(data),
  )
  return decoder.decode(plain)
}
