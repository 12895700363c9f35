import { env } from 'cloudflare:workers'
import { SignJWT } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
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

const login = (email: string, password: string) =>
  new ApiClient().post('/api/auth/login', { email, password })
const b64url = (value: unknown) =>
  btoa(JSON.stringify(value)).replaceAll('=', '').replaceAll('+', '-').replaceAll('/', '_')
const fromB64url = (text: string) => JSON.parse(atob(text.replaceAll('-', '+').replaceAll('_', '/')))

async function addMember(organizerId: string, userId: string, role: 'owner' | 'manager' | 'gate') {
  await env.DB.prepare('INSERT INTO memberships (user_id, organizer_id, role) VALUES (?, ?, ?)')
    .bind(userId, organizerId, role)
    .run()
}
async function loginState(userId: string) {
  return env.DB.prepare('SELECT failed_logins, locked_until, session_version FROM staff_users WHERE id = ?')
    .bind(userId)
    .first<{ failed_logins: number; locked_until: string | null; session_version: number }>()
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
    expect(await loginState(user.id)).toMatchObject({ failed_logins: 4 })
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(200)
    expect(await loginState(user.id)).toMatchObject({ failed_logins: 0, locked_until: null })
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

  it('locks the account after 5 wrong passwords: even the right one gets 429 with Retry-After, for 15 minutes', async () => {
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
    expect(await loginState(user.id)).toMatchObject({ failed_logins: 0, locked_until: null })
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

describe('organizer staff management', () => {
  it('lets owners add new and existing accounts, list them and change roles', async () => {
    const org = await organizerWithStaff()
    const path = `${org.base}/staff`
    const email = `new.${crypto.randomUUID().slice(0, 8)}@staff.test`
    const added = await ok(
      org.owner.post(path, {
        email: email.toUpperCase(),
        name: 'New',
        role: 'manager',
        password: 'long-enough-password',
      }),
      201,
    )
    expect(added).toMatchObject({ email, name: 'New', role: 'manager' })
    const newcomer = await signIn(email, 'long-enough-password')
    expect((await ok(newcomer.get(`${org.base}/events`))).items).toEqual([])
    // An existing account joins without a password; its own password stays.
    const existing = await createStaffUser()
    await ok(org.owner.post(path, { email: existing.email, name: 'Ignored', role: 'gate' }), 201)
    const gate = await signIn(existing.email)
    expect((await gate.get(`${org.base}/events`)).status).toBe(200)
    expect((await gate.post(`${org.base}/events`, { name: 'E', kind: 'concert' })).status).toBe(403)
    const list = await ok(org.owner.get(path))
    expect(list.items).toHaveLength(5)
    expect(list.items).toContainEqual({ userId: added.userId, email, name: 'New', role: 'manager' })
    const promoted = await ok(org.owner.patch(`${path}/${added.userId}`, { role: 'owner' }))
    expect(promoted).toMatchObject({ userId: added.userId, role: 'owner' })
    expect((await newcomer.get(path)).status).toBe(200)
  })

  it('refuses duplicates (409), new accounts without a good password (400) and unknown members (404)', async () => {
    const org = await organizerWithStaff()
    const path = `${org.base}/staff`
    const me = await ok(org.manager.get('/api/auth/me'))
    const duplicate = await org.owner.post(path, { email: me.email, name: 'Again', role: 'gate' })
    expect(duplicate.status).toBe(409)
    expect((await problemOf(duplicate)).code).toBe('conflict')
    const noPassword = await org.owner.post(path, { email: 'fresh-x@staff.test', name: 'F', role: 'gate' })
    expect((await problemOf(noPassword)).errors).toEqual([
      { path: 'json.password', message: 'is required for a new account' },
    ])
    const short = await org.owner.post(path, {
      email: 'fresh-y@staff.test',
      name: 'F',
      role: 'boss',
      password: 'short',
    })
    expect((await problemOf(short)).errors?.map((e) => e.path).sort()).toEqual(['json.password', 'json.role'])
    expect((await org.owner.patch(`${path}/usr_nobody`, { role: 'gate' })).status).toBe(404)
    expect((await org.owner.delete(`${path}/usr_nobody`)).status).toBe(404)
    expect((await ok(org.owner.get(path))).items).toHaveLength(3)
  })

  it('never removes or demotes the last owner (409), but does once another owner exists', async () => {
    const org = await organizerWithStaff()
    const path = `${org.base}/staff`
    const owner = await ok(org.owner.get('/api/auth/me'))
    const manager = await ok(org.manager.get('/api/auth/me'))
    const demote = await org.owner.patch(`${path}/${owner.id}`, { role: 'manager' })
    expect(demote.status).toBe(409)
    expect((await problemOf(demote)).code).toBe('conflict')
    const remove = await org.owner.delete(`${path}/${owner.id}`)
    expect(remove.status).toBe(409)
    expect((await problemOf(remove)).code).toBe('conflict')
    expect((await ok(org.owner.get(path))).items).toContainEqual(
      expect.objectContaining({ userId: owner.id, role: 'owner' }),
    )
    await ok(org.owner.patch(`${path}/${manager.id}`, { role: 'owner' }))
    expect((await ok(org.owner.patch(`${path}/${owner.id}`, { role: 'gate' }))).role).toBe('gate')
    // Now the former manager is the last owner.
    expect((await org.manager.delete(`${path}/${manager.id}`)).status).toBe(409)
  })

  it('answers 403 to managers, gate staff and other organizers’ owners', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const path = `${org.base}/staff`
    const owner = await ok(org.owner.get('/api/auth/me'))
    const gate = await ok(org.gate.get('/api/auth/me'))
    for (const client of [org.manager, org.gate, other.owner]) {
      for (const res of [
        await client.get(path),
        await client.post(path, {
          email: 'x-new@staff.test',
          name: 'X',
          role: 'owner',
          password: 'long-enough-pw',
        }),
        await client.patch(`${path}/${gate.id}`, { role: 'owner' }),
        await client.delete(`${path}/${owner.id}`),
      ]) {
        expect(res.status).toBe(403)
        expect((await problemOf(res)).code).toBe('forbidden')
      }
    }
    const members = (await ok(org.owner.get(path))).items
    expect(members).toHaveLength(3)
    expect(members).toContainEqual(expect.objectContaining({ userId: gate.id, role: 'gate' }))
    expect((await org.gate.get(`${org.base}/events`)).status).toBe(200)
  })
})
