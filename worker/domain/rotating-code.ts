// Anti-screenshot codes: for events that want them, the ticket page shows a 6-digit code beside the QR
// that changes every 30 s. It is derived from a per-ticket secret that an enrolled gate recomputes
// offline from the event's gate secret, so a screenshot older than a minute no longer matches.
// Pure WebCrypto: the ticket page, the worker and the gate share it.

export const STEP_SECONDS = 30
/** Codes from the current and the previous step are accepted: at most a minute old. */
export const ACCEPTED_STEPS = 2

const encoder = new TextEncoder()

type HmacKey = Uint8Array<ArrayBuffer> | CryptoKey

/** Imports an HMAC key once, so a gate checking many tickets of one event does not import it per scan. */
export function importHmacKey(secret: Uint8Array<ArrayBuffer>): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
}

async function hmac(key: HmacKey, message: string): Promise<Uint8Array<ArrayBuffer>> {
  const imported = key instanceof Uint8Array ? await importHmacKey(key) : key
  return new Uint8Array(await crypto.subtle.sign('HMAC', imported, encoder.encode(message)))
}

/** The ticket's own secret: HMAC(event gate secret, ticket id). The holder's device gets only this. */
export function ticketSecret(eventGateSecret: HmacKey, ticketId: string) {
  return hmac(eventGateSecret, `ticket:${ticketId}`)
}

/** The code for a moment: HMAC(ticket secret, step) truncated to 6 digits, as in TOTP (RFC 6238). */
export async function rotatingCode(secret: HmacKey, atMs: number): Promise<string> {
  const step = Math.floor(atMs / 1000 / STEP_SECONDS)
  const mac = await hmac(secret, `step:${step}`)
  const offset = mac[mac.length - 1]! & 0x0f
  const value =
    ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!
  return String(value % 1_000_000).padStart(6, '0')
}

/** What a gate does offline: recompute from the event secret and accept the current or previous step. */
export async function checkRotatingCode(
  eventGateSecret: HmacKey,
  ticketId: string,
  code: string,
  nowMs: number,
) {
  // Imported once here: it signs one or two steps.
  const secret = await importHmacKey(await ticketSecret(eventGateSecret, ticketId))
  for (let back = 0; back < ACCEPTED_STEPS; back++) {
    if ((await rotatingCode(secret, nowMs - back * STEP_SECONDS * 1000)) === code) return true
  }
  return false
}
