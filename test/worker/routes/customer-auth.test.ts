import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ApiClient, organizerWithStaff, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'

afterEach(() => vi.useRealTimers())

let n = 0
const uniqueEmail = () => `buyer${Date.now()}${n++}@Example.com`

/** Reads the newest code sent to a contact from the outgoing messages, as the dev mailbox would show it. */
async function latestCode(contact: string) {
  const subject = await env.DB.prepare(
    'SELECT subject FROM outgoing_messages WHERE "to" = ? ORDER BY created_at DESC, rowid DESC LIMIT 1',
  )
    .bind(contact)
    .first<string>('subject')
  return subject!.match(/(\d{6})$/)![1]!
}

async function signInCustomer(contact: string) {
  const client = new ApiClient()
  expect((await client.post('/api/customer/auth/code', { contact })).status).toBe(202)
  const normalized = contact.includes('@') ? contact.toLowerCase() : contact.replace(/[\s-]/g, '')
  const me = await ok(
    client.post('/api/customer/auth/verify', { contact, code: await latestCode(normalized) }),
  )
  return { client, me }
}

describe('customer sign-in with a one-time code', () => {
  it('sends a code, signs in (creating the account once) and knows the customer', async () => {
    const email = uniqueEmail()
    const { client, me } = await signInCustomer(email)
    expect(me).toMatchObject({ contact: email.toLowerCase(), contactKind: 'email', name: null })
    expect(me.id).toMatch(/^cus_/)
    expect(client.cookie).toMatch(/^customer_session=/)
    expect(await ok(client.get('/api/customer/auth/me'))).toMatchObject({ id: me.id })
    expect(await ok(client.patch('/api/customer/auth/me', { name: 'Mei' }))).toMatchObject({ name: 'Mei' })
    const again = await signInCustomer(email)
    expect(again.me.id).toBe(me.id)
    const phone = await signInCustomer('+86 138-0013-8000')
    expect(phone.me).toMatchObject({ contact: '+8613800138000', contactKind: 'phone' })
  })

  it('refuses wrong, reused and expired codes, and kills a code after 5 wrong tries', async () => {
    const email = uniqueEmail().toLowerCase()
    const client = new ApiClient()
    await client.post('/api/customer/auth/code', { contact: email })
    const code = await latestCode(email)
    const wrongCode = code === '000000' ? '111111' : '000000'
    expect(
      (await problemOf(await client.post('/api/customer/auth/verify', { contact: email, code: wrongCode })))
        .code,
    ).toBe('unauthorized')
    await ok(client.post('/api/customer/auth/verify', { contact: email, code }))
    expect((await client.post('/api/customer/auth/verify', { contact: email, code })).status).toBe(401)

    await client.post('/api/customer/auth/code', { contact: email })
    const fresh = await latestCode(email)
    for (let i = 0; i < 5; i++)
      await client.post('/api/customer/auth/verify', {
        contact: email,
        code: fresh === '000000' ? '999999' : '000000',
      })
    expect((await client.post('/api/customer/auth/verify', { contact: email, code: fresh })).status).toBe(401)

    await client.post('/api/customer/auth/code', { contact: email })
    const late = await latestCode(email)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 11 * 60_000)
    expect((await client.post('/api/customer/auth/verify', { contact: email, code: late })).status).toBe(401)
  })

  it('rate-limits codes per contact and validates contacts', async () => {
    const email = uniqueEmail()
    for (let i = 0; i < 5; i++)
      expect((await new ApiClient().post('/api/customer/auth/code', { contact: email })).status).toBe(202)
    const limited = await new ApiClient().post('/api/customer/auth/code', { contact: email })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    const bad = await new ApiClient().post('/api/customer/auth/code', { contact: 'not a contact' })
    expect((await problemOf(bad)).errors?.[0]?.path).toBe('json.contact')
  })
})

describe('customer sessions: security', () => {
  it('does not accept staff sessions as customers or the other way round, nor tampered cookies', async () => {
    const org = await organizerWithStaff()
    const staffAsCustomer = new ApiClient(org.owner.cookie!.replace('staff_session', 'customer_session'))
    expect((await staffAsCustomer.get('/api/customer/auth/me')).status).toBe(401)
    const { client } = await signInCustomer(uniqueEmail())
    const customerAsStaff = new ApiClient(client.cookie!.replace('customer_session', 'staff_session'))
    expect((await customerAsStaff.get('/api/auth/me')).status).toBe(401)
    expect((await new ApiClient(`${client.cookie}x`).get('/api/customer/auth/me')).status).toBe(401)
    expect((await new ApiClient().get('/api/dev/mailbox')).status).toBe(404)
  })

  it('makes the signed-in customer the owner of holds and orders across devices', async () => {
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
    // The same customer on another device sees the order; an anonymous browser does not.
    const laptop = await signInCustomer(email)
    expect((await ok(laptop.client.get('/api/orders'))).items.map((o: { id: string }) => o.id)).toEqual([
      created.orderId,
    ])
    expect((await new ApiClient().get(`/api/orders/${created.orderId}`)).status).toBe(404)
  })
})
