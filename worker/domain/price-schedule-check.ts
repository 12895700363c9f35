import type { FieldError } from './field-errors.ts'
import type { ShowPricing } from './price-schedule.ts'
import { stepErrors } from './price-steps.ts'

// What makes a show's schedules and flash sales unsellable, every problem at once with its field path (the
// admin API answers them as one `validation` problem and saves nothing). Request shapes are checked loosely
// before this on purpose: a negative price and an overlap in the same request are reported together.

/** A price category as the check needs it: its list price on the show and its seats at the venue. */
export interface CategoryFacts {
  listPrice: number
  capacity: number
}

const isMoney = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0
const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0
// ISO-8601 with a time; Date.parse alone would also take "March 1".
const instant = (s: unknown) =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) ? Date.parse(s) : Number.NaN

export function pricingErrors(
  pricing: ShowPricing,
  categories: Record<string, CategoryFacts>,
  root = 'json',
): FieldError[] {
  const errors: FieldError[] = []
  const bad = (path: string, message: string) => errors.push({ path: `${root}.${path}`, message })
  const seen = new Set<string>()
  pricing.schedules.forEach((schedule, s) => {
    const at = `schedules.${s}`
    const facts = categories[schedule.category]
    if (!facts) bad(`${at}.category`, `the show has no price for category ${schedule.category}`)
    else if (seen.has(schedule.category)) bad(`${at}.category`, `${schedule.category} has two schedules`)
    seen.add(schedule.category)
    const labels = new Set<string>()
    let quantities = 0
    const windows: { from: number; until: number; k: number }[] = []
    schedule.tiers.forEach((tier, k) => {
      const path = `${at}.tiers.${k}`
      if (!tier.label?.trim()) bad(`${path}.label`, 'give the tier a label')
      else if (labels.has(tier.label)) bad(`${path}.label`, `two tiers are labelled ${tier.label}`)
      labels.add(tier.label)
      if (!isMoney(tier.price)) bad(`${path}.price`, 'must be a positive whole amount in minor units')
      else if (facts && tier.price > facts.listPrice)
        bad(`${path}.price`, `above the list price ${facts.listPrice}`)
      const hasQuantity = tier.quantity !== undefined && tier.quantity !== null
      if (hasQuantity) {
        if (!isCount(tier.quantity)) bad(`${path}.quantity`, 'must be a positive whole number')
        else {
          // Reported once, at the tier where the sum first passes the seats.
          const over = facts && quantities <= facts.capacity && quantities + tier.quantity > facts.capacity
          quantities += tier.quantity
          if (over)
            bad(`${path}.quantity`, `tiers add up to more than the ${facts.capacity} seats of the category`)
        }
      }
      const from = tier.startsAt ? instant(tier.startsAt) : -Infinity
      const until = tier.endsAt ? instant(tier.endsAt) : Infinity
      if (Number.isNaN(from)) bad(`${path}.startsAt`, 'is not a date and time')
      if (Number.isNaN(until)) bad(`${path}.endsAt`, 'is not a date and time')
      if (from >= until) bad(`${path}.endsAt`, 'must be after startsAt')
      // A tier with neither end would hide every later tier and the list price for good.
      if (!hasQuantity && !tier.endsAt) bad(`${path}.endsAt`, 'a tier ends at a date or after a quantity')
      if (tier.startsAt && tier.endsAt && from < until) windows.push({ from, until, k })
    })
    for (const a of windows)
      for (const b of windows)
        if (a.k < b.k && a.from < b.until && b.from < a.until)
          bad(`${at}.tiers.${b.k}.startsAt`, `overlaps the window of tier ${a.k + 1}`)
    if (schedule.steps?.length || schedule.floor != null || schedule.ceiling != null)
      for (const e of stepErrors(
        { steps: schedule.steps ?? [], floor: schedule.floor, ceiling: schedule.ceiling },
        at,
      ))
        bad(e.path, e.message)
  })
  const ids = new Set<string>()
  pricing.flashSales.forEach((flash, f) => {
    const at = `flashSales.${f}`
    const facts = categories[flash.category]
    if (!flash.id?.trim()) bad(`${at}.id`, 'give the flash sale an id')
    else if (ids.has(flash.id)) bad(`${at}.id`, `two flash sales are ${flash.id}`)
    ids.add(flash.id)
    if (!facts) bad(`${at}.category`, `the show has no price for category ${flash.category}`)
    if (!isMoney(flash.price)) bad(`${at}.price`, 'must be a positive whole amount in minor units')
    else if (facts && flash.price > facts.listPrice)
      bad(`${at}.price`, `above the list price ${facts.listPrice}`)
    if (!isCount(flash.units)) bad(`${at}.units`, 'must be a positive whole number')
    else if (facts && flash.units > facts.capacity)
      bad(`${at}.units`, `more than the ${facts.capacity} seats of the category`)
    if (!isCount(flash.perBuyer)) bad(`${at}.perBuyer`, 'must be a positive whole number')
    const from = instant(flash.startsAt)
    const until = instant(flash.endsAt)
    if (Number.isNaN(from)) bad(`${at}.startsAt`, 'is not a date and time')
    if (Number.isNaN(until)) bad(`${at}.endsAt`, 'is not a date and time')
    else if (from >= until) bad(`${at}.endsAt`, 'must be after startsAt')
    pricing.flashSales.slice(0, f).forEach((other, o) => {
      if (other.category !== flash.category) return
      if (instant(other.startsAt) < until && from < instant(other.endsAt))
        bad(`${at}.startsAt`, `overlaps flash sale ${o + 1} of the same category`)
    })
  })
  return errors
}
