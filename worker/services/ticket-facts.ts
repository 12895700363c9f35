// What a ticket says to a person rather than to a gate: the seat as section, row and number, the scenic
// product's name and its entry slot's times, and whether (and when) a gate admitted it. Shared by the
// order's ticket list and the buyer's wallet; a few batched queries however many tickets there are.

import { eq, inArray, type SQL } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { inChunks } from '../db/in-chunks.ts'
import { type orderLines, redemptions, seats, type TimeSlot, venues, visitProducts } from '../db/schema.ts'
import { sectionNamed } from '../domain/section-names.ts'

export interface SeatPlace {
  /** The section's key, as in the seat's label. */
  section: string
  /** The section as people read it (the venue's name for it, else the key) and its optional English name. */
  sectionName: string
  sectionNameEn: string | null
  row: string
  number: string
}

/** The seat-and-venue read behind `SeatPlace`, for the seats `where` picks (its rows go to `seatPlacesFrom`). */
export function seatPlaceRead(db: Database, where: SQL) {
  return db
    .select({
      id: seats.id,
      section: seats.section,
      row: seats.row,
      number: seats.number,
      sectionNames: venues.sectionNames,
    })
    .from(seats)
    .innerJoin(venues, eq(venues.id, seats.venueId))
    .where(where)
}

/** Seats by id with their section's names, from the rows of `seatPlaceRead`. */
export function seatPlacesFrom(rows: Awaited<ReturnType<typeof seatPlaceRead>>): Map<string, SeatPlace> {
  return new Map(
    rows.map(({ id, section, row, number, sectionNames }) => {
      const named = sectionNamed(section, sectionNames)
      return [id, { section, sectionName: named.name, sectionNameEn: named.nameEn ?? null, row, number }]
    }),
  )
}

/** Seats by id with their section's names, read from the seat and its venue in one query per chunk. */
export async function seatPlacesOf(db: Database, seatIds: string[]): Promise<Map<string, SeatPlace>> {
  return seatPlacesFrom(await inChunks(seatIds, (chunk) => seatPlaceRead(db, inArray(seats.id, chunk))))
}

/** A ticket's state as its holder reads it. */
export type TicketState = 'valid' | 'used' | 'refunded' | 'rebooked'

export interface TicketFacts {
  place: SeatPlace | null
  product: string | null
  /** The product's optional English name. */
  productEn: string | null
  slot: { start: string; end: string } | null
  redeemedAt: string | null
  state: TicketState
}

type Line = typeof orderLines.$inferSelect

/**
 * Looks up seats, products and redemptions for these lines at once; `facts` then answers per ticket and
 * `validityDays` says how many days a scenic line's product admits.
 */
export async function ticketFactsOf(
  db: Database,
  rows: { ticketId: string; ticketStatus: 'valid' | 'revoked'; line: Line }[],
  slotsOf: (line: Line) => TimeSlot[] = () => [],
) {
  const seatRefs = rows.filter((r) => r.line.seatLabel).map((r) => r.line.inventoryRef)
  const productIds = rows.map((r) => r.line.productId).filter((id): id is string => Boolean(id))
  const [seatById, productRows, redeemed] = await Promise.all([
    seatPlacesOf(db, seatRefs),
    inChunks(productIds, (chunk) =>
      db
        .select({
          id: visitProducts.id,
          name: visitProducts.name,
          nameEn: visitProducts.nameEn,
          days: visitProducts.validityDays,
        })
        .from(visitProducts)
        .where(inArray(visitProducts.id, chunk)),
    ),
    inChunks(
      rows.map((r) => r.ticketId),
      (chunk) =>
        db
          .select({ ticketId: redemptions.ticketId, at: redemptions.redeemedAt })
          .from(redemptions)
          .where(inArray(redemptions.ticketId, chunk)),
    ),
  ])
  const productName = new Map(productRows.map((p) => [p.id, p.name]))
  const productNameEn = new Map(productRows.map((p) => [p.id, p.nameEn]))
  const productDays = new Map(productRows.map((p) => [p.id, p.days]))
  const redeemedAt = new Map(redeemed.map((r) => [r.ticketId, r.at]))
  const validityDays = (line: Line) => (line.productId ? (productDays.get(line.productId) ?? 1) : 1)
  const facts = (row: (typeof rows)[number]): TicketFacts => {
    const { line } = row
    const slot = line.slot ? slotsOf(line).find((s) => s.code === line.slot) : undefined
    const at = redeemedAt.get(row.ticketId) ?? null
    return {
      // A seat map imported again gives seats new ids: the ticket then keeps only its label.
      place: line.seatLabel ? (seatById.get(line.inventoryRef) ?? null) : null,
      product: line.productId ? (productName.get(line.productId) ?? null) : null,
      productEn: line.productId ? (productNameEn.get(line.productId) ?? null) : null,
      slot: slot ? { start: slot.start, end: slot.end } : line.slot ? { start: line.slot, end: '' } : null,
      redeemedAt: at,
      state:
        row.ticketStatus === 'valid'
          ? at
            ? 'used'
            : 'valid'
          : line.status === 'rebooked'
            ? 'rebooked'
            : at
              ? 'used'
              : 'refunded',
    }
  }
  return { facts, validityDays }
}
