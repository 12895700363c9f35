// One visitor's purchase at the kiosk, as plain data: what they chose, the visitors they named, and the hold and
// order once made. A new session id per visitor keeps one visitor's hold from counting against the next.
import type { KioskOrderCreated } from '../../worker/routes/contracts/kiosk.ts'
import type { KioskCatalogue } from './runtime.ts'

export type Step = 'start' | 'date' | 'tickets' | 'visitor' | 'phone' | 'review' | 'pay' | 'print'

export interface Day {
  date: string
  onSale: boolean
  slots: { code: string; start: string; end: string; remaining: number }[]
  products: { id: string; price: number; remaining: number; timed: boolean }[]
}

export interface Hold {
  id: string
  total: number
  currency: string
  expiresAt: string
}

export interface Sale {
  session: string
  step: Step
  date: string | null
  day: Day | null
  counts: Record<string, number>
  slot: string | null
  /** One per line of a real-name product, in line order. */
  visitors: { name: string; idNumber: string }[]
  visitorIndex: number
  phone: string
  hold: Hold | null
  order: KioskOrderCreated | null
}

export const MAX_TICKETS = 6

export function newSale(): Sale {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  const session = `k${[...bytes].map((b) => b.toString(36).padStart(2, '0')).join('')}`.slice(0, 24)
  return {
    session,
    step: 'start',
    date: null,
    day: null,
    counts: {},
    slot: null,
    visitors: [],
    visitorIndex: 0,
    phone: '',
    hold: null,
    order: null,
  }
}

export type Product = KioskCatalogue['products'][number]

/** The ticket lines the visitor chose, in catalogue order: one per ticket. */
export function linesOf(sale: Sale, catalogue: KioskCatalogue) {
  const lines: { product: Product; visitor: number | null }[] = []
  let visitors = 0
  for (const product of catalogue.products) {
    for (let i = 0; i < (sale.counts[product.id] ?? 0); i++)
      lines.push({ product, visitor: product.realNameRequired ? visitors++ : null })
  }
  return lines
}

export const ticketCount = (sale: Sale) => Object.values(sale.counts).reduce((n, c) => n + c, 0)

/** The day's price of a product (date prices and tiers for the kiosk channel), else its base price. */
export const priceOf = (sale: Sale, product: Product) =>
  sale.day?.products.find((p) => p.id === product.id)?.price ?? product.price

/** The visit dates the kiosk offers: today and tomorrow in the site's time zone. */
export function offeredDates(timeZone: string, now = new Date()): string[] {
  const day = (offset: number) =>
    new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      new Date(now.getTime() + offset * 86_400_000),
    )
  return [day(0), day(1)]
}
