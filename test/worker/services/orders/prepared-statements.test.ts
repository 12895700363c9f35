import { env } from 'cloudflare:workers'
import { and, eq, inArray, sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import {
  auditEvents,
  batchGuards,
  groupBuyMembers,
  orderDeposits,
  orderLines,
  orders,
  outboxEvents,
  paymentNotifications,
  payments,
  tickets,
} from '../../../../worker/db/schema.ts'
import { statusReasonColumns } from '../../../../worker/domain/order-status-reason.ts'
import { audit, outbox } from '../../../../worker/services/orders/batch.ts'
import { paymentPathStatements as s } from '../../../../worker/services/orders/payment-path-statements.ts'
import { paidShowOrder } from '../../../support/orders.ts'

// The order path's prepared statements (worker/db/prepared.ts) must send D1 exactly what the builders they replaced
// sent, values encoded alike (JSON, and NULL for no value), and answer rows mapped alike.

const db = openDatabase(env.DB)
const sqlOf = (statement: unknown) => (statement as { toSQL(): { sql: string; params: unknown[] } }).toSQL()

describe('prepared order-path statements', () => {
  it('are the statements the builders made, with the same parameters', () => {
    const pairs: [unknown, unknown][] = [
      [
        audit(db, {
          id: 'aud_1',
          orderId: 'ord_1',
          actor: 'buyer:b',
          action: 'order.paid',
          from: 'pending',
          to: 'paid',
          detail: { paymentId: 'pay_1', reacquired: false },
        }),
        db.insert(auditEvents).values({
          id: 'aud_1',
          orderId: 'ord_1',
          actor: 'buyer:b',
          action: 'order.paid',
          fromStatus: 'pending',
          toStatus: 'paid',
          detail: { paymentId: 'pay_1', reacquired: false },
        }),
      ],
      [
        audit(db, { id: 'aud_2', orderId: 'ord_1', actor: 'system', action: 'order.created' }),
        db.insert(auditEvents).values({
          id: 'aud_2',
          orderId: 'ord_1',
          actor: 'system',
          action: 'order.created',
          fromStatus: null,
          toStatus: null,
          detail: null,
        }),
      ],
      [
        outbox(db, 'order.confirmed', 'org_1', { orderId: 'ord_1', total: 100 }, 'evt_1'),
        db.insert(outboxEvents).values({
          id: 'evt_1',
          topic: 'order.confirmed',
          organizerId: 'org_1',
          payload: { orderId: 'ord_1', total: 100 },
        }),
      ],
      [
        s.received.in(db, { provider: 'sandbox', eventId: 'e1', orderId: 'ord_1' }),
        db
          .insert(paymentNotifications)
          .values({ provider: 'sandbox', eventId: 'e1', orderId: 'ord_1' })
          .onConflictDoNothing(),
      ],
      [
        s.succeeded.in(db, { paymentId: 'pay_1', updatedAt: 'T' }),
        db
          .update(payments)
          .set({ status: 'succeeded', updatedAt: 'T' })
          .where(and(eq(payments.id, 'pay_1'), inArray(payments.status, ['created', 'failed']))),
      ],
      [
        s.succeededWithRef.in(db, { paymentId: 'pay_1', updatedAt: 'T', providerRef: 'ref' }),
        db
          .update(payments)
          .set({ status: 'succeeded', providerRef: 'ref', updatedAt: 'T' })
          .where(and(eq(payments.id, 'pay_1'), inArray(payments.status, ['created', 'failed']))),
      ],
      [
        s.ticket.in(db, { id: 'tkt_1', orderId: 'ord_1', orderLineId: 'oln_1' }),
        db
          .insert(tickets)
          .values({ id: 'tkt_1', orderId: 'ord_1', orderLineId: 'oln_1' })
          .onConflictDoNothing(),
      ],
      [
        s.stillUnpaid.in(db, { guardId: 'grd_1', orderId: 'ord_1' }),
        db
          .insert(batchGuards)
          .select(
            sql`SELECT ${'grd_1'}, CASE WHEN ${sql`(SELECT ${orders.status} IN ('pending', 'expired') FROM ${orders} WHERE ${orders.id} = ${'ord_1'})`} THEN 1 ELSE 0 END`,
          ),
      ],
      [
        s.notification.in(db, { provider: 'sandbox', eventId: 'e1' }),
        db
          .select()
          .from(paymentNotifications)
          .where(and(eq(paymentNotifications.provider, 'sandbox'), eq(paymentNotifications.eventId, 'e1'))),
      ],
      [s.payment.in(db, { paymentId: 'pay_1' }), db.select().from(payments).where(eq(payments.id, 'pay_1'))],
      [s.order.in(db, { orderId: 'ord_1' }), db.select().from(orders).where(eq(orders.id, 'ord_1'))],
      [
        s.succeededPayment.in(db, { orderId: 'ord_1' }),
        db
          .select()
          .from(payments)
          .where(and(eq(payments.orderId, 'ord_1'), eq(payments.status, 'succeeded'))),
      ],
      [
        s.membership.in(db, { orderId: 'ord_1' }),
        db
          .select({ groupId: groupBuyMembers.groupId, status: groupBuyMembers.status })
          .from(groupBuyMembers)
          .where(eq(groupBuyMembers.orderId, 'ord_1')),
      ],
      [
        s.deposit.in(db, { orderId: 'ord_1' }),
        db
          .select({ orderId: orderDeposits.orderId })
          .from(orderDeposits)
          .where(eq(orderDeposits.orderId, 'ord_1')),
      ],
      [
        s.activeLines.in(db, { orderId: 'ord_1' }),
        db
          .select()
          .from(orderLines)
          .where(and(eq(orderLines.orderId, 'ord_1'), eq(orderLines.status, 'active'))),
      ],
    ]
    for (const [fast, built] of pairs) expect(sqlOf(fast)).toEqual(sqlOf(built))
    // The paid update, both for a plain confirmation and one that kept its tickets late (a reason with a code).
    for (const reason of [null, { code: 'paid_late_tickets_kept' as const }]) {
      const columns = statusReasonColumns(reason)
      const fast = s.paid.in(db, {
        orderId: 'ord_1',
        paidAt: 'T',
        statusReason: columns.statusReason,
        statusReasonCode: columns.statusReasonCode,
        statusReasonParams: null,
      })
      const built = db
        .update(orders)
        .set({ status: 'paid', paidAt: 'T', ...columns, updatedAt: 'T' })
        .where(and(eq(orders.id, 'ord_1'), inArray(orders.status, ['pending', 'expired'])))
      expect(sqlOf(fast).params.sort()).toEqual(sqlOf(built).params.sort())
    }
  })

  it('read the same rows as the builders, and a paid order got what the builders wrote', async () => {
    const { order } = await paidShowOrder(2)
    const [fast, built] = await Promise.all([
      db.batch([s.order.in(db, { orderId: order.id }), s.activeLines.in(db, { orderId: order.id })]),
      db.batch([
        db.select().from(orders).where(eq(orders.id, order.id)),
        db
          .select()
          .from(orderLines)
          .where(and(eq(orderLines.orderId, order.id), eq(orderLines.status, 'active'))),
      ]),
    ])
    expect(fast).toEqual(built)
    expect(await s.order.all(db, { orderId: order.id })).toEqual(built[0])
    expect(built[0][0]).toMatchObject({ status: 'paid', statusReason: null, statusReasonParams: null })
    const issued = await db.select().from(tickets).where(eq(tickets.orderId, order.id))
    expect(issued.map((t) => t.orderLineId).sort()).toEqual(built[1].map((l) => l.id).sort())
    const [paidAudit] = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.id, `aud_${order.id}_paid`))
    expect(paidAudit).toMatchObject({ action: 'order.paid', fromStatus: 'pending', toStatus: 'paid' })
    expect(paidAudit!.detail).toMatchObject({ reacquired: false })
    const [created] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.orderId, order.id), eq(auditEvents.action, 'order.created')))
    expect(created!.fromStatus).toBeNull()
    // No detail is SQL NULL, not the JSON text 'null'.
    await db.batch([
      audit(db, { id: `aud_${order.id}_null`, orderId: order.id, actor: 'test', action: 'test' }),
    ])
    const raw = await env.DB.prepare('SELECT detail IS NULL AS absent FROM audit_events WHERE id = ?')
      .bind(`aud_${order.id}_null`)
      .first<{ absent: number }>()
    expect(raw!.absent).toBe(1)
  })
})
