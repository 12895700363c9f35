import { and, eq, inArray, sql } from 'drizzle-orm'
import { orderDeposits, orderLines, orders, payments, tickets } from '../../db/schema.ts'
import { balanceWindow } from '../../domain/deposit-terms.ts'
import { refundReasonText } from '../../domain/refund-reason.ts'
import { newShortId } from '../../ids.ts'
import { notFound, Problem } from '../../problem.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { audit, GuardedBatch, isUniqueViolation, outbox } from './batch.ts'
import { ticketsIssuedNotice } from './order-notices.ts'
import { claimRefund, finishRefund } from './refund-claims.ts'
import type { Order, OrderServices } from './services.ts'
import { refundUnfulfilledOrder } from './unfulfilled.ts'

// 定金 orders between their two payments. The deposit locks the seat (the actor sells it to the order) without a
// ticket (`deposit_paid`); the balance issues the tickets (`paid`); an unpaid balance at its due time forfeits the
// order (`forfeited`), its seats go back on sale and its deposit is kept or refunded. Each step is one guarded
// batch on the order's status, so a balance payment and the forfeit racing each other end with exactly one winner.

export type OrderDeposit = typeof orderDeposits.$inferSelect

/** The balance payment's id: one per order, so starting the balance twice reuses it. */
export const balancePaymentId = (orderId: string) => `pay_bal_${orderId}`

export async function depositOf(services: OrderServices, orderId: string): Promise<OrderDeposit | null> {
  const [row] = await services.db.select().from(orderDeposits).where(eq(orderDeposits.orderId, orderId))
  return row ?? null
}

export async function read(services: OrderServices, orderId: string): Promise<Order> {
  const [order] = await services.db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  return order
}

export const balanceSucceeded = (orderId: string) =>
  sql`EXISTS (SELECT 1 FROM ${payments} WHERE ${payments.id} = ${balancePaymentId(orderId)} AND ${payments.status} = 'succeeded')`

// The buyer's refund of the deposit claimed the lines: it finishes the order as `refunded`, the forfeit stays out.
export const refundStarted = (orderId: string) =>
  sql`EXISTS (SELECT 1 FROM ${orderLines} WHERE ${orderLines.orderId} = ${orderId} AND ${orderLines.status} = 'refunded')`

/**
 * confirmPaidOrder for a 定金 order: the deposit locks the seats (the actor sells them to the order) and the order
 * becomes `deposit_paid` with no ticket; the balance issues the tickets once. A balance that reaches an order the
 * forfeit (or a refund) ended first goes back to the buyer.
 */
export async function confirmDepositStep(
  services: OrderServices,
  order: Order,
  actor: string,
): Promise<Order> {
  const { db, env } = services
  if (order.status === 'pending' || order.status === 'expired') {
    const [deposit] = await db
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, order.id), eq(payments.status, 'succeeded')))
    if (!deposit) return order
    const unfulfilled = (why: string) =>
      refundUnfulfilledOrder(services, order, {
        actor,
        why,
        refundId: `rf_auto_${deposit.id}`,
        requestedBy: 'system:late-payment',
        reason: { code: 'deposit_late_refunded' },
        toStatus: 'expired',
      })
    const inventory = orderInventory(env, order as OrderInventoryRef)
    const confirmed = await inventory.confirm(order.id)
    if (!confirmed.ok) return unfulfilled(confirmed.detail)
    const now = new Date().toISOString()
    const written = await new GuardedBatch(db)
      .guard(
        sql`(SELECT ${orders.status} IN ('pending', 'expired') FROM ${orders} WHERE ${orders.id} = ${order.id})`,
      )
      .add(
        db
          .update(orders)
          .set({ status: 'deposit_paid', statusReason: null, updatedAt: now })
          .where(and(eq(orders.id, order.id), inArray(orders.status, ['pending', 'expired']))),
        audit(db, {
          id: `aud_${order.id}_deposit_paid`,
          orderId: order.id,
          actor,
          action: 'order.deposit_paid',
          from: order.status,
          to: 'deposit_paid',
          detail: { paymentId: deposit.id, reacquired: confirmed.reacquired },
        }),
        outbox(
          db,
          'order.deposit_paid',
          order.organizerId,
          { orderId: order.id, number: order.number, total: order.total },
          `evt_${order.id}_deposit_paid`,
        ),
      )
      .run()
      .catch((error) => {
        if (isUniqueViolation(error)) return true
        throw error
      })
    if (!written) {
      const current = await read(services, order.id)
      if (current.status === 'deposit_paid' || current.status === 'paid') return current
      const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id))
      await inventory.returnLines(
        order.id,
        lines.map((l) => l.inventoryRef),
      )
      return unfulfilled('the order ended before its deposit was confirmed')
    }
    return read(services, order.id)
  }
  if (order.status === 'deposit_paid') return payBalance(services, order, actor)
  return refundLateBalance(services, order)
}

/** The balance arrived: one guarded batch makes the order `paid` and issues its tickets, once. */
async function payBalance(services: OrderServices, order: Order, actor: string): Promise<Order> {
  const { db } = services
  const [balance] = await db
    .select()
    .from(payments)
    .where(and(eq(payments.id, balancePaymentId(order.id)), eq(payments.status, 'succeeded')))
  if (!balance) return order
  const lines = await db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, order.id), eq(orderLines.status, 'active')))
  const now = new Date().toISOString()
  let written: boolean
  try {
    written = await new GuardedBatch(db)
      .guard(sql`(SELECT ${orders.status} = 'deposit_paid' FROM ${orders} WHERE ${orders.id} = ${order.id})`)
      .add(
        db
          .update(orders)
          .set({ status: 'paid', paidAt: now, statusReason: null, updatedAt: now })
          .where(and(eq(orders.id, order.id), eq(orders.status, 'deposit_paid'))),
        ...lines.map((line) =>
          db
            .insert(tickets)
            .values({ id: newShortId('tkt'), orderId: order.id, orderLineId: line.id })
            .onConflictDoNothing(),
        ),
        // Fixed ids: a second confirmation of the same balance fails here and writes nothing.
        audit(db, {
          id: `aud_${order.id}_paid`,
          orderId: order.id,
          actor,
          action: 'order.paid',
          from: 'deposit_paid',
          to: 'paid',
          detail: { paymentId: balance.id, balance: balance.amount },
        }),
        outbox(
          db,
          'order.confirmed',
          order.organizerId,
          { orderId: order.id, number: order.number, total: order.total },
          `evt_${order.id}_confirmed`,
        ),
        ...ticketsIssuedNotice(db, order, balance.amount, actor),
      )
      .run()
  } catch (error) {
    if (isUniqueViolation(error)) return read(services, order.id)
    throw error
  }
  if (written) {
    return read(services, order.id)
  }
  // The forfeit (or a refund) ended the order first: this balance goes back.
  return refundLateBalance(services, await read(services, order.id))
}

/** A balance that reached an order no longer waiting for it is refunded in full; the deposit follows its own rule. */
async function refundLateBalance(services: OrderServices, order: Order): Promise<Order> {
  // An order that was paid in full (`paidAt`) took its balance; whatever happens to it later is a refund's business.
  if (order.paidAt || ['paid', 'partially_refunded', 'deposit_paid'].includes(order.status)) return order
  const { db } = services
  const [balance] = await db
    .select()
    .from(payments)
    .where(eq(payments.id, balancePaymentId(order.id)))
  if (!balance || balance.status !== 'succeeded') return order
  const refundId = `rf_bal_${order.id}`
  try {
    await claimRefund(services, order, {
      refundId,
      lineIds: [],
      amount: balance.amount - balance.refundedAmount,
      fee: 0,
      reason: refundReasonText.balanceAfterClose,
      requestedBy: 'system:late-balance',
      requireTicketed: false,
      // Whatever ended the order (the forfeit, the buyer's refund of the deposit), it no longer takes a balance.
      orderGuard: sql`(SELECT ${orders.status} IN ('forfeited', 'refunded', 'cancelled', 'expired') AND ${orders.paidAt} IS NULL FROM ${orders} WHERE ${orders.id} = ${order.id})`,
      fromPaymentIds: [balance.id],
    })
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }
  await finishRefund(services, refundId)
  return read(services, order.id)
}

/**
 * The buyer starts paying the balance (total − deposit) while its window is open: one payment per order (a repeat
 * reuses it, a failed attempt may be paid again), completed like any other through the provider.
 */
export async function startBalancePayment(
  services: OrderServices,
  orderId: string,
  origin: string,
  now = Date.now(),
) {
  const { db } = services
  const order = await read(services, orderId)
  const terms = await depositOf(services, orderId)
  if (!terms) throw new Problem({ code: 'conflict', detail: 'This order was not bought with a deposit' })
  if (order.status !== 'deposit_paid')
    throw new Problem({ code: 'conflict', detail: `An order that is ${order.status} has no balance to pay` })
  const window = balanceWindow(terms, now)
  if (window !== 'open')
    throw new Problem({
      code: 'balance_window_closed',
      status: 409,
      title: window === 'upcoming' ? 'Balance not payable yet' : 'Balance overdue',
      detail:
        window === 'upcoming'
          ? `The balance can be paid from ${terms.balanceOpensAt}`
          : `The balance was due at ${terms.balanceDueAt}`,
      extensions: { balanceOpensAt: terms.balanceOpensAt, balanceDueAt: terms.balanceDueAt },
    })
  const id = balancePaymentId(orderId)
  const amount = order.total - terms.deposit
  await db
    .insert(payments)
    .values({
      id,
      orderId,
      provider: services.payments.name,
      providerRef: id,
      amount,
      currency: order.currency,
    })
    .onConflictDoNothing()
  const [payment] = await db.select().from(payments).where(eq(payments.id, id))
  if (payment!.status === 'succeeded')
    throw new Problem({ code: 'conflict', detail: 'The balance is already paid' })
  const checkoutUrl = await services.payments.checkoutUrl(
    { id, orderId, amount: payment!.amount, currency: order.currency },
    origin,
  )
  return { orderId, paymentId: id, checkoutUrl, amountDue: payment!.amount }
}
