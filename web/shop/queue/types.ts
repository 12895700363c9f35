// The waiting room's answer as the shop reads it (worker/routes/contracts/waiting-room.ts, types only).
import type { QueueAnswer as ContractAnswer } from '../../../worker/routes/contracts/waiting-room.ts'

export type { WaitingRoomSummary } from '../../../worker/routes/contracts/waiting-room.ts'

/**
 * The answer, and what the page uses if the server says it up front (the contract does not yet): that the bot
 * check is required (else a refused join asks for it), the Turnstile site key (else the build's), and how long a
 * pass lasts (else "a few minutes").
 */
export type QueueAnswer = ContractAnswer & {
  queue: ContractAnswer['queue'] & {
    requireChallenge?: boolean
    challengeSiteKey?: string | null
    passMinutes?: number
  }
}
