// The first step of making an order: the hold read back from its actor (or as a group buy gave it) and turned into
// priced order lines, with the checks a hold must pass (the buyer's own, still active, real-name details given).
import { eq } from 'drizzle-orm'
import { slot, statement } from '../../db/prepared.ts'
import { events, type orderLines, organizers, scenicSites, shows } from '../../db/schema.ts'
import { maskIdNumber } from '../../domain/id-number.ts'
import { newId } from '../../ids.ts'
import { notFound, Problem, validationProblem } from '../../problem.ts'
import { inventoryProblem } from '../inventory-problem.ts'
import { scenicDay } from '../scenic-day.ts'
import { showInventoryStub } from '../show-inventory-client.ts'
import type { CreateOrderInput, ShowOrderFacts } from './order-input.ts'
import type { OrderServices } from './services.ts'

type NewLine = typeof orderLines.$inferInsert

export interface Priced {
  organizerId: string
  /** The organizer's setting, read with the show or site (one round trip less on the order path). */
  allowGuestCheckout: boolean
  currency: string
  total: number
  expiresAt: string
  lines: NewLine[]
  /** A show hold quoted below list price (tiers, flash sale): recorded with the order's creation. */
  discount?: { amount: number; tiers: string[] }
}

/**
 * What pricing a show's hold reads of the show (its organizer and the organizer's guest-checkout setting, read on
 * each order so a change applies at once): prepared, and readable in a caller's batch (`input.showFacts`).
 */
export const showOrderFacts = statement<{ showId: string }>()((db) =>
  db
    .select({
      id: shows.id,
      organizerId: shows.organizerId,
      realNameRequired: events.realNameRequired,
      allowGuestCheckout: organizers.allowGuestCheckout,
    })
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .innerJoin(organizers, eq(organizers.id, shows.organizerId))
    .where(eq(shows.id, slot('showId'))),
)

export async function priceShowHold(
  services: OrderServices,
  input: CreateOrderInput,
  orderId: string,
): Promise<Priced> {
  const { env, db } = services
  const [show] = input.showFacts ? [input.showFacts] : await showOrderFacts.all(db, { showId: input.showId! })
  if (!show) throw notFound(`show ${input.showId}`)
  const held = input.heldSeats
    ? {
        hold: input.heldSeats,
        holderId: input.buyerId,
        status: 'active',
        idNumbers: input.heldIdNumbers ?? [],
      }
    : await showInventoryStub(env.SHOW_INVENTORY, show.id).describeHold(show.id, input.holdId)
  if (!held || held.holderId !== input.buyerId || held.hold.id !== input.holdId)
    throw notFound(`hold ${input.holdId}`)
  if (held.status !== 'active') throw holdExpired('seats')
  if (show.realNameRequired && input.holderNames?.length !== held.hold.seats.length) {
    throw validationProblem([
      {
        path: 'json.holderNames',
        message: `this show is real-name: give the holder's name for each of the ${held.hold.seats.length} seat(s)`,
      },
    ])
  }
  let idNumbers = held.idNumbers
  if (show.realNameRequired && idNumbers.length === 0) {
    if (input.idNumbers?.length !== held.hold.seats.length) {
      throw validationProblem([
        {
          path: 'json.idNumbers',
          message: `this show is real-name: give an ID number for each of the ${held.hold.seats.length} seat(s)`,
        },
      ])
    }
    // The actor checks one ticket per ID number and keeps them with the hold (confirm and refunds use them).
    const assigned = await showInventoryStub(env.SHOW_INVENTORY, show.id).assignIdNumbers(
      show.id,
      input.holdId,
      input.buyerId,
      input.idNumbers,
    )
    if (!assigned.ok) throw inventoryProblem(assigned)
    idNumbers = input.idNumbers
  }
  const seatPrices = held.hold.seats.map((seat) => seat.price)
  let expiresAt = held.hold.expiresAt
  const group = input.groupBuy
  if (group) {
    const unpriced = held.hold.seats.filter((seat) => !(seat.category in group.prices))
    if (unpriced.length)
      throw new Problem({
        code: 'not_in_group_buy',
        status: 409,
        detail: `Seats in ${[...new Set(unpriced.map((seat) => seat.category))].join(', ')} are not sold by group`,
      })
    // The leader's discount comes off the first seats, so line prices always add up to the total.
    let discount = group.discount
    held.hold.seats.forEach((seat, i) => {
      const price = group.prices[seat.category]!
      const off = Math.min(price, discount)
      discount -= off
      seatPrices[i] = price - off
    })
    expiresAt = group.payBy
  }
  // The actor's quote is charged as it stands, even if its tier has ended since the hold was made.
  const tiers = [...new Set(held.hold.seats.flatMap((seat) => (seat.tier ? [seat.tier] : [])))]
  return {
    ...(!group && held.hold.discount ? { discount: { amount: held.hold.discount, tiers } } : {}),
    organizerId: show.organizerId,
    allowGuestCheckout: show.allowGuestCheckout,
    currency: held.hold.currency,
    total: seatPrices.reduce((sum, price) => sum + price, 0),
    expiresAt,
    lines: held.hold.seats.map((seat, i) => ({
      id: newId('oln'),
      orderId,
      inventoryRef: seat.id,
      description: `${seat.section} row ${seat.row} seat ${seat.label}`,
      seatLabel: seat.label,
      category: seat.category,
      visitorIdMasked: idNumbers[i] ? maskIdNumber(idNumbers[i]!) : null,
      visitorName: input.holderNames?.[i] ?? null,
      price: seatPrices[i]!,
      // What the quote was struck against; a group price is its own deal, with no tier.
      listPrice: seat.listPrice,
      tier: group ? null : seat.tier,
    })),
  }
}

export async function priceScenicHold(
  services: OrderServices,
  input: CreateOrderInput,
  orderId: string,
): Promise<Priced> {
  const { env, db } = services
  const [site] = await db
    .select({
      id: scenicSites.id,
      organizerId: scenicSites.organizerId,
      allowGuestCheckout: organizers.allowGuestCheckout,
    })
    .from(scenicSites)
    .innerJoin(organizers, eq(organizers.id, scenicSites.organizerId))
    .where(eq(scenicSites.id, input.siteId!))
  if (!site) throw notFound(`scenic site ${input.siteId}`)
  const held = await scenicDay(env.SCENIC_DAY_INVENTORY, site.id, input.visitDate!).describeHold(
    site.id,
    input.visitDate!,
    input.holdId,
  )
  if (!held || held.holderId !== input.buyerId) throw notFound(`hold ${input.holdId}`)
  if (held.status !== 'active') throw holdExpired('tickets')
  // The actor's quote (date price, then tier) is charged as it stands, even if the tier has ended since.
  const discount = held.hold.lines.reduce((sum, line) => sum + Math.max(0, line.listPrice - line.price), 0)
  const tiers = [...new Set(held.hold.lines.flatMap((line) => (line.tier ? [line.tier] : [])))]
  return {
    ...(discount > 0 ? { discount: { amount: discount, tiers } } : {}),
    organizerId: site.organizerId,
    allowGuestCheckout: site.allowGuestCheckout,
    currency: held.hold.currency,
    total: held.hold.total,
    expiresAt: held.hold.expiresAt,
    lines: held.hold.lines.map((line) => ({
      id: newId('oln'),
      orderId,
      inventoryRef: line.id,
      description: `${line.productName}${line.slot ? ` ${line.slot}` : ''} on ${input.visitDate}`,
      productId: line.productId,
      slot: line.slot,
      visitorName: line.visitor?.name ?? null,
      visitorIdMasked: line.visitor?.idNumber ? maskIdNumber(line.visitor.idNumber) : null,
      visitorPhone: line.visitor?.phone ?? null,
      price: line.price,
      // The day's quote: its list price (the date price) and tier, kept with the line like a seat's.
      listPrice: line.listPrice,
      tier: line.tier,
    })),
  }
}

export const holdExpired = (what: string) =>
  new Problem({
    code: 'hold_expired',
    status: 409,
    detail: `The hold has expired or was released; hold the ${what} again`,
  })
