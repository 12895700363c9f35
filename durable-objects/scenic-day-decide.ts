import { type HoldCaps, type HoldTallies, holdCapDetail, holdLimits } from '../worker/domain/hold-caps.ts'
import { parentRequiredDetail, sameVisitor } from '../worker/domain/parent-child.ts'
import { ageRefusalDetail, checkAge, needsAgeCheck } from '../worker/domain/visit-eligibility.ts'
import { addDays } from './scenic-day-config.ts'
import type { DayCounts } from './scenic-day-counts.ts'
import { LINES, refuse, TAKEN, visitorOf } from './scenic-day-storage.ts'
import type { DayConfig, LineRow, Refused, ScenicHoldRequest, Visitor } from './scenic-day-types.ts'

// How the scenic day actor decides one hold request: the booking window, packages, real names, age eligibility,
// per-client caps, parent-child ownership, the real-name per-day limit and capacity, in that order, on its
// in-memory counters (a named parent line is the one thing read from storage).

export const MAX_LINES_PER_HOLD = 20

/** What a decision reads: the actor's counters, its hold tallies and caps, and its storage for named parents. */
export interface DayState {
  sql: SqlStorage
  used: DayCounts
  tallies: HoldTallies
  caps: HoldCaps
}

/** A request line once its parent reference is resolved: the visitor it is for, and which parent line it goes with. */
export interface ResolvedLine {
  productId: string
  slot: string | null
  visitor: Visitor | undefined
  /** Parent line in the same hold (index) or stored earlier (id), when the buyer named one. */
  parentIndex?: number
  parentLineId?: string
}

export type Decision = { ok: true; lines: ResolvedLine[] } | Refused

/** Line prices: list prices, or the package price spread over its lines (the last takes the rounding). */
export function linePrices(config: DayConfig, request: ScenicHoldRequest): number[] {
  const list = request.lines.map((line) => config.products[line.productId]!.price)
  if (!request.packageId) return list
  const packagePrice = config.packages[request.packageId]!.price
  const listTotal = list.reduce((a, b) => a + b, 0) || 1
  const shares = list.map((price) => Math.floor((price * packagePrice) / listTotal))
  shares[shares.length - 1]! += packagePrice - shares.reduce((a, b) => a + b, 0)
  return shares
}

/** Every rule a hold must pass, decided on counters only; the first refusal, or the lines to write. */
export function decideHold(
  config: DayConfig,
  state: DayState,
  request: ScenicHoldRequest,
  today: string,
  now: number,
): Decision {
  if (config.date < today || config.date > addDays(today, config.bookingDaysAhead)) {
    return refuse('not_on_sale', `Visits on ${config.date} cannot be booked now`)
  }
  if (request.lines.length === 0 || request.lines.length > MAX_LINES_PER_HOLD) {
    return refuse('invalid_request', `A hold has 1 to ${MAX_LINES_PER_HOLD} lines`)
  }
  if (request.packageId) {
    const pkg = config.packages[request.packageId]
    if (pkg?.status !== 'active')
      return refuse('invalid_request', `No package ${request.packageId} at this site`)
    const want = new Map(pkg.components.map((c) => [c.productId, c.quantity]))
    const got = new Map<string, number>()
    for (const line of request.lines) got.set(line.productId, (got.get(line.productId) ?? 0) + 1)
    const same = want.size === got.size && [...want].every(([id, n]) => got.get(id) === n)
    if (!same) return refuse('invalid_request', 'The lines must be exactly the package components')
  }
  const resolved = resolveLines(config, state, request)
  if (!resolved.ok) return resolved
  const lines = resolved.lines
  const adding = {
    entry: 0,
    slot: new Map<string, number>(),
    product: new Map<string, number>(),
    id: new Map<string, number>(),
  }
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
  // Parent-child: a child line without a named parent needs a parent line of the same buyer for the same
  // visitor (per rule): in this hold, or held or bought earlier. Decided before the per-ID limits, so that
  // another visitor's purchases never change the answer a stranger gets.
  for (const [k, line] of lines.entries()) {
    if (line.parentIndex !== undefined || line.parentLineId !== undefined) continue
    const rules = config.rules.filter((r) => r.childProductId === line.productId)
    if (rules.length === 0) continue
    const inRequest = lines.some(
      (other, j) =>
        j !== k &&
        rules.some(
          (r) => r.parentProductId === other.productId && sameVisitor(r.matchBy, line.visitor, other.visitor),
        ),
    )
    if (!inRequest && !state.used.hasParent(rules, request.holderId, line.visitor))
      return parentRequired(config, line.productId)
  }
  // Real-name: each ID number holds at most maxPerIdPerDay tickets of a product for the day.
  for (const [key, n] of adding.id) {
    const product = config.products[key.slice(0, key.indexOf(':'))]!
    if (product.maxPerIdPerDay > 0 && (state.used.id.get(key) ?? 0) + n > product.maxPerIdPerDay) {
      return refuse(
        'buyer_limit',
        `An ID number may hold ${product.maxPerIdPerDay} ${product.name} ticket(s) per day`,
      )
    }
  }
  // Capacity: product caps, then entry capacity (day, slot, channel allocation or general pool).
  const short: string[] = []
  for (const [productId, n] of adding.product) {
    const cap = config.products[productId]!.dailyCapacity
    if (cap !== null && (state.used.product.get(productId) ?? 0) + n > cap) short.push(productId)
  }
  for (const [slot, n] of adding.slot) {
    const capacity = config.slots.find((s) => s.code === slot)!.capacity
    if ((state.used.slot.get(slot) ?? 0) + n > capacity) short.push(`slot:${slot}`)
  }
  if (adding.entry > 0) {
    const quota = config.quotas[request.channel]
    if (quota !== undefined) {
      if ((state.used.channel.get(request.channel) ?? 0) + adding.entry > quota)
        short.push(`channel:${request.channel}`)
    } else if (state.used.general + adding.entry > generalCapacity(config)) short.push('day')
    if (state.used.entry + adding.entry > config.dailyCapacity) short.push('day')
  }
  if (short.length) return refuse('sold_out', 'Not enough tickets left for this day', [...new Set(short)])
  return { ok: true, lines }
}

function parentRequired(config: DayConfig, childProductId: string): Refused {
  const name = config.products[childProductId]?.name ?? childProductId
  return refuse('parent_ticket_required', parentRequiredDetail(name, config.date))
}

/**
 * Products and slots of each line, and the parent a child line names: a line of this hold, or a parent
 * ticket line of this day that is the buyer's own or was proven by its ticket code. A named parent lends
 * the child its visitor when the child has none (the shop need not ask again); a child that names a visitor
 * must match the parent by the rule. Another buyer's parent lends nothing: its visitor stays theirs.
 */
function resolveLines(
  config: DayConfig,
  state: DayState,
  request: ScenicHoldRequest,
): { ok: true; lines: ResolvedLine[] } | Refused {
  const lines: ResolvedLine[] = []
  for (const [k, line] of request.lines.entries()) {
    const product = config.products[line.productId]
    if (product?.status !== 'active')
      return refuse('invalid_request', `Line ${k + 1}: no product ${line.productId} on sale here`)
    if (product.timed) {
      if (!line.slot || !config.slots.some((s) => s.code === line.slot)) {
        return refuse(
          'invalid_request',
          `Line ${k + 1}: pick one of the time slots ${config.slots.map((s) => s.code).join(', ')}`,
        )
      }
    } else if (line.slot) return refuse('invalid_request', `Line ${k + 1}: ${product.name} has no time slots`)
    lines.push({ productId: line.productId, slot: line.slot ?? null, visitor: line.visitor })
  }
  for (const [k, line] of request.lines.entries()) {
    const parent = line.parent
    if (!parent) continue
    const rules = config.rules.filter((r) => r.childProductId === line.productId)
    const ruleFor = (parentProductId: string) => rules.find((r) => r.parentProductId === parentProductId)
    const child = lines[k]!
    if ('line' in parent) {
      const other = request.lines[parent.line]
      const rule = other && parent.line !== k ? ruleFor(other.productId) : undefined
      if (!rule)
        return refuse('invalid_request', `Line ${k + 1}: its parent must be a gate ticket line of this hold`)
      // The parent line's visitor was given in this request, by this buyer.
      const visitor = other!.visitor
      if (!child.visitor) child.visitor = visitor
      else if (!sameVisitor(rule.matchBy, child.visitor, visitor))
        return parentRequired(config, line.productId)
      child.parentIndex = parent.line
      continue
    }
    if (typeof parent.lineId !== 'string')
      return refuse('invalid_request', `Line ${k + 1}: its parent is a line of this hold or a ticket line`)
    const [stored] = state.sql
      .exec<LineRow>(`${LINES} WHERE l.id = ? AND l.status IN ${TAKEN}`, parent.lineId)
      .toArray()
    const rule = stored ? ruleFor(stored.product_id) : undefined
    const own = stored?.holder_id === request.holderId
    // Unknown, gone, not a parent of this product, or someone else's without proof: one and the same answer.
    if (!stored || !rule || !(own || parent.proven)) return parentRequired(config, line.productId)
    const visitor = visitorOf(stored)
    if (!child.visitor && own) child.visitor = visitor
    else if (!sameVisitor(rule.matchBy, child.visitor, visitor)) return parentRequired(config, line.productId)
    child.parentLineId = stored.id
  }
  return { ok: true, lines }
}

export function generalCapacity(config: DayConfig) {
  return config.dailyCapacity - Object.values(config.quotas).reduce((a, b) => a + b, 0)
}
