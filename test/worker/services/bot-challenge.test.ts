import { describe, expect, it } from 'vitest'
import { botChallengeFor } from '../../../worker/services/bot-challenge/index.ts'
import { turnstileChallenge } from '../../../worker/services/bot-challenge/turnstile.ts'

// The bot challenge before queueing (issue 22): Turnstile's siteverify in production, a double locally.

/** A stand-in for Cloudflare's siteverify endpoint that records what it was sent. */
function siteverify(answer: unknown, status = 200) {
  const sent: { url: string; body: Record<string, unknown> }[] = []
  const send = (async (url: string, init: RequestInit) => {
    sent.push({ url, body: JSON.parse(String(init.body)) })
    return new Response(JSON.stringify(answer), { status, headers: { 'content-type': 'application/json' } })
  }) as unknown as typeof fetch
  return { sent, send }
}

describe('Turnstile challenge', () => {
  it('sends the secret, the token and the address to siteverify and passes on success', async () => {
    const api = siteverify({ success: true, 'error-codes': [], hostname: 'tickets.example' })
    const result = await turnstileChallenge('0xsecret', api.send).verify('token-1', '203.0.113.9')
    expect(result).toEqual({ ok: true })
    expect(api.sent).toEqual([
      {
        url: 'https://challenges.cloudflare.com/turnstile/v0/siteverify',
        body: { secret: '0xsecret', response: 'token-1', remoteip: '203.0.113.9' },
      },
    ])
  })

  it('fails with siteverify’s error codes, and never passes on a missing token, secret or a broken answer', async () => {
    const failed = siteverify({ success: false, 'error-codes': ['timeout-or-duplicate'] })
    expect(await turnstileChallenge('0xsecret', failed.send).verify('used-token')).toEqual({
      ok: false,
      reason: 'failed',
      errorCodes: ['timeout-or-duplicate'],
    })
    const api = siteverify({ success: true })
    expect(await turnstileChallenge('0xsecret', api.send).verify(undefined)).toEqual({
      ok: false,
      reason: 'missing',
    })
    expect(await turnstileChallenge(undefined, api.send).verify('t')).toEqual({
      ok: false,
      reason: 'not_configured',
    })
    expect(api.sent).toHaveLength(0)
    const broken = siteverify('<html>bad gateway</html>', 502)
    expect(await turnstileChallenge('0xsecret', broken.send).verify('t')).toEqual({
      ok: false,
      reason: 'unavailable',
    })
  })
})

describe('choosing the challenge', () => {
  it('uses the local double in development and tests (token `pass`), Turnstile elsewhere', async () => {
    const local = botChallengeFor({ ENVIRONMENT: 'test' })
    expect(await local.verify('pass')).toEqual({ ok: true })
    expect((await local.verify('anything-else')).ok).toBe(false)
    // In production without its secret, no token passes.
    const production = botChallengeFor({ ENVIRONMENT: 'production' })
    expect(await production.verify('pass')).toEqual({ ok: false, reason: 'not_configured' })
  })
})
