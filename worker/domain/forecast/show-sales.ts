import { addDays, daysBetween, mean } from './calendar.ts'

// A show's expected final sales and sell-out date from its sales curve so far and the organizer's past shows of
// the same event or venue, all on one axis: days before the start day.
//
// Why this method: it is the "additive pickup" of revenue management, which a box office can check by hand.
// Each past show says how large a share of its capacity it still sold from this many days out until it started;
// this show's share sold by yesterday plus that pickup is one estimate of its final, and the expected final is
// their average (shares, so a 2,000-seat hall teaches a 1,000-seat one). The interval runs from the lowest to
// the highest estimate; with fewer than three past shows the show's own pace joins that range, because two
// shows say little about the spread. Without any past show the forecast is the show's own pace: its tickets per
// day over the last two weeks carried on to the end of sales, with an interval from how much those days varied.
// Comparisons use whole days up to yesterday; today's sales so far are a floor for every figure.

export interface DaySales {
  /** Whole China days from the sale day to the start day (0 = the start day itself). */
  daysBefore: number
  /** Tickets sold that day that still stand. */
  tickets: number
}

export interface PastShow {
  showId: string
  capacity: number
  sales: readonly DaySales[]
}

export type ShowSalesMethod = 'comparable_shows' | 'own_pace' | 'final'

export interface CurvePoint {
  daysBefore: number
  date: string
  /** Tickets sold by the end of that day (today: so far); null for days still to come. */
  sold: number | null
  /** Expected tickets sold by the end of that day; null for days past. */
  expected: number | null
  low: number | null
  high: number | null
}

export interface ShowSalesForecast {
  method: ShowSalesMethod
  capacity: number
  sold: number
  /** Days from today to the start day (negative once it has passed). */
  daysBeforeStart: number
  expectedFinal: number
  low: number
  high: number
  /** Expected final tickets as a share of capacity (0–1). */
  expectedSellThrough: number
  soldOut: boolean
  /** The day it sold out, or the first day it is expected to; null when not expected to. */
  sellOutDate: string | null
  pace: { ticketsPerDay: number; days: number }
  comparables: {
    showId: string
    capacity: number
    finalTickets: number
    soldByThen: number
    estimate: number
    /** Its sales progress on the same axis: tickets by the end of each day and their share of its capacity. */
    progress: { daysBefore: number; sold: number; share: number }[]
  }[]
  curve: CurvePoint[]
}

const z90 = 1.645
const paceWindow = 14
const fewComparables = 3

const cumulativeFrom = (sales: readonly DaySales[], daysBefore: number) =>
  sales.reduce((total, s) => (s.daysBefore >= daysBefore ? total + s.tickets : total), 0)
const totalOf = (sales: readonly DaySales[]) => sales.reduce((total, s) => total + s.tickets, 0)

/** A past show's cumulative sales from its first sale day to its start day (later sales land on day 0). */
function progressOf(past: PastShow) {
  const first = past.sales.reduce((d, s) => (s.tickets > 0 ? Math.max(d, s.daysBefore) : d), 0)
  return Array.from({ length: first + 1 }, (_, i) => {
    const daysBefore = first - i
    const sold = cumulativeFrom(past.sales, daysBefore === 0 ? Number.NEGATIVE_INFINITY : daysBefore)
    return { daysBefore, sold, share: Math.round((sold / past.capacity) * 1000) / 1000 }
  })
}

export function forecastShowSales(input: {
  capacity: number
  /** China day the show starts, today, and the last day of sales (default: the start day). */
  startDay: string
  today: string
  lastSaleDay?: string
  sales: readonly DaySales[]
  comparables: readonly PastShow[]
}): ShowSalesForecast {
  const { capacity, startDay, sales } = input
  const daysLeft = daysBetween(input.today, startDay)
  const sold = totalOf(sales)
  const firstSale = sales.reduce(
    (first, s) => (s.tickets > 0 ? Math.max(first, s.daysBefore) : first),
    daysLeft,
  )
  const lastSale = Math.max(0, daysBetween(input.lastSaleDay ?? startDay, startDay))
  const soldByYesterday = cumulativeFrom(sales, daysLeft + 1)

  // Own pace: whole days of sales before today, at most the last two weeks (today alone if none).
  const windowDays = Math.max(0, Math.min(paceWindow, firstSale - daysLeft))
  const daily = Array.from({ length: windowDays }, (_, i) =>
    totalOf(sales.filter((s) => s.daysBefore === daysLeft + 1 + i)),
  )
  const paceDays = windowDays > 0 ? daily : [cumulativeFrom(sales, daysLeft) - soldByYesterday]
  const ticketsPerDay = mean(paceDays)
  const spread = Math.sqrt(mean(paceDays.map((d) => (d - ticketsPerDay) ** 2)))
  const sellingDays = (d: number) => Math.max(0, daysLeft - Math.max(d, lastSale) + 1)
  const paceBy = (d: number) => soldByYesterday + ticketsPerDay * sellingDays(d)

  const usable = input.comparables.filter((c) => c.capacity > 0 && totalOf(c.sales) > 0)
  // Each past show's estimate of tickets sold by the end of day `d` (d = -Infinity: its final).
  const estimators = usable.map((past) => {
    const before = cumulativeFrom(past.sales, daysLeft + 1) / past.capacity
    return (d: number) =>
      soldByYesterday + (cumulativeFrom(past.sales, d) / past.capacity - before) * capacity
  })
  const clamp = (value: number) => Math.min(capacity, Math.max(sold, value))
  const method: ShowSalesMethod =
    daysLeft < 0 ? 'final' : estimators.length > 0 ? 'comparable_shows' : 'own_pace'

  const at = (d: number) => {
    if (method === 'final') return { expected: sold, low: sold, high: sold }
    if (method === 'own_pace') {
      const margin = z90 * spread * Math.sqrt(sellingDays(d))
      const expected = paceBy(d)
      return { expected, low: expected - margin, high: expected + margin }
    }
    const estimates = estimators.map((estimate) => estimate(d))
    const range = estimators.length < fewComparables ? [...estimates, paceBy(d)] : estimates
    return { expected: mean(estimates), low: Math.min(...range), high: Math.max(...range) }
  }
  const rounded = (figures: { expected: number; low: number; high: number }) => {
    const expected = Math.round(clamp(figures.expected))
    return {
      expected,
      low: Math.min(expected, Math.floor(clamp(figures.low))),
      high: Math.max(expected, Math.ceil(clamp(figures.high))),
    }
  }
  const final = rounded(at(Number.NEGATIVE_INFINITY))

  const curve: CurvePoint[] = []
  for (let d = Math.max(firstSale, daysLeft); d >= Math.min(0, daysLeft); d--) {
    const past = d >= daysLeft
    const future = d <= daysLeft && method !== 'final' ? rounded(at(d)) : null
    curve.push({
      daysBefore: d,
      date: addDays(startDay, -d),
      sold: past ? cumulativeFrom(sales, d) : null,
      expected: future?.expected ?? null,
      low: future?.low ?? null,
      high: future?.high ?? null,
    })
  }
  const soldOut = capacity > 0 && sold >= capacity
  const sellOutPoint = soldOut
    ? curve.find((p) => p.sold !== null && p.sold >= capacity)
    : curve.find((p) => p.expected !== null && p.expected >= capacity)

  return {
    method,
    capacity,
    sold,
    daysBeforeStart: daysLeft,
    expectedFinal: final.expected,
    low: final.low,
    high: final.high,
    expectedSellThrough: capacity > 0 ? Math.round((final.expected / capacity) * 1000) / 1000 : 0,
    soldOut,
    sellOutDate: capacity > 0 ? (sellOutPoint?.date ?? null) : null,
    pace: { ticketsPerDay: Math.round(ticketsPerDay * 10) / 10, days: paceDays.length },
    comparables: usable.map((past, i) => ({
      showId: past.showId,
      capacity: past.capacity,
      finalTickets: totalOf(past.sales),
      soldByThen: cumulativeFrom(past.sales, daysLeft + 1),
      estimate: Math.round(clamp(estimators[i]!(Number.NEGATIVE_INFINITY))),
      progress: progressOf(past),
    })),
    curve,
  }
}
