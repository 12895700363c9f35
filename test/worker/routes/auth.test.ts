import { env } from 'cloudflare:workers'
import { SignJWT } from 'jose'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import {
  clientAddress,
  forgetStaleSignInGuesses,
  SIGN_IN_GUESS_LIMITS,
} from '../../../worker/services/sign-in-guesses.ts'
import { SESSION_COOKIE, signStaffSession } from '../../../worker/services/staff-session.ts'
import {
  ApiClient,
  createStaffUser,
  organizerWithStaff,
  problemOf,
  signIn,
  TEST_PASSWORD,
} from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'

/** A client address of its own per test, so one test's wrong guesses never count against another's. */
const newAddress = () => `10.${[...crypto.getRandomValues(new Uint8Array(3))].join('.')}`
let address = newAddress()
beforeEach(() => {
  address = newAddress()
})
const login = (email: string, password: string, from = address) =>
  new ApiClient().fetch('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': from },
    body: JSON.stringify({ email, password }),
  })
const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_')
const fromB64url = (text: string) => JSON.parse(atob(text.replaceAll('-', '+').replaceAll('_', '/')))

async function addMember(organizerId: string, userId: string, role: 'owner' | 'manager' | 'gate') {
  await env.DB.prepare('INSERT INTO memberships (user_id, organizer_id, role) VALUES (?, ?, ?)')
    .bind(userId, organizerId, role)
    .run()
}
async function loginState(userId: string) {
  return env.DB.prepare('SELECT session_version FROM staff_users WHERE id = ?')
    .bind(userId)
    .first<{ session_version: number }>()
}
/** Wrong guesses counted against `email` from `from` in the current window (0 when none). */
async function guessesFrom(email: string, from = address) {
  const row = await env.DB.prepare('SELECT count FROM staff_sign_in_guesses WHERE key = ?')
    .bind(`ea:${email} ${from}`)
    .first<{ count: number }>()
  return row?.count ?? 0
}

afterEach(() => vi.useRealTimers())

describe('staff sign-in: happy path', () => {
  it('sets an HttpOnly, Secure, SameSite=Lax session cookie and /api/auth/me knows who you are', async () => {
    const org = await organizerWithStaff()
    const user = await createStaffUser()
    await addMember(org.organizerId, user.id, 'manager')
    const res = await login(`  ${user.email.toUpperCase()} `, TEST_PASSWORD)
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[\\w-]+\\.[\\w-]+\\.[\\w-]+;`))
    const attributes = cookie
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase())
    expect(attributes).toEqual(
      expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/', 'max-age=43200']),
    )
    const body = await res.json()
    const client = new ApiClient(cookie.split(';')[0])
    const me = await ok(client.get('/api/auth/me'))
    expect(me).toEqual(body)
    expect(me).toMatchObject({
      id: user.id,
      email: user.email,
      platformAdmin: false,
      organizers: [{ id: org.organizerId, role: 'manager' }],
    })
    expect((await client.get(`${org.base}/venues`)).status).toBe(200)
  })

  it('signs out by clearing the cookie; the browser is then signed out', async () => {
    const org = await organizerWithStaff()
    const client = org.manager
    expect((await client.get('/api/auth/me')).status).toBe(200)
    const res = await client.post('/api/auth/logout', {})
    expect(res.status).toBe(204)
    const cleared = res.headers.get('set-cookie') ?? ''
    expect(cleared).toMatch(new RegExp(`^${SESSION_COOKIE}=;`))
    expect(cleared.toLowerCase()).toContain('max-age=0')
    expect(client.cookie).toBe(`${SESSION_COOKIE}=`)
    const after = await client.get('/api/auth/me')
    expect(after.status).toBe(401)
    expect((await problemOf(after)).code).toBe('unauthorized')
    expect((await client.get(`${org.base}/venues`)).status).toBe(401)
  })

  it('forgets earlier wrong passwords once the right one is given', async () => {
    const user = await createStaffUser()
    for (let i = 0; i < 4; i++) expect((await login(user.email, `wrong-${i}`)).status).toBe(401)
    expect(await guessesFrom(user.email)).toBe(4)
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(200)
    expect(await guessesFrom(user.email)).toBe(0)
    for (let i = 0; i < 4; i++) expect((await login(user.email, `wrong-${i}`)).status).toBe(401)
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(200)
  })
})

describe('staff sign-in: errors', () => {
  it('answers a wrong password and an unknown email with the same 401 body', async () => {
    const user = await createStaffUser()
    const wrongRes = await login(user.email, 'not-the-password')
    const unknownRes = await login('nobody-here@staff.test', 'not-the-password')
    expect(wrongRes.status).toBe(401)
    expect(unknownRes.status).toBe(401)
    expect(wrongRes.headers.get('set-cookie')).toBeNull()
    const strip = ({ requestId: _r, instance: _i, ...rest }: Record<string, unknown>) => rest
    const wrong = strip(await problemOf(wrongRes))
    const unknown = strip(await problemOf(unknownRes))
    expect(wrong).toEqual(unknown)
    expect(wrong).toMatchObject({ code: 'unauthorized', status: 401, detail: 'Wrong email or password' })
  })

  it('refuses a 6th guess from the same address for 15 minutes: even the right password gets 429 with Retry-After', async () => {
    const user = await createStaffUser()
    for (let i = 0; i < 5; i++) expect((await login(user.email, `wrong-${i}`)).status).toBe(401)
    const locked = await login(user.email, TEST_PASSWORD)
    expect(locked.status).toBe(429)
    expect(locked.headers.get('set-cookie')).toBeNull()
    expect((await problemOf(locked)).code).toBe('rate_limited')
    const retryAfter = Number(locked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(14 * 60)
    expect(retryAfter).toBeLessThanOrEqual(15 * 60)
    expect((await login(user.email, 'wrong-again')).status).toBe(429)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 14 * 60_000)
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(429)
    vi.setSystemTime(Date.now() + 2 * 60_000)
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(200)
    expect(await guessesFrom(user.email)).toBe(0)
  })

  it('refuses malformed sign-in requests with 400 validation', async () => {
    const res = await new ApiClient().post('/api/auth/login', { email: 'not-an-email', password: '' })
    expect(res.status).toBe(400)
    const problem = await problemOf(res)
    expect(problem.code).toBe('validation')
    expect(problem.errors?.map((e) => e.path).sort()).toEqual(['json.email', 'json.password'])
  })
})

describe('staff sessions: security', () => {
  it('answers 401 unauthorized without a cookie', async () => {
    const org = await organizerWithStaff()
    for (const path of ['/api/auth/me', `${org.base}/venues`, `${org.base}/staff`, '/api/admin/organizers']) {
      const res = await new ApiClient().get(path)
      expect(res.status, path).toBe(401)
      expect((await problemOf(res)).code).toBe('unauthorized')
    }
  })

  it('refuses forged, tampered, foreign and expired tokens', async () => {
    const org = await organizerWithStaff()
    const victim = await ok(org.owner.get('/api/auth/me'))
    const attacker = await ok(org.gate.get('/api/auth/me'))
    const [, token] = org.gate.cookie!.split('=') as [string, string]
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const claims = fromB64url(payload)
    expect(claims).toMatchObject({ sub: attacker.id, aud: 'staff' })
    const sign = (secret: string, audience = 'staff', sub = victim.id) =>
      new SignJWT({ sv: 1 })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject(sub)
        .setAudience(audience)
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(secret))
    const forged = [
      // Claims rewritten to the owner, original signature kept.
      `${header}.${b64url({ ...claims, sub: victim.id })}.${signature}`,
      // Signature altered.
      `${header}.${payload}.${signature.slice(0, -4)}${signature.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`,
      // Unsigned.
      `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ ...claims, sub: victim.id })}.`,
      // Signed with another key.
      await sign('not-the-session-secret'),
      // Right key, wrong audience (e.g. a customer token).
      await sign(env.SESSION_SECRET, 'customer'),
      // Right key, expired.
      await signStaffSession(
        { userId: victim.id, sessionVersion: 1 },
        env.SESSION_SECRET,
        Date.now() - 13 * 3600_000,
      ),
      'garbage',
    ]
    for (const bad of forged) {
      const res = await new ApiClient(`${SESSION_COOKIE}=${bad}`).get(`${org.base}/staff`)
      expect(res.status, bad).toBe(401)
      expect((await problemOf(res)).code).toBe('unauthorized')
    }
    // The genuine token of the same shape still works: the refusals above are about the token.
    expect(
      (await ok(new ApiClient(`${SESSION_COOKIE}=${await sign(env.SESSION_SECRET)}`).get('/api/auth/me'))).id,
    ).toBe(victim.id)
  })

  it('ends a removed member’s sessions at once (session version bump), leaving others signed in', async () => {
    const org = await organizerWithStaff()
    const second = await organizerWithStaff()
    const me = await ok(org.manager.get('/api/auth/me'))
    await addMember(second.organizerId, me.id, 'gate')
    const otherDevice = await signIn(me.email)
    const before = (await loginState(me.id))!.session_version
    expect((await org.manager.get(`${org.base}/events`)).status).toBe(200)
    expect((await org.owner.delete(`${org.base}/staff/${me.id}`)).status).toBe(204)
    expect((await loginState(me.id))!.session_version).toBe(before + 1)
    for (const client of [org.manager, otherDevice]) {
      const res = await client.get(`${org.base}/events`)
      expect(res.status).toBe(401)
      expect((await problemOf(res)).code).toBe('unauthorized')
      expect((await client.get('/api/auth/me')).status).toBe(401)
    }
    // Other people's sessions are untouched.
    expect((await org.gate.get(`${org.base}/events`)).status).toBe(200)
    expect((await org.owner.get(`${org.base}/staff`)).status).toBe(200)
    // Signing in again works, but only for the organizer they still belong to.
    const again = await signIn(me.email)
    expect((await ok(again.get('/api/auth/me'))).organizers).toEqual([
      expect.objectContaining({ id: second.organizerId, role: 'gate' }),
    ])
    expect((await again.get(`${org.base}/events`)).status).toBe(403)
    expect((await again.get(`${second.base}/events`)).status).toBe(200)
  })

  it('applies a role change on the next request', async () => {
    const org = await organizerWithStaff()
    const me = await ok(org.manager.get('/api/auth/me'))
    const venue = { name: 'V', kind: 'theatre', city: 'C' }
    await ok(org.manager.post(`${org.base}/venues`, venue), 201)
    await ok(org.owner.patch(`${org.base}/staff/${me.id}`, { role: 'gate' }))
    const res = await org.manager.post(`${org.base}/venues`, venue)
    expect(res.status).toBe(403)
    expect((await problemOf(res)).code).toBe('forbidden')
    expect((await org.manager.get(`${org.base}/events`)).status).toBe(200)
  })
})

describe('staff sign-in guesses', () => {
  it('security: a race of 20 parallel wrong passwords gets only 5 evaluated; the rest, and then the right one, get 429', async () => {
    const user = await createStaffUser()
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(user.email, `wrong-parallel-${i}`)),
    )
    const statuses = answers.map((res) => res.status).sort()
    expect(statuses.filter((s) => s === 401)).toHaveLength(SIGN_IN_GUESS_LIMITS.perAccountAndAddress)
    expect(statuses.filter((s) => s === 429)).toHaveLength(20 - SIGN_IN_GUESS_LIMITS.perAccountAndAddress)
    for (const res of answers.filter((r) => r.status === 429)) {
      expect((await problemOf(res)).code).toBe('rate_limited')
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(14 * 60)
    }
    expect(await guessesFrom(user.email)).toBe(SIGN_IN_GUESS_LIMITS.perAccountAndAddress)
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(429)
  })

  it('security: a lock caused from one address does not stop the right password from another address', async () => {
    const user = await createStaffUser()
    const attacker = newAddress()
    for (let i = 0; i < 6; i++) await login(user.email, `attacker-${i}`, attacker)
    expect((await login(user.email, TEST_PASSWORD, attacker)).status).toBe(429)
    const owner = await login(user.email, TEST_PASSWORD, newAddress())
    expect(owner.status).toBe(200)
    expect((await owner.json<{ id: string }>()).id).toBe(user.id)
    // The attacker's address stays refused; the owner's success does not lift it.
    expect((await login(user.email, 'attacker-again', attacker)).status).toBe(429)
  })

  it('counts an unknown email exactly like an account, so a 429 tells nothing about which emails exist', async () => {
    const user = await createStaffUser()
    const unknown = `nobody-${crypto.randomUUID().slice(0, 8)}@staff.test`
    const answers = async (email: string) => {
      const statuses = []
      for (let i = 0; i < 6; i++) statuses.push((await login(email, `wrong-${i}`)).status)
      return statuses
    }
    expect(await answers(user.email)).toEqual([401, 401, 401, 401, 401, 429])
    expect(await answers(unknown)).toEqual([401, 401, 401, 401, 401, 429])
  })

  it('caps wrong guesses from one address across accounts (password spraying)', async () => {
    const sprayer = newAddress()
    const accounts = await Promise.all(
      Array.from({ length: SIGN_IN_GUESS_LIMITS.perAddress / 2 + 1 }, () => createStaffUser()),
    )
    const statuses: number[] = []
    for (const account of accounts)
      for (const guess of ['spring2026!', 'password123'])
        statuses.push((await login(account.email, guess, sprayer)).status)
    expect(statuses.slice(0, SIGN_IN_GUESS_LIMITS.perAddress).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(SIGN_IN_GUESS_LIMITS.perAddress)).toEqual([429, 429])
    // Even a right password is not checked from that address until the window ends…
    expect((await login(accounts[0]!.email, TEST_PASSWORD, sprayer)).status).toBe(429)
    // …while everyone else signs in as usual.
    expect((await login(accounts[0]!.email, TEST_PASSWORD, newAddress())).status).toBe(200)
  })

  it('caps wrong guesses at one account from many addresses, far above the per-address limit', async () => {
    const user = await createStaffUser()
    const perAddress = SIGN_IN_GUESS_LIMITS.perAccountAndAddress - 1
    const addresses = Array.from(
      { length: Math.ceil(SIGN_IN_GUESS_LIMITS.perAccount / perAddress) },
      newAddress,
    )
    let wrong = 0
    for (const from of addresses) {
      const batch = Math.min(perAddress, SIGN_IN_GUESS_LIMITS.perAccount - wrong)
      const statuses = await Promise.all(
        Array.from({ length: batch }, (_, i) => login(user.email, `distributed-${i}`, from)),
      )
      expect(statuses.map((r) => r.status)).toEqual(Array(batch).fill(401))
      wrong += batch
    }
    expect(wrong).toBe(SIGN_IN_GUESS_LIMITS.perAccount)
    const fresh = await login(user.email, TEST_PASSWORD, newAddress())
    expect(fresh.status).toBe(429)
    expect((await problemOf(fresh)).code).toBe('rate_limited')
  })

  it('counts an IPv6 client by its /64, so rotating addresses inside it gets no extra guesses', async () => {
    expect(clientAddress('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64')
    expect(clientAddress('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64')
    expect(clientAddress('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(clientAddress('::1')).toBe('0:0:0:0::/64')
    expect(clientAddress(' 203.0.113.9 ')).toBe('203.0.113.9')
    expect(clientAddress(undefined)).toBe('unknown')
    const user = await createStaffUser()
    const statuses = []
    for (let i = 0; i < 6; i++)
      statuses.push((await login(user.email, `v6-${i}`, `2001:db8:77:1::${i + 1}`)).status)
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429])
  })

  it('forgets counters whose window has ended, and only those', async () => {
    const user = await createStaffUser()
    const old = newAddress()
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() - 16 * 60_000)
    await login(user.email, 'wrong-old', old)
    vi.useRealTimers()
    await login(user.email, 'wrong-now')
    expect(await guessesFrom(user.email, old)).toBe(1)
    expect(await forgetStaleSignInGuesses(openDatabase(env.DB))).toBeGreaterThanOrEqual(1)
    expect(await guessesFrom(user.email, old)).toBe(0)
    expect(await guessesFrom(user.email)).toBe(1)
  })
})

describe('staff sessions: the organizer the console opens', () => {
  it('remembers the last organizer per account, so another browser opens the same one', async () => {
    const a = await organizerWithStaff()
    const b = await organizerWithStaff()
    const me = await ok(a.owner.get('/api/auth/me'))
    expect(me.lastOrganizerId).toBeNull()
    await addMember(b.organizerId, me.id, 'manager')
    const chose = await a.owner.fetch('/api/auth/me/organizer', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organizerId: b.organizerId }),
    })
    expect(chose.status).toBe(204)
    // A new session (another browser) for the same account.
    const elsewhere = await signIn(me.email)
    expect((await ok(elsewhere.get('/api/auth/me'))).lastOrganizerId).toBe(b.organizerId)
  })

  it('refuses an organizer the account does not work for, and remembers nothing then', async () => {
    const a = await organizerWithStaff()
    const other = await organizerWithStaff()
    const put = (client: ApiClient, organizerId: string) =>
      client.fetch('/api/auth/me/organizer', {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ organizerId }),
      })
    const refused = await put(a.manager, other.organizerId)
    expect(refused.status).toBe(404)
    expect((await problemOf(refused)).code).toBe('not_found')
    expect((await ok(a.manager.get('/api/auth/me'))).lastOrganizerId).toBeNull()
    expect((await put(new ApiClient(), a.organizerId)).status).toBe(401)
    expect((await put(a.manager, a.organizerId)).status).toBe(204)
    expect((await ok(a.manager.get('/api/auth/me'))).lastOrganizerId).toBe(a.organizerId)
  })
})
