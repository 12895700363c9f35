import {
  type HoldCaps,
  type HoldTallies,
  holdCapDetail,
  holdLimits,
} from '../../../worker/domain/hold-caps.ts'
import { ageRefusalDetail, checkAge, needsAgeCheck } from '../../../worker/domain/visit-eligibility.ts'
import { type Refused, refuse, type ScenicHoldRequest } from '../contract.ts'
import { bookable } from './calendar.ts'
import type { DayCounts } from './counts.ts'
import { type DayConfig, generalCapacity } from './day-config.ts'
import {
  parentRequired,
  type ResolvedLine,
  resolveLines,
  type TakenLineLookup,
  unparentedChild,
} from './parents.ts'

// How one hold request is decided: the booking window, packages, real names, age eligibility, per-client caps,
// parent-child ownership, the real-name per-day limit and capacity, in that order, on in-memory counters only
// (a named parent line is looked up by id). Pure: the actor passes its state in.

export const MAX_LINES_PER_HOLD = 20

/** What a decision reads: the day's counters, its hold tallies and caps, and a lookup of named parent lines. */
export interface DayState {
  used: DayCounts
  tallies: HoldTallies
  caps: HoldCaps
  takenLine: TakenLineLookup
}

export type Decision = { ok: true; lines: ResolvedLine[] } | Refused

/** What one request adds to the counters it is checked against. */
interface Adding {
  entry: number
  slot: Map<string, number>
  product: Map<string, number>
  id: Map<string, number>
}

/** Every rule a hold must pass, decided on counters only; the first refusal, or the lines to write. */
export function decideHold(
  config: DayConfig,
  state: DayState,
  request: ScenicHoldRequest,
  today: string,
  now: number,
): Decision {
  if (!bookable(config.date, today, config.bookingDaysAhead)) {
    return refuse('not_on_sale', `Visits on ${config.date} cannot be booked now`)
  }
  if (request.lines.length === 0 || request.lines.length > MAX_LINES_PER_HOLD) {
    return refuse('invalid_request', `A hold has 1 to ${MAX_LINES_PER_HOLD} lines`)
  }
  const asPackage = checkPackage(config, request)
  if (asPackage) return asPackage
  const resolved = resolveLines(config, state.takenLine, request)
  if (!resolved.ok) return resolved
  const lines = resolved.lines
  const adding: Adding = { entry: 0, slot: new Map(), product: new Map(), id: new Map() }
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
  for (const [k, line] of lines.entries()) {
    const product = config.products[line.productId]!
    const ageRule = needsAgeCheck(product.ages)
    if ((product.realNameRequired || ageRule) && (!line.visitor?.idNumber || !line.visitor.name)) {
      return refuse(
        'invalid_request',
        `Line ${k + 1}: ${product.name} needs the visitor's name and ID number`,
      )
    }
    // Age from the ID number's birth date on the visit date, whoever sells the ticket (shop, OTA, box office).
    const verdict = checkAge(product.ages, line.visitor?.idNumber, config.date)
    if (!verdict.ok) {
      const detail = ageRefusalDetail(verdict, {
        index: k,
        productName: product.name,
        rule: product.ages!,
        visitDate: config.date,
      })
      return { ...refuse('not_eligible', detail), line: k, rule: verdict.rule }
    }
    bump(adding.product, product.id)
    if (line.visitor?.idNumber) bump(adding.id, `${product.id}:${line.visitor.idNumber}`)
    if (product.kind === 'entry') {
      adding.entry++
      if (line.slot) bump(adding.slot, line.slot)
    }
  }
  // Per-client caps on public holds: one buyer (a cookie costs nothing) and one network address each hold
  // only so much of the day at once.
  if (request.client) {
    const limits = holdLimits(state.caps, config.dailyCapacity)
    const over = state.tallies.check(limits, request.holderId, request.client.network, lines.length, now)
    if (over) {
      return {
        ...refuse('hold_limit', holdCapDetail(over.scope, over.limit, 'tickets')),
        scope: over.scope,
        limit: over.limit,
        retryAfter: over.retryAfter,
      }
    }
  }
  // Parent-child, decided before the per-ID limits, so that another visitor's purchases never change the
  // answer a stranger gets.
  const orphan = unparentedChild(config, lines, (rules, visitor) =>
    state.used.hasParent(rules, request.holderId, visitor),
  )
  if (orphan) return parentRequired(config, orphan.productId)
  return (
    checkPerIdLimits(config, state.used, adding) ??
    checkCapacity(config, state.used, request, adding) ?? { ok: true, lines }
  )
}

/** A package's lines must be exactly its components, and the package on sale. */
function checkPackage(config: DayConfig, request: ScenicHoldRequest): Refused | undefined {
  if (!request.packageId) return undefined
  const pkg = config.packages[request.packageId]
  if (pkg?.status !== 'active')
    return refuse('invalid_request', `No package ${request.packageId} at this site`)
  const want = new Map(pkg.components.map((c) => [c.productId, c.quantity]))
  const got = new Map<string, number>()
  for (const line of request.lines) got.set(line.productId, (got.get(line.productId) ?? 0) + 1)
  const same = want.size === got.size && [...want].every(([id, n]) => got.get(id) === n)
  return same ? undefined : refuse('invalid_request', 'The lines must be exactly the package components')
}

/** Real-name: each ID number holds at most maxPerIdPerDay tickets of a product for the day. */
function checkPerIdLimits(config: DayConfig, used: DayCounts, adding: Adding): Refused | undefined {
  for (const [key, n] of adding.id) {
    const product = config.products[key.slice(0, key.indexOf(':'))]!
    if (product.maxPerIdPerDay > 0 && (used.id.get(key) ?? 0) + n > product.maxPerIdPerDay) {
      return refuse(
        'buyer_limit',
        `An ID number may hold ${product.maxPerIdPerDay} ${product.name} ticket(s) per day`,
      )
    }
  }
  return undefined
}

/** Capacity: product caps, then entry capacity (day, slot, channel allocation or general pool). */
function checkCapacity(
  config: DayConfig,
  used: DayCounts,
  request: ScenicHoldRequest,
  adding: Adding,
): Refused | undefined {
  const short: string[] = []
  for (const [productId, n] of adding.product) {
    const cap = config.products[productId]!.dailyCapacity
    if (cap !== null && (used.product.get(productId) ?? 0) + n > cap) short.push(productId)
  }
  for (const [slot, n] of adding.slot) {
    const capacity = config.slots.find((s) => s.code === slot)!.capacity
    if ((used.slot.get(slot) ?? 0) + n > capacity) short.push(`slot:${slot}`)
  }
  if (adding.entry > 0) {
    const quota = config.quotas[request.channel]
    if (quota !== undefined) {
      if ((used.channel.get(request.channel) ?? 0) + adding.entry > quota)
        short.push(`channel:${request.channel}`)
    } else if (used.general + adding.entry > generalCapacity(config)) short.push('day')
    if (used.entry + adding.entry > config.dailyCapacity) short.push('day')
  }
  return short.length
    ? refuse('sold_out', 'Not enough tickets left for this day', [...new Set(short)])
    : undefined
}
