import type { Visitor } from '../contract.ts'
import type { DayConfig, Rule } from './day-config.ts'
import type { CountedLine } from './lines.ts'

// The day's in-memory counters, rebuilt from the actor's storage on load and after a failed write: what is
// taken (held or sold) per entry, slot, product, channel and ID number, and each buyer's parent lines by visitor
// (so a child line finds its parent without a query).

const bump = (map: Map<string, number>, key: string, by: number) => {
  const next = (map.get(key) ?? 0) + by
  if (next === 0) map.delete(key)
  else map.set(key, next)
}

/** A buyer's taken lines of a product by one visitor key; the buyer is part of the key. */
const visitorKey = (productId: string, holderId: string, by: 'id' | 'phone', value: string) =>
  `${productId}\u0000${holderId}\u0000${by}\u0000${value}`

export class DayCounts {
  entry = 0
  general = 0
  slot = new Map<string, number>()
  product = new Map<string, number>()
  channel = new Map<string, number>()
  /** product:idNumber → taken, for the real-name per-day limit (everyone's, whoever bought). */
  id = new Map<string, number>()
  private visitor = new Map<string, number>()

  /** Counts a taken line in (+1) or out (-1). */
  line(config: DayConfig, line: CountedLine, sign: 1 | -1) {
    const product = config.products[line.product_id]
    bump(this.product, line.product_id, sign)
    if (line.id_number) {
      bump(this.id, `${line.product_id}:${line.id_number}`, sign)
      bump(this.visitor, visitorKey(line.product_id, line.holder_id, 'id', line.id_number), sign)
    }
    if (line.phone) bump(this.visitor, visitorKey(line.product_id, line.holder_id, 'phone', line.phone), sign)
    if (product?.kind === 'entry') {
      this.entry += sign
      if (line.slot) bump(this.slot, line.slot, sign)
      if (config.quotas[line.channel] !== undefined) bump(this.channel, line.channel, sign)
      else this.general += sign
    }
  }

  /** Whether this buyer holds or bought a parent ticket of one of `rules` for the visitor, as each rule matches. */
  hasParent(rules: Rule[], holderId: string, visitor: Visitor | undefined): boolean {
    const taken = (productId: string, by: 'id' | 'phone', value: string | undefined) =>
      !!value && (this.visitor.get(visitorKey(productId, holderId, by, value)) ?? 0) > 0
    return rules.some(
      (rule) =>
        (rule.matchBy !== 'phone' && taken(rule.parentProductId, 'id', visitor?.idNumber)) ||
        (rule.matchBy !== 'id_number' && taken(rule.parentProductId, 'phone', visitor?.phone)),
    )
  }
}

/** The counters for `taken` (every held or sold line of the day) under `config`. */
export function countTaken(config: DayConfig, taken: Iterable<CountedLine>): DayCounts {
  const used = new DayCounts()
  for (const line of taken) used.line(config, line, 1)
  return used
}
