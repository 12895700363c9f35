// Price steps by sell-through (根据销售进度动态调价): a category's list price rises (or falls) by a percent once a
// share of its seats is taken, e.g. +10% from 70% sold, +20% from 90%, kept between a floor and a ceiling.
// Pure: the show actor decides each seat's step at hold time from the counts its seat layout already keeps
// (held and sold seats of the category over the seats on sale, blocked ones left out), seat by seat, so a
// hold of several seats across the boundary pays the old price for the seats below it and the new one above.
//
// Rounding: a stepped price is rounded half up to a whole major unit (100 minor units, a whole yuan) for
// currencies with two decimals, and to a whole minor unit for currencies without them (JPY, KRW).

export interface PriceStep {
  /** Share of the category taken (held or sold), in whole percent (1..99), from which this step applies. */
  atPercentSold: number
  /** Change to the list price, in whole percent (-50..200). */
  percent: number
  /** What buyers see beside the price (e.g. 热销加价); absent: none. */
  label?: string | null
}

export interface CategorySteps {
  steps: PriceStep[]
  /** Bounds on a stepped price, in minor units. */
  floor?: number | null
  ceiling?: number | null
}

/** Currencies whose minor unit is the whole unit (ISO 4217 exponent 0) among those a show may sell in. */
const WHOLE_UNIT_CURRENCIES = new Set(['JPY', 'KRW', 'VND', 'CLP', 'ISK'])

/** Minor units a stepped price rounds to in this currency. */
export const roundingUnit = (currency: string) =>
  WHOLE_UNIT_CURRENCIES.has(currency.toUpperCase()) ? 1 : 100

/**
 * The step a seat gets when `taken` seats of its category (of `capacity` on sale) are held or sold before it:
 * the last step whose share is reached (`taken / capacity >= atPercentSold%`, in integers), or -1 for none.
 * Steps are ascending (checked when saved).
 */
export function stepAt(steps: readonly PriceStep[], taken: number, capacity: number): number {
  if (capacity <= 0) return -1
  let found = -1
  for (let k = 0; k < steps.length; k++) {
    if (taken * 100 >= steps[k]!.atPercentSold * capacity) found = k
    else break
  }
  return found
}

/** The list price after step `k` (or the list price itself for -1), rounded and kept within the bounds. */
export function steppedPrice(listPrice: number, rule: CategorySteps, k: number, unit: number): number {
  if (k < 0) return listPrice
  const raw = (listPrice * (100 + rule.steps[k]!.percent)) / 100
  let price = Math.floor(raw / unit + 0.5) * unit
  if (rule.floor != null) price = Math.max(price, rule.floor)
  if (rule.ceiling != null) price = Math.min(price, rule.ceiling)
  return price
}

/** How many seats of a category sell before step `k` applies: the first `taken` count that reaches it. */
export const seatsBeforeStep = (step: PriceStep, capacity: number) =>
  Math.ceil((step.atPercentSold * capacity) / 100)

/** Whole-field problems of one category's steps (paths relative to `at`), every one, for one `validation`. */
export function stepErrors(rule: CategorySteps, at: string): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = []
  const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n)
  if (!Array.isArray(rule.steps)) return [{ path: `${at}.steps`, message: 'must be a list' }]
  if (rule.steps.length > 10) errors.push({ path: `${at}.steps`, message: 'at most 10 steps' })
  let previous = 0
  rule.steps.forEach((step, k) => {
    const path = `${at}.steps.${k}`
    if (!isInt(step.atPercentSold) || step.atPercentSold < 1 || step.atPercentSold > 99)
      errors.push({ path: `${path}.atPercentSold`, message: 'must be a whole percent from 1 to 99' })
    else {
      if (step.atPercentSold <= previous)
        errors.push({
          path: `${path}.atPercentSold`,
          message: `must be above the step before (${previous}%)`,
        })
      previous = step.atPercentSold
    }
    if (!isInt(step.percent) || step.percent < -50 || step.percent > 200 || step.percent === 0)
      errors.push({ path: `${path}.percent`, message: 'must be a whole percent from -50 to 200, not 0' })
    if (step.label != null && (typeof step.label !== 'string' || step.label.length > 40))
      errors.push({ path: `${path}.label`, message: 'at most 40 characters' })
  })
  const money = (n: unknown) => isInt(n) && n >= 0
  if (rule.floor != null && !money(rule.floor))
    errors.push({ path: `${at}.floor`, message: 'must be a whole amount in minor units, 0 or more' })
  if (rule.ceiling != null && !money(rule.ceiling))
    errors.push({ path: `${at}.ceiling`, message: 'must be a whole amount in minor units, 0 or more' })
  if (money(rule.floor) && money(rule.ceiling) && rule.floor! > rule.ceiling!)
    errors.push({ path: `${at}.ceiling`, message: `must be at least the floor ${rule.floor}` })
  return errors
}
