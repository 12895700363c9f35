import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm'
import { orderDeposits, orderLines, orders, payments, tickets } from '../../db/schema.ts'
import { balanceWindow } from '../../domain/deposit-terms.ts'
import { newShortId } from '../../ids.ts'
import { notFound, Problem } from '../../problem.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { audit, GuardedBatch, isUniqueViolation, outbox } from './batch.ts'
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

/** Money that reached the order (what was received, before refunds): succeeded payments, refunded ones too. */
export const receivedStatuses = ['succeeded', 'partially_refunded', 'refunded'] as const

export async function depositOf(services: OrderServices, orderId: string): Promise<OrderDeposit | null> {
  const [row] = await services.db.select().from(orderDeposits).where(eq(orderDeposits.orderId, orderId))
  return row ?? null
}

async function read(services: OrderServices, orderId: string): Promise<Order> {
  const [order] = await services.db.select().from(orders).where(eq(orders.id, orderId))
  if (!order) throw notFound(`order ${orderId}`)
  return order
}

const balanceSucceeded = (orderId: string) =>
  sql`EXISTS (SELECT 1 FROM ${payments} WHERE ${payments.id} = ${balancePaymentId(orderId)} AND ${payments.status} = 'succeeded')`

// The buyer's refund of the deposit claimed the lines: it finishes the order as `refunded`, the forfeit stays out.
const refundStarted = (orderId: string) =>
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
        reason:
          'The deposit arrived after the hold expired and the seats were no longer available; it was refunded in full',
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
      )
      .run()
  } catch (error) {
    if (isUniqueViolation(error)) return read(services, order.id)
    throw error
  }
  if (written) return read(services, order.id)
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
      reason: 'The balance arrived after the order was forfeited or refunded; it was refunded in full',
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

/** One step of the cron for each order, each on its own: one that fails is logged and tried again next minute. */
async function each<T extends { id: string }>(
  services: OrderServices,
  step: string,
  items: T[],
  run: (item: T) => Promise<void>,
) {
  let done = 0
  for (const item of items) {
    try {
      await run(item)
      done++
    } catch (error) {
      services.logger.error(`${step} failed for an order`, {
        orderId: item.id,
        error: error instanceof Error ? error.message : String(error),
      })
    }
  }
  return done
}

/**
 * Cron: a `deposit_paid` order whose balance is due and unpaid is forfeited in one guarded batch (which a balance
 * payment recorded first wins), with its deposit refunded in that batch when the terms say so; then its seats go
 * back on sale. A forfeited order whose seats are not back yet (a failure in between) is retried.
 */
export async function forfeitUnpaidBalances(services: OrderServices, now = new Date()): Promise<number> {
  const { db } = services
  const at = now.toISOString()
  const due = await db
    .select({ order: orders, terms: orderDeposits })
    .from(orders)
    .innerJoin(orderDeposits, eq(orderDeposits.orderId, orders.id))
    .where(
      and(
        inArray(orders.status, ['deposit_paid', 'forfeited']),
        lte(orderDeposits.balanceDueAt, at),
        isNull(orderDeposits.seatsReturnedAt),
      ),
    )
    .limit(200)
  return each(
    services,
    'forfeit',
    due.map((d) => ({ id: d.order.id, ...d })),
    async ({ order, terms }) => {
      if (order.status === 'deposit_paid') await forfeit(services, order, terms, at)
      const after = await read(services, order.id)
      if (after.status !== 'forfeited') return
      const lines = await db.select().from(orderLines).where(eq(orderLines.orderId, order.id))
      await orderInventory(services.env, order as OrderInventoryRef).returnLines(
        order.id,
        lines.map((l) => l.inventoryRef),
      )
      await db
        .update(orderDeposits)
        .set({ seatsReturnedAt: at })
        .where(and(eq(orderDeposits.orderId, order.id), isNull(orderDeposits.seatsReturnedAt)))
    },
  )
}

async function forfeit(services: OrderServices, order: Order, terms: OrderDeposit, at: string) {
  const { db } = services
  const reason =
    terms.forfeit === 'refund'
      ? 'The balance was not paid by its due time; the seats went back on sale and the deposit was refunded'
      : 'The balance was not paid by its due time; the seats went back on sale and the deposit was kept'
  const end = (batch: GuardedBatch) =>
    batch
      .guard(
        sql`(SELECT ${orders.status} = 'deposit_paid' AND NOT ${balanceSucceeded(order.id)} AND NOT ${refundStarted(order.id)} FROM ${orders} WHERE ${orders.id} = ${order.id})`,
      )
      .add(
        db
          .update(orders)
          .set({ status: 'forfeited', statusReason: reason, updatedAt: at })
          .where(and(eq(orders.id, order.id), eq(orders.status, 'deposit_paid'))),
        audit(db, {
          id: `aud_${order.id}_forfeited`,
          orderId: order.id,
          actor: 'system:balance-due',
          action: 'order.forfeited',
          from: 'deposit_paid',
          to: 'forfeited',
          detail: { balanceDueAt: terms.balanceDueAt, deposit: terms.deposit, forfeit: terms.forfeit },
        }),
        outbox(
          db,
          'order.forfeited',
          order.organizerId,
          { orderId: order.id, number: order.number, deposit: terms.deposit, forfeit: terms.forfeit },
          `evt_${order.id}_forfeited`,
        ),
      )
  try {
    if (terms.forfeit === 'refund') {
      const refundId = `rf_forfeit_${order.id}`
      const written = await claimRefund(services, order, {
        refundId,
        lineIds: [],
        amount: terms.deposit,
        fee: 0,
        reason,
        requestedBy: 'system:balance-due',
        requireTicketed: false,
        fromPaymentIds: await depositPaymentIds(services, order.id),
        extra: end,
      })
      if (written) await finishRefund(services, refundId)
    } else await end(new GuardedBatch(db)).run()
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }
}

async function depositPaymentIds(services: OrderServices, orderId: string) {
  const rows = await services.db
    .select({ id: payments.id })
    .from(payments)
    .where(and(eq(payments.orderId, orderId), inArray(payments.status, ['succeeded', 'partially_refunded'])))
  return rows.map((r) => r.id).filter((id) => id !== balancePaymentId(orderId))
}

/** Cron: the balance reminder, `reminderLead` before the due time, sent once (claimed before it is sent). */
export async function remindBalances(
  services: OrderServices,
  send: (to: string, subject: string, body: string) => Promise<void>,
  now = new Date(),
): Promise<number> {
  const { db } = services
  const at = now.toISOString()
  const due = await db
    .select({ order: orders, terms: orderDeposits })
    .from(orders)
    .innerJoin(orderDeposits, eq(orderDeposits.orderId, orders.id))
    .where(
      and(
        eq(orders.status, 'deposit_paid'),
        isNull(orderDeposits.remindedAt),
        lte(orderDeposits.remindAt, at),
      ),
    )
    .limit(200)
  return each(
    services,
    'balance reminder',
    due.map((d) => ({ id: d.order.id, ...d })),
    async ({ order, terms }) => {
      const claimed = await db
        .update(orderDeposits)
        .set({ remindedAt: at })
        .where(and(eq(orderDeposits.orderId, order.id), isNull(orderDeposits.remindedAt)))
        .returning({ orderId: orderDeposits.orderId })
      const to = order.email ?? order.phone
      if (claimed.length === 0 || !to) return
      const balance = order.total - terms.deposit
      await send(
        to,
        `Order ${order.number}: pay the balance before ${terms.balanceDueAt}`,
        `Your deposit holds your seats. Pay the balance (${balance} ${order.currency} in minor units) by ` +
          `${terms.balanceDueAt} to get your tickets; unpaid then, the seats go back on sale and the deposit is ` +
          `${terms.forfeit === 'refund' ? 'refunded' : 'kept'}.`,
      )
    },
  )
}
