import type { FieldError } from './field-errors.ts'
import { ruleKind, type ScenicPricing } from './scenic-price-calendar.ts'

// What makes a scenic product's (or package's) price calendar and schedule unsellable, every problem at once
// with its field path (the admin API answers them as one `validation` problem and saves nothing).

const isMoney = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0
const isDate = (s: unknown): s is string =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`))
const instant = (s: unknown) =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) ? Date.parse(s) : Number.NaN

/** What the check needs to know: the base price, a day's capacity (null: the site's) and the channel codes. */
export interface ScenicPriceFacts {
  basePrice: number
  dailyCapacity: number | null
  channels: readonly string[]
}

export function scenicPricingErrors(pricing: ScenicPricing, facts: ScenicPriceFacts, root = 'json') {
  const errors: FieldError[] = []
  const bad = (path: string, message: string) => errors.push({ path: `${root}.${path}`, message })
  const checkChannels = (path: string, channels: string[] | null | undefined) => {
    const unknown = (channels ?? []).filter((c) => !facts.channels.includes(c))
    if (unknown.length) bad(path, `no sales channel ${unknown.join(', ')}`)
  }
  const seen = new Map<string, number>()
  pricing.dates.forEach((rule, k) => {
    const at = `dates.${k}`
    const kind = ruleKind(rule)
    if (!isMoney(rule.price)) bad(`${at}.price`, 'must be a positive whole amount in minor units')
    if (!kind) bad(`${at}.date`, 'give a date, a range (from and to) or weekdays')
    if (kind === 'date' && !isDate(rule.date)) bad(`${at}.date`, 'is not a date (YYYY-MM-DD)')
    if (kind === 'range') {
      if (!isDate(rule.from)) bad(`${at}.from`, 'is not a date (YYYY-MM-DD)')
      if (!isDate(rule.to)) bad(`${at}.to`, 'is not a date (YYYY-MM-DD)')
      else if (isDate(rule.from) && rule.to < rule.from) bad(`${at}.to`, 'must be on or after from')
    }
    if (kind === 'weekdays') {
      const days = rule.weekdays ?? []
      if (days.some((d) => !Number.isInteger(d) || d < 0 || d > 6))
        bad(`${at}.weekdays`, 'weekdays are 0 (Sunday) to 6 (Saturday)')
      const wrong = (rule.holidays ?? []).find((d) => !isDate(d))
      if (wrong !== undefined) bad(`${at}.holidays`, `${wrong} is not a date (YYYY-MM-DD)`)
    }
    checkChannels(`${at}.channels`, rule.channels)
    // Two rules of the same kind for the same day and channels would leave the price to their order.
    if (kind === 'date' && isDate(rule.date)) {
      const key = `${rule.date}|${[...(rule.channels ?? [])].sort().join(',')}`
      const first = seen.get(key)
      if (first !== undefined) bad(`${at}.date`, `rule ${first + 1} already prices ${rule.date}`)
      else seen.set(key, k)
    }
  })
  const highest = Math.max(facts.basePrice, ...pricing.dates.map((d) => (isMoney(d.price) ? d.price : 0)))
  const labels = new Set<string>()
  let quantities = 0
  pricing.tiers.forEach((tier, k) => {
    const at = `tiers.${k}`
    if (!tier.label?.trim()) bad(`${at}.label`, 'give the tier a label')
    else if (labels.has(tier.label)) bad(`${at}.label`, `two tiers are labelled ${tier.label}`)
    labels.add(tier.label)
    if (!isMoney(tier.price)) bad(`${at}.price`, 'must be a positive whole amount in minor units')
    else if (tier.price >= highest) bad(`${at}.price`, `must be below the list price ${highest}`)
    if (tier.quantity !== undefined && tier.quantity !== null) {
      if (!isCount(tier.quantity)) bad(`${at}.quantity`, 'must be a positive whole number')
      else {
        const cap = facts.dailyCapacity
        const over = cap !== null && quantities <= cap && quantities + tier.quantity > cap
        quantities += tier.quantity
        if (over) bad(`${at}.quantity`, `tiers add up to more than the ${cap} tickets of a day`)
      }
    }
    const ahead = tier.minDaysAhead
    if (ahead !== undefined && ahead !== null && !isCount(ahead))
      bad(`${at}.minDaysAhead`, 'must be a positive whole number of days')
    const from = tier.startsAt ? instant(tier.startsAt) : -Infinity
    const until = tier.endsAt ? instant(tier.endsAt) : Infinity
    if (Number.isNaN(from)) bad(`${at}.startsAt`, 'is not a date and time')
    if (Number.isNaN(until)) bad(`${at}.endsAt`, 'is not a date and time')
    else if (from >= until) bad(`${at}.endsAt`, 'must be after startsAt')
    checkChannels(`${at}.channels`, tier.channels)
  })
  return errors
}
