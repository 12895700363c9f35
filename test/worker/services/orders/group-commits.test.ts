import { env } from 'cloudflare:workers'
import { sql } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { audit, GuardedBatch } from '../../../../worker/services/orders/batch.ts'
import { finishPaidOrder } from '../../../../worker/services/orders/confirm.ts'
import { commitOrderBatch, orderCommitCounts } from '../../../../worker/services/orders/group-commits.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'
import { orderServices, postWithKey } from '../../../support/orders.ts'

// Group commit of confirmations against the real D1. Requests of one isolate share the queue over HTTP (raced in
// test/e2e/order-commits.e2e.ts); here the callers are one test's concurrent calls, so the queue is exercised
// without cross-request promises (which the Vitest plugin turns off).

const db = openDatabase(env.DB)
const count = async (query: string, ...params: unknown[]) =>
  (await env.DB.prepare(query)
    .bind(...params)
    .first<number>('n'))!
const together = { together: true }

/** An audit row with a fixed id (written once), with a guard that holds or not. */
function auditBatch(id: string, guardHolds = true) {
  return new GuardedBatch(db)
    .add(audit(db, { id, orderId: `ord_${id}`, actor: 'test', action: 'test.grouped' }))
    .guard(guardHolds ? sql`1 = 1` : sql`0 = 1`)
}
const written = (ids: string[]) =>
  count(`SELECT count(*) AS n FROM audit_events WHERE id IN (${ids.map(() => '?').join(',')})`, ...ids)

describe('group commit of confirmation batches', () => {
  it('concurrent batches go to D1 together and are all written', async () => {
    const before = { ...orderCommitCounts }
    const ids = Array.from({ length: 5 }, () => `aud_gc_${crypto.randomUUID()}`)
    // Submitted in one turn: the first waits a few microtask turns for the rest before it sends.
    const answers = await Promise.all(ids.map((id) => commitOrderBatch(auditBatch(id), together)))
    expect(answers).toEqual([true, true, true, true, true])
    expect(await written(ids)).toBe(5)
    expect(orderCommitCounts.groups - before.groups).toBe(1)
    expect(orderCommitCounts.mergedOrders - before.mergedOrders).toBe(5)
    expect(await count("SELECT count(*) AS n FROM batch_guards WHERE id LIKE 'grd%'")).toBe(0)
  })

  it('a member whose guard fails makes the group fall back: it alone writes nothing, the others are written', async () => {
    const before = { ...orderCommitCounts }
    const ids = Array.from({ length: 4 }, () => `aud_gc_${crypto.randomUUID()}`)
    const answers = await Promise.all(ids.map((id, i) => commitOrderBatch(auditBatch(id, i !== 1), together)))
    expect(answers).toEqual([true, false, true, true])
    expect(await written([ids[0]!, ids[2]!, ids[3]!])).toBe(3)
    expect(await written([ids[1]!])).toBe(0)
    expect(orderCommitCounts.fellBack - before.fellBack).toBe(4)
    expect(orderCommitCounts.groups - before.groups).toBe(0)
  })

  it('a unique violation (a second confirmation) is thrown to that member only', async () => {
    const id = `aud_gc_${crypto.randomUUID()}`
    const other = `aud_gc_${crypto.randomUUID()}`
    const answers = await Promise.allSettled([
      commitOrderBatch(auditBatch(id), together),
      commitOrderBatch(auditBatch(id), together),
      commitOrderBatch(auditBatch(other), together),
    ])
    expect(answers[0]).toEqual({ status: 'fulfilled', value: true })
    expect(answers[1]!.status).toBe('rejected')
    expect(String((answers[1] as PromiseRejectedResult).reason?.cause ?? '')).toMatch(/UNIQUE/)
    expect(answers[2]).toEqual({ status: 'fulfilled', value: true })
    expect(await written([id, other])).toBe(2)
  })

  it('without group commit a batch runs alone', async () => {
    const before = { ...orderCommitCounts }
    const id = `aud_gc_${crypto.randomUUID()}`
    expect(await commitOrderBatch(auditBatch(id))).toBe(true)
    expect(await commitOrderBatch(auditBatch(`aud_gc_${crypto.randomUUID()}`, false))).toBe(false)
    expect(orderCommitCounts).toEqual(before)
  })
})

describe('paid orders confirmed concurrently with group commit', () => {
  it('each order gets exactly its tickets, one paid audit row and one confirmation event; a double one is refused', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const before = { ...orderCommitCounts }
    // Eight buyers, 1–3 seats each, their payments succeeded (as the notification records them).
    const orders: { orderId: string; seats: number }[] = []
    let next = 0
    for (let i = 0; i < 8; i++) {
      const seats = 1 + (i % 3)
      const buyer = new ApiClient()
      const hold = await ok(
        buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(next, next + seats) }),
        201,
      )
      next += seats
      const created = await ok(
        postWithKey(buyer, '/api/orders', {
          kind: 'show',
          showId: show.showId,
          holdId: hold.id,
          email: 'buyer@example.com',
        }),
        201,
      )
      await env.DB.prepare("UPDATE payments SET status = 'succeeded' WHERE id = ?")
        .bind(created.paymentId)
        .run()
      orders.push({ orderId: created.orderId, seats })
    }
    const services = { ...orderServices(), commits: together }
    const confirm = (list: typeof orders) =>
      Promise.all(list.map((o) => finishPaidOrder(services, o.orderId, 'provider:sandbox')))
    // The first five confirmed at once: they meet in the isolate's queue and go to D1 merged.
    for (const answer of await confirm(orders.slice(0, 5))) expect(answer.status).toBe('paid')
    expect(orderCommitCounts.groups - before.groups).toBeGreaterThan(0)
    expect(orderCommitCounts.mergedOrders - before.mergedOrders).toBeGreaterThan(1)
    expect(orderCommitCounts.fellBack - before.fellBack).toBe(0)
    // The other three confirmed three times each at once (a provider's retries arriving together): their group
    // falls back, and each order is confirmed by exactly one of its confirmations.
    const retried = orders.slice(5)
    for (const answer of await confirm([...retried, ...retried, ...retried]))
      expect(answer.status).toBe('paid')
    expect(orderCommitCounts.fellBack - before.fellBack).toBeGreaterThan(0)
    for (const { orderId, seats } of orders) {
      expect(await count('SELECT count(*) AS n FROM tickets WHERE order_id = ?', orderId)).toBe(seats)
      // One ticket per line of its own order (no line ticketed twice, none of another order's).
      expect(
        await count(
          'SELECT count(DISTINCT t.order_line_id) AS n FROM tickets t JOIN order_lines l ON l.id = t.order_line_id AND l.order_id = t.order_id WHERE t.order_id = ?',
          orderId,
        ),
      ).toBe(seats)
      expect(
        await count(
          "SELECT count(*) AS n FROM audit_events WHERE order_id = ? AND action = 'order.paid'",
          orderId,
        ),
      ).toBe(1)
      expect(
        await count(
          "SELECT count(*) AS n FROM outbox_events WHERE topic = 'order.confirmed' AND payload ->> 'orderId' = ?",
          orderId,
        ),
      ).toBe(1)
    }
    const accounted = (['mergedOrders', 'fellBack', 'alone'] as const).reduce(
      (n, k) => n + orderCommitCounts[k] - before[k],
      0,
    )
    expect(accounted).toBe(5 + 9)
  })
})
