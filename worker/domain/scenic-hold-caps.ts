import type { HoldCaps } from './hold-caps.ts'

/**
 * Per-client caps for a scenic day's public holds (the rule is hold-caps.ts'; these are the day's numbers).
 * A buyer holds one basket at a time in the shop (up to 20 tickets, a hold's most) and may change their mind;
 * one network address, which can be a whole carrier NAT at the gate on a holiday morning, holds at most 10%
 * of the day's tickets: 24 on a day of 100, 500 on a day of 5,000. Sold tickets do not count. Partners' holds
 * are not capped here: each sells only its channel's allocation, and the partner API is rate limited per key.
 */
export const SCENIC_HOLD_CAPS: HoldCaps = {
  holdsPerBuyer: 3,
  heldPerBuyer: 20,
  holdsPerClient: 12,
  holdsPerClientShare: 0.05,
  heldPerClient: 24,
  heldPerClientShare: 0.1,
}
