import { isLocalEnvironment } from '../../deployment.ts'
import type { BotChallenge } from './contract.ts'
import { localChallenge } from './local.ts'
import { turnstileChallenge } from './turnstile.ts'

// Bot defence before a buyer may queue: one interface, Cloudflare Turnstile in production, and locally (development
// and tests) a double whose token `pass` passes and anything else fails, so a test can make the challenge fail.

export type { BotChallenge, ChallengeResult } from './contract.ts'

export function botChallengeFor(env: { ENVIRONMENT: string; TURNSTILE_SECRET_KEY?: string }): BotChallenge {
  if (isLocalEnvironment(env.ENVIRONMENT)) return localChallenge
  return turnstileChallenge(env.TURNSTILE_SECRET_KEY, fetch)
}
