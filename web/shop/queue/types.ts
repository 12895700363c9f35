// The waiting room's answer as the shop reads it (worker/routes/contracts/waiting-room.ts, types only).
import type { QueueAnswer as ContractAnswer } from '../../../worker/routes/contracts/waiting-room.ts'

export type { WaitingRoomSummary } from '../../../worker/routes/contracts/waiting-room.ts'

/**
 * The answer, and what the page would use if the server said it up front: the Turnstile site key (the real widget
 * renders only with one; without it the local "I am not a robot" step) and how long a pass lasts.
 */
export type QueueAnswer = ContractAnswer & {
  queue: ContractAnswer['queue'] & { challengeSiteKey?: string | null; passMinutes?: number }
}
