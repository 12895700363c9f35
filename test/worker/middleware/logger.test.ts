import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { customers } from '../../../worker/db/schema.ts'
import { newId } from '../../../worker/ids.ts'
import { jsonLogger } from '../../../worker/middleware/logger.ts'
import { maskRecipient } from '../../../worker/services/messages.ts'
import { ApiClient } from '../../support/api.ts'
import { captureLogs } from '../../support/logs.ts'

afterEach(() => vi.restoreAllMocks())

describe('logger: secrets are redacted whoever logs them', () => {
  it('drops the bound values a failed drizzle query puts in its error (hashes, ID numbers, secrets)', async () => {
    const db = openDatabase(env.DB)
    const id = newId('cus')
    const contact = `${id}@example.com`
    await db.insert(customers).values({ id, contact, contactKind: 'email' })
    const error = await db
      .insert(customers)
      .values({
        id,
        contact: 'other-110101199003071234@example.com',
        contactKind: 'email',
        name: 'whsec_c2VjcmV0',
      })
      .then(() => null)
      .catch((e: unknown) => e as Error)
    // The failure really carries the values: that is what would have been logged.
    expect(error?.stack).toContain('110101199003071234')

    const logs = captureLogs()
    jsonLogger({ requestId: 'req_1' }).error('unhandled error', { error: error!.stack, path: '/api/x' })
    expect(logs).toHaveLength(1)
    const line = JSON.parse(logs[0]!)
    expect(line).toMatchObject({
      level: 'error',
      message: 'unhandled error',
      requestId: 'req_1',
      path: '/api/x',
    })
    expect(line.error).toContain('Failed query: insert into "customers"')
    expect(line.error).toContain('params: [redacted]')
    expect(logs[0]).not.toContain('110101199003071234')
    expect(logs[0]).not.toContain('c2VjcmV0')
  })

  it('redacts secret fields at any depth and secret-shaped text, and keeps everything else', () => {
    const logs = captureLogs()
    jsonLogger().warn('partner call', {
      password: 'hunter2',
      headers: { Authorization: 'Bearer abc.def', Cookie: 'staff_session=eyJhbGciOi' },
      endpoint: { webhookSecret: 'anything', enabled: true },
      subject: 'Your sign-in code: 123456',
      note: 'signed with whsec_QUJDRA== and psk_abc-DEF_1 by sk_live_51abc; ticket eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiJ0In0.c2ln',
      visitor: 'ID 11010119900307123X',
      code: 'not_held',
      orderId: 'ord_01J0000000000000000000000',
      amount: 4500,
    })
    const line = JSON.parse(logs[0]!)
    expect(line).toMatchObject({
      password: '[redacted]',
      headers: { Authorization: '[redacted]', Cookie: '[redacted]' },
      endpoint: { webhookSecret: '[redacted]', enabled: true },
      subject: '[redacted]',
      note: 'signed with whsec_[redacted] and psk_[redacted] by sk_live_[redacted]; ticket [redacted jwt]',
      visitor: 'ID [redacted id number]',
      code: 'not_held',
      orderId: 'ord_01J0000000000000000000000',
      amount: 4500,
    })
  })

  it('keeps a one-time token in a path out of the access log, and ordinary ids in', async () => {
    const token = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replace(/=+$/, '')
    const logs = captureLogs()
    const orderId = newId('ord')
    await new ApiClient().get(`/api/no-such-route/${orderId}/${token}/accept`)
    const access = logs.map((l) => JSON.parse(l)).find((l) => l.message === 'request')
    expect(access.path).toBe(`/api/no-such-route/${orderId}/[redacted token]/accept`)
    expect(access.status).toBe(404)
  })

  it('masks recipients: enough to tell them apart, not to contact them', () => {
    expect(maskRecipient('buyer@example.com')).toBe('b***@example.com')
    expect(maskRecipient('+8613912345678')).toBe('**********5678')
    expect(maskRecipient('123')).toBe('****')
  })
})
