// Aliyun (阿里云) Short Message Service `SendSms` (API version 2017-05-25) with the RPC signature, version 1.0:
// HMAC-SHA1 over the canonicalised, percent-encoded, sorted query, keyed by the AccessKey secret followed by `&`.
// The provider's documented example is the known-answer test in test/worker/services/messages/aliyun-sms.test.ts.
import type { MessageSender, OutgoingMessage } from './sender.ts'
import { MessageSendError } from './sender.ts'

/** RFC 3986 percent-encoding as Aliyun's POP wants it: unreserved characters stay, space is %20, `*` is %2A. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
}

/** `k=v&…` of every parameter but `Signature`, sorted by name, names and values percent-encoded. */
export function canonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort()
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key]!)}`)
    .join('&')
}

export function stringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalQuery(params))}`
}

/** Base64 of HMAC-SHA1(`secret&`, string to sign). */
export async function rpcSignature(
  method: 'GET' | 'POST',
  params: Record<string, string>,
  accessKeySecret: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(`${accessKeySecret}&`),
    { name: 'HMAC', hash: 'SHA-1' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(stringToSign(method, params)))
  return btoa(String.fromCharCode(...new Uint8Array(mac)))
}

export interface AliyunSmsConfig {
  accessKeyId: string
  accessKeySecret: string
  /** The approved signature (短信签名) shown in 【】 before the text. */
  signName: string
  /** Template code (SMS_…) per message kind and language: `{"sign_in_code":{"zh-CN":"SMS_1","en":"SMS_2"}}`. */
  templates: Record<string, Partial<Record<string, string>>>
  /** Default https://dysmsapi.aliyuncs.com/; tests point it at a receiver of their own. */
  endpoint?: string
  fetch?: typeof fetch
  /** For tests: a fixed clock and nonce. */
  now?: () => Date
  nonce?: () => string
}

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com/'

/** Aliyun error codes a retry cannot fix (a bad number, template or signature): the message is dead at once. */
const permanentCodes =
  /^isv\.(MOBILE_NUMBER_ILLEGAL|SMS_TEMPLATE_ILLEGAL|SMS_SIGNATURE_ILLEGAL|TEMPLATE_MISSING_PARAMETERS|INVALID_PARAMETERS|PARAM_LENGTH_LIMIT|TEMPLATE_PARAMS_ILLEGAL|MOBILE_COUNT_OVER_LIMIT)$/

/** Mainland numbers go as 11 digits; others keep their country code without `+` (Aliyun's international form). */
const phoneForAliyun = (to: string) => to.replace(/^\+86(?=1\d{10}$)/, '').replace(/^\+/, '')

/** The `SendSms` parameters of `message`, unsigned. */
export function sendSmsParams(
  config: AliyunSmsConfig,
  message: OutgoingMessage,
  timestamp: string,
  nonce: string,
): Record<string, string> {
  if (!message.smsParams) throw new MessageSendError(`no SMS form for ${message.kind}`, true)
  const templateCode =
    config.templates[message.kind]?.[message.locale] ?? config.templates[message.kind]?.['zh-CN']
  if (!templateCode) throw new MessageSendError(`no SMS template code for ${message.kind}`, true)
  return {
    AccessKeyId: config.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    OutId: message.id,
    PhoneNumbers: phoneForAliyun(message.to),
    RegionId: 'cn-hangzhou',
    SignName: config.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: nonce,
    SignatureVersion: '1.0',
    TemplateCode: templateCode,
    TemplateParam: JSON.stringify(message.smsParams),
    Timestamp: timestamp,
    Version: '2017-05-25',
  }
}

/** Sends each message as one signed `SendSms` POST; `Code: OK` is success, anything else throws. */
export function aliyunSmsSender(config: AliyunSmsConfig): MessageSender {
  const send = config.fetch ?? ((input, init) => fetch(input, init))
  return {
    channel: 'sms',
    async send(message) {
      const timestamp = (config.now?.() ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z')
      const params = sendSmsParams(config, message, timestamp, config.nonce?.() ?? crypto.randomUUID())
      const signature = await rpcSignature('POST', params, config.accessKeySecret)
      const body = `Signature=${percentEncode(signature)}&${canonicalQuery(params)}`
      let response: Response
      try {
        response = await send(config.endpoint ?? ALIYUN_SMS_ENDPOINT, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body,
        })
      } catch (error) {
        throw new MessageSendError(
          `SMS provider unreachable: ${error instanceof Error ? error.message : 'error'}`,
        )
      }
      const text = await response.text()
      let answer: { Code?: string; Message?: string; BizId?: string } = {}
      try {
        answer = JSON.parse(text)
      } catch {
        // A gateway's HTML error page: the status says enough.
      }
      if (response.ok && answer.Code === 'OK') return { providerMessageId: answer.BizId ?? null }
      const code = answer.Code ?? `HTTP ${response.status}`
      throw new MessageSendError(
        `SMS provider refused: ${code}${answer.Message ? ` (${answer.Message.slice(0, 200)})` : ''}`,
        permanentCodes.test(code),
      )
    },
  }
}
