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
}

/** Secrets a production worker needs per payment provider, besides its own. */
const secretsOf: Record<string, (keyof DeploymentSettings)[]> = {
  stripe: ['STRIPE_SECRET_KEY', 'STRIPE_WEBHOOK_SECRET'],
}

export const requiredSecrets = (provider: string | undefined): (keyof DeploymentSettings)[] => [
  'SESSION_SECRET',
  'TICKET_SIGNING_KEYS',
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
