// Column sets the analytics tables share: the rollups and their per-report copies (analytics-reports.ts) keep the
// same dimensions and measures, so each is written once here and the tables spread what they keep.
import { integer, text } from 'drizzle-orm/sqlite-core'

/** Dimension columns are '' when absent (not NULL), so the rollups' unique keys match them. */
export const dim = () => text().notNull().default('')

/** What a sale is of: the event, show or site, a scenic product, a show's price category, and the channel. */
export const saleDimensions = () => ({
  eventId: dim(),
  showId: dim(),
  siteId: dim(),
  /** Scenic product (gate ticket, cable car, …). */
  productId: dim(),
  /** A show's price category. */
  category: dim(),
  channel: dim(),
})

/** Where the buyer came from (worker/domain/analytics-events.ts sourceKeyOf) and on what device. */
export const trafficDimensions = () => ({
  source: text().notNull().default('direct'),
  device: text().notNull().default('unknown'),
})

/** Counts and sums of the events a row adds up (amount in minor units, signed). */
export const measures = () => ({
  events: integer().notNull().default(0),
  orders: integer().notNull().default(0),
  tickets: integer().notNull().default(0),
  amount: integer().notNull().default(0),
})

/** A period column by its name (`day`, `month`, `visitDay`): a text key, YYYY-MM-DD or YYYY-MM. */
const periodColumn = () => text().notNull()
export const period = <P extends string>(p: P) =>
  ({ [p]: periodColumn() }) as { [K in P]: ReturnType<typeof periodColumn> }

/** Paid visitors by event/show/site, home province/city and age band, per day or month. */
export const visitorColumns = <P extends string>(p: P) => ({
  organizerId: text().notNull(),
  ...period(p),
  eventId: dim(),
  showId: dim(),
  siteId: dim(),
  province: text().notNull(),
  city: text().notNull(),
  ageBand: text().notNull(),
  visitors: integer().notNull().default(0),
})

/** Orders per product combination of a site (ids sorted, '' beyond the size) and channel, per visit day or month. */
export const copurchaseColumns = <P extends string>(p: P) => ({
  organizerId: text().notNull(),
  siteId: text().notNull(),
  ...period(p),
  channel: dim(),
  productA: dim(),
  productB: dim(),
  productC: dim(),
  orders: integer().notNull().default(0),
})
