import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  aliyunSmsSender,
  canonicalQuery,
  percentEncode,
  rpcSignature,
  stringToSign,
} from '../../../../worker/services/messages/aliyun-sms.ts'
import type { MessageSendError, OutgoingMessage } from '../../../../worker/services/messages/sender.ts'
import { WebhookReceiver } from '../../../support/webhook-receiver.ts'

afterEach(() => vi.unstubAllGlobals())

/**
 * Aliyun's documented SendSms signing example ("短信服务 HTTP 协议及签名", the RPC signature v1.0):
 * https://help.aliyun.com/document_detail/56189.html — AccessKeyId `testId`, AccessKeySecret `testSecret`, the
 * parameters below; the document gives the string to sign and the signature `zJDF+Lrzhj/ThnlvIToysFRq6t4=`.
 */
const documented = {
  AccessKeyId: 'testId',
  Action: 'SendSms',
  Format: 'XML',
  OutId: '123',
  PhoneNumbers: '15300000001',
  RegionId: 'cn-hangzhou',
  SignName: '阿里云短信测试专用',
  SignatureMethod: 'HMAC-SHA1',
  SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
  SignatureVersion: '1.0',
  TemplateCode: 'SMS_71390007',
  TemplateParam: '{"customer":"test"}',
  Timestamp: '2017-07-12T02:42:19Z',
  Version: '2017-05-25',
}
const documentedStringToSign =
  'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001' +
  '%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF' +
  '%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1' +
  '%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007' +
  '%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z' +
  '%26Version%3D2017-05-25'

describe('Aliyun SMS signature (RPC v1.0, HMAC-SHA1)', () => {
  it("reproduces the provider's documented SendSms example: string to sign and signature", async () => {
    expect(stringToSign('GET', documented)).toBe(documentedStringToSign)
    expect(await rpcSignature('GET', documented, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=')
    // A Signature parameter already present is not signed; another secret or method signs differently.
    expect(await rpcSignature('GET', { ...documented, Signature: 'x' }, 'testSecret')).toBe(
      'zJDF+Lrzhj/ThnlvIToysFRq6t4=',
    )
    expect(await rpcSignature('GET', documented, 'testsecret')).not.toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=')
    expect(await rpcSignature('POST', documented, 'testSecret')).not.toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=')
  })

  it('percent-encodes as POP wants: space %20, * %2A, ~ kept, and what encodeURIComponent leaves', () => {
    expect(percentEncode('a b*~-_.')).toBe('a%20b%2A~-_.')
    expect(percentEncode("!'()")).toBe('%21%27%28%29')
    expect(percentEncode('/=&+:')).toBe('%2F%3D%26%2B%3A')
    expect(canonicalQuery({ b: '2', a: '1', Signature: 's' })).toBe('a=1&b=2')
  })
})

const message: OutgoingMessage = {
  id: 'msg_sms_1',
  to: '+8613800138000',
  kind: 'sign_in_code',
  locale: 'en',
  subject: 'Your sign-in code: 123456',
  body: 'Your sign-in code is 123456.',
  smsParams: { code: '123456', minutes: '10' },
}

const config = {
  accessKeyId: 'LTAI-test-key',
  accessKeySecret: 'test-access-secret',
  signName: '票务通知',
  templates: { sign_in_code: { 'zh-CN': 'SMS_100', en: 'SMS_200' } },
  endpoint: 'https://sms.test/',
}

describe('Aliyun SendSms sender', () => {
  it('POSTs a signed SendSms to the configured endpoint and answers the BizId', async () => {
    const receiver = new WebhookReceiver().install('sms.test')
    receiver.answer = () =>
      Response.json({ Code: 'OK', Message: 'OK', BizId: '900619746936498440^0', RequestId: 'r1' })
    const sent = await aliyunSmsSender(config).send(message)
    expect(sent).toEqual({ providerMessageId: '900619746936498440^0' })
    const [request] = receiver.received
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded')
    const params = Object.fromEntries(new URLSearchParams(request!.body))
    expect(params).toMatchObject({
      Action: 'SendSms',
      Version: '2017-05-25',
      AccessKeyId: 'LTAI-test-key',
      PhoneNumbers: '13800138000',
      SignName: '票务通知',
      TemplateCode: 'SMS_200',
      OutId: 'msg_sms_1',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
    })
    expect(JSON.parse(params.TemplateParam!)).toEqual({ code: '123456', minutes: '10' })
    expect(params.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)
    // The receiver's check, as Aliyun does it: the signature of every other parameter under the shared secret.
    const { Signature, ...signed } = params
    expect(Signature).toBe(await rpcSignature('POST', signed, 'test-access-secret'))
    expect(request!.body).not.toContain('test-access-secret')
  })

  it('a refused number is permanent, a throttle or a 5xx is retried', async () => {
    const receiver = new WebhookReceiver().install('sms.test')
    const sender = aliyunSmsSender(config)
    const failure = async () => {
      try {
        await sender.send(message)
      } catch (error) {
        return error as MessageSendError
      }
      throw new Error('expected a failure')
    }
    receiver.answer = () => Response.json({ Code: 'isv.MOBILE_NUMBER_ILLEGAL', Message: '非法手机号' })
    expect(await failure()).toMatchObject({
      permanent: true,
      message: expect.stringContaining('MOBILE_NUMBER'),
    })
    receiver.answer = () => Response.json({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发流控' })
    expect(await failure()).toMatchObject({ permanent: false })
    receiver.answer = () => new Response('<html>bad gateway</html>', { status: 502 })
    expect(await failure()).toMatchObject({ permanent: false, message: expect.stringContaining('HTTP 502') })
    // No template code for the kind: nothing to send, ever.
    expect(
      await aliyunSmsSender({ ...config, templates: {} })
        .send(message)
        .catch((e: MessageSendError) => e.permanent),
    ).toBe(true)
  })
})
