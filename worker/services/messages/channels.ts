// Which channel carries a message, per kind of recipient: an email address goes by email, a phone number by SMS.
// Locally (development, tests) both go to the dev mailbox unless MESSAGES_LOCAL_DELIVERY=live; deployed, each
// recipient kind needs its sender configured (worker/deployment.ts `messageSettingsProblems` refuses a deployment
// without).
import { isLocalEnvironment, parseSmsTemplates as parseTemplates } from '../../deployment.ts'
import { aliyunSmsSender } from './aliyun-sms.ts'
import { cloudflareEmailSender, type EmailBinding } from './email-sender.ts'
import { devMailboxSender, type MessageSender } from './sender.ts'

/** The settings (wrangler.toml vars, Worker secrets, bindings) messages are delivered with. */
export interface MessageSettings {
  ENVIRONMENT?: string
  /** `live` sends through the configured providers even in development or tests. */
  MESSAGES_LOCAL_DELIVERY?: string
  /** `cloudflare`: email through the Email Service binding `EMAIL`. */
  EMAIL_SENDER?: string
  EMAIL?: EmailBinding
  /** The From of every email, `Name <address>` (an address of a domain onboarded to Email Sending). */
  MESSAGE_EMAIL_FROM?: string
  /** `aliyun`: SMS through Aliyun SendSms. */
  SMS_SENDER?: string
  ALIYUN_SMS_ACCESS_KEY_ID?: string
  ALIYUN_SMS_ACCESS_KEY_SECRET?: string
  SMS_SIGN_NAME?: string
  /** JSON: template code per kind and language, `{"sign_in_code":{"zh-CN":"SMS_…","en":"SMS_…"}}`. */
  SMS_TEMPLATES?: string
  /** Default https://dysmsapi.aliyuncs.com/. */
  SMS_ENDPOINT?: string
}

export type RecipientKind = 'email' | 'phone'
export const recipientKind = (to: string): RecipientKind => (to.includes('@') ? 'email' : 'phone')

/**
 * The sender for each recipient kind, or why there is none (the message then fails and is retried, so a
 * configuration fixed within the retry window still delivers it).
 */
export function messageSenders(
  settings: MessageSettings,
  fetcher?: typeof fetch,
): Record<RecipientKind, MessageSender | string> {
  if (isLocalEnvironment(settings.ENVIRONMENT) && settings.MESSAGES_LOCAL_DELIVERY !== 'live')
    return { email: devMailboxSender, phone: devMailboxSender }
  const email =
    settings.EMAIL_SENDER !== 'cloudflare'
      ? 'no email sender configured (EMAIL_SENDER)'
      : !settings.EMAIL
        ? 'the EMAIL send_email binding is missing'
        : !settings.MESSAGE_EMAIL_FROM
          ? 'MESSAGE_EMAIL_FROM is not set'
          : cloudflareEmailSender(settings.EMAIL, settings.MESSAGE_EMAIL_FROM)
  const templates = parseTemplates(settings.SMS_TEMPLATES)
  const phone =
    settings.SMS_SENDER !== 'aliyun'
      ? 'no SMS sender configured (SMS_SENDER)'
      : !settings.ALIYUN_SMS_ACCESS_KEY_ID || !settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        ? 'the Aliyun SMS access key secrets are missing'
        : !settings.SMS_SIGN_NAME || !templates
          ? 'SMS_SIGN_NAME or SMS_TEMPLATES is not set'
          : aliyunSmsSender({
              accessKeyId: settings.ALIYUN_SMS_ACCESS_KEY_ID,
              accessKeySecret: settings.ALIYUN_SMS_ACCESS_KEY_SECRET,
              signName: settings.SMS_SIGN_NAME,
              templates,
              ...(settings.SMS_ENDPOINT ? { endpoint: settings.SMS_ENDPOINT } : {}),
              ...(fetcher ? { fetch: fetcher } : {}),
            })
  return { email, phone }
}
