import { timingSafeEqual } from '../password.ts'
import type { PaymentEvent, PaymentProvider } from './provider.ts'

// The built-in sandbox provider: a hosted checkout page (pay / fail / pay late) whose outcome comes
// back as a notification signed with HMAC-SHA256, exactly like a real provider's webhook, so the
// whole flow runs offline.

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature'
export const SIGNATURE_TOLERANCE_SECONDS = 300
const encoder = new TextEncoder()

/** The secret's HMAC key, imported once per isolate (each payment signs and verifies one notification). */
const keys = new Map<string, Promise<CryptoKey>>()
function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret)
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ])
    // A failed import is not kept: the next call tries again.
    key.catch(() => keys.delete(secret))
    keys.set(secret, key)
  }
  return key
}

async function hmacHex(secret: string, message: string): Promise<string> {
  const key = await hmacKey(secret)
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(message)))
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** `t=<unix seconds>,v1=<hex hmac of "t.body">`, the same shape real providers use. */
export async function signSandboxNotification(
  secret: string,
  body: string,
  now = Date.now(),
): Promise<string> {
  const t = Math.floor(now / 1000)
  return `t=${t},v1=${await hmacHex(secret, `${t}.${body}`)}`
}

export function sandboxProvider(secret: string): PaymentProvider {
  return {
    name: 'sandbox',
    async checkoutUrl(payment, origin) {
      return `${origin}/api/payments/sandbox/checkout/${payment.id}`
    },
    async verifyNotification(body, headers) {
      const header = headers.get(SANDBOX_SIGNATURE_HEADER) ?? ''
      const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]))
      const t = Number(parts.t)
      if (!parts.v1 || !Number.isFinite(t)) return { valid: false }
      if (Math.abs(Date.now() / 1000 - t) > SIGNATURE_TOLERANCE_SECONDS) return { valid: false }
      const expected = await hmacHex(secret, `${t}.${body}`)
      const a = encoder.encode(expected)
      const b = encoder.encode(parts.v1)
      if (!timingSafeEqual(a, b)) return { valid: false }
      try {
        const event = JSON.parse(body) as PaymentEvent
        const known = typeof event.id === 'string' && typeof event.paymentId === 'string'
        const acted = event.type === 'payment.succeeded' || event.type === 'payment.failed'
        return { valid: true, event: known && acted ? event : null }
      } catch {
        return { valid: true, event: null }
      }
    },
    async chargePaymentCode(payment, code) {
      // Like WeChat Pay / Alipay codes: 16–24 digits. A code ending in 0000 is declined (a buyer without funds),
      // so the failure path can be shown offline too.
      if (!/^\d{16,24}$/.test(code)) return { status: 'declined', reason: 'not a payment code' }
      if (code.endsWith('0000')) return { status: 'declined', reason: 'insufficient funds' }
      const ref = `sbx_pc_${payment.id}`
      return {
        status: 'succeeded',
        event: {
          id: ref,
          type: 'payment.succeeded',
          paymentId: payment.id,
          amount: payment.amount,
          providerRef: ref,
        },
      }
    },
    async refund(_payment, refundId) {
      // The sandbox settles refunds at once; the reference is derived from our refund id, so retries agree.
      return `sbx_rf_${refundId}`
    },
  }
}

/**
 * A pay link for the sandbox checkout (`?k=`): whoever holds it may open and settle that one payment, as anyone
 * who scans a provider's payment QR code can pay it. Kiosks show it to the visitor's phone, which is not the buyer.
 */
export async function sandboxPayLinkKey(secret: string, paymentId: string): Promise<string> {
  return (await hmacHex(secret, `pay-link:${paymentId}`)).slice(0, 32)
}
