import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm'
import { orderDeposits, orderLines, orders, payments } from '../../db/schema.ts'
import {
  englishStatusReason,
  type OrderStatusReason,
  statusReasonColumns,
} from '../../domain/order-status-reason.ts'
import { notifyBuyer } from '../messages/buyer-notices.ts'
import { type OrderInventoryRef, orderInventory } from '../order-inventory.ts'
import { audit, GuardedBatch, isUniqueViolation, outbox } from './batch.ts'
import { balancePaymentId, balanceSucceeded, type OrderDeposit, read, refundStarted } from './deposits.ts'
import { eachOrder } from './each-order.ts'
import { claimRefund, finishRefund } from './refund-claims.ts'
import type { Order, OrderServices } from './services.ts'

// 定金 orders over time (the minute cron): the balance reminder once, its lead time before the due time, and the
// forfeit of a balance still unpaid at the due time (seats back on sale, deposit kept or refunded per the terms).

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
  return eachOrder(
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
  const why: OrderStatusReason = { code: 'balance_unpaid_forfeited', refunded: terms.forfeit === 'refund' }
  const reason = englishStatusReason(why)
  const end = (batch: GuardedBatch) =>
    batch
      .guard(
        sql`(SELECT ${orders.status} = 'deposit_paid' AND NOT ${balanceSucceeded(order.id)} AND NOT ${refundStarted(order.id)} FROM ${orders} WHERE ${orders.id} = ${order.id})`,
      )
      .add(
        db
          .update(orders)
          .set({ status: 'forfeited', ...statusReasonColumns(why), updatedAt: at })
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
  let forfeited = false
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
      forfeited = written
    } else forfeited = await end(new GuardedBatch(db)).run()
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
  }
  // Told once: only the run whose batch forfeited the order writes (the deposit's refund has no notice of its own).
  // A notice that cannot be sent is logged; the seats still go back on sale.
  if (!forfeited) return
  try {
    await notifyBuyer(db, services.logger, order, {
      kind: 'balance_forfeited',
      deposit: terms.deposit,
      refunded: terms.forfeit === 'refund',
    })
  } catch (error) {
    services.logger.error('forfeit notice not sent', { orderId: order.id, error: String(error) })
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
export async function remindBalances(services: OrderServices, now = new Date()): Promise<number> {
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
  return eachOrder(
    services,
    'balance reminder',
    due.map((d) => ({ id: d.order.id, ...d })),
    async ({ order, terms }) => {
      const claimed = await db
        .update(orderDeposits)
        .set({ remindedAt: at })
        .where(and(eq(orderDeposits.orderId, order.id), isNull(orderDeposits.remindedAt)))
        .returning({ orderId: orderDeposits.orderId })
      if (claimed.length === 0) return
      await notifyBuyer(db, services.logger, order, {
        kind: 'balance_reminder',
        balance: order.total - terms.deposit,
        dueAt: terms.balanceDueAt,
        forfeit: terms.forfeit,
      })
    },
  )
}
