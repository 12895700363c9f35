import type { Visitor } from '../contract.ts'

// A day's ticket lines as the rules see them: each with its hold's buyer, who owns it for parent-child rules
// and caps.

export type LineStatus = 'held' | 'sold' | 'returned' | 'released' | 'expired'

/** A ticket line as stored, with its hold's buyer. */
export type LineRow = {
  id: string
  hold_id: string
  holder_id: string
  product_id: string
  slot: string | null
  channel: string
  id_number: string | null
  phone: string | null
  name: string | null
  status: LineStatus
  order_id: string | null
  redeemed: number
  price: number
  parent_line_id: string | null
  /** The quote's list price, tier and tier counter (NULL on lines held before price calendars). */
  list_price: number | null
  tier: string | null
  tier_key: string | null
  channel_priced: number | null
}

/** What the counters need of a taken line. */
export type CountedLine = Pick<
  LineRow,
  'product_id' | 'slot' | 'channel' | 'id_number' | 'phone' | 'holder_id'
>

/** A stored line's visitor (what was given when it was held). */
export function visitorOf(line: Pick<LineRow, 'id_number' | 'phone' | 'name'>): Visitor {
  return {
    ...(line.name ? { name: line.name } : {}),
    ...(line.id_number ? { idNumber: line.id_number } : {}),
    ...(line.phone ? { phone: line.phone } : {}),
  }
}
