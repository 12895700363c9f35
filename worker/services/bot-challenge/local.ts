import type { BotChallenge } from './contract.ts'

/** The token the local double accepts (development and tests); every other token fails. */
export const LOCAL_PASSING_TOKEN = 'pass'

export const localChallenge: BotChallenge = {
  async verify(token) {
    if (!token) return { ok: false, reason: 'missing' }
    return token === LOCAL_PASSING_TOKEN
      ? { ok: true }
      : { ok: false, reason: 'failed', errorCodes: ['test-double'] }
  },
}
