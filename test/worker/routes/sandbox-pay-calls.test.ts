// The sandbox checkout's payment, the pay step of the money path: its own notification is new by construction, so
// it is handled without looking for an earlier handling of it (one D1 round trip less), and a provider's retried
// notification is still handled once.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { RecordingD1 } from '../../bench/d1-recorder.ts'
import { ApiClient } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { pendingShowOrder } from '../../support/orders.ts'

const tablesOf = (sqls: string[]) =>
  sqls.map((sql) => /^(?:select .*? from|insert into|update) "(\w+)"/.exec(sql)?.[1])

describe('the sandbox checkout pays in three D1 round trips', () => {
  it('reads the payment, writes the money with the notification, confirms: no read of the notification first', async () => {
    const { buyer, created } = await pendingShowOrder(2)
    const recorder = new RecordingD1(env.DB)
    const recorded = new ApiClient(buyer.cookie, { DB: recorder.asD1() })
    const paid = await ok(
      recorded.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }),
    )
    expect(paid.status).toBe('paid')
    // What the request did before answering (the outbox publisher may follow after it, in its waitUntil).
    const [load, money, confirmation] = recorder.calls
    if (load?.kind !== 'batch' || money?.kind !== 'batch' || confirmation?.kind !== 'batch')
      throw new Error(`unexpected calls: ${recorder.calls.map((c) => c.kind)}`)
    // The payment and its order: two reads in one batch (it goes with the isolate's order batches over HTTP).
    expect(tablesOf(load.statements.map((s) => s.sql))).toEqual(['payments', 'orders'])
    const moneyTables = tablesOf(money.statements.map((s) => s.sql))
    expect(moneyTables.slice(0, 2)).toEqual(['payments', 'payment_notifications'])
    expect(money.statements[0]!.sql).toMatch(/^update "payments"/)
    expect(confirmation.statements.some((s) => /^update "orders"/.test(s.sql))).toBe(true)
    // Nothing read the notification table: the event was the page's own.
    const everySql = recorder.calls.flatMap((c) => (c.kind === 'batch' ? c.statements : [c.statement]))
    expect(everySql.some((s) => /^select .* from "payment_notifications"/.test(s.sql))).toBe(false)
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.status).toBe('paid')
    expect(order.lines).toHaveLength(2)
  })
})
