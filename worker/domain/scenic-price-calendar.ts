import type { PriceTier } from './price-schedule.ts'

// A scenic product's (or package's) price per visit date and channel: its base price, overridden by date rules
// where the most specific wins (a single date, then a date range, then a weekday rule with its holidays), and
// the tiers (early bird by days ahead, the first N of a day) the day's actor applies on top (PriceBook). Pure:
// the actor quotes holds with it, the admin API checks rules with `scenicPricingErrors`, the console previews a
// month with it. Dates are the venue's calendar dates (YYYY-MM-DD); "days ahead" counts from the venue's today.

/** One date rule: exactly one of `date`, `from`+`to` (inclusive) or `weekdays` (0 Sunday … 6 Saturday). */
export interface DatePriceRule {
  date?: string | null
  from?: string | null
  to?: string | null
  weekdays?: number[] | null
  /** With `weekdays`: public holidays priced like those weekdays (节假日同周末价). */
  holidays?: string[] | null
  /** Minor units. */
  price: number
  /** What buyers see beside the price (周末价 / 国庆); optional. */
  label?: string | null
  /** Only for holds of these channels; none: the organizer's own channels (never an OTA partner's). */
  channels?: string[] | null
}

/** A product's or package's price calendar and schedule, as stored with it. */
export interface ScenicPricing {
  dates: DatePriceRule[]
  /** Early bird / quantity tiers of one day, in order (PriceTier with `minDaysAhead` and `channels`). */
  tiers: PriceTier[]
}

export const emptyScenicPricing = (): ScenicPricing => ({ dates: [], tiers: [] })

/** Who a price is for: the hold's channel, and whether it is an OTA partner's (settlement prices). */
export interface PriceAudience {
  channel: string
  partner?: boolean
}

export type DateRuleKind = 'date' | 'range' | 'weekdays'

/** The price of one visit date: the rule that set it (index into `dates`), or the base price. */
export interface DatePrice {
  price: number
  rule: number | null
  kind: DateRuleKind | null
  label: string | null
  /** Whether the rule that set the price names the audience's channel. */
  channelNamed: boolean
}

const KIND_RANK: Record<DateRuleKind, number> = { date: 3, range: 2, weekdays: 1 }

export function ruleKind(rule: DatePriceRule): DateRuleKind | null {
  if (rule.date) return 'date'
  if (rule.from || rule.to) return 'range'
  if (rule.weekdays?.length || rule.holidays?.length) return 'weekdays'
  return null
}

/** The weekday of a calendar date (0 Sunday), whatever the zone: the date is already the venue's. */
export const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay()

/**
 * Whether a rule or tier limited to `channels` is for this audience: a list names the channels it is for; no
 * list means the organizer's own channels, so an OTA partner keeps its settlement price.
 */
export function forAudience(channels: readonly string[] | null | undefined, audience: PriceAudience) {
  return channels?.length ? channels.includes(audience.channel) : !audience.partner
}

function matches(rule: DatePriceRule, kind: DateRuleKind, date: string): boolean {
  if (kind === 'date') return rule.date === date
  if (kind === 'range') return !!rule.from && !!rule.to && rule.from <= date && date <= rule.to
  return !!rule.weekdays?.includes(weekdayOf(date)) || !!rule.holidays?.includes(date)
}

/**
 * The price on `date` for `audience`: the most specific matching rule (single date > range > weekdays), a
 * rule naming the channel before one for all own channels of the same kind, the first listed on a tie; the
 * base price when none matches.
 */
export function priceOnDate(
  base: number,
  rules: readonly DatePriceRule[] | undefined,
  date: string,
  audience: PriceAudience,
): DatePrice {
  let best: DatePrice = { price: base, rule: null, kind: null, label: null, channelNamed: false }
  let bestRank = 0
  rules?.forEach((rule, index) => {
    const kind = ruleKind(rule)
    if (!kind || !forAudience(rule.channels, audience) || !matches(rule, kind, date)) return
    const named = !!rule.channels?.length
    const rank = KIND_RANK[kind] * 2 + (named ? 1 : 0)
    if (rank <= bestRank) return
    bestRank = rank
    best = { price: rule.price, rule: index, kind, label: rule.label ?? null, channelNamed: named }
  })
  return best
}

/** Formatters per zone: building one costs far more than using it. */
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** The calendar date at the venue (its time zone) at an instant, as YYYY-MM-DD. */
export function venueDate(timezone: string, at: Date | number = Date.now()): string {
  let format = dayFormats.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dayFormats.set(timezone, format)
  }
  return format.format(at)
}

/** Whole days from the venue's today to the visit date (0 on the day, negative after it). */
export function daysAhead(visitDate: string, now: number, timezone: string): number {
  const today = venueDate(timezone, now)
  return Math.round((Date.parse(`${visitDate}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
}
