import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { ShowHold } from '../../../durable-objects/show-inventory/contract.ts'
import type { Database } from '../../db/client.ts'
import {
  events,
  orderDeposits,
  orderLines,
  orders,
  organizers,
  payments,
  scenicSites,
  showDeposits,
  shows,
  visitProductDeposits,
} from '../../db/schema.ts'
import { depositFor, type OrderDepositTerms } from '../../domain/deposit-terms.ts'
import { maskIdNumber } from '../../domain/id-number.ts'
import type { Locale } from '../../domain/locale.ts'
import { scenicDepositFor } from '../../domain/scenic-deposit-terms.ts'
import { newId } from '../../ids.ts'
import { conflict, notFound, Problem, validationProblem } from '../../problem.ts'
import { inventoryProblem } from '../inventory-problem.ts'
import { scenicDay } from '../scenic-day.ts'
import { showInventoryStub } from '../show-inventory-client.ts'
import { audit, GuardedBatch, isUniqueViolation } from './batch.ts'
import { type DiscountRequest, type PlannedDiscounts, planDiscounts } from './checkout-discounts.ts'
import { finishPaidOrder } from './confirm.ts'
import { depositTerms } from './deposit-offer.ts'
import { type CommitBatching, commitOrderBatch } from './group-commits.ts'
import type { OrderServices } from './services.ts'

type NewOrder = typeof orders.$inferInsert
type NewLine = typeof orderLines.$inferInsert
type NewPayment = typeof payments.$inferInsert

/** Providers whose payment is not a card charge the buyer completes. */
export const FREE_PROVIDER = 'free'

const orderNumber = () => {
  const digits = crypto.getRandomValues(new Uint32Array(2))
  return `ET${new Date().toISOString().slice(2, 10).replaceAll('-', '')}${String(digits[0]! % 1_000_000).padStart(6, '0')}`
}

/**
 * Adds a new order with its lines and its payment to `batch`, with its creation audit row. Every order enters
 * the books here (shop, group buys, rebookings, OTA partners).
 */
export function addNewOrder(
  batch: GuardedBatch,
  db: Database,
  input: {
    order: NewOrder
    lines: NewLine[]
    payment: NewPayment
    actor: string
    detail: Record<string, unknown>
  },
) {
  batch.add(
    db.insert(orders).values(input.order),
    db.insert(orderLines).values(input.lines),
    db.insert(payments).values(input.payment),
    audit(db, {
      orderId: input.order.id,
      actor: input.actor,
      action: 'order.created',
      to: input.order.status ?? 'pending',
      detail: input.detail,
    }),
  )
}

export interface CreateOrderInput {
  kind: 'show' | 'scenic'
  showId?: string
  siteId?: string
  visitDate?: string
  holdId: string
  /**
   * The hold as the caller was just given it by the show's actor (a group buy's place, held by the group's actor):
   * priced as given rather than read back from the actor.
   */
  heldSeats?: ShowHold
  buyerId: string
  customerId?: string
  email?: string
  phone?: string
  /** The buyer's language: the order's messages are written in it (guests have no customer record to keep it). */
  locale?: Locale
  channel: string
  /** Real-name shows: the ticket holder's name for each held seat, in seat order. */
  holderNames?: string[]
  /** Real-name shows whose hold came without ID numbers: one per held seat, in seat order (given at checkout). */
  idNumbers?: string[]
  /** 改签: the new order replaces these lines of `rebookOf` and charges only `amountDue` (the price difference). */
  rebook?: { orderId: string; lineIds: string[]; credit: number }
  /**
   * 团购: the order is priced at the group price per category (minus `discount`, the leader's extra) and must be
   * paid by `payBy`; it is confirmed only when the group succeeds (see finishPaidOrder).
   */
  groupBuy?: { prices: Record<string, number>; discount: number; payBy: string }
  /** 定金: pay the show's deposit now and the balance later (see deposits.ts); refused where the show has none. */
  deposit?: boolean
  /** A coupon code and points to redeem; member discounts apply without asking (see checkout-discounts.ts). */
  discounts?: DiscountRequest
  /** Who made the order when not the buyer themselves (a box-office clerk, `staff:<id>`), for the audit trail. */
  actor?: string
  /** More of the story for the order's creation audit row (e.g. the clerk's shift). */
  auditDetail?: Record<string, unknown>
}

interface Priced {
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

async function priceShowHold(
  services: OrderServices,
  input: CreateOrderInput,
  orderId: string,
): Promise<Priced> {
  const { env, db } = services
  const [show] = await db
    .select({
      id: shows.id,
      organizerId: shows.organizerId,
      realNameRequired: events.realNameRequired,
      allowGuestCheckout: organizers.allowGuestCheckout,
    })
    .from(shows)
    .innerJoin(events, eq(events.id, shows.eventId))
    .innerJoin(organizers, eq(organizers.id, shows.organizerId))
    .where(eq(shows.id, input.showId!))
  if (!show) throw notFound(`show ${input.showId}`)
  const held = input.heldSeats
    ? { hold: input.heldSeats, holderId: input.buyerId, status: 'active', idNumbers: [] as string[] }
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

async function priceScenicHold(
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

const holdExpired = (what: string) =>
  new Problem({
    code: 'hold_expired',
    status: 409,
    detail: `The hold has expired or was released; hold the ${what} again`,
  })

/** Turns the buyer's active hold into a pending order with its lines and a payment to complete. */
export async function createOrderFromHold(services: OrderServices, input: CreateOrderInput, origin: string) {
  const { db } = services
  const orderId = newId('ord')
  const priced =
    input.kind === 'show'
      ? await priceShowHold(services, input, orderId)
      : await priceScenicHold(services, input, orderId)
  const { organizerId, currency } = priced
  if (!input.rebook && (priced.total <= 0 || priced.lines.some((line) => line.price! < 0))) {
    // A seat or ticket without a price is a catalogue gap, never a free ticket.
    throw new Problem({
      code: 'price_missing',
      status: 409,
      title: 'No price',
      detail: 'These tickets have no price yet; they cannot be ordered',
    })
  }
  if (!input.customerId) {
    if (!priced.allowGuestCheckout) {
      throw new Problem({
        code: 'sign_in_required',
        status: 401,
        title: 'Sign in required',
        detail: 'This organizer sells only to signed-in customers; sign in with your email or phone first',
      })
    }
  }
  const deposit = input.deposit
    ? await depositTerms(
        services,
        input,
        priced.lines.map((line) => ({ ...line, price: line.price! })),
      )
    : null
  const discounts = await checkoutDiscounts(services, input, priced, orderId)
  const total = discounts ? discounts.prices.reduce((sum, price) => sum + price, 0) : priced.total
  const paymentId = newId('pay')
  // A rebooking pays only the difference; the old lines' price is carried over as credit once it is paid.
  const amountDue = deposit ? deposit.deposit : Math.max(0, total - (input.rebook?.credit ?? 0))
  const batch = new GuardedBatch(db)
  addNewOrder(batch, db, {
    order: {
      id: orderId,
      number: orderNumber(),
      organizerId,
      customerId: input.customerId ?? null,
      buyerId: input.buyerId,
      email: input.email ?? null,
      phone: input.phone ?? null,
      locale: input.locale ?? null,
      kind: input.kind,
      showId: input.showId ?? null,
      siteId: input.siteId ?? null,
      visitDate: input.visitDate ?? null,
      holdId: input.holdId,
      channel: input.channel,
      status: 'pending',
      total,
      currency,
      expiresAt: priced.expiresAt,
      rebookOf: input.rebook?.orderId ?? null,
      rebookLineIds: input.rebook?.lineIds ?? null,
    },
    lines: discounts
      ? priced.lines.map((line, i) => ({
          ...line,
          price: discounts.prices[i]!,
          discount: discounts.discounts[i]!,
        }))
      : priced.lines,
    payment: {
      id: paymentId,
      orderId,
      provider: amountDue === 0 ? FREE_PROVIDER : services.payments.name,
      providerRef: paymentId,
      amount: amountDue,
      currency,
      ...(amountDue === 0 ? { status: 'succeeded' as const } : {}),
    },
    actor: input.actor ?? `buyer:${input.buyerId}`,
    detail: {
      ...input.auditDetail,
      holdId: input.holdId,
      total,
      ...(priced.discount ? { discount: priced.discount } : {}),
      ...(discounts?.applied.length
        ? { checkoutDiscounts: discounts.applied.map(({ source, ref, amount }) => ({ source, ref, amount })) }
        : {}),
      ...(input.rebook ? { rebookOf: input.rebook.orderId, amountDue } : {}),
      ...(deposit ? { deposit: deposit.deposit, balanceDueAt: deposit.balanceDueAt } : {}),
    },
  })
  if (deposit) batch.add(db.insert(orderDeposits).values({ orderId, ...deposit }))
  discounts?.reserve(batch, db)
  if (input.rebook) claimLinesForRebook(batch, db, input.rebook, orderId)
  if (!(await runOnce(batch, db, input.holdId, services.commits))) {
    // A guard failed: a rebooking lost its lines, or a discount's reservation lost its race (a cap reached).
    if (input.rebook) throw rebookClaimLost()
    throw discountReservationLost(discounts)
  }
  if (amountDue === 0) {
    // Nothing to pay (a rebooking to an equal or cheaper date): complete at once.
    await finishPaidOrder(services, orderId, `buyer:${input.buyerId}`)
    return { orderId, paymentId, checkoutUrl: null, amountDue }
  }
  const checkoutUrl = await services.payments.checkoutUrl(
    { id: paymentId, orderId, amount: amountDue, currency },
    origin,
  )
  return { orderId, paymentId, checkoutUrl, amountDue }
}

/**
 * Runs the batch that creates the order. A hold is ordered once: the orders' unique hold id refuses a second order
 * in the batch itself (no read before it on the order path), answered as the conflict it is.
 */
async function runOnce(
  batch: GuardedBatch,
  db: Database,
  holdId: string,
  commits: CommitBatching | undefined,
): Promise<boolean> {
  try {
    // With the isolate's concurrent orders' batches where it group-commits: a hold ordered twice fails its
    // group, and each runs alone, this one answered below.
    return await commitOrderBatch(batch, commits)
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    const [existing] = await db.select({ id: orders.id }).from(orders).where(eq(orders.holdId, holdId))
    if (!existing) throw error
    throw conflict(`Order ${existing.id} already uses this hold`, { orderId: existing.id })
  }
}

/**
 * Member discount, coupon and points for an order bought outright. Rebookings, group buys and deposits have their
 * own prices and take none; asking for a coupon or points there is refused rather than ignored.
 */
async function checkoutDiscounts(
  services: OrderServices,
  input: CreateOrderInput,
  priced: Priced,
  orderId: string,
): Promise<PlannedDiscounts | null> {
  const request = input.discounts ?? {}
  const asked = Boolean(request.couponCode) || (request.points ?? 0) > 0
  if (input.rebook || input.groupBuy || input.deposit) {
    if (asked)
      throw new Problem({
        code: 'discount_not_combinable',
        status: 409,
        title: 'No coupons or points here',
        detail:
          'Coupons and points apply only to tickets bought outright, not to rebookings, group buys or deposits',
      })
    return null
  }
  const providers = services.discounts ?? []
  if (!providers.length) {
    if (asked)
      throw new Problem({
        code: 'coupon_not_applicable',
        status: 409,
        title: 'Coupon not applicable',
        detail: 'This sale takes no coupons or points',
      })
    return null
  }
  const planned = await planDiscounts(services.db, providers, {
    orderId,
    organizerId: priced.organizerId,
    customerId: input.customerId ?? null,
    buyerId: input.buyerId,
    channel: input.channel,
    kind: input.kind,
    showId: input.showId ?? null,
    siteId: input.siteId ?? null,
    visitDate: input.visitDate ?? null,
    currency: priced.currency,
    request,
    lines: priced.lines.map((line) => ({
      id: line.id!,
      price: line.price!,
      category: line.category ?? null,
      productId: line.productId ?? null,
    })),
    now: new Date(),
  })
  return planned.applied.length ? planned : null
}

const discountReservationLost = (discounts: PlannedDiscounts | null) =>
  // Points are the only reservation of an order without a coupon: its guard is the one that failed.
  discounts?.applied.some((a) => a.source === 'points') &&
  !discounts.applied.some((a) => a.source === 'coupon')
    ? new Problem({
        code: 'points_insufficient',
        status: 409,
        title: 'Not enough points',
        detail: 'Another order spent these points just now; try again with fewer',
      })
    : new Problem({
        code: 'coupon_exhausted',
        status: 409,
        title: 'Offer used up',
        detail: 'The coupon or points were used up by another order just now; try again without them',
      })

/**
 * 改签: the new order claims the lines it replaces while it is pending, in the batch that creates it: they must
 * be active, of a ticketed order, and not claimed by another rebooking. So a line is rebooked at most once, and
 * cannot be refunded meanwhile.
 */
function claimLinesForRebook(
  batch: GuardedBatch,
  db: Database,
  rebook: { orderId: string; lineIds: string[] },
  newOrderId: string,
) {
  batch
    .guard(
      sql`(SELECT ${orders.status} IN ('paid', 'partially_refunded') FROM ${orders} WHERE ${orders.id} = ${rebook.orderId})`,
    )
    .add(
      db
        .update(orderLines)
        .set({ rebookOrderId: newOrderId })
        .where(
          and(
            eq(orderLines.orderId, rebook.orderId),
            inArray(orderLines.id, rebook.lineIds),
            eq(orderLines.status, 'active'),
            isNull(orderLines.rebookOrderId),
          ),
        ),
    )
    .guard(
      sql`(SELECT count(*) FROM ${orderLines} WHERE ${orderLines.rebookOrderId} = ${newOrderId}) = ${rebook.lineIds.length}`,
    )
}

export const rebookClaimLost = () =>
  new Problem({
    code: 'rebook_pending',
    status: 409,
    title: 'Tickets already being moved',
    detail:
      'These tickets are already being rebooked, or were refunded or rebooked meanwhile; reload the order',
  })
