import { parse } from 'smol-toml'
import { describe, expect, it } from 'vitest'
import { type DeployConfig, deployConfigProblems, deploymentProblems } from '../../worker/deployment.ts'
import wranglerToml from '../../wrangler.toml?raw'

const shipped = parse(wranglerToml) as DeployConfig
const withDatabase = (config: DeployConfig, id = '4f2c1a57-0c55-4b1e-9d8a-6c1e2f3a4b5c'): DeployConfig => ({
  ...config,
  d1_databases: [{ binding: 'DB', database_id: id }],
})

describe('deploying', () => {
  it('refuses the shipped wrangler.toml until its database and secrets are real', () => {
    expect(deployConfigProblems(shipped, [])).toEqual([
      'missing Worker secrets: SESSION_SECRET, TICKET_SIGNING_KEYS, ADMISSION_PASS_SECRET, STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET (wrangler secret put <NAME>)',
      expect.stringContaining('database_id in wrangler.toml is the placeholder'),
    ])
    const secrets = [
      'SESSION_SECRET',
      'TICKET_SIGNING_KEYS',
      'ADMISSION_PASS_SECRET',
      'STRIPE_SECRET_KEY',
      'STRIPE_WEBHOOK_SECRET',
    ]
    expect(deployConfigProblems(withDatabase(shipped), secrets)).toEqual([])
  })

  it('refuses the sandbox, no provider, or a development environment in a deployment', () => {
    const limits = {
      name: shipped.name,
      services: shipped.services,
      ratelimits: shipped.ratelimits ?? [],
      r2_buckets: shipped.r2_buckets ?? [],
    }
    const sandbox = withDatabase({
      ...limits,
      vars: { ENVIRONMENT: 'production', PAYMENT_PROVIDER: 'sandbox' },
    })
    expect(deployConfigProblems(sandbox, null)).toEqual([expect.stringContaining('"sandbox"')])
    const none = withDatabase({ ...limits, vars: { ENVIRONMENT: 'production' } })
    expect(deployConfigProblems(none, null)).toEqual([expect.stringContaining('not set')])
    const dev = withDatabase({ vars: { ENVIRONMENT: 'development' } })
    expect(deployConfigProblems(dev, null)).toContainEqual(
      expect.stringContaining('must not run as development'),
    )
    const renamed = { ...withDatabase(shipped), name: 'tickets-renamed' }
    expect(deployConfigProblems(renamed, null)).toEqual([
      expect.stringContaining('GROUP_SETTLEMENT service binding'),
    ])
    const { ratelimits: _, ...unlimited } = withDatabase(shipped)
    expect(deployConfigProblems(unlimited, null)).toEqual([
      expect.stringContaining('RATE_HOLDS_PER_CLIENT, RATE_HOLDS_PER_BUYER'),
    ])
    // Without the poster bucket an organizer's upload would fail and the shop would show no images.
    const { r2_buckets: __, ...noImages } = withDatabase(shipped)
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
