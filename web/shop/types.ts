// The public API's shapes the shop reads (see /openapi.json).

export interface ShowSummary {
  id: string
  eventId: string
  eventName: string
  kind: string
  venueId: string
  venueName: string
  city: string
  startsAt: string
  endsAt: string | null
  saleStartsAt: string
  saleEndsAt: string
  realNameRequired: boolean
  maxTicketsPerBuyer: number
  /** Only signed-in customers may hold seats (the organizer's on-sale protection). */
  signInToHold?: boolean
}

export interface CategoryAvailability {
  code: string
  name: string
  color: string
  price: number
  available: number
  total: number
}

export interface ShowDetail extends ShowSummary {
  onSale: boolean
  categories: CategoryAvailability[]
}

export type SeatState = 'free' | 'held' | 'sold' | 'blocked'

export interface Seat {
  id: string
  label: string
  section: string
  row: string
  category: string
  x: number
  y: number
  accessible: boolean
  companion: boolean
  restrictedView: boolean
  state: SeatState
}

export interface SeatMap {
  showId: string
  onSale: boolean
  categories: CategoryAvailability[]
  version: number
  stage: { x: number; y: number } | null
  currency: string
  seats: Seat[]
}

export interface ShowHold {
  id: string
  showId: string
  seats: { id: string; label: string; section: string; row: string; category: string; price: number }[]
  total: number
  currency: string
  expiresAt: string
}

export interface SiteSummary {
  id: string
  name: string
  city: string
  description: string | null
  opensAt: string
  closesAt: string
}

export interface Eligibility {
  minAge?: number
  maxAge?: number
  minHeightCm?: number
  maxHeightCm?: number
  proof?: string
  note?: string
}

export interface VisitProduct {
  id: string
  name: string
  kind: 'entry' | 'attraction' | 'show'
  ticketType: string
  eligibility: Eligibility
  price: number
  timed: boolean
  realNameRequired: boolean
  maxPerIdPerDay: number | null
  refundable: boolean
  status: string
  /** Parent products: this one can be bought only with one of them for the same day (父子票). */
  requiresParent: string[]
}

export interface SiteDetail extends SiteSummary {
  timezone: string
  bookingDaysAhead: number
  timeSlots: { code: string; start: string; end: string; capacity: number }[]
  products: VisitProduct[]
}

export interface DayAvailability {
  siteId: string
  date: string
  onSale: boolean
  capacity: number
  remaining: number
  slots: { code: string; start: string; end: string; capacity: number; remaining: number }[]
  products: { id: string; name: string; price: number; timed: boolean; remaining: number; kind: string }[]
}

export interface Visitor {
  name?: string
  idNumber?: string
  phone?: string
}

export interface ScenicHold {
  id: string
  siteId: string
  date: string
  lines: {
    id: string
    productId: string
    productName: string
    slot: string | null
    price: number
    visitor: Visitor | null
  }[]
  total: number
  currency: string
  expiresAt: string
}

export interface OrderLine {
  id: string
  /** The seat id, or the scenic ticket's line in the day's inventory. */
  inventoryRef: string
  description: string
  seatLabel: string | null
  category: string | null
  productId: string | null
  slot: string | null
  visitorName: string | null
  visitorIdMasked: string | null
  price: number
  status: string
}

export interface Order {
  id: string
  number: string
  kind: 'show' | 'scenic'
  showId: string | null
  siteId: string | null
  visitDate: string | null
  status: string
  statusReason: string | null
  total: number
  refundedTotal: number
  currency: string
  expiresAt: string
  paidAt: string | null
  createdAt: string
  lines?: OrderLine[]
  payments?: { id: string; status: string; amount: number }[]
}

export interface OrderCreated {
  orderId: string
  paymentId: string
  checkoutUrl: string
  amountDue: number
  order: Order
}

export interface Ticket {
  ticketId: string
  lineId: string
  status: string
  description: string
  seat: string | null
  holder: string | null
  validFrom: string
  validUntil: string
  token: string | null
}

export interface RefundQuote {
  allowed: boolean
  amount: number
  fee: number
  feePercent: number
  hoursBefore: number
  reason?: string
  lineIds: string[]
}

export interface Page<T> {
  items: T[]
  nextCursor: string | null
}
