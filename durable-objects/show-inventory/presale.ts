import { type Admission, PresaleGate } from '../../worker/domain/sale-phases.ts'
import type { ShowConfig, ShowHoldRefusal, ShowHoldRequest } from './contract.ts'

// The show's presale gate (worker/domain/sale-phases.ts) as the actor keeps it: built from the show's config,
// rebuilt with the same use counts when the settings change, asked once per hold before any seat is looked at.
// The admission a hold got in with is written in its own row (`holds.admission`, same statement as the hold),
// so use counts rebuild from the holds on load and an ended hold gives its use back; no extra reads per hold.

export const ADMISSION_MIGRATION = 'ALTER TABLE holds ADD COLUMN admission TEXT'

const gateSettings = (config: ShowConfig) => ({
  saleStartsAt: config.saleStartsAt,
  saleEndsAt: config.saleEndsAt,
  status: config.status,
})

export const presaleGateOf = (config: ShowConfig) =>
  new PresaleGate(config.salePhases, config.presaleCodes ?? {}, gateSettings(config))

/** The gate for new settings, keeping the counted uses (or the same gate when nothing it reads changed). */
export function nextGate(gate: PresaleGate, previous: ShowConfig, next: ShowConfig): PresaleGate {
  if (
    previous.salePhases === next.salePhases &&
    previous.presaleCodes === next.presaleCodes &&
    previous.saleStartsAt === next.saleStartsAt &&
    previous.saleEndsAt === next.saleEndsAt &&
    previous.status === next.status
  )
    return gate
  return gate.withSettings(next.salePhases, next.presaleCodes ?? {}, gateSettings(next))
}

/** Whether this request may hold now, and how it got in; a refusal is the hold's outcome as is. */
export function admitHold(
  gate: PresaleGate,
  request: ShowHoldRequest,
  now: number,
): { admission: Admission } | ShowHoldRefusal {
  return gate.admit(request, now)
}
