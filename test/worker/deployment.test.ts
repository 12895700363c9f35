import { parse } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import { type DeployConfig, deployConfigProblems, deploymentProblems } from '../../worker/deployment.ts'
import wranglerToml from '../../wrangler.toml?raw'

const shipped = parse(wranglerToml) as DeployConfig
const withDatabase = (config: DeployConfig, id = '4f2c1a57-0c55-4b1e-9d8a-6c1e2f3a4b5c'): DeployConfig => ({
  ...config,
  d1_databases: [{ binding: 'DB', database_id: id }],
})

const smsSecrets = ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET']
/** The message settings an operator adds to wrangler.toml before deploying. */
const withMessages = (config: DeployConfig): DeployConfig => ({
  ...config,
  vars: {
    ...config.vars,
    MESSAGE_EMAIL_FROM: '票务通知 <no-reply@tickets.example.com>',
    SMS_SIGN_NAME: '票务通知',
    SMS_TEMPLATES: '{"sign_in_code":{"zh-CN":"SMS_1","en":"SMS_2"}}',
  },
})

describe('deploying', () => {
  it('refuses the shipped wrangler.toml until its database, secrets and message senders are real', () => {
    expect(deployConfigProblems(shipped, [])).toEqual([
      'missing Worker secrets: SESSION_SECRET, TICKET_SIGNING_KEYS, ADMISSION_PASS_SECRET, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET (wrangler secret put <NAME>)',
      'MESSAGE_EMAIL_FROM (the From address of emails) is not set',
      'SMS_SIGN_NAME (the approved SMS signature) is not set',
      'SMS_TEMPLATES must be JSON with at least the sign_in_code template code for zh-CN',
      'missing Worker secrets: ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET (wrangler secret put <NAME>)',
      expect.stringContaining('database_id in wrangler.toml is the placeholder'),
    ])
    const secrets = [
      'SESSION_SECRET',
      'TICKET_SIGNING_KEYS',
      'ADMISSION_PASS_SECRET',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ]
    // Without the SMS provider's keys a phone number could never get its sign-in code.
    expect(deployConfigProblems(withDatabase(withMessages(shipped)), secrets)).toEqual([
      'missing Worker secrets: ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET (wrangler secret put <NAME>)',
    ])
    expect(deployConfigProblems(withDatabase(withMessages(shipped)), [...secrets, ...smsSecrets])).toEqual([])
  })

  it('refuses a deployment that could not send email or SMS', () => {
    const ready = withDatabase(withMessages(shipped))
    const names = ['SESSION_SECRET', 'TICKET_SIGNING_KEYS', 'ADMISSION_PASS_SECRET', 'STRIPE_SECRET_KEY']
    const all = [...names, 'STRIPE_WEBHOOK_SECRET', ...smsSecrets]
    const { send_email: _, ...unbound } = ready
    expect(deployConfigProblems(unbound, all)).toEqual([expect.stringContaining('[[send_email]]')])
    const noSenders = { ...ready, vars: { ...ready.vars, EMAIL_SENDER: undefined, SMS_SENDER: 'log' } }
    expect(deployConfigProblems(noSenders as DeployConfig, all)).toEqual([
      expect.stringContaining('EMAIL_SENDER must name an email sender'),
      expect.stringContaining('SMS_SENDER must name an SMS sender (aliyun); it is "log"'),
    ])
    const badTemplates = {
      ...ready,
      vars: { ...ready.vars, SMS_TEMPLATES: '{"order_confirmed":{"en":"SMS_1"}}' },
    }
    expect(deployConfigProblems(badTemplates, all)).toEqual([expect.stringContaining('SMS_TEMPLATES')])
  })

  it('refuses the sandbox, no provider, or a development environment in a deployment', () => {
    const limits = {
      ...withMessages({ send_email: shipped.send_email }),
      name: shipped.name,
      services: shipped.services,
      ratelimits: shipped.ratelimits ?? [],
      r2_buckets: shipped.r2_buckets ?? [],
    }
    const sandbox = withDatabase({
      ...limits,
      vars: { ...withMessages(shipped).vars, ENVIRONMENT: 'production', PAYMENT_PROVIDER: 'sandbox' },
    })
    expect(deployConfigProblems(sandbox, null)).toEqual([expect.stringContaining('"sandbox"')])
    const { PAYMENT_PROVIDER: __, ...noProvider } = withMessages(shipped).vars ?? {}
    const none = withDatabase({ ...limits, vars: { ...noProvider, ENVIRONMENT: 'production' } })
    expect(deployConfigProblems(none, null)).toEqual([expect.stringContaining('not set')])
    const dev = withDatabase({ vars: { ENVIRONMENT: 'development' } })
    expect(deployConfigProblems(dev, null)).toContainEqual(
      expect.stringContaining('must not run as development'),
    )
    const renamed = { ...withDatabase(withMessages(shipped)), name: 'tickets-renamed' }
    expect(deployConfigProblems(renamed, null)).toEqual([
      expect.stringContaining('GROUP_SETTLEMENT service binding'),
    ])
    const { ratelimits: _, ...unlimited } = withDatabase(withMessages(shipped))
    expect(deployConfigProblems(unlimited, null)).toEqual([
      expect.stringContaining('RATE_HOLDS_PER_CLIENT, RATE_HOLDS_PER_BUYER'),
    ])
    // Without the poster bucket an organizer's upload would fail and the shop would show no images.
    const { r2_buckets: ___, ...noImages } = withDatabase(withMessages(shipped))
    expect(deployConfigProblems(noImages, null)).toEqual([
      expect.stringContaining('[[r2_buckets]] binding IMAGES'),
    ])
  })

  it('lets development and tests use the sandbox, and names missing secrets without their values', () => {
    expect(deploymentProblems({ ENVIRONMENT: 'development' })).toEqual([])
    expect(deploymentProblems({ ENVIRONMENT: 'test', PAYMENT_PROVIDER: 'sandbox' })).toEqual([])
    const problems = deploymentProblems({
      ENVIRONMENT: 'production',
      PAYMENT_PROVIDER: 'stripe',
      STRIPE_SECRET_KEY: 'sk_live_secretvalue',
      SESSION_SECRET: 's',
      TICKET_SIGNING_KEYS: '{}',
      ADMISSION_PASS_SECRET: 'a',
    })
    expect(problems).toEqual(['missing Worker secrets: STRIPE_WEBHOOK_SECRET (wrangler secret put <NAME>)'])
    expect(problems.join()).not.toContain('sk_live_secretvalue')
  })
})
