// What a deployment must have before it may sell: checked by the worker on its first request (every request
// answers 503 `misconfigured` until fixed) and by `npm run deploy` before it uploads anything.

/** Where the offline sandbox payment provider, the demo seed and other development routes exist. */
export function isLocalEnvironment(environment: string | undefined): boolean {
  return environment === 'development' || environment === 'test'
}

/** Card providers that move real money; `sandbox` only pretends to. */
export const realPaymentProviders = ['stripe'] as const

export interface DeploymentSettings {
  ENVIRONMENT?: string
  PAYMENT_PROVIDER?: string
  STRIPE_SECRET_KEY?: string
  STRIPE_WEBHOOK_SECRET?: string
  SESSION_SECRET?: string
  TICKET_SIGNING_KEYS?: string
  ADMISSION_PASS_SECRET?: string
}

/** Secrets a production worker needs per payment provider, besides its own. */
const secretsOf: Record<string, (keyof DeploymentSettings)[]> = {
  stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
}

export const requiredSecrets = (provider: string | undefined): (keyof DeploymentSettings)[] => [
  'SESSION_SECRET',
  'TICKET_SIGNING_KEYS',
  'ADMISSION_PASS_SECRET',
  ...(secretsOf[provider ?? ''] ?? []),
]

/**
 * What stops these settings from serving real buyers; empty when nothing does. Locally everything is allowed.
 * `checkSecrets: false` checks only the plain settings (what `wrangler.toml` can show before deploying).
 */
export function deploymentProblems(settings: DeploymentSettings, opts = { checkSecrets: true }): string[] {
  if (isLocalEnvironment(settings.ENVIRONMENT)) return []
  const problems: string[] = []
  const provider = settings.PAYMENT_PROVIDER
  if (!provider || !(realPaymentProviders as readonly string[]).includes(provider)) {
    problems.push(
      `PAYMENT_PROVIDER must name a real payment provider (${realPaymentProviders.join(', ')}) outside development; it is ${provider ? `"${provider}"` : 'not set'} and the sandbox provider is development-only`,
    )
  }
  if (opts.checkSecrets) {
    const missing = requiredSecrets(provider).filter((name) => !settings[name])
    if (missing.length)
      problems.push(`missing Worker secrets: ${missing.join(', ')} (wrangler secret put <NAME>)`)
  }
  return problems
}

/** The message settings a deployment needs (worker/services/messages/channels.ts reads the same ones). */
export interface MessageDeploySettings {
  ENVIRONMENT?: string
  MESSAGES_LOCAL_DELIVERY?: string
  EMAIL_SENDER?: string
  /** The binding, or anything truthy where only its presence in wrangler.toml is known. */
  EMAIL?: unknown
  MESSAGE_EMAIL_FROM?: string
  SMS_SENDER?: string
  ALIYUN_SMS_ACCESS_KEY_ID?: string
  ALIYUN_SMS_ACCESS_KEY_SECRET?: string
  SMS_SIGN_NAME?: string
  SMS_TEMPLATES?: string
}

export const emailSenders = ['cloudflare'] as const
export const smsSenders = ['aliyun'] as const

/** `SMS_TEMPLATES` as an object of template codes per kind and language, or null when it is not JSON of one. */
export function parseSmsTemplates(
  json: string | undefined,
): Record<string, Partial<Record<string, string>>> | null {
  if (!json) return null
  try {
    const parsed = JSON.parse(json) as unknown
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, Partial<Record<string, string>>>)
      : null
  } catch {
    return null
  }
}

/** What is missing for each recipient kind to be sent to; empty when both are configured (or local). */
export function messageSettingsProblems(
  settings: MessageDeploySettings,
  opts = { checkSecrets: true },
): string[] {
  if (isLocalEnvironment(settings.ENVIRONMENT) && settings.MESSAGES_LOCAL_DELIVERY !== 'live') return []
  const problems: string[] = []
  if (settings.EMAIL_SENDER !== 'cloudflare')
    problems.push(
      `EMAIL_SENDER must name an email sender (${emailSenders.join(', ')}); it is ${settings.EMAIL_SENDER ? `"${settings.EMAIL_SENDER}"` : 'not set'}, so no sign-in code could reach an email address`,
    )
  else {
    if (!settings.MESSAGE_EMAIL_FROM)
      problems.push('MESSAGE_EMAIL_FROM (the From address of emails) is not set')
    if (!settings.EMAIL)
      problems.push('the send_email binding EMAIL is missing (wrangler.toml [[send_email]])')
  }
  if (settings.SMS_SENDER !== 'aliyun')
    problems.push(
      `SMS_SENDER must name an SMS sender (${smsSenders.join(', ')}); it is ${settings.SMS_SENDER ? `"${settings.SMS_SENDER}"` : 'not set'}, so no sign-in code could reach a phone`,
    )
  else {
    if (!settings.SMS_SIGN_NAME) problems.push('SMS_SIGN_NAME (the approved SMS signature) is not set')
    const templates = parseSmsTemplates(settings.SMS_TEMPLATES)
    if (!templates?.sign_in_code?.['zh-CN'])
      problems.push('SMS_TEMPLATES must be JSON with at least the sign_in_code template code for zh-CN')
    if (opts.checkSecrets) {
      const missing = (['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET'] as const).filter(
        (name) => !settings[name],
      )
      if (missing.length)
        problems.push(`missing Worker secrets: ${missing.join(', ')} (wrangler secret put <NAME>)`)
    }
  }
  return problems
}

/** What `wrangler.toml` says (the parts checked before deploying). */
export interface DeployConfig {
  name?: string
  services?: { binding: string; service: string; entrypoint?: string }[]
  vars?: Record<string, unknown>
  d1_databases?: { binding: string; database_id?: string }[]
  ratelimits?: { name: string }[]
  r2_buckets?: { binding: string; bucket_name?: string }[]
  send_email?: { name: string }[]
}

/** The Workers Rate Limiting bindings a deployment must have (see worker/middleware/rate-limit-routes.ts). */
export const requiredRateLimits = [
  'RATE_HOLDS_PER_CLIENT',
  'RATE_HOLDS_PER_BUYER',
  'RATE_SIGN_IN_PER_CLIENT',
  'RATE_SIGN_IN_CODES',
  'RATE_PARTNER_PER_KEY',
] as const

/** The placeholder id wrangler.toml ships with until `wrangler d1 create` gives a real one. */
export const PLACEHOLDER_DATABASE_ID = '00000000-0000-4000-8000-000000000000'

/**
 * Problems `npm run deploy` refuses to deploy with: the plain settings in wrangler.toml, and, when the worker's
 * secret names could be listed, the secrets its provider needs.
 */
export function deployConfigProblems(config: DeployConfig, secretNames: string[] | null): string[] {
  const vars = Object.fromEntries(Object.entries(config.vars ?? {}).map(([k, v]) => [k, String(v)]))
  const settings: DeploymentSettings = {
    ...vars,
    ...Object.fromEntries((secretNames ?? []).map((name) => [name, 'set'])),
  }
  const problems = deploymentProblems(settings, { checkSecrets: secretNames !== null })
  // Messages: without a sender per recipient kind nobody could sign in (codes go by email or SMS).
  problems.push(
    ...messageSettingsProblems(
      { ...settings, EMAIL: config.send_email?.some((b) => b.name === 'EMAIL') ? 'bound' : undefined },
      { checkSecrets: secretNames !== null },
    ),
  )
  if (isLocalEnvironment(settings.ENVIRONMENT))
    problems.push(
      `ENVIRONMENT is "${settings.ENVIRONMENT}" in wrangler.toml; a deployment must not run as development`,
    )
  const db = config.d1_databases?.find((d) => d.binding === 'DB')
  if (!db?.database_id || db.database_id === PLACEHOLDER_DATABASE_ID)
    problems.push(
      'the DB database_id in wrangler.toml is the placeholder; put the id `wrangler d1 create ticketing` printed',
    )
  const limits = new Set((config.ratelimits ?? []).map((r) => r.name))
  const unlimited = requiredRateLimits.filter((name) => !limits.has(name))
  if (unlimited.length)
    problems.push(`wrangler.toml lacks the [[ratelimits]] bindings ${unlimited.join(', ')}`)
  if (!config.r2_buckets?.some((b) => b.binding === 'IMAGES' && b.bucket_name))
    problems.push(
      'wrangler.toml lacks the [[r2_buckets]] binding IMAGES (posters; `wrangler r2 bucket create`)',
    )
  // The group-buy actor settles through the worker's own entrypoint: the binding must name this very worker.
  const settlement = config.services?.find((s) => s.binding === 'GROUP_SETTLEMENT')
  if (settlement?.service !== config.name)
    problems.push(
      `the GROUP_SETTLEMENT service binding must name this worker ("${config.name}"), not "${settlement?.service ?? 'nothing'}"`,
    )
  return problems
}
