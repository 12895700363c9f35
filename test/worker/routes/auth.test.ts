import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
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

afterEach(() => vi.useRealTimers())

describe('staff sign-in', () => {
  it('sets an http-only, secure, same-site session cookie and knows who you are', async () => {
    const org = await organizerWithStaff()
    const user = await createStaffUser()
    await env.DB.prepare("INSERT INTO memberships (user_id, organizer_id, role) VALUES (?, ?, 'manager')")
      .bind(user.id, org.organizerId)
      .run()
    const res = await login(user.email.toUpperCase(), TEST_PASSWORD)
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^staff_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/Secure/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    const client = new ApiClient(cookie.split(';')[0])
    expect(await ok(client.get('/api/auth/me'))).toMatchObject({
      id: user.id,
      email: user.email,
      organizers: [{ id: org.organizerId, role: 'manager' }],
    })
    expect((await client.post('/api/auth/logout', {})).status).toBe(204)
  })

  it('answers wrong password and unknown email alike', async () => {
    const user = await createStaffUser()
    const wrong = await problemOf(await login(user.email, 'not-the-password'))
    const unknown = await problemOf(await login('nobody@staff.test', 'not-the-password'))
    expect(wrong).toMatchObject({ code: 'unauthorized', detail: 'Wrong email or password' })
    expect(unknown).toMatchObject({ code: 'unauthorized', detail: wrong.detail })
  })

  it('locks the account after 5 wrong passwords, even for the right one, then lets it in again later', async () => {
    const user = await createStaffUser()
    for (let i = 0; i < 5; i++) expect((await login(user.email, `wrong-${i}`)).status).toBe(401)
    const locked = await login(user.email, TEST_PASSWORD)
    expect(locked.status).toBe(429)
    expect((await problemOf(locked)).code).toBe('rate_limited')
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(800)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 16 * 60_000)
    expect((await login(user.email, TEST_PASSWORD)).status).toBe(200)
    const row = await env.DB.prepare('SELECT failed_logins, locked_until FROM staff_users WHERE id = ?')
      .bind(user.id)
      .first()
    expect(row).toMatchObject({ failed_logins: 0, locked_until: null })
  })

  it('refuses forged, tampered and foreign tokens', async () => {
    const org = await organizerWithStaff()
    const cookie = org.owner.cookie!
    const [name, token] = cookie.split('=') as [string, string]
    const [header, payload, signature] = token.split('.')
    const claims = JSON.parse(atob(payload!.replaceAll('-', '+').replaceAll('_', '/')))
    const forgedPayload = btoa(JSON.stringify({ ...claims, sub: 'usr_someone_else' }))
      .replaceAll('=', '')
      .replaceAll('+', '-')
      .replaceAll('/', '_')
    for (const bad of [
      `${name}=${header}.${forgedPayload}.${signature}`,
      `${name}=${token.slice(0, -4)}AAAA`,
      `${name}=garbage`,
    ]) {
      const res = await new ApiClient(bad).get(`${org.base}/venues`)
      expect(res.status).toBe(401)
    }
  })
})

describe('organizer staff management', () => {
  it('lets owners add members, change roles, and never remove the last owner', async () => {
    const org = await organizerWithStaff()
    const added = await ok(
      org.owner.post(`${org.base}/staff`, {
        email: 'New.Manager@Staff.test',
        name: 'New',
        role: 'manager',
        password: 'long-enough-password',
      }),
      201,
    )
    expect(added).toMatchObject({ email: 'new.manager@staff.test', role: 'manager' })
    const newcomer = await signIn('new.manager@staff.test', 'long-enough-password')
    expect((await ok(newcomer.get(`${org.base}/events`))).items).toEqual([])
    expect(
      (
        await org.owner.post(`${org.base}/staff`, {
          email: 'new.manager@staff.test',
          name: 'New',
          role: 'gate',
        })
      ).status,
    ).toBe(409)
    const noPassword = await org.owner.post(`${org.base}/staff`, {
      email: 'fresh@staff.test',
      name: 'F',
      role: 'gate',
    })
    expect((await problemOf(noPassword)).errors?.[0]?.path).toBe('json.password')
    const me = await ok(org.owner.get('/api/auth/me'))
    const lastOwner = await org.owner.patch(`${org.base}/staff/${me.id}`, { role: 'manager' })
    expect((await problemOf(lastOwner)).code).toBe('conflict')
    expect((await org.owner.delete(`${org.base}/staff/${me.id}`)).status).toBe(409)
    expect((await org.manager.get(`${org.base}/staff`)).status).toBe(403)
  })

  it('ends a removed member’s session at once', async () => {
    const org = await organizerWithStaff()
    const me = await ok(org.manager.get('/api/auth/me'))
    expect((await org.manager.get(`${org.base}/events`)).status).toBe(200)
    expect((await org.owner.delete(`${org.base}/staff/${me.id}`)).status).toBe(204)
    expect((await org.manager.get(`${org.base}/events`)).status).toBe(401)
  })
})
