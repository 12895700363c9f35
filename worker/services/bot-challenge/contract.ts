// What a bot challenge answers (index.ts picks the implementation per environment).

export type ChallengeResult =
  | { ok: true }
  | { ok: false; reason: 'missing' | 'failed' | 'not_configured' | 'unavailable'; errorCodes?: string[] }

export interface BotChallenge {
  /** Checks the token the buyer's page got from the challenge widget (single use; `remoteIp` when known). */
  verify(token: string | undefined, remoteIp?: string | null): Promise<ChallengeResult>
}
