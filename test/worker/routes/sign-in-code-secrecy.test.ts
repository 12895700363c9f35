import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { hashCode } from '../../../worker/services/customer-codes.ts'
import { ApiClient } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { captureLogs } from '../../support/logs.ts'

afterEach(() => vi.restoreAllMocks())

let n = 0
const uniqueEmail = () => `victim${Date.now()}${n++}@example.com`
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')

const storedMessages = (to: string) =>
  env.DB.prepare('SELECT id, subject, body FROM outgoing_messages WHERE "to" = ?')
    .bind(to)
    .all<{ id: string; subject: string; body: string }>()
    .then((r) => r.results)

/**
 * The attack: read every six-digit number in `text` and try it as the contact's code. Tried against the stored
 * HMAC rather than the verify route, so the check itself does not use up the code's tries.
 */
async function codesIn(text: string, contact: string): Promise<string[]> {
  const row = await env.DB.prepare(
    'SELECT code_hash FROM customer_codes WHERE contact = ? ORDER BY created_at DESC, id DESC LIMIT 1',
  )
    .bind(contact)
    .first<{ code_hash: string }>()
  const candidates = new Set<string>()
  for (const run of text.match(/\d{6,}/g) ?? [])
    for (let i = 0; i + 6 <= run.length; i++) candidates.add(run.slice(i, i + 6))
  const found: string[] = []
  for (const candidate of candidates)
    if (hex(await hashCode(env.SESSION_SECRET, contact, candidate)) === row!.code_hash) found.push(candidate)
  return found
}

describe('security: sign-in codes never reach the logs, nor storage outside development', () => {
  for (const [environment, bindings] of [
    ['test', undefined],
    ['production', { ENVIRONMENT: 'production', PAYMENT_PROVIDER: 'stripe' }],
  ] as const) {
    it(`security: in ${environment}, the code is neither logged nor stored, and the send is still recorded`, async () => {
      const contact = uniqueEmail()
      const logs = captureLogs()
      const sent = await new ApiClient(undefined, bindings).post('/api/customer/auth/code', { contact })
      expect(sent.status).toBe(202)

      const stored = await storedMessages(contact)
      expect(stored).toHaveLength(1)
      const everything = [...logs, ...stored.map((m) => `${m.subject}\n${m.body}`)].join('\n')
      expect(await codesIn(everything, contact)).toEqual([])

      // What is logged: the message id, its kind and a masked recipient, nothing of the text.
      const logged = logs.map((l) => JSON.parse(l)).find((l) => l.message === 'message queued')
      expect(logged).toMatchObject({ messageId: stored[0]!.id, kind: 'sign_in_code', to: 'v***@example.com' })
      expect(logged).not.toHaveProperty('subject')
      expect(stored[0]!.body).toBe('')
    })
  }

  it('in development the dev mailbox shows the code, which signs in; the log still has no code', async () => {
    const contact = uniqueEmail()
    const development = new ApiClient(undefined, { ENVIRONMENT: 'development' })
    const logs = captureLogs()
    expect((await development.post('/api/customer/auth/code', { contact })).status).toBe(202)
    expect(await codesIn(logs.join('\n'), contact)).toEqual([])

    const mailbox = await ok(development.get(`/api/dev/mailbox?to=${encodeURIComponent(contact)}`))
    expect(mailbox.items).toHaveLength(1)
    const [code] = await codesIn(`${mailbox.items[0].subject}\n${mailbox.items[0].body}`, contact)
    expect(code).toMatch(/^\d{6}$/)
    const page = await development.get(`/api/dev/mailbox/page?to=${encodeURIComponent(contact)}`)
    expect(await page.text()).toContain(code)
    await ok(new ApiClient().post('/api/customer/auth/verify', { contact, code }))
  })
})
