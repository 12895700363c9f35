// Pure rules of a group buy (团购), shared by the worker, the group's actor and the shop.

/** When a group started at `now` closes: its lifetime, but never after the show stops selling. */
export function groupDeadline(now: number, lifetimeMinutes: number, saleEndsAt: string): Date {
  return new Date(Math.min(now + lifetimeMinutes * 60_000, Date.parse(saleEndsAt)))
}

/** Where a group is shared (link and QR code): the shop's page for it. */
export function groupShareUrl(origin: string, groupId: string): string {
  return `${origin}/group-buys/${encodeURIComponent(groupId)}`
}

/** Progress toward success: paid members over the minimum, as a whole percentage capped at 100. */
export function groupProgress(paid: number, minSize: number): number {
  if (minSize <= 0) return 100
  return Math.min(100, Math.floor((paid * 100) / minSize))
}

/** A seat as the live seat map shows it. */
export interface MapSeat {
  id: string
  section: string
  row: string
  category: string
  x: number
  y: number
  state: string
}

/**
 * Seats for a new member next to their group: `quantity` free seats of `category`, side by side in one row
 * (no aisle between them: a gap much wider than the row's usual spacing), as close as possible to a seat the
 * group already has, preferring its own row. Null when the group has no seats yet or no such window exists (then best available).
 */
export function seatsNearGroup(
  seats: MapSeat[],
  groupSeatIds: string[],
  category: string,
  quantity: number,
): string[] | null {
  const mine = new Set(groupSeatIds)
  const group = seats.filter((s) => mine.has(s.id))
  if (group.length === 0 || quantity < 1) return null
  const rows = new Map<string, MapSeat[]>()
  for (const seat of seats) {
    const key = `${seat.section}\u0000${seat.row}`
    const row = rows.get(key)
    if (row) row.push(seat)
    else rows.set(key, [seat])
  }
  let best: { ids: string[]; score: number } | null = null
  for (const row of rows.values()) {
    row.sort((a, b) => a.x - b.x)
    const gaps = row.slice(1).map((s, i) => s.x - row[i]!.x)
    const spacing = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0
    for (let start = 0; start + quantity <= row.length; start++) {
      const window = row.slice(start, start + quantity)
      if (!window.every((s) => s.state === 'free' && s.category === category)) continue
      if (window.some((s, i) => i > 0 && s.x - window[i - 1]!.x > spacing * 1.5)) continue
      let score = Number.POSITIVE_INFINITY
      // Rows apart count double: beside the group in its own row beats straight in front of it.
      for (const s of window)
        for (const g of group) score = Math.min(score, Math.hypot(s.x - g.x, 2 * (s.y - g.y)))
      if (!best || score < best.score) best = { ids: window.map((s) => s.id), score }
    }
  }
  return best?.ids ?? null
}
