import * as v from 'valibot'
import type { BotChallenge } from './contract.ts'

// Cloudflare Turnstile's server-side check (https://developers.cloudflare.com/turnstile/get-started/server-side-validation/):
// POST the widget's token with the secret key to siteverify; the answer's `success` decides, `error-codes` says why not.
// Tokens are single use and valid for 300 s; a timeout or an unreadable answer counts as unavailable, not passed.

const SITEVERIFY = 'https://challenges.cloudflare.com/turnstile/v0/siteverify'
const MAX_TOKEN_LENGTH = 2048

const siteverifyAnswer = v.object({
  success: v.boolean(),
  'error-codes': v.optional(v.array(v.string()), []),
})

export function turnstileChallenge(secret: string | undefined, send: typeof fetch): BotChallenge {
  return {
    async verify(token, remoteIp) {
      if (!secret) return { ok: false, reason: 'not_configured' }
      if (!token) return { ok: false, reason: 'missing' }
      if (token.length > MAX_TOKEN_LENGTH)
        return { ok: false, reason: 'failed', errorCodes: ['invalid-input-response'] }
      let answer: v.InferOutput<typeof siteverifyAnswer>
      try {
        const res = await send(SITEVERIFY, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ secret, response: token, ...(remoteIp ? { remoteip: remoteIp } : {}) }),
          signal: AbortSignal.timeout(5_000),
        })
        answer = v.parse(siteverifyAnswer, await res.json())
      } catch {
        return { ok: false, reason: 'unavailable' }
      }
      return answer.success
        ? { ok: true }
        : { ok: false, reason: 'failed', errorCodes: answer['error-codes'] }
    },
  }
}
