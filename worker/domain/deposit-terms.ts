import type { FieldError } from './field-errors.ts'

// 定金 deposit presale: a buyer pays a deposit per ticket to lock a seat, then the balance between two dates; an
// unpaid balance forfeits the seat back to sale at the due time and the deposit is kept or refunded as the
// organizer chose. Pure: the admin API checks terms with `depositTermsErrors`, the orders service prices and
// schedules with the rest, the shop shows the same windows. Windows are [balanceOpensAt, balanceDueAt).

export interface DepositTerms {
  /** Deposit per ticket, minor units; less than the price of every seat it applies to. */
  amount: number
  /** Price categories sold with a deposit; empty: every category of the show. */
  categories: string[]
  balanceOpensAt: string
  balanceDueAt: string
  /** How long before the due time the buyer is reminded to pay the balance. */
  reminderLeadMinutes: number
  /** What happens to the deposit of an unpaid balance: the organizer keeps it, or it goes back to the buyer. */
  forfeit: 'keep' | 'refund'
}

/** The deposit terms an order was made under, as the orders service records them. */
export interface OrderDepositTerms {
  /** Deposit of the whole order (per ticket × tickets). */
  deposit: number
  balanceOpensAt: string
  balanceDueAt: string
  remindAt: string
  forfeit: 'keep' | 'refund'
}

// ISO-8601 with a time; Date.parse alone would also take "March 1".
const instant = (s: unknown) =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) ? Date.parse(s) : Number.NaN

/**
 * Every reason the terms cannot be sold on, each at its field: money a positive whole number below the lowest
 * price a seat of its categories can be quoted at, the balance window in order and closed before the show
 * starts, a reminder lead that is whole minutes, categories the show prices.
 */
export function depositTermsErrors(
  terms: DepositTerms,
  show: {
    startsAt: string
    /** Per category, the lowest price a seat can be quoted at (list, tier or flash sale). */
    lowestPrices: Record<string, number>
  },
  root = 'json.deposit',
): FieldError[] {
  const errors: FieldError[] = []
  const bad = (path: string, message: string) => errors.push({ path: `${root}.${path}`, message })
  const unknown = terms.categories.filter((c) => !(c in show.lowestPrices))
  unknown.forEach((c) => {
    bad(`categories.${terms.categories.indexOf(c)}`, `the show has no price for category ${c}`)
  })
  if (!Number.isInteger(terms.amount) || terms.amount <= 0)
    bad('amount', 'the deposit is a whole amount in minor units above 0')
  else {
    const applies = terms.categories.length ? terms.categories : Object.keys(show.lowestPrices)
    const prices = applies.flatMap((c) => (c in show.lowestPrices ? [show.lowestPrices[c]!] : []))
    const lowest = prices.length ? Math.min(...prices) : Number.POSITIVE_INFINITY
    if (terms.amount >= lowest)
      bad('amount', `the deposit must be less than the lowest price it applies to (${lowest})`)
  }
  const opens = instant(terms.balanceOpensAt)
  const due = instant(terms.balanceDueAt)
  const starts = Date.parse(show.startsAt)
  if (Number.isNaN(opens)) bad('balanceOpensAt', 'an ISO-8601 time')
  if (Number.isNaN(due)) bad('balanceDueAt', 'an ISO-8601 time')
  else if (!Number.isNaN(opens) && due <= opens)
    bad('balanceDueAt', 'the balance is due after its window opens')
  else if (due > starts) bad('balanceDueAt', 'the balance is due before the show starts')
  if (!Number.isNaN(opens) && opens >= starts)
    bad('balanceOpensAt', 'the window opens before the show starts')
  if (
    !Number.isInteger(terms.reminderLeadMinutes) ||
    terms.reminderLeadMinutes < 0 ||
    terms.reminderLeadMinutes > 60 * 24 * 60
  )
    bad('reminderLeadMinutes', 'whole minutes between 0 and 60 days')
  return errors
}

/**
 * The deposit an order of these seats pays now, or why it cannot be bought with one: the terms must cover every
 * seat's category, the balance must still be payable, and the deposit must leave a balance to pay.
 */
export function depositFor(
  terms: DepositTerms,
  seats: { category: string; price: number }[],
  now: number,
): { ok: true; order: OrderDepositTerms } | { ok: false; reason: string } {
  if (now >= Date.parse(terms.balanceDueAt))
    return { ok: false, reason: 'The deposit presale has ended: the balance was due' }
  const outside = seats.filter((s) => terms.categories.length && !terms.categories.includes(s.category))
  if (outside.length) return { ok: false, reason: 'Some of these seats are not sold with a deposit' }
  if (seats.some((s) => s.price <= terms.amount))
    return { ok: false, reason: 'Some of these seats cost no more than the deposit' }
  const due = Date.parse(terms.balanceDueAt)
  return {
    ok: true,
    order: {
      deposit: terms.amount * seats.length,
      balanceOpensAt: new Date(Date.parse(terms.balanceOpensAt)).toISOString(),
      balanceDueAt: new Date(due).toISOString(),
      remindAt: new Date(due - terms.reminderLeadMinutes * 60_000).toISOString(),
      forfeit: terms.forfeit,
    },
  }
}

export type BalanceWindow = 'upcoming' | 'open' | 'closed'

/** Where the balance window stands at `now`. */
export function balanceWindow(
  terms: { balanceOpensAt: string; balanceDueAt: string },
  now: number,
): BalanceWindow {
  if (now < Date.parse(terms.balanceOpensAt)) return 'upcoming'
  return now < Date.parse(terms.balanceDueAt) ? 'open' : 'closed'
}
