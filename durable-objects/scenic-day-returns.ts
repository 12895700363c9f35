import { sameVisitor } from '../worker/domain/parent-child.ts'
import { LINES, refuse, visitorOf } from './scenic-day-storage.ts'
import type { DayConfig, LineRow } from './scenic-day-types.ts'

// What returning an order's lines (a refund, a cancellation) takes with it. Only the same buyer's unused child
// lines count: another buyer's cable car never blocks a parent's refund and never goes with it.

/**
 * A parent (gate) line whose buyer still has unused child lines for that visitor is refused
 * (`children_unused`) or takes them along, per rule.
 */
export function planReturn(sql: SqlStorage, config: DayConfig, orderId: string, lineIds?: string[]) {
  const sold = sql.exec<LineRow>(`${LINES} WHERE l.order_id = ? AND l.status = 'sold'`, orderId).toArray()
  const returning = sold.filter((l) => !lineIds || lineIds.includes(l.id))
  const ids = new Set(returning.map((l) => l.id))
  const cascaded: LineRow[] = []
  for (const line of returning) {
    const rules = config.rules.filter((r) => r.parentProductId === line.product_id)
    for (const rule of rules) {
      const children = sql
        .exec<LineRow>(
          `${LINES} WHERE l.product_id = ? AND l.status = 'sold' AND l.redeemed = 0 AND h.holder_id = ?`,
          rule.childProductId,
          line.holder_id,
        )
        .toArray()
        .filter(
          (child) =>
            !ids.has(child.id) &&
            sameVisitor(rule.matchBy, visitorOf(child), visitorOf(line)) &&
            !stillCovered(sql, config, child, ids),
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

/** Whether a sold parent line of the child's buyer that is not being returned still entitles it (e.g. a family on one phone). */
function stillCovered(sql: SqlStorage, config: DayConfig, child: LineRow, returning: Set<string>): boolean {
  const rules = config.rules.filter((r) => r.childProductId === child.product_id)
  if (rules.length === 0) return false
  return sql
    .exec<LineRow>(
      `${LINES} WHERE l.status = 'sold' AND h.holder_id = ? AND l.product_id IN (${rules.map(() => '?').join(',')})`,
      child.holder_id,
      ...rules.map((r) => r.parentProductId),
    )
    .toArray()
    .some(
      (parent) =>
        !returning.has(parent.id) &&
        rules.some(
          (r) =>
            r.parentProductId === parent.product_id &&
            sameVisitor(r.matchBy, visitorOf(child), visitorOf(parent)),
        ),
    )
}
