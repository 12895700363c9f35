import { parentRequiredDetail, sameVisitor } from '../../../worker/domain/parent-child.ts'
import { type Refused, refuse, type ScenicHoldRequest, type Visitor } from '../contract.ts'
import type { DayConfig } from './day-config.ts'
import { type LineRow, visitorOf } from './lines.ts'

// 父子票 for one hold request: which parent line each child line goes with (the rule itself is in
// worker/domain/parent-child.ts). Products and slots are checked on the way, since a parent reference names lines.

/** A request line once its parent reference is resolved: the visitor it is for, and which parent line it goes with. */
export interface ResolvedLine {
  productId: string
  slot: string | null
  visitor: Visitor | undefined
  /** Parent line in the same hold (index) or stored earlier (id), when the buyer named one. */
  parentIndex?: number
  parentLineId?: string
}

/** A held or sold line of the day by id (what a child line names as its parent), or undefined. */
export type TakenLineLookup = (lineId: string) => LineRow | undefined

export function parentRequired(config: DayConfig, childProductId: string): Refused {
  const name = config.products[childProductId]?.name ?? childProductId
  return refuse('parent_ticket_required', parentRequiredDetail(name, config.date))
}

/**
 * Products and slots of each line, and the parent a child line names: a line of this hold, or a parent
 * ticket line of this day that is the buyer's own or was proven by its ticket code. A named parent lends
 * the child its visitor when the child has none (the shop need not ask again); a child that names a visitor
 * must match the parent by the rule. Another buyer's parent lends nothing: its visitor stays theirs.
 */
export function resolveLines(
  config: DayConfig,
  takenLine: TakenLineLookup,
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
    const stored = takenLine(parent.lineId)
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

/**
 * A child line without a named parent needs a parent line of the same buyer for the same visitor (per rule):
 * in this hold, or held or bought earlier (`hasParent`, the day's counters). The first child without one.
 */
export function unparentedChild(
  config: DayConfig,
  lines: ResolvedLine[],
  hasParent: (rules: DayConfig['rules'], visitor: Visitor | undefined) => boolean,
): ResolvedLine | undefined {
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
    if (!inRequest && !hasParent(rules, line.visitor)) return line
  }
  return undefined
}
