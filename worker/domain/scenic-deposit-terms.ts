import type { OrderDepositTerms } from './deposit-terms.ts'
import type { FieldError } from './field-errors.ts'
import type { ScenicPricing } from './scenic-price-calendar.ts'

// 定金 for a scenic product: a deposit per ticket keeps a place in the visit day's quota; the balance is payable
// in a window counted back from the visit day (the day starts at 00:00 in the site's zone), so one set of terms
// serves every day the product sells. The order then takes absolute times (OrderDepositTerms) and goes through the
// same balance, reminder and forfeit steps as a show's seat (worker/services/orders/deposits.ts).

export interface ScenicDepositTerms {
  /** Deposit per ticket, minor units; less than the lowest price the product can be quoted at. */
  amount: number
  /** The balance is payable from this many days before the visit day starts … */
  balanceOpensDaysBefore: number
  /** … until this many days before it starts (0: until the day starts). */
  balanceDueDaysBefore: number
  reminderLeadMinutes: number
  forfeit: 'keep' | 'refund'
}

/** The lowest price a product can be quoted at on any day: its base price, date prices and tier prices. */
export function lowestScenicPrice(basePrice: number, pricing: ScenicPricing | null): number {
  return Math.min(
    basePrice,
    ...(pricing?.dates ?? []).map((rule) => rule.price),
    ...(pricing?.tiers ?? []).map((tier) => tier.price),
  )
}

const wholeDays = (n: number, max: number) => Number.isInteger(n) && n >= 0 && n <= max

/** Every reason the terms cannot be sold on, each at its field (one `validation` problem lists them all). */
export function scenicDepositTermsErrors(
  terms: ScenicDepositTerms,
  lowestPrice: number,
  root = 'json.deposit',
): FieldError[] {
  const errors: FieldError[] = []
  const bad = (path: string, message: string) => errors.push({ path: `${root}.${path}`, message })
  if (!Number.isInteger(terms.amount) || terms.amount <= 0)
    bad('amount', 'the deposit is a whole amount in minor units above 0')
  else if (terms.amount >= lowestPrice)
    bad(
      'amount',
      `the deposit must be less than the lowest price the product can be quoted at (${lowestPrice})`,
    )
  const opensOk = wholeDays(terms.balanceOpensDaysBefore, 365)
  const dueOk = wholeDays(terms.balanceDueDaysBefore, 365)
  if (!opensOk) bad('balanceOpensDaysBefore', 'whole days between 0 and 365')
  if (!dueOk)
    bad(
      'balanceDueDaysBefore',
      'whole days between 0 and 365: the balance is due before the visit day starts',
    )
  else if (opensOk && terms.balanceOpensDaysBefore <= terms.balanceDueDaysBefore)
    bad('balanceOpensDaysBefore', 'the balance window opens before it is due')
  if (
    !Number.isInteger(terms.reminderLeadMinutes) ||
    terms.reminderLeadMinutes < 0 ||
    terms.reminderLeadMinutes > 60 * 24 * 60
  )
    bad('reminderLeadMinutes', 'whole minutes between 0 and 60 days')
  return errors
}

/** The instant a calendar date starts (00:00) in a time zone. */
export function dayStartsAt(date: string, timezone: string): number {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`)
  const wall = (at: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone: timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
      })
        .formatToParts(at)
        .map((p) => [p.type, p.value]),
    )
    return Date.parse(
      `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}Z`,
    )
  }
  // The zone's offset at the guess, then again at the corrected instant (a DST change near midnight).
  const first = utcMidnight - (wall(utcMidnight) - utcMidnight)
  return utcMidnight - (wall(first) - first)
}

const DAY = 86_400_000

/**
 * The deposit a scenic order pays now, or why it cannot have one: every line's product sells with a deposit on
 * the same window, each ticket costs more than its deposit, and the balance is not yet due.
 */
export function scenicDepositFor(
  lines: { productId: string; price: number }[],
  termsOf: (productId: string) => ScenicDepositTerms | undefined,
  visit: { date: string; timezone: string },
  now: number,
): { ok: true; order: OrderDepositTerms } | { ok: false; reason: string } {
  const terms = lines.map((line) => termsOf(line.productId))
  if (!lines.length || terms.some((t) => !t))
    return { ok: false, reason: 'Some of these tickets are not sold with a deposit' }
  const first = terms[0]!
  const same = terms.every(
    (t) =>
      t!.balanceOpensDaysBefore === first.balanceOpensDaysBefore &&
      t!.balanceDueDaysBefore === first.balanceDueDaysBefore &&
      t!.forfeit === first.forfeit,
  )
  if (!same) return { ok: false, reason: 'These tickets have different deposit terms; order them apart' }
  if (lines.some((line, i) => line.price <= terms[i]!.amount))
    return { ok: false, reason: 'Some of these tickets cost no more than the deposit' }
  const starts = dayStartsAt(visit.date, visit.timezone)
  const due = starts - first.balanceDueDaysBefore * DAY
  if (now >= due) return { ok: false, reason: 'The balance of a deposit for this day would already be due' }
  const lead = Math.max(...terms.map((t) => t!.reminderLeadMinutes))
  return {
    ok: true,
    order: {
      deposit: terms.reduce((sum, t) => sum + t!.amount, 0),
      balanceOpensAt: new Date(starts - first.balanceOpensDaysBefore * DAY).toISOString(),
      balanceDueAt: new Date(due).toISOString(),
      remindAt: new Date(due - lead * 60_000).toISOString(),
      forfeit: first.forfeit,
    },
  }
}
