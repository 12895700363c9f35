import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { causedBy } from '../../db/error-causes.ts'
import { orderDeposits, orderLines, orders, payments } from '../../db/schema.ts'
import { orderNumberTaken } from '../../domain/order-number.ts'
import { newId, newOrderNumber } from '../../ids.ts'
import { conflict, Problem } from '../../problem.ts'
import { freshOrderViewReads, orderViewFrom } from '../order-view.ts'
import { audit, GuardedBatch, isUniqueViolation, type Statement } from './batch.ts'
import { type PlannedDiscounts, planDiscounts } from './checkout-discounts.ts'
import { finishPaidOrder } from './confirm.ts'
import { depositTerms } from './deposit-offer.ts'
import { type CommitBatching, commitOrderBatch } from './group-commits.ts'
import { type Priced, priceScenicHold, priceShowHold } from './hold-pricing.ts'
import type { CreateOrderInput } from './order-input.ts'
import type { OrderServices } from './services.ts'

type NewOrder = typeof orders.$inferInsert
type NewLine = typeof orderLines.$inferInsert
type NewPayment = typeof payments.$inferInsert

/** Providers whose payment is not a card charge the buyer completes. */
export const FREE_PROVIDER = 'free'
export type { CreateOrderInput } from './order-input.ts'

/** Times an order's creation draws a new number when its number was taken meanwhile (odds: order-number.ts). */
const NUMBER_DRAWS = 3

/**
 * Runs `write` with a new order number (`prefix`: `ET` in the shop, `OTA` for partners) and draws again when the
 * unique index says another order of the day has it: that write failed whole, so nothing of it was written.
 */
export async function withNewOrderNumber<T>(
  prefix: string,
  write: (number: string) => Promise<T>,
): Promise<T> {
  for (let draw = 1; ; draw++) {
    try {
      return await write(newOrderNumber(prefix))
    } catch (error) {
      if (draw < NUMBER_DRAWS && causedBy(error, orderNumberTaken)) continue
      throw error
    }
  }
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

/** What the caller's request writes and reads with the order's own batch (the shop's order step). */
export interface OrderBatchExtras {
  /**
   * The request's idempotency claim, written first in the order's batch (a key already taken fails the batch and
   * nothing of the order is written); `written` is set once the batch was.
   */
  claim?: { insert(db: OrderServices['db']): Statement; written: boolean }
  /** Read the order's view at the end of its batch and answer with it (`view`), instead of a read after it. */
  withView?: boolean
}

/** Turns the buyer's active hold into a pending order with its lines and a payment to complete. */
export async function createOrderFromHold(
  services: OrderServices,
  input: CreateOrderInput,
  origin: string,
  extras: OrderBatchExtras = {},
) {
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
  const batchWith = (number: string) => {
    const batch = new GuardedBatch(db)
    if (extras.claim) batch.add(extras.claim.insert(db))
    addNewOrder(batch, db, {
      order: {
        id: orderId,
        number,
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
          ? {
              checkoutDiscounts: discounts.applied.map(({ source, ref, amount }) => ({
                source,
                ref,
                amount,
              })),
            }
          : {}),
        ...(input.rebook ? { rebookOf: input.rebook.orderId, amountDue } : {}),
        ...(deposit ? { deposit: deposit.deposit, balanceDueAt: deposit.balanceDueAt } : {}),
      },
    })
    if (deposit) batch.add(db.insert(orderDeposits).values({ orderId, ...deposit }))
    discounts?.reserve(batch, db)
    if (input.rebook) claimLinesForRebook(batch, db, input.rebook, orderId)
    const view = extras.withView
      ? freshOrderViewReads(db, orderId, {
          deposit: !!deposit,
          discounts: !!discounts?.applied.length,
          seats: priced.lines.some((line) => line.seatLabel),
          products: priced.lines.some((line) => line.productId),
        })
      : null
    if (view) batch.read(...(view.reads as Parameters<GuardedBatch['read']>))
    return { batch, view }
  }
  const written = await withNewOrderNumber('ET', async (number) => {
    const built = batchWith(number)
    return { ...built, ok: await runOnce(built.batch, db, orderId, input.holdId, services.commits) }
  })
  if (!written.ok) {
    // A guard failed: a rebooking lost its lines, or a discount's reservation lost its race (a cap reached).
    if (input.rebook) throw rebookClaimLost()
    throw discountReservationLost(discounts)
  }
  if (extras.claim) extras.claim.written = true
  if (amountDue === 0) {
    // Nothing to pay (a rebooking to an equal or cheaper date): complete at once.
    await finishPaidOrder(services, orderId, `buyer:${input.buyerId}`)
    return { orderId, paymentId, checkoutUrl: null, amountDue }
  }
  const checkoutUrl = await services.payments.checkoutUrl(
    { id: paymentId, orderId, amount: amountDue, currency },
    origin,
  )
  // The view as the batch left the order (nothing wrote to it since); none when its group's answer was lost.
  const rows = written.batch.readRows
  const { view } = written
  return {
    orderId,
    paymentId,
    checkoutUrl,
    amountDue,
    ...(rows && view ? { view: orderViewFrom(view.rows(rows)) } : {}),
  }
}

/**
 * Runs the batch that creates the order. A hold is ordered once: the orders' unique hold id refuses a second order
 * in the batch itself (no read before it on the order path), answered as the conflict it is.
 */
async function runOnce(
  batch: GuardedBatch,
  db: Database,
  orderId: string,
  holdId: string,
  commits: CommitBatching | undefined,
): Promise<boolean> {
  try {
    // With the isolate's concurrent orders' batches where it group-commits: a hold ordered twice fails its
    // group, and each runs alone, this one answered below.
    return await commitOrderBatch(batch, commits)
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    const [[own], [existing]] = await db.batch([
      db.select({ id: orders.id }).from(orders).where(eq(orders.id, orderId)),
      db.select({ id: orders.id }).from(orders).where(eq(orders.holdId, holdId)),
    ])
    // This very order is written: its group went through but answered too late, and the batch run alone (see
    // commitOrderBatch) then met what the group wrote. (A batch that fails writes nothing, so no other way.)
    if (own) return true
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
