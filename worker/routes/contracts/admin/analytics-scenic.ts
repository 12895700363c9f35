import * as v from 'valibot'

/** A share in [0, 1]; null when its whole is zero. */
const share = v.nullable(v.number())
const range = { from: v.string(), to: v.string() }

export const visitorsReport = v.object({
  ...range,
  /** Paid visitors named on real-name tickets in the range (derived region and age only). */
  visitors: v.number(),
  /** Province code (`31`, or `unknown`) with its names when known. */
  byProvince: v.array(
    v.object({
      code: v.string(),
      name: v.nullable(v.string()),
      nameEn: v.nullable(v.string()),
      visitors: v.number(),
      share,
    }),
  ),
  /** Prefecture-level city code (`3101`) within its province. */
  byCity: v.array(v.object({ code: v.string(), province: v.string(), visitors: v.number(), share })),
  /** `0-17`, `18-24`, … `65+`, or `unknown`. */
  byAgeBand: v.array(v.object({ band: v.string(), visitors: v.number(), share })),
  /** Paid orders by buyers new to the organizer vs returning ones. */
  buyers: v.object({ newOrders: v.number(), returningOrders: v.number(), returningShare: share }),
  /** Buyers by the month of their first paid order, and how many paid again in each later month. */
  cohorts: v.array(
    v.object({
      cohortMonth: v.string(),
      buyers: v.number(),
      months: v.array(v.object({ month: v.string(), offset: v.number(), buyers: v.number(), rate: share })),
    }),
  ),
})

const productFigures = v.array(v.object({ productId: v.string(), tickets: v.number(), share }))
const secondaryFigures = { entryTickets: v.number(), products: productFigures }
const product = { id: v.string(), name: v.string(), nameEn: v.nullable(v.string()), kind: v.string() }

export const secondaryReport = v.object({
  ...range,
  siteId: v.string(),
  /** The site's secondary (non-entry) products: cable car, glass bridge, shows. */
  products: v.array(v.object(product)),
  totals: v.object(secondaryFigures),
  byDay: v.array(v.object({ day: v.string(), ...secondaryFigures })),
  /** `slot` is the entry slot of the gate ticket in the same order; '' when the order had none. */
  bySlot: v.array(v.object({ slot: v.string(), ...secondaryFigures })),
  byDaySlot: v.array(v.object({ day: v.string(), slot: v.string(), ...secondaryFigures })),
})

export const copurchaseReport = v.object({
  ...range,
  siteId: v.string(),
  /** Orders of the site holding at least one product. */
  orders: v.number(),
  products: v.array(v.object({ ...product, price: v.number(), orders: v.number() })),
  combinations: v.array(
    v.object({
      productIds: v.array(v.string()),
      orders: v.number(),
      support: v.number(),
      rules: v.array(
        v.object({
          antecedent: v.array(v.string()),
          consequent: v.string(),
          confidence: v.number(),
          lift: v.number(),
        }),
      ),
    }),
  ),
})

export const copurchasePackageInput = v.object({
  siteId: v.string(),
  productIds: v.pipe(
    v.array(v.string()),
    v.minLength(2, 'a combination has at least two products'),
    v.maxLength(3, 'a combination has at most three products'),
  ),
})

export const checkinReport = v.object({
  ...range,
  totals: v.object({ sold: v.number(), admitted: v.number(), noShows: v.number() }),
  /** One row per show or site visit day; no-shows only for days already past. */
  scopes: v.array(
    v.object({
      eventId: v.nullable(v.string()),
      showId: v.nullable(v.string()),
      siteId: v.nullable(v.string()),
      day: v.string(),
      sold: v.number(),
      admitted: v.number(),
      noShows: v.nullable(v.number()),
      noShowRate: share,
    }),
  ),
  byGate: v.array(v.object({ gate: v.string(), admitted: v.number() })),
  /** Admissions per gate and local hour of the day (0-23), summed over the range's days (a staffing profile). */
  byHour: v.array(v.object({ gate: v.string(), hour: v.number(), admitted: v.number() })),
})

export type VisitorsReport = v.InferOutput<typeof visitorsReport>
export type SecondaryReport = v.InferOutput<typeof secondaryReport>
export type CopurchaseReport = v.InferOutput<typeof copurchaseReport>
export type CheckinReport = v.InferOutput<typeof checkinReport>
