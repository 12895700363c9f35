import { env } from 'cloudflare:workers'
import { SignJWT } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { outgoingMessages } from '../../../worker/db/schema.ts'
import { newId } from '../../../worker/ids.ts'
import { app } from '../../../worker/routes/index.ts'
import { signCustomerSession } from '../../../worker/services/customer-session.ts'
import { signStaffSession } from '../../../worker/services/staff-session.ts'
import { ApiClient, organizerWithStaff, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'

afterEach(() => vi.useRealTimers())

const minute = 60_000
let n = 0
const uniqueEmail = () => `Buyer${Date.now()}${n++}@Example.com`
const uniquePhone = () => `+86 139 ${String(Date.now() * 10 + (n++ % 10)).slice(-8)}`
const normalize = (contact: string) =>
  contact.includes('@') ? contact.trim().toLowerCase() : contact.replace(/[\s-]/g, '')

/** Codes can be read only in development (the dev mailbox), so these tests ask for them there. */
const requestCode = (client: ApiClient, contact: string) =>
  new ApiClient(client.cookie, { ENVIRONMENT: 'development' }).post('/api/customer/auth/code', { contact })
const verify = (client: ApiClient, contact: string, code: string) =>
  client.post('/api/customer/auth/verify', { contact, code })

/** Reads the newest code sent to a contact from the outgoing messages, as the dev mailbox would show it. */
async function latestCode(contact: string) {
  const subject = await env.DB.prepare(
    'SELECT subject FROM outgoing_messages WHERE "to" = ? ORDER BY created_at DESC, id DESC LIMIT 1',
  )
    .bind(normalize(contact))
    .first<string>('subject')
  return subject!.match(/(\d{6})$/)![1]!
}

/** A six-digit code that is certainly not `code`. */
const otherThan = (code: string, k = 0) => String((Number(code) + 1 + k) % 1_000_000).padStart(6, '0')

async function signInCustomer(contact: string) {
  const client = new ApiClient()
  expect((await requestCode(client, contact)).status).toBe(202)
  const me = await ok(verify(client, contact, await latestCode(contact)))
  return { client, me }
}

const codeRow = (contact: string) =>
  env.DB.prepare('SELECT * FROM customer_codes WHERE contact = ? ORDER BY created_at DESC, id DESC LIMIT 1')
    .bind(normalize(contact))
    .first<{ code_hash: string; attempts: number; consumed_at: string | null }>()

/** The app with ENVIRONMENT=development, the only place the dev mailbox answers. */
const devRequest = (path: string) =>
  app.request(path, {}, { ...(env as unknown as Record<string, unknown>), ENVIRONMENT: 'development' })

describe('customer sign-in: happy paths', () => {
  it('sends a code, signs in with a secure cookie, and knows the customer', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    const sent = await requestCode(client, `  ${email} `)
    expect(sent.status).toBe(202)
    expect(await sent.json()).toEqual({ sent: true, expiresInMinutes: 10 })

    const res = await verify(client, email, await latestCode(email))
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^customer_session=[\w-]+\.[\w-]+\.[\w-]+;/)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('Secure')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/')
    expect(cookie).toContain(`Max-Age=${30 * 24 * 60 * 60}`)
    const me = await res.json<Record<string, string>>()
    expect(me).toEqual({
      id: expect.stringMatching(/^cus_/),
      contact: normalize(email),
      contactKind: 'email',
      name: null,
    })

    expect(await ok(client.get('/api/customer/auth/me'))).toEqual(me)
    expect(await ok(client.patch('/api/customer/auth/me', { name: '  Mei  ' }))).toMatchObject({
      name: 'Mei',
    })
    expect(await ok(client.get('/api/customer/auth/me'))).toMatchObject({ id: me.id, name: 'Mei' })
  })

  it('creates the account only once: signing in again is the same customer', async () => {
    const email = uniqueEmail()
    const first = await signInCustomer(email)
    const again = await signInCustomer(email.toUpperCase())
    expect(again.me.id).toBe(first.me.id)
    const { count } = (await env.DB.prepare('SELECT count(*) AS count FROM customers WHERE contact = ?')
      .bind(normalize(email))
      .first<{ count: number }>())!
    expect(count).toBe(1)
  })

  it('signs in with a phone number, ignoring spaces and dashes', async () => {
    const phone = uniquePhone()
    const spaced = `${phone.slice(0, 6)}-${phone.slice(6)}`
    const { me } = await signInCustomer(spaced)
    expect(me).toMatchObject({ contact: normalize(phone), contactKind: 'phone' })
    expect(me.contact).toMatch(/^\+\d+$/)
  })

  it('answers the same whether or not the contact already has an account', async () => {
    const known = uniqueEmail()
    await signInCustomer(known)
    const a = await requestCode(new ApiClient(), known)
    const b = await requestCode(new ApiClient(), uniqueEmail())
    expect([a.status, b.status]).toEqual([202, 202])
    expect(await a.json()).toEqual(await b.json())
    expect(a.headers.get('set-cookie')).toBeNull()
  })

  it('stores only an HMAC of the code and sends the code as a message', async () => {
    const email = uniqueEmail()
    await requestCode(new ApiClient(), email)
    const code = await latestCode(email)
    const row = (await codeRow(email))!
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/)
    expect(row.code_hash).not.toContain(code)
    const message = await env.DB.prepare('SELECT body FROM outgoing_messages WHERE "to" = ?')
      .bind(normalize(email))
      .first<string>('body')
    expect(message).toContain(code)
  })

  it('still accepts a code just before its 10 minutes are up', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    await requestCode(client, email)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 10 * minute - 2_000)
    await ok(verify(client, email, await latestCode(email)))
  })

  it('accepts the right code after four wrong ones', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    await requestCode(client, email)
    const code = await latestCode(email)
    for (let i = 0; i < 4; i++) expect((await verify(client, email, otherThan(code, i))).status).toBe(401)
    await ok(verify(client, email, code))
  })

  it('signs out: the cookie is cleared and /me needs sign-in again', async () => {
    const { client } = await signInCustomer(uniqueEmail())
    const out = await client.post('/api/customer/auth/logout', {})
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/^customer_session=;.*Max-Age=0/)
    expect((await client.get('/api/customer/auth/me')).status).toBe(401)
  })
})

describe('customer sign-in: errors', () => {
  it('refuses a wrong code with 401 unauthorized', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    await requestCode(client, email)
    const res = await verify(client, email, otherThan(await latestCode(email)))
    expect(res.status).toBe(401)
    expect((await problemOf(res)).code).toBe('unauthorized')
    expect(res.headers.get('set-cookie')).toBeNull()
    expect((await codeRow(email))!.attempts).toBe(1)
  })

  it('kills a code after 5 wrong tries; a new code works', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    await requestCode(client, email)
    const code = await latestCode(email)
    for (let i = 0; i < 5; i++) expect((await verify(client, email, otherThan(code, i))).status).toBe(401)
    const dead = await verify(client, email, code)
    expect(dead.status).toBe(401)
    expect((await problemOf(dead)).code).toBe('unauthorized')

    await requestCode(client, email)
    await ok(verify(client, email, await latestCode(email)))
  })

  it('accepts a code only once', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    await requestCode(client, email)
    const code = await latestCode(email)
    await ok(verify(client, email, code))
    expect((await verify(new ApiClient(), email, code)).status).toBe(401)
  })

  it('refuses an expired code', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    await requestCode(client, email)
    const code = await latestCode(email)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 10 * minute + 1_000)
    const res = await verify(client, email, code)
    expect(res.status).toBe(401)
    expect((await problemOf(res)).code).toBe('unauthorized')
  })

  it('only the newest code counts once a new one was requested', async () => {
    const email = uniqueEmail()
    const client = new ApiClient()
    await requestCode(client, email)
    const older = await latestCode(email)
    await requestCode(client, email)
    const newer = await latestCode(email)
    if (older !== newer) expect((await verify(client, email, older)).status).toBe(401)
    await ok(verify(client, email, newer))
  })

  it('refuses to verify when no code was ever sent', async () => {
    expect((await verify(new ApiClient(), uniqueEmail(), '123456')).status).toBe(401)
  })

  it('rate-limits to 5 codes per contact per hour with Retry-After, then allows again', async () => {
    const email = uniqueEmail()
    for (let i = 0; i < 5; i++) expect((await requestCode(new ApiClient(), email)).status).toBe(202)
    const limited = await requestCode(new ApiClient(), email.toUpperCase())
    expect(limited.status).toBe(429)
    expect((await problemOf(limited)).code).toBe('rate_limited')
    const retry = Number(limited.headers.get('retry-after'))
    expect(retry).toBeGreaterThan(0)
    expect(retry).toBeLessThanOrEqual(3600)
    // Another contact is not affected.
    expect((await requestCode(new ApiClient(), uniqueEmail())).status).toBe(202)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61 * minute)
    expect((await requestCode(new ApiClient(), email)).status).toBe(202)
  })

  it('validates contacts, codes and names', async () => {
    for (const contact of ['not a contact', 'a@b', '12345', '+86 abc 1234', '']) {
      const bad = await requestCode(new ApiClient(), contact)
      expect(bad.status).toBe(400)
      expect((await problemOf(bad)).errors?.[0]?.path).toBe('json.contact')
    }
    for (const code of ['12345', '1234567', 'abcdef']) {
      const bad = await verify(new ApiClient(), uniqueEmail(), code)
      expect(bad.status).toBe(400)
      expect((await problemOf(bad)).errors?.[0]?.path).toBe('json.code')
    }
    const { client } = await signInCustomer(uniqueEmail())
    expect((await client.patch('/api/customer/auth/me', { name: '   ' })).status).toBe(400)
    expect((await client.patch('/api/customer/auth/me', { name: 'x'.repeat(101) })).status).toBe(400)
  })

  it('needs sign-in for /me', async () => {
    const res = await new ApiClient().get('/api/customer/auth/me')
    expect(res.status).toBe(401)
    expect((await problemOf(res)).code).toBe('unauthorized')
    expect((await new ApiClient().patch('/api/customer/auth/me', { name: 'Mei' })).status).toBe(401)
  })
})

describe('customer sign-in: security', () => {
  it('does not accept a staff session as a customer session, or the other way round', async () => {
    const org = await organizerWithStaff()
    // The staff member's own cookie does not sign them in as a customer…
    expect((await org.owner.get('/api/customer/auth/me')).status).toBe(401)
    // …nor does the staff token under the customer cookie name.
    const staffAsCustomer = new ApiClient(org.owner.cookie!.replace('staff_session', 'customer_session'))
    expect((await staffAsCustomer.get('/api/customer/auth/me')).status).toBe(401)

    const { client, me } = await signInCustomer(uniqueEmail())
    expect((await client.get('/api/auth/me')).status).toBe(401)
    const customerAsStaff = new ApiClient(client.cookie!.replace('customer_session', 'staff_session'))
    expect((await customerAsStaff.get('/api/auth/me')).status).toBe(401)
    // A staff-audience token made for the customer's id, with the real secret, is still refused.
    const staffToken = await signStaffSession({ userId: me.id, sessionVersion: 1 }, env.SESSION_SECRET)
    expect((await new ApiClient(`customer_session=${staffToken}`).get('/api/customer/auth/me')).status).toBe(
      401,
    )
  })

  it('refuses tampered, forged, expired and revoked customer sessions', async () => {
    const { client, me } = await signInCustomer(uniqueEmail())
    const token = client.cookie!.split('=')[1]!
    const [header, payload, signature] = token.split('.') as [string, string, string]
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`
    const claims = JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/')))
    const otherPayload = btoa(JSON.stringify({ ...claims, sub: 'cus_someone_else' }))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '')
    const unsigned = `${btoa(JSON.stringify({ alg: 'none' })).replace(/=+$/, '')}.${payload}.`
    const wrongSecret = await signCustomerSession({ customerId: me.id, sessionVersion: 1 }, 'not-the-secret')
    const expired = await signCustomerSession(
      { customerId: me.id, sessionVersion: 1 },
      env.SESSION_SECRET,
      Date.now() - 31 * 24 * 60 * minute,
    )
    const unknown = await signCustomerSession(
      { customerId: 'cus_nobody', sessionVersion: 1 },
      env.SESSION_SECRET,
    )
    const hs512 = await new SignJWT({ sv: 1 })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject(me.id)
      .setAudience('customer')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(env.SESSION_SECRET))
    for (const forged of [
      `${token}x`,
      `${header}.${payload}.${flipped}`,
      `${header}.${otherPayload}.${signature}`,
      unsigned,
      wrongSecret,
      expired,
      unknown,
      hs512,
      'garbage',
    ]) {
      const res = await new ApiClient(`customer_session=${forged}`).get('/api/customer/auth/me')
      expect(res.status, forged).toBe(401)
      expect((await problemOf(res)).code).toBe('unauthorized')
    }
    // A good token made the same way is accepted, so the refusals above are about the forgery.
    const good = await signCustomerSession({ customerId: me.id, sessionVersion: 1 }, env.SESSION_SECRET)
    await ok(new ApiClient(`customer_session=${good}`).get('/api/customer/auth/me'))

    // Bumping the session version ends every existing session.
    await env.DB.prepare('UPDATE customers SET session_version = session_version + 1 WHERE id = ?')
      .bind(me.id)
      .run()
    expect((await client.get('/api/customer/auth/me')).status).toBe(401)
  })

  it('counts parallel guesses: never more than 5 tries per code', async () => {
    const email = uniqueEmail()
    await requestCode(new ApiClient(), email)
    const code = await latestCode(email)
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => verify(new ApiClient(), email, otherThan(code, i))),
    )
    expect(results.every((r) => r.status === 401)).toBe(true)
    expect((await codeRow(email))!.attempts).toBe(5)
    expect((await verify(new ApiClient(), email, code)).status).toBe(401)
  })

  it('lets only one of two simultaneous verifications with the right code through', async () => {
    const email = uniqueEmail()
    await requestCode(new ApiClient(), email)
    const code = await latestCode(email)
    const results = await Promise.all([0, 1, 2].map(() => verify(new ApiClient(), email, code)))
    expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401])
  })

  it('holds the rate limit under parallel code requests', async () => {
    const email = uniqueEmail()
    const results = await Promise.all(Array.from({ length: 9 }, () => requestCode(new ApiClient(), email)))
    const statuses = results.map((r) => r.status)
    expect(statuses.filter((s) => s === 202)).toHaveLength(5)
    expect(statuses.filter((s) => s === 429)).toHaveLength(4)
  })

  it('makes the signed-in customer the buyer: their holds are theirs on any device, not an anonymous browser’s', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const email = uniqueEmail()
    const phone = await signInCustomer(email)
    const seat = show.seatIds[0]!
    const hold = await ok(phone.client.post(`/api/shows/${show.showId}/holds`, { seatIds: [seat] }), 201)
    // No anonymous buyer cookie is handed out to a signed-in customer.
    expect(phone.client.cookie).toMatch(/^customer_session=/)

    // An anonymous browser's release is a no-op (releases are idempotent): the seat stays held.
    const stranger = new ApiClient()
    expect((await stranger.delete(`/api/shows/${show.showId}/holds/${hold.id}`)).status).toBe(204)
    expect((await stranger.post(`/api/shows/${show.showId}/holds`, { seatIds: [seat] })).status).toBe(409)

    // The same customer signed in on another device owns the hold and can release it.
    const laptop = await signInCustomer(email)
    expect((await laptop.client.delete(`/api/shows/${show.showId}/holds/${hold.id}`)).status).toBe(204)
    await ok(stranger.post(`/api/shows/${show.showId}/holds`, { seatIds: [seat] }), 201)
  })

  it('makes the signed-in customer the owner of orders across devices', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const email = uniqueEmail()
    const phone = await signInCustomer(email)
    const hold = await ok(
      phone.client.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]] }),
      201,
    )
    const created = await ok(
      phone.client.fetch('/api/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': `cust-${Date.now()}` },
        body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id }),
      }),
      201,
    )
    expect(created.order.customerId).toBe(phone.me.id)
    const laptop = await signInCustomer(email)
    expect((await ok(laptop.client.get('/api/orders'))).items.map((o: { id: string }) => o.id)).toEqual([
      created.orderId,
    ])
    expect((await new ApiClient().get(`/api/orders/${created.orderId}`)).status).toBe(404)
  })
})

describe('dev mailbox', () => {
  it('is not there outside development', async () => {
    for (const path of ['/api/dev/mailbox', '/api/dev/mailbox?to=a@b.co', '/api/dev/mailbox/page']) {
      const res = await new ApiClient().get(path)
      expect(res.status, path).toBe(404)
      expect((await problemOf(res)).code).toBe('not_found')
    }
  })

  it('lists messages for a contact newest first in development', async () => {
    const email = uniqueEmail()
    await requestCode(new ApiClient(), email)
    const first = await latestCode(email)
    await requestCode(new ApiClient(), email)
    const second = await latestCode(email)
    const res = await devRequest(`/api/dev/mailbox?to=${encodeURIComponent(email.toUpperCase())}`)
    expect(res.status).toBe(200)
    const { items } = await res.json<{ items: { to: string; subject: string }[] }>()
    // Asked for without a language (no page locale, cookie or Accept-Language): written in Chinese.
    expect(items.map((m) => m.subject)).toEqual([`登录验证码：${second}`, `登录验证码：${first}`])
    expect(items.every((m) => m.to === normalize(email))).toBe(true)

    const phone = uniquePhone()
    await requestCode(new ApiClient(), phone)
    // `+` unencoded in a query string arrives as a space; the number still matches.
    const byPhone = await devRequest(`/api/dev/mailbox?to=${normalize(phone)}`)
    const phoneItems = (await byPhone.json<{ items: { to: string }[] }>()).items
    expect(phoneItems.map((m) => m.to)).toEqual([normalize(phone)])
  })

  it('shows messages on an HTML page with their text escaped', async () => {
    const to = normalize(uniqueEmail())
    await openDatabase(env.DB)
      .insert(outgoingMessages)
      .values({ id: newId('msg'), to, subject: '<script>alert(1)</script>', body: 'a & b <b>bold</b>' })
    const res = await devRequest(`/api/dev/mailbox/page?to=${encodeURIComponent(to)}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/html')
    const page = await res.text()
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(page).toContain('a &amp; b &lt;b&gt;bold&lt;/b&gt;')
    expect(page).not.toContain('<script>')
    expect(page).not.toContain('<b>bold')
  })
})
