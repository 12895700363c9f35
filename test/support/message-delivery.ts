import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import type { EmailBinding } from '../../worker/services/messages/email-sender.ts'

// Settings that make local messages leave through real senders: email through the Email Service binding (the
// local one records what it would send), SMS through Aliyun's request format to a receiver in the test.

export const SMS_ENDPOINT = 'https://sms.test/'
export const EMAIL_FROM = '票务通知 <no-reply@tickets.test>'

export const liveMessages = {
  MESSAGES_LOCAL_DELIVERY: 'live',
  EMAIL_SENDER: 'cloudflare',
  MESSAGE_EMAIL_FROM: EMAIL_FROM,
  SMS_SENDER: 'aliyun',
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI-test-key',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'test-aliyun-access-secret',
  SMS_SIGN_NAME: '票务通知',
  SMS_TEMPLATES: JSON.stringify({
    sign_in_code: { 'zh-CN': 'SMS_101', en: 'SMS_102' },
    refunded: { 'zh-CN': 'SMS_301', en: 'SMS_302' },
    order_confirmed: { 'zh-CN': 'SMS_201' },
  }),
  SMS_ENDPOINT,
}

export type SentEmail = Parameters<EmailBinding['send']>[0] & { subject: string; text: string }

/** The worker's real `send_email` binding, with every call it receives recorded (and its answers). */
export function recordingEmailBinding() {
  const calls: SentEmail[] = []
  const answers: { messageId: string }[] = []
  const binding = {
    async send(message: SentEmail) {
      calls.push(structuredClone(message))
      const answer = await env.EMAIL!.send(message)
      answers.push(answer)
      return answer
    },
  } as unknown as EmailBinding
  return { binding, calls, answers }
}

/** Waits (bounded) until `check` passes: for what a request's `waitUntil` delivers after its answer. */
export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 5000): Promise<T> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > until) throw new Error(`${what}: ${error instanceof Error ? error.message : error}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
}

export const messageRow = (id: string) =>
  env.DB.prepare('SELECT * FROM outgoing_messages WHERE id = ?').bind(id).first<{
    id: string
    to: string
    subject: string
    body: string
    status: string
    channel: string | null
    attempts: number
    last_error: string | null
    next_attempt_at: string | null
    sealed: string | null
    sms_params: string | null
    provider_message_id: string | null
    organizer_id: string | null
  }>()

export const expectRow = async (id: string) => {
  const row = await messageRow(id)
  expect(row).not.toBeNull()
  return row!
}
