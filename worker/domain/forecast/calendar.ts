// Calendar days as YYYY-MM-DD text, counted in whole days (no clock, no time zone: callers pass China days).

const dayMs = 86_400_000

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10)

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs)

/** The value below which `share` of the sorted values fall (linear between neighbours). */
export function quantile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return Number.NaN
  const at = (sorted.length - 1) * share
  const low = Math.floor(at)
  const high = Math.ceil(at)
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low)
}

export const mean = (values: readonly number[]) =>
  values.length === 0 ? Number.NaN : values.reduce((total, value) => total + value, 0) / values.length

/** Mean absolute percentage error in percent (one decimal), over the days that had any actual figure. */
export function meanAbsolutePercentageError(pairs: readonly { actual: number; forecast: number }[]) {
  const counted = pairs.filter((p) => p.actual > 0)
  if (counted.length === 0) return null
  const share = mean(counted.map((p) => Math.abs(p.actual - p.forecast) / p.actual))
  return Math.round(share * 1000) / 10
}
