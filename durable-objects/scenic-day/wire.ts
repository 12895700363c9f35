import { heldLine, joinOutcomeLines } from '../../worker/domain/hold-lines.ts'
import type { ScenicHoldOutcome, ScenicHoldRequest } from './contract.ts'

// A coalesced batch of holds on the wire (the hold gateways' queues): the requests as one JSON string in, the
// outcomes as outcome lines out (worker/domain/hold-lines.ts). One string crosses the RPC boundary far cheaper
// than many structured-cloned objects, and a held answer's hold is written once, here.

export const readHoldBatch = (requestsJson: string) => JSON.parse(requestsJson) as ScenicHoldRequest[]

export const outcomeLines = (outcomes: ScenicHoldOutcome[]) =>
  joinOutcomeLines(outcomes.map((o) => (o.ok ? heldLine(JSON.stringify(o.hold)) : JSON.stringify(o))))
