import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { messageMaxAttempts } from '../../../../worker/domain/message-retry.ts'
import { jsonLogger } from '../../../../worker/middleware/logger.ts'
import { runScheduledJobs } from '../../../../worker/scheduled.ts'
import { deliverDueMessages } from '../../../../worker/services/messages/outbox.ts'
import { catalogueMessage, sendMessage } from '../../../../worker/services/messages.ts'
import { ApiClient, createStaffUser, organizerWithStaff, signIn } from '../../../support/api.ts'
import { ok } from '../../../support/catalogue.ts'
import { eventually, expectRow, liveMessages } from '../../../support/message-delivery.ts'
import { WebhookReceiver } from '../../../support/webhook-receiver.ts'

afterEach(() => vi.unstubAllGlobals())

const db = openDatabase(env.DB)
const logger = jsonLogger({ test: 'outbox-retries' })
const settings = { ...env, ...liveMessages }
let n = 0
const phone = () =>
  `+86139${String(Date.now() % 100_000_000)
    .padStart(8, '0')
    .slice(0, 6)}${String(n++ % 100).padStart(2, '0')}`

const refundNotice = (to: string, organizerId: string, id: string) =>
  sendMessage(db, logger, {
    id,
    to,
    organizerId,
    ...catalogueMessage('zh-CN', 'refunded', {
      order: { number: 'ET2612050001', title: '星河巡回演唱会', when: null, place: null, items: null },
      amount: 38000,
      currency: 'CNY',
      cause: 'organizer',
      tickets: 2,
    }),
  })

describe('message outbox: retries, dead, and a retry from the console', () => {
  it('a receiver that keeps failing: retried with backoff, dead after the last attempt, listed, sent again from admin', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const to = phone()
    const id = `msg_test_${Date.now()}_${n++}`
    await refundNotice(to, org.organizerId, id)
    const receiver = new WebhookReceiver().install('sms.test')
    receiver.answer = () => new Response('upstream down', { status: 503 })

    // Six attempts, each only once it is due: a run before that sends nothing.
    let now = new Date()
    const waits: number[] = []
    for (let attempt = 1; attempt <= messageMaxAttempts; attempt++) {
      await deliverDueMessages({ db, logger, settings, now })
      const row = await expectRow(id)
      expect(row.attempts).toBe(attempt)
      if (attempt < messageMaxAttempts) {
        expect(row.status).toBe('retrying')
        const next = new Date(row.next_attempt_at!)
        waits.push((next.getTime() - now.getTime()) / 1000)
        await deliverDueMessages({ db, logger, settings, now: new Date(next.getTime() - 1000) })
        expect((await expectRow(id)).attempts).toBe(attempt)
        now = new Date(next.getTime() + 1)
      }
    }
    expect(waits).toEqual([30, 120, 600, 1800, 7200])
    const dead = await expectRow(id)
    expect(dead).toMatchObject({ status: 'dead', channel: 'sms', attempts: 6, next_attempt_at: null })
    expect(dead.last_error).toContain('HTTP 503')
    expect(receiver.to('/').length).toBe(6)
    // Dead stays dead: later runs leave it alone.
    await deliverDueMessages({ db, logger, settings, now: new Date(now.getTime() + 86_400_000) })
    expect(receiver.to('/').length).toBe(6)

    // The console: the organizer's owner and manager see it dead with its attempts and last error.
    for (const staff of [org.owner, org.manager]) {
      const listed = await ok(staff.get(`${org.base}/messages?status=dead`))
      expect(listed.items).toContainEqual(
        expect.objectContaining({
          id,
          to,
          kind: 'refunded',
          status: 'dead',
          attempts: 6,
          lastError: expect.stringContaining('HTTP 503'),
          retryable: true,
        }),
      )
    }
    expect((await org.gate.get(`${org.base}/messages`)).status).toBe(403)
    // Another organizer neither lists it nor can send it again.
    const theirs = await ok(other.owner.get(`${other.base}/messages`))
    expect(theirs.items.map((m: { id: string }) => m.id)).not.toContain(id)
    expect((await other.owner.post(`${other.base}/messages/${id}/retry`, {})).status).toBe(404)

    // The receiver is back; the owner's retry sends it right after the answer.
    receiver.answer = () => Response.json({ Code: 'OK', Message: 'OK', BizId: 'biz-after-retry' })
    const owner = new ApiClient(org.owner.cookie, liveMessages)
    const retried = await owner.post(`${org.base}/messages/${id}/retry`, {})
    expect(retried.status).toBe(202)
    expect(await retried.json()).toMatchObject({ id, status: 'pending', attempts: 6 })
    const sent = await eventually(async () => {
      const row = await expectRow(id)
      expect(row.status).toBe('sent')
      return row
    }, 'the retried message is sent')
    expect(sent).toMatchObject({ attempts: 7, last_error: null, provider_message_id: 'biz-after-retry' })
    const last = Object.fromEntries(new URLSearchParams(receiver.to('/').at(-1)!.body))
    expect(last).toMatchObject({ OutId: id, TemplateCode: 'SMS_301', PhoneNumbers: to.slice(3) })
    expect(JSON.parse(last.TemplateParam!)).toEqual({ number: 'ET2612050001', amount: '¥380' })
    // Sent is not retryable.
    expect((await owner.post(`${org.base}/messages/${id}/retry`, {})).status).toBe(409)
  })

  it('the minute cron delivers what is due', async () => {
    const org = await organizerWithStaff()
    const id = `msg_cron_${Date.now()}_${n++}`
    await refundNotice(phone(), org.organizerId, id)
    const receiver = new WebhookReceiver().install('sms.test')
    receiver.answer = () => Response.json({ Code: 'OK', BizId: 'by-cron' })
    const result = await runScheduledJobs({ ...env, ...liveMessages } as typeof env)
    expect(result.messages?.sent).toBeGreaterThanOrEqual(1)
    expect(await expectRow(id)).toMatchObject({ status: 'sent', provider_message_id: 'by-cron' })
  })

  it('two runs at once send a due message once (each attempt is claimed first)', async () => {
    const org = await organizerWithStaff()
    const id = `msg_race_${Date.now()}_${n++}`
    await refundNotice(phone(), org.organizerId, id)
    const receiver = new WebhookReceiver().install('sms.test')
    receiver.answer = () => Response.json({ Code: 'OK', BizId: 'once' })
    await Promise.all(Array.from({ length: 4 }, () => deliverDueMessages({ db, logger, settings })))
    expect(receiver.received.filter((r) => r.body.includes(id))).toHaveLength(1)
    expect(await expectRow(id)).toMatchObject({ status: 'sent', attempts: 1 })
  })

  it("platform admins see every message, the platform's own (sign-in codes) apart; organizer staff cannot", async () => {
    const org = await organizerWithStaff()
    const admin = await signIn((await createStaffUser({ platformAdmin: true })).email)
    const contact = `platform.${Date.now()}@buyers.test`
    expect((await new ApiClient().post('/api/customer/auth/code', { contact })).status).toBe(202)
    const id = `msg_org_${Date.now()}_${n++}`
    await refundNotice(phone(), org.organizerId, id)

    const own = await ok(admin.get('/api/admin/messages?platformOnly=true&limit=200'))
    const signInCode = own.items.find((m: { to: string }) => m.to === contact)
    expect(signInCode).toMatchObject({ kind: 'sign_in_code', organizerId: null })
    expect(signInCode.subject).not.toMatch(/\d{6}/)
    expect(own.items.map((m: { id: string }) => m.id)).not.toContain(id)
    const all = await ok(admin.get('/api/admin/messages?limit=200'))
    expect(all.items.map((m: { id: string }) => m.id)).toContain(id)
    expect((await org.owner.get('/api/admin/messages')).status).toBe(403)
    expect((await org.owner.post(`/api/admin/messages/${id}/retry`, {})).status).toBe(403)
  })
})
