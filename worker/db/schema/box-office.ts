// The box office (售票窗口): clerks' shifts and what each shift took in and paid out, by tender.
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns.ts'
import { organizers, staffUsers } from './staff.ts'

export const boxOfficeTenders = ['cash', 'card', 'payment_code'] as const
export type BoxOfficeTender = (typeof boxOfficeTenders)[number]

/**
 * One clerk's shift at a window: opened with a float of cash, closed with the cash counted. At most one open shift
 * per clerk (a partial unique index); closing is a conditional update of an open row that writes the expected
 * totals as they stood, so the difference is fixed at close.
 */
export const boxOfficeShifts = sqliteTable(
  'box_office_shifts',
  {
    id: text().primaryKey(),
    organizerId: text()
      .notNull()
      .references(() => organizers.id),
    clerkId: text()
      .notNull()
      .references(() => staffUsers.id),
    currency: text().notNull(),
    status: text({ enum: ['open', 'closed'] })
      .notNull()
      .default('open'),
    /** Cash in the drawer at the start, minor units. */
    openingFloat: integer().notNull(),
    openedAt: createdAt(),
    closedAt: text(),
    /** At close: net takings by tender (sales minus refunds), minor units. */
    closingTotals: text({ mode: 'json' }).$type<Record<BoxOfficeTender, number>>(),
    /** At close: the float plus net cash, what the drawer should hold. */
    expectedCash: integer(),
    countedCash: integer(),
    /** counted − expected: negative is a shortfall. */
    difference: integer(),
  },
  (t) => [
    uniqueIndex('box_office_shifts_open_clerk').on(t.clerkId).where(sql`status = 'open'`),
    index('box_office_shifts_org').on(t.organizerId, t.openedAt),
  ],
)

/**
 * Money that crossed the window in a shift. Written before the money moves, naming the payment or refund it is for;
 * a shift counts an entry only once that payment or refund succeeded, so a sale that failed halfway is never in the
 * till's totals and one that succeeded always is.
 */
export const boxOfficeEntries = sqliteTable(
  'box_office_entries',
  {
    id: text().primaryKey(),
    shiftId: text()
      .notNull()
      .references(() => boxOfficeShifts.id),
    kind: text({ enum: ['sale', 'refund'] }).notNull(),
    tender: text({ enum: boxOfficeTenders }).notNull(),
    orderId: text().notNull(),
    /** The sale's payment, or the refund's id. */
    paymentId: text(),
    refundId: text(),
    /** Minor units, positive; a refund pays out. */
    amount: integer().notNull(),
    /** Cash: what the buyer handed over, and the change given. */
    tendered: integer(),
    change: integer(),
    /** Card terminal: the terminal's reference for the charge. */
    reference: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index('box_office_entries_shift').on(t.shiftId),
    uniqueIndex('box_office_entries_payment').on(t.paymentId),
    uniqueIndex('box_office_entries_refund').on(t.refundId),
  ],
)
