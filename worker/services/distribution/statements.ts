import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  commissions,
  distributionAttributions,
  distributionClicks,
  distributionLinks,
  distributionPayouts,
  distributors,
  orders,
} from '../../db/schema.ts'
import { type CommissionTotals, totalsByState } from '../../domain/distribution.ts'
import { newId } from '../../ids.ts'
import { conflict, notFound } from '../../problem.ts'
import { listLinks } from './records.ts'

// Clicks in, statements out: a click on a share link is one row for the buyer (no address kept); a distributor's
// statements are their commission rows by Beijing month, each with its orders and what was paid out.

export async function recordClick(db: Database, ref: string, buyerId: string, now = new Date()) {
  const [link] = await db
    .select({ link: distributionLinks, status: distributors.status })
    .from(distributionLinks)
    .innerJoin(distributors, eq(distributors.id, distributionLinks.distributorId))
    .where(eq(distributionLinks.ref, ref))
  if (!link || !link.link.active || link.status !== 'active') throw notFound(`share link ${ref}`)
  await db.insert(distributionClicks).values({
    id: newId('clk', now.getTime()),
    organizerId: link.link.organizerId,
    linkId: link.link.id,
    distributorId: link.link.distributorId,
    buyerId,
    clickedAt: now.toISOString(),
  })
  const { ref: code, targetKind, targetId, siteId, organizerId } = link.link
  return { ref: code, organizerId, targetKind, targetId, siteId }
}

export interface StatementOrder {
  orderId: string
  number: string
  paidAt: string | null
  /** What the buyer paid for the credited lines. */
  sales: number
  /** Commission still earned on it in this statement (reversed lines excluded, clawbacks negative). */
  commission: number
  reversed: number
  state: 'pending' | 'payable' | 'paid' | 'reversed' | 'mixed'
}

export interface Statement extends CommissionTotals {
  month: string
  /** pending + payable + paid: what the month earns after refunds. */
  earned: number
  orders: StatementOrder[]
  payouts: { id: string; amount: number; paidAt: string }[]
}

/** Every statement of one distributor, newest month first. */
export async function statementsOf(db: Database, distributorId: string): Promise<Statement[]> {
  const rows = await db
    .select({
      orderId: commissions.orderId,
      month: commissions.month,
      state: commissions.state,
      amount: commissions.amount,
      base: commissions.base,
      kind: commissions.kind,
      number: orders.number,
      paidAt: orders.paidAt,
    })
    .from(commissions)
    .innerJoin(orders, eq(orders.id, commissions.orderId))
    .where(eq(commissions.distributorId, distributorId))
    .orderBy(asc(orders.paidAt), asc(commissions.orderLineId))
  const payouts = await db
    .select()
    .from(distributionPayouts)
    .where(eq(distributionPayouts.distributorId, distributorId))
    .orderBy(asc(distributionPayouts.paidAt))
  const months = new Map<string, typeof rows>()
  for (const r of rows) months.set(r.month, [...(months.get(r.month) ?? []), r])
  return [...months.entries()]
    .sort(([a], [b]) => (a < b ? 1 : -1))
    .map(([month, monthRows]) => {
      const totals = totalsByState(monthRows)
      const byOrder = new Map<string, StatementOrder>()
      for (const r of monthRows) {
        const o = byOrder.get(r.orderId) ?? {
          orderId: r.orderId,
          number: r.number,
          paidAt: r.paidAt,
          sales: 0,
          commission: 0,
          reversed: 0,
          state: r.state,
        }
        if (r.kind === 'commission') o.sales += r.base
        if (r.state === 'reversed') o.reversed += r.amount
        else o.commission += r.amount
        if (o.state !== r.state) o.state = 'mixed'
        byOrder.set(r.orderId, o)
      }
      return {
        month,
        ...totals,
        earned: totals.pending + totals.payable + totals.paid,
        orders: [...byOrder.values()],
        payouts: payouts
          .filter((p) => p.month === month)
          .map((p) => ({ id: p.id, amount: p.amount, paidAt: p.paidAt })),
      }
    })
}

/**
 * Marks a month's payable commission paid, in one batch: the payout takes the sum of the rows payable now and
 * only those rows move to paid. A second, concurrent mark finds nothing payable and writes nothing.
 */
export async function payStatement(
  db: Database,
  organizerId: string,
  distributorId: string,
  month: string,
  paidBy: string,
) {
  const id = newId('dpo')
  const now = new Date().toISOString()
  const payable = sql`${commissions.distributorId} = ${distributorId} AND ${commissions.organizerId} = ${organizerId} AND ${commissions.month} = ${month} AND ${commissions.state} = 'payable'`
  await db.batch([
    db.insert(distributionPayouts).select(
      db
        .select({
          id: sql<string>`${id}`.as('id'),
          organizerId: sql<string>`${organizerId}`.as('organizer_id'),
          distributorId: sql<string>`${distributorId}`.as('distributor_id'),
          month: sql<string>`${month}`.as('month'),
          amount: sql<number>`sum(${commissions.amount})`.as('amount'),
          paidBy: sql<string>`${paidBy}`.as('paid_by'),
          paidAt: sql<string>`${now}`.as('paid_at'),
        })
        .from(commissions)
        .where(payable)
        .having(sql`sum(${commissions.amount}) > 0`),
    ),
    db
      .update(commissions)
      .set({ state: 'paid', payoutId: id, updatedAt: now })
      .where(
        and(
          payable,
          sql`EXISTS (SELECT 1 FROM ${distributionPayouts} WHERE ${distributionPayouts.id} = ${id})`,
        ),
      ),
  ])
  const [payout] = await db.select().from(distributionPayouts).where(eq(distributionPayouts.id, id))
  if (!payout) throw conflict(`Nothing is payable on the statement of ${month}`)
  return payout
}

/** The distributor's own page: every distributor record the signed-in customer's contact is linked to. */
export async function distributorPages(db: Database, contact: string) {
  const mine = await db
    .select()
    .from(distributors)
    .where(eq(distributors.contact, contact.toLowerCase()))
    .orderBy(desc(distributors.createdAt))
  return Promise.all(
    mine.map(async (d) => {
      const statements = await statementsOf(db, d.id)
      const links = await listLinks(db, d.organizerId, [d.id])
      const orderCount = await db
        .select({ n: sql<number>`count(*)` })
        .from(distributionAttributions)
        .where(eq(distributionAttributions.distributorId, d.id))
      return {
        distributor: { id: d.id, organizerId: d.organizerId, name: d.name, status: d.status },
        links,
        orders: orderCount[0]?.n ?? 0,
        totals: totalsByState(
          statements.flatMap((s) => [
            { state: 'pending' as const, amount: s.pending },
            { state: 'payable' as const, amount: s.payable },
            { state: 'paid' as const, amount: s.paid },
            { state: 'reversed' as const, amount: s.reversed },
          ]),
        ),
        statements,
      }
    }),
  )
}
