import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { runScheduledJobs } from '../../../worker/scheduled.ts'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { paidShowOrder, postWithKey } from '../../support/orders.ts'

const statusOf = (table: 'orders' | 'refunds', id: string) =>
  env.DB.prepare(`SELECT status FROM ${table} WHERE id = ?`).bind(id).first<string>('status')

describe('security: the cron keeps going', () => {
  it('security: a refund the provider refuses does not stop expiry, reconciliation or the webhook steps', async () => {
    // A paid order whose payment was made with a provider this deployment no longer has: its refund cannot finish.
    const { buyer, order } = await paidShowOrder(1)
    await env.DB.prepare("UPDATE payments SET provider = 'retired_provider' WHERE order_id = ?")
      .bind(order.id)
      .run()
    const stuck = await postWithKey(buyer, `/api/orders/${order.id}/refunds`, {})
    expect(stuck.status).toBe(500)
    const { results } = await env.DB.prepare(
      "SELECT id FROM refunds WHERE order_id = ? AND status = 'pending'",
    )
      .bind(order.id)
      .all<{ id: string }>()
    expect(results).toHaveLength(1)
    // Meanwhile another buyer's unpaid order runs out.
    const show = await showOnSale(gridChart(1, 4))
    const other = new ApiClient()
    const hold = await ok(
      other.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 1) }),
      201,
    )
    const unpaid = await ok(
      postWithKey(other, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'o@example.com',
      }),
      201,
    )
    await env.DB.prepare('UPDATE orders SET expires_at = ? WHERE id = ?')
      .bind(new Date(Date.now() - 1000).toISOString(), unpaid.orderId)
      .run()
    // And the webhook queue is down.
    const failingQueue = {
      send: async () => {
        throw new Error('queue unavailable')
      },
      sendBatch: async () => {
        throw new Error('queue unavailable')
      },
    }
    const result = await runScheduledJobs({ ...env, WEBHOOK_QUEUE: failingQueue } as never)
    expect(await statusOf('orders', unpaid.orderId)).toBe('expired')
    expect(result.expired).toBeGreaterThanOrEqual(1)
    expect(await statusOf('refunds', results[0]!.id)).toBe('pending') // left for the next run, logged
    expect(result.availabilityChanges).not.toBeNull()
    expect(result.webhookRetries).not.toBeNull() // ran after the failing outbox step
    // Once the provider is back, the next run finishes the refund.
    await env.DB.prepare("UPDATE payments SET provider = 'sandbox' WHERE order_id = ?").bind(order.id).run()
    await runScheduledJobs(env)
    expect(await statusOf('refunds', results[0]!.id)).toBe('succeeded')
    expect(await statusOf('orders', order.id)).toBe('refunded')
  })
})
