import { exports } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient, createStaffUser, problemOf, TEST_PASSWORD } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { AddressedClient, signedInCustomer, uniqueAddress } from '../../support/clients.ts'

// Limits in the test configuration (test/vitest.config.ts); wrangler.toml has the production ones.
const SIGN_IN_PER_ADDRESS = 40
const HOLDS_PER_ADDRESS = 40
const HOLDS_PER_BUYER = 30
const CODES_IN_ALL = 60
const PARTNER_PER_KEY = 100

let n = 0
const uniqueEmail = () => `limits-${Date.now()}-${n++}@example.com`

async function expectRateLimited(res: Response, scope: RegExp) {
  expect(res.status).toBe(429)
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
  const problem = await problemOf(res)
  expect(problem.code).toBe('rate_limited')
  expect(String(problem.scope)).toMatch(scope)
}

/**
 * The local binding counts in windows aligned to the clock (a 60 s limit resets on each whole minute): a loop of
 * requests that straddles a minute sees its count restart and proves nothing. Runs `attempt`; if it failed and a
 * minute boundary passed while it ran, runs it once more from scratch — right after a boundary, so within one window.
 */
async function inOneWindow(attempt: () => Promise<void>, periodMs = 60_000) {
  const started = Math.floor(Date.now() / periodMs)
  try {
    await attempt()
  } catch (error) {
    if (Math.floor(Date.now() / periodMs) === started) throw error
    await attempt()
  }
}

describe('request-rate limits (Workers Rate Limiting binding)', () => {
  it('security: staff sign-in is limited per network address, before any password is checked', async () => {
    await inOneWindow(async () => {
      const { email } = await createStaffUser()
      const attacker = new AddressedClient(uniqueAddress())
      for (let i = 0; i < SIGN_IN_PER_ADDRESS; i++) {
        const res = await attacker.post('/api/auth/login', {
          email: uniqueEmail(),
          password: 'guess-guess-guess',
        })
        // Past 30 wrong guesses from one address the guess limits answer first (worker/services/sign-in-guesses.ts).
        if (res.status !== 401) {
          expect(res.status).toBe(429)
          expect((await problemOf(res)).scope).toBeUndefined()
        }
      }
      // Even the right password is refused from this address now: the limit comes first.
      await expectRateLimited(
        await attacker.post('/api/auth/login', { email, password: TEST_PASSWORD }),
        /staff sign-ins per network address/,
      )
      // The staff member signs in from anywhere else.
      await ok(
        new AddressedClient(uniqueAddress()).post('/api/auth/login', { email, password: TEST_PASSWORD }),
      )
    })
  })

  it('security: sign-in codes are limited per network address, and so are code checks', async () => {
    await inOneWindow(async () => {
      const flooder = new AddressedClient(uniqueAddress())
      for (let i = 0; i < SIGN_IN_PER_ADDRESS; i++)
        expect((await flooder.post('/api/customer/auth/code', { contact: uniqueEmail() })).status).toBe(202)
      await expectRateLimited(
        await flooder.post('/api/customer/auth/code', { contact: uniqueEmail() }),
        /sign-in codes per network address/,
      )
      const guesser = new AddressedClient(uniqueAddress())
      const contact = uniqueEmail()
      for (let i = 0; i < SIGN_IN_PER_ADDRESS; i++) {
        const res = await guesser.post('/api/customer/auth/verify', { contact, code: String(100000 + i) })
        expect(res.status).not.toBe(429)
      }
      await expectRateLimited(
        await guesser.post('/api/customer/auth/verify', { contact, code: '999999' }),
        /code checks per network address/,
      )
    })
  })

  it('security: sign-in codes are also limited in all, so many addresses cannot flood phones and inboxes together', async () => {
    // The global count rolls over every 10 s here (period 10): start at the beginning of a window.
    await new Promise((resolve) => setTimeout(resolve, 10_000 - (Date.now() % 10_000) + 50))
    const addresses = Array.from({ length: 14 }, () => uniqueAddress())
    const responses = await Promise.all(
      Array.from({ length: 70 }, (_, i) =>
        new AddressedClient(addresses[i % addresses.length]!).post('/api/customer/auth/code', {
          contact: uniqueEmail(),
        }),
      ),
    )
    const refused = responses.filter((res) => res.status === 429)
    expect(responses.filter((res) => res.status === 202)).toHaveLength(CODES_IN_ALL)
    expect(refused).toHaveLength(70 - CODES_IN_ALL)
    await expectRateLimited(refused[0]!, /sign-in codes sent in all/)
    // Leave the next window to whoever runs next.
    await new Promise((resolve) => setTimeout(resolve, 10_000 - (Date.now() % 10_000) + 50))
  }, 40_000)

  it('security: holds are limited per network address and per buyer, also on group-buy joins', async () => {
    await inOneWindow(async () => {
      const show = await showOnSale(gridChart(5, 10))
      // One signed-in customer, no address: counted per buyer (anonymous buyers are counted by address only).
      const buyer = await signedInCustomer()
      for (let i = 0; i < HOLDS_PER_BUYER; i++) {
        const res = await buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[i]] })
        // The first 3 are held, then the buyer's hold cap answers (429 hold_limit), not the rate limit.
        if (i < 3) expect(res.status).toBe(201)
        else expect((await problemOf(res)).code).toBe('hold_limit')
      }
      await expectRateLimited(
        await buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[40]] }),
        /holds per buyer/,
      )
      // Fresh buyers (no cookie kept) from one address.
      const address = uniqueAddress()
      const join = () =>
        new AddressedClient(address).post('/api/group-buys/groups/grp_none/members', {
          quantity: 1,
          category: 'A',
        })
      for (let i = 0; i < HOLDS_PER_ADDRESS; i++) expect((await join()).status).not.toBe(429)
      await expectRateLimited(await join(), /holds per network address/)
    })
  })

  it('security: partner calls are limited per partner key before the signature is checked', async () => {
    await inOneWindow(async () => {
      const key = `pk_flood_${Date.now()}`
      const call = () =>
        exports.default.fetch(
          new Request('https://tickets.test/partner/v1/products', { headers: { 'x-partner-key': key } }),
        )
      const first = await Promise.all(Array.from({ length: PARTNER_PER_KEY }, call))
      expect(first.every((res) => res.status === 401)).toBe(true)
      await expectRateLimited(await call(), /requests per partner key/)
    })
  })

  it('does not count requests without a client address per address (calls from inside the platform, tests)', async () => {
    const contact = uniqueEmail()
    for (let i = 0; i < SIGN_IN_PER_ADDRESS + 3; i++) {
      const res = await new ApiClient().post('/api/customer/auth/verify', { contact, code: '123456' })
      expect(res.status).toBe(401)
    }
  })

  it('documents 429 on every limited operation', async () => {
    const spec = await ok<{ paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }>(
      new ApiClient().get('/openapi.json'),
    )
    for (const [path, method] of [
      ['/api/auth/login', 'post'],
      ['/api/customer/auth/code', 'post'],
      ['/api/customer/auth/verify', 'post'],
      ['/api/shows/{showId}/holds', 'post'],
      ['/api/scenic-sites/{siteId}/days/{date}/holds', 'post'],
      ['/api/group-buys/groups/{groupId}/members', 'post'],
      ['/partner/v1/products', 'get'],
      ['/partner/v1/orders', 'post'],
    ] as const) {
      expect(spec.paths[path]?.[method]?.responses['429'], `${method} ${path}`).toBeDefined()
    }
    expect(spec.paths['/api/shows/{showId}/holds/{holdId}']?.delete?.responses['429']).toBeUndefined()
  })
})
