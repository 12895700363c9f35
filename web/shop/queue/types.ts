// The waiting room's answer as the shop reads it (issue 22's shape; the worker's contract is
// worker/routes/contracts/waiting-room.ts).

export type QueueState = 'before_open' | 'open' | 'sold_out' | 'off'
export type PlaceState = 'waiting' | 'admitted' | 'expired'

export interface QueueAnswer {
  queue: {
    state: QueueState
    opensAt: string | null
    waiting: number
    admittedPerMinute: number | null
    requireChallenge?: boolean
    challengeSiteKey?: string | null
    passMinutes?: number
  }
  place: null | {
    state: PlaceState
    position: number | null
    estimatedWaitSeconds: number | null
    pass?: string
    passExpiresAt?: string
  }
}
