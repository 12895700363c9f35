import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { jsonLogger } from '../../../worker/middleware/logger.ts'
import { hashCode } from '../../../worker/services/customer-codes.ts'
import { deliverDueMessages } from '../../../worker/services/messages/outbox.ts'
import { catalogueMessage, sendMessage } from '../../../worker/services/messages.ts'
import { ApiClient } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { captureLogs } from '../../support/logs.ts'
import { eventually, expectRow, liveMessages, recordingEmailBinding } from '../../support/message-delivery.ts'
import { WebhookReceiver } from '../../support/webhook-receiver.ts'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

let n = 0
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')

/** Every six-digit run in `text` that is the contact's current code (checked against its stored HMAC). */
async function codesIn(text: string, contact: string): Promise<string[]> {
  const row = await env.DB.prepare(
    'SELECT code_hash FROM customer_codes WHERE contact = ? ORDER BY created_at DESC, id DESC LIMIT 1',
  )
    .bind(contact)
    .first<{ code_hash: string }>()
  const found = new Set<string>()
  for (const run of text.match(/\d{6,}/g) ?? [])
    for (let i = 0; i + 6 <= run.length; i++) {
      const candidate = run.slice(i, i + 6)
      if (hex(await hashCode(env.SESSION_SECRET, contact, candidate)) === row!.code_hash) found.add(candidate)
    }
  return [...found]
}

const storedRows = (to: string) =>
  env.DB.prepare('SELECT * FROM outgoing_messages WHERE "to" = ?')
    .bind(to)
    .all<Record<string, unknown>>()
    .then((r) => r.results)

describe('messages that leave: email through Cloudflare Email Service, SMS through Aliyun', () => {
  it('an order message reaches the send_email binding with its from, to, subject and body', async () => {
    const email = recordingEmailBinding()
    const db = openDatabase(env.DB)
    const to = `buyer.${Date.now()}.${n++}@buyers.test`
    const id = `msg_email_${Date.now()}_${n++}`
    const text = catalogueMessage('en', 'refunded', {
      order: {
        number: 'ET2612050002',
        title: 'Galaxy Tour Live',
        when: null,
        place: 'Hall A',
        items: 'Row C seat 9',
      },
      amount: 12850,
      currency: 'CNY',
      cause: 'requested',
      tickets: 1,
    })
    await sendMessage(db, jsonLogger(), { id, to, organizerId: null, ...text })
    await deliverDueMessages({
      db,
      logger: jsonLogger(),
      settings: { ...env, ...liveMessages, EMAIL: email.binding },
    })

    const received = email.calls.filter((call) => call.to === to)
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({
      from: { email: 'no-reply@tickets.test', name: '票务通知' },
      to,
      subject: 'Order ET2612050002: ¥128.50 refunded',
      text: text.body,
    })
    expect(received[0]!.text).toContain('Row C seat 9')
    expect(received[0]!.html).toContain('Order ET2612050002<br>Galaxy Tour Live')
    // The local binding accepted it and answered a Message-ID, which the outbox keeps.
    const row = await expectRow(id)
    expect(row).toMatchObject({ status: 'sent', channel: 'email', attempts: 1 })
    expect(row.provider_message_id).toBe(email.answers.at(-1)!.messageId)
    expect(row.provider_message_id).toMatch(/@tickets\.test>?$/)
  })

  it('sign-in works end to end with the email sender, and the code is in no log and no stored row', async () => {
    const email = recordingEmailBinding()
    const contact = `signin.${Date.now()}.${n++}@buyers.test`
    const shop = new ApiClient(undefined, { ...liveMessages, ENVIRONMENT: 'test', EMAIL: email.binding })
    const logs = captureLogs()
    expect((await shop.post('/api/customer/auth/code', { contact, locale: 'zh-CN' })).status).toBe(202)

    // It leaves right after the answer (the request's waitUntil), through the binding.
    const [mail] = await eventually(() => {
      const sent = email.calls.filter((call) => call.to === contact)
      expect(sent).toHaveLength(1)
      return sent
    }, 'the sign-in email reaches the binding')
    expect(mail!.subject).toMatch(/^登录验证码：\d{6}$/)
    const [code] = await codesIn(`${mail!.subject}\n${mail!.text}`, contact)
    expect(code).toMatch(/^\d{6}$/)
    const row = await eventually(async () => {
      const [stored] = await storedRows(contact)
      expect(stored).toMatchObject({ status: 'sent', channel: 'email' })
      return stored!
    }, 'the row is marked sent')

    // Outside development: neither the logs nor the stored row (any column) holds the code; the seal is gone.
    expect(row.sealed).toBeNull()
    expect(row.body).toBe('')
    expect(await codesIn([...logs, JSON.stringify(row)].join('\n'), contact)).toEqual([])
    expect(logs.map((l) => JSON.parse(l)).find((l) => l.message === 'message sent')).toMatchObject({
      kind: 'sign_in_code',
      channel: 'email',
      to: 's***@buyers.test',
    })

    const signedIn = await ok(new ApiClient().post('/api/customer/auth/verify', { contact, code }))
    expect(signedIn.contact).toBe(contact)
  })

  it('a sign-in code by SMS: the Aliyun request carries it, the logs and rows never do, and before delivery it is only sealed', async () => {
    const receiver = new WebhookReceiver().install('sms.test')
    receiver.answer = () => Response.json({ Code: 'OK', BizId: `biz-${n}` })
    // A different number each run (the route allows 5 codes per contact an hour).
    const contact = `+86137${String(Date.now()).slice(-6)}${String(n++ % 100).padStart(2, '0')}`
    const logs = captureLogs()
    const bindings = { ...liveMessages, ENVIRONMENT: 'production', PAYMENT_PROVIDER: 'stripe' }
    expect(
      (await new ApiClient(undefined, bindings).post('/api/customer/auth/code', { contact })).status,
    ).toBe(202)
    const request = await eventually(() => {
      const got = receiver.received.find((r) => r.body.includes(encodeURIComponent(contact.slice(3))))
      expect(got).toBeDefined()
      return got!
    }, 'the SMS request reaches the provider')
    const params = Object.fromEntries(new URLSearchParams(request.body))
    expect(params).toMatchObject({
      TemplateCode: 'SMS_101',
      PhoneNumbers: contact.slice(3),
      SignName: '票务通知',
    })
    const { code } = JSON.parse(params.TemplateParam!) as { code: string }
    expect(await codesIn(code, contact)).toEqual([code])

    const [row] = await eventually(async () => {
      const rows = await storedRows(contact)
      expect(rows[0]).toMatchObject({ status: 'sent', channel: 'sms' })
      return rows
    }, 'the SMS is marked sent')
    expect(row!.sms_params).toBeNull()
    expect(await codesIn([...logs, JSON.stringify(row)].join('\n'), contact)).toEqual([])
    // The provider key's secret is in no log either.
    expect(logs.join('\n')).not.toContain(liveMessages.ALIYUN_SMS_ACCESS_KEY_SECRET)
  })

  it('a message that could not leave yet holds its secret only sealed (no code in any column)', async () => {
    const contact = `+86136${String(Date.now()).slice(-6)}${String(n++ % 100).padStart(2, '0')}`
    // No SMS sender configured in this "production": the message waits, retrying, its text sealed.
    const misconfigured = {
      ...liveMessages,
      SMS_SENDER: undefined,
      ENVIRONMENT: 'production',
      PAYMENT_PROVIDER: 'stripe',
    }
    const logs = captureLogs()
    expect(
      (await new ApiClient(undefined, misconfigured).post('/api/customer/auth/code', { contact })).status,
    ).toBe(202)
    const row = await eventually(async () => {
      const [stored] = await storedRows(contact)
      expect(stored).toMatchObject({ status: 'retrying', attempts: 1 })
      return stored!
    }, 'the first attempt fails')
    expect(row.last_error).toContain('no SMS sender configured')
    expect(row.sealed).toMatch(/^v1\./)
    expect(await codesIn([...logs, JSON.stringify(row)].join('\n'), contact)).toEqual([])
  })
})
