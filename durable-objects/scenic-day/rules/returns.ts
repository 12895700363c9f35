import { sameVisitor } from '../../../worker/domain/parent-child.ts'
import { type Refused, refuse } from '../contract.ts'
import type { DayConfig } from './day-config.ts'
import { type LineRow, visitorOf } from './lines.ts'

// What returning an order's lines (a refund, a cancellation) takes with it. Only the same buyer's unused child
// lines count: another buyer's cable car never blocks a parent's refund and never goes with it.

export type ReturnPlan = { ok: true; returning: LineRow[]; cascaded: LineRow[] } | Refused

/**
 * A plan for returning `lineIds` (all when absent) of an order's sold lines `sold`. A parent (gate) line whose
 * buyer still has unused child lines for that visitor is refused (`children_unused`) or takes them along, per
 * rule. `soldOf(holderId)` gives every sold line of the day of one buyer, in the order they were held.
 */
export function planReturn(
  config: DayConfig,
  sold: LineRow[],
  soldOf: (holderId: string) => LineRow[],
  lineIds?: string[],
): ReturnPlan {
  const buyers = new Map<string, LineRow[]>()
  const buyerLines = (holderId: string) => {
    let lines = buyers.get(holderId)
    if (!lines) {
      lines = soldOf(holderId)
      buyers.set(holderId, lines)
    }
    return lines
  }
  const returning = sold.filter((l) => !lineIds || lineIds.includes(l.id))
  const ids = new Set(returning.map((l) => l.id))
  const cascaded: LineRow[] = []
  for (const line of returning) {
    const rules = config.rules.filter((r) => r.parentProductId === line.product_id)
    for (const rule of rules) {
      const children = buyerLines(line.holder_id).filter(
        (child) =>
          child.product_id === rule.childProductId &&
          child.redeemed === 0 &&
          !ids.has(child.id) &&
          sameVisitor(rule.matchBy, visitorOf(child), visitorOf(line)) &&
          !stillCovered(config, child, buyerLines(child.holder_id), ids),
      )
      if (children.length === 0) continue
      if (rule.onParentRefund === 'block') {
        return refuse(
          'children_unused',
          `Refund the unused ${config.products[rule.childProductId]?.name ?? 'child'} ticket(s) first`,
          children.map((c) => c.id),
        )
      }
      for (const child of children) {
        ids.add(child.id)
        cascaded.push(child)
      }
    }
  }
  return { ok: true as const, returning, cascaded }
}

/**
 * Whether a sold parent line of the child's buyer (`buyerSold`) that is not being returned still entitles it
 * (e.g. a family on one phone).
 */
function stillCovered(
  config: DayConfig,
  child: LineRow,
  buyerSold: LineRow[],
  returning: Set<string>,
): boolean {
  const rules = config.rules.filter((r) => r.childProductId === child.product_id)
  if (rules.length === 0) return false
  return buyerSold.some(
    (parent) =>
      !returning.has(parent.id) &&
      rules.some(
        (r) =>
          r.parentProductId === parent.product_id &&
          sameVisitor(r.matchBy, visitorOf(child), visitorOf(parent)),
      ),
  )
}
