// Seats a buyer's pick would leave empty on their own: a free seat with no free neighbour left, next to a
// picked seat (E-5 and E-7 picked, E-6 free between them; or seat 1 at the row's end beside a picked seat 2).
// Nobody buys such a seat alone, so cinema apps warn (Maoyan refuses). Pure: the shop runs it as seats are
// picked, and unit tests share it.

export interface RowSeat {
  id: string
  section: string
  row: string
  x: number
  y: number
}

/** Seats per row, left to right, split at aisles (a gap much wider than the row's usual spacing). */
export function seatRuns<S extends RowSeat>(seats: readonly S[]): S[][] {
  const rows = new Map<string, S[]>()
  for (const seat of seats) {
    const key = `${seat.section}\u0000${seat.row}`
    const row = rows.get(key)
    if (row) row.push(seat)
    else rows.set(key, [seat])
  }
  const runs: S[][] = []
  for (const row of rows.values()) {
    row.sort((a, b) => a.x - b.x)
    const gaps = row.slice(1).map((seat, i) => Math.hypot(seat.x - row[i]!.x, seat.y - row[i]!.y))
    const sorted = [...gaps].sort((a, b) => a - b)
    const typical = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0
    let run: S[] = [row[0]!]
    gaps.forEach((gap, i) => {
      if (gap > typical * 1.6) {
        runs.push(run)
        run = []
      }
      run.push(row[i + 1]!)
    })
    runs.push(run)
  }
  return runs
}

/**
 * Free seats the pick would strand: each is free, not picked, and after the pick has no free neighbour in its
 * run while at least one neighbour is picked. A seat already alone before the pick is not the buyer's doing.
 */
export function strandedSeats<S extends RowSeat>(
  runs: readonly S[][],
  isFree: (seat: S) => boolean,
  picked: ReadonlySet<string>,
): S[] {
  const stranded: S[] = []
  for (const run of runs) {
    if (!run.some((seat) => picked.has(seat.id))) continue
    run.forEach((seat, i) => {
      if (picked.has(seat.id) || !isFree(seat)) return
      const neighbours = [run[i - 1], run[i + 1]].filter((n): n is S => n !== undefined)
      if (neighbours.length === 0) return
      const openAfter = neighbours.some((n) => isFree(n) && !picked.has(n.id))
      const besidePick = neighbours.some((n) => picked.has(n.id))
      if (!openAfter && besidePick) stranded.push(seat)
    })
  }
  return stranded
}
