import { and, eq } from 'drizzle-orm'
import type { ScenicHoldLine } from '../../../durable-objects/scenic-day/contract.ts'
import type { BoxOfficeTender } from '../../db/schema.ts'
import { orders, payments, scenicSites, shows } from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { notFound, Problem } from '../../problem.ts'
import { inventoryProblem } from '../inventory-problem.ts'
import type { HoldBatching } from '../isolate-holds.ts'
import {
  createOrderFromHold,
  handlePaymentEvent,
  type OrderServices,
  reissueTicket,
  requestRefund,
} from '../orders/index.ts'
import { COUNTER_CARD, COUNTER_CASH, counterProvider } from '../payments/counter.ts'
import type { PaymentEvent } from '../payments/provider.ts'
import { holdScenicDay, scenicDay } from '../scenic-day.ts'
import type { ShowInventoryService } from '../show-inventory.ts'
import { ticketsOfOrder } from '../tickets.ts'
import { forgetRefundEntry, noteRefundAmount, recordEntry, requireOpenShift } from './shifts.ts'

// A sale at the window, in the order the money path wants it: hold, pending order (channel `box_office`, the clerk
// as its actor), the shift entry naming its payment, then the money (cash, the card terminal's reference, or the
// buyer's payment code charged through the provider) confirms it through the same path a provider notification
// takes. Anything that fails before the money moved releases the hold; the entry counts only a payment that succeeded.

export const BOX_OFFICE_CHANNEL = 'box_office'

export type Tender =
  | { kind: 'cash'; tendered: number }
  | { kind: 'card'; reference: string }
  | { kind: 'payment_code'; code: string }

export type SaleItems =
  | {
      kind: 'show'
      showId: string
      seatIds?: string[]
      best?: { category: string; quantity: number }
      holderNames?: string[]
      idNumbers?: string[]
    }
  | { kind: 'scenic'; siteId: string; visitDate: string; lines: ScenicHoldLine[]; packageId?: string }

export interface BoxOfficeServices extends OrderServices {
  showInventory: ShowInventoryService
  holdBatching: HoldBatching
}

export interface Clerk {
  organizerId: string
  clerkId: string
}

/**
 * Each window sale holds and buys as a buyer of its own: whoever stands at the window is a new customer, so the
 * event's per-buyer limit applies to each sale, not to everything a clerk ever sells (one holder per clerk refused
 * the clerk's fifth ticket of a 4-per-buyer event for good). Per-ID limits of real-name events still hold.
 */
const saleBuyerOf = (clerk: Clerk) => `box_office:${clerk.clerkId}:${newId('sale').slice(5)}`

/** The tender a payment was taken by, from its provider. */
export function tenderOf(provider: string): BoxOfficeTender {
  return provider === COUNTER_CASH ? 'cash' : provider === COUNTER_CARD ? 'card' : 'payment_code'
}

interface Held {
  holdId: string
  total: number
  release: () => Promise<unknown>
}

async function hold(
  services: BoxOfficeServices,
  clerk: Clerk,
  holderId: string,
  items: SaleItems,
): Promise<Held> {
  const { db, env } = services
  if (items.kind === 'show') {
    const [show] = await db
      .select({ id: shows.id })
      .from(shows)
      .where(and(eq(shows.id, items.showId), eq(shows.organizerId, clerk.organizerId)))
    if (!show) throw notFound(`show ${items.showId}`)
    const outcome = await services.showInventory.hold(show.id, {
      holderId,
      channel: BOX_OFFICE_CHANNEL,
      ...(items.seatIds ? { seatIds: items.seatIds } : {}),
      ...(items.best ? { best: items.best } : {}),
      ...(items.idNumbers ? { idNumbers: items.idNumbers } : {}),
    })
    if (!outcome.ok) throw inventoryProblem(outcome)
    const held = JSON.parse(outcome.holdJson) as { id: string; total: number }
    return {
      holdId: held.id,
      total: held.total,
      release: () => services.showInventory.release(show.id, held.id, holderId),
    }
  }
  const [site] = await db
    .select({ id: scenicSites.id })
    .from(scenicSites)
    .where(and(eq(scenicSites.id, items.siteId), eq(scenicSites.organizerId, clerk.organizerId)))
  if (!site) throw notFound(`scenic site ${items.siteId}`)
  const outcome = await holdScenicDay(
    env.HOLD_GATEWAY,
    site.id,
    items.visitDate,
    {
      holderId,
      channel: BOX_OFFICE_CHANNEL,
      lines: items.lines,
      ...(items.packageId ? { packageId: items.packageId } : {}),
    },
    services.holdBatching,
  )
  if (!outcome.ok) throw inventoryProblem(outcome)
  const held = JSON.parse(outcome.holdJson) as { id: string; total: number }
  return {
    holdId: held.id,
    total: held.total,
    release: () =>
      scenicDay(env.SCENIC_DAY_INVENTORY, site.id, items.visitDate).release(
        site.id,
        items.visitDate,
        held.id,
        holderId,
      ),
  }
}

/** The provider that takes this tender: the window's till or terminal, or the configured provider for 付款码. */
function providerFor(services: BoxOfficeServices, tender: Tender) {
  if (tender.kind === 'cash') return counterProvider(COUNTER_CASH)
  if (tender.kind === 'card') return counterProvider(COUNTER_CARD)
  if (!services.payments.chargePaymentCode)
    throw new Problem({
      code: 'payment_code_unsupported',
      status: 409,
      title: 'Payment codes not supported',
      detail: `The payment provider ${services.payments.name} cannot charge payment codes`,
    })
  return services.payments
}

export async function sell(
  services: BoxOfficeServices,
  clerk: Clerk,
  input: { items: SaleItems; tender: Tender; email?: string; phone?: string },
  origin: string,
) {
  const { db } = services
  const shift = await requireOpenShift(db, clerk.organizerId, clerk.clerkId)
  const payments = providerFor(services, input.tender)
  const buyerId = saleBuyerOf(clerk)
  const held = await hold(services, clerk, buyerId, input.items)
  const tender = input.tender
  let orderId: string | undefined
  try {
    if (tender.kind === 'cash' && tender.tendered < held.total)
      throw new Problem({
        code: 'tender_short',
        status: 409,
        title: 'Not enough cash',
        detail: `The total is ${held.total}; ${tender.tendered} was handed over`,
        extensions: { total: held.total },
      })
    const withTender = { ...services, payments }
    const items = input.items
    const created = await createOrderFromHold(
      withTender,
      {
        kind: items.kind,
        holdId: held.holdId,
        buyerId,
        channel: BOX_OFFICE_CHANNEL,
        actor: `staff:${clerk.clerkId}`,
        auditDetail: { shiftId: shift.id, tender: tender.kind },
        ...(input.email ? { email: input.email } : {}),
        ...(input.phone ? { phone: input.phone } : {}),
        ...(items.kind === 'show'
          ? {
              showId: items.showId,
              ...(items.holderNames ? { holderNames: items.holderNames } : {}),
            }
          : { siteId: items.siteId, visitDate: items.visitDate }),
      },
      origin,
    )
    orderId = created.orderId
    const amount = created.amountDue
    const recorded = await recordEntry(db, shift, {
      kind: 'sale',
      tender: tender.kind,
      orderId,
      paymentId: created.paymentId,
      amount,
      ...(tender.kind === 'cash' ? { tendered: tender.tendered, change: tender.tendered - amount } : {}),
      ...(tender.kind === 'card' ? { reference: tender.reference } : {}),
    })
    if (!recorded) throw shiftGone()
    const event = await charge(withTender, tender, { id: created.paymentId, orderId, amount })
    await handlePaymentEvent(withTender, event)
    if (event.type === 'payment.failed')
      throw new Problem({
        code: 'payment_declined',
        status: 402,
        title: 'Payment declined',
        detail: 'The payment code was declined; nothing was charged',
      })
  } catch (error) {
    // Nothing was paid: the seats or tickets go back now rather than when the hold lapses (a pending order
    // lapses with it).
    await held.release().catch(() => undefined)
    throw error
  }
  return saleView(services, orderId)
}

const shiftGone = () =>
  new Problem({ code: 'shift_required', status: 409, title: 'No open shift', detail: 'The shift was closed' })

async function charge(
  services: OrderServices,
  tender: Tender,
  payment: { id: string; orderId: string; amount: number },
): Promise<PaymentEvent> {
  if (tender.kind !== 'payment_code') {
    // Cash in the till or a card on the terminal: the clerk's sale is the confirmation; the id makes it once-only.
    // The provider reference is ours, per payment: a terminal's own reference (kept on the shift entry) repeats
    // across terminals and days, and as the payment's reference it made a later card sale a unique conflict.
    return {
      id: `box_${payment.id}`,
      type: 'payment.succeeded',
      paymentId: payment.id,
      amount: payment.amount,
      providerRef: `${tender.kind === 'card' ? COUNTER_CARD : COUNTER_CASH}_${payment.id}`,
    }
  }
  const [row] = await services.db
    .select({ currency: payments.currency })
    .from(payments)
    .where(eq(payments.id, payment.id))
  const result = await services.payments.chargePaymentCode!(
    { ...payment, currency: row!.currency },
    tender.code,
  )
  if (result.status === 'succeeded') return result.event
  if (result.status === 'unsupported')
    throw new Problem({ code: 'payment_code_unsupported', status: 409, detail: result.reason })
  return { id: `box_declined_${payment.id}`, type: 'payment.failed', paymentId: payment.id, amount: 0 }
}

/** The order as the window shows it: number, total, change, and each ticket with its token for printing. */
export async function saleView(services: OrderServices, orderId: string) {
  const { db, env } = services
  const [order] = await db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  const issued = await ticketsOfOrder(db, env.TICKET_SIGNING_KEYS, orderId)
  return {
    orderId: order.id,
    number: order.number,
    status: order.status,
    total: order.total,
    currency: order.currency,
    tickets: issued.map((t) => ({
      ticketId: t.ticketId,
      lineId: t.lineId,
      status: t.status,
      token: t.token,
      title: t.title,
      titleEn: t.titleEn,
      venue: t.venue,
      startsAt: t.startsAt,
      visitDate: t.visitDate,
      seat: t.seat,
      description: t.description,
      holder: t.holder,
      entrance: t.entrance,
      product: t.product,
      productEn: t.productEn,
    })),
  }
}

/** A box-office order of this organizer, found by its number or id. */
export async function windowOrder(services: OrderServices, clerk: Clerk, ref: string) {
  const [order] = await services.db
    .select({ id: orders.id })
    .from(orders)
    .where(
      and(
        eq(orders.organizerId, clerk.organizerId),
        eq(orders.channel, BOX_OFFICE_CHANNEL),
        ref.startsWith('ord_') ? eq(orders.id, ref) : eq(orders.number, ref.toUpperCase()),
      ),
    )
  if (!order) throw notFound(`box-office order ${ref}`)
  return saleView(services, order.id)
}

/**
 * Refunds lines of a box-office order at the window: the money goes back by the tender it came in (cash from the
 * till, the card terminal, or the payment code's provider) and the refund is counted in the clerk's shift.
 */
export async function refundAtWindow(
  services: BoxOfficeServices,
  clerk: Clerk,
  input: { orderId: string; lineIds?: string[]; reason: string },
) {
  const { db } = services
  const shift = await requireOpenShift(db, clerk.organizerId, clerk.clerkId)
  const [row] = await db
    .select({ provider: payments.provider, orderId: orders.id })
    .from(orders)
    .innerJoin(payments, eq(payments.orderId, orders.id))
    .where(
      and(
        eq(orders.id, input.orderId),
        eq(orders.organizerId, clerk.organizerId),
        eq(orders.channel, BOX_OFFICE_CHANNEL),
      ),
    )
  if (!row) throw notFound(`box-office order ${input.orderId}`)
  const refundId = newId('rf')
  const recorded = await recordEntry(db, shift, {
    kind: 'refund',
    tender: tenderOf(row.provider),
    orderId: row.orderId,
    refundId,
    amount: 0,
  })
  if (!recorded) throw shiftGone()
  let refund: Awaited<ReturnType<typeof requestRefund>>
  try {
    refund = await requestRefund(services, {
      orderId: row.orderId,
      ...(input.lineIds ? { lineIds: input.lineIds } : {}),
      actor: `staff:${clerk.clerkId}`,
      reason: input.reason,
      refuseRedeemed: true,
      refundId,
    })
  } catch (error) {
    // No refund was written: the entry names nothing and goes (it would never count anyway).
    await forgetRefundEntry(db, refundId)
    throw error
  }
  await noteRefundAmount(db, refundId, refund.amount)
  return { refundId: refund.id, amount: refund.amount, status: refund.status, tender: tenderOf(row.provider) }
}

/** Reprints a ticket: a new token, the old one revoked (gates refuse it once synced). */
export async function reprintAtWindow(services: OrderServices, clerk: Clerk, ticketId: string) {
  const { orderId, ticketId: newTicketId } = await reissueTicket(services, {
    ticketId,
    organizerId: clerk.organizerId,
    actor: `staff:${clerk.clerkId}`,
  })
  return { ticketId: newTicketId, order: await saleView(services, orderId) }
}
