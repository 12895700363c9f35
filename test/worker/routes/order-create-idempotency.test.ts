// The order step's Idempotency-Key claimed in the order's own batch (middleware/idempotency.ts,
// `idempotentInBatch`): one D1 round trip less than a claim of its own, with the same answers.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { RecordingD1 } from '../../bench/d1-recorder.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { idempotencyKey, postWithKey, sandboxPay } from '../../support/orders.ts'

const ordersOfHolds = (holdIds: string[]) =>
  env.DB.prepare(`SELECT id, hold_id FROM orders WHERE hold_id IN (${holdIds.map(() => '?').join(',')})`)
    .bind(...holdIds)
    .all<{ id: string; hold_id: string }>()
    .then((r) => r.results)
const storedKey = (key: string) =>
  env.DB.prepare('SELECT status, response_status FROM idempotency_keys WHERE key = ?')
    .bind(key)
    .first<{ status: string; response_status: number | null }>()

/** A show on sale and a buyer (with their cookie) holding `holds` single seats. */
async function buyerWithHolds(holds: number) {
  const show = await showOnSale(gridChart(1, 10))
  const buyer = new ApiClient()
  await buyer.get('/api/orders')
  const holdIds: string[] = []
  for (let i = 0; i < holds; i++) {
    const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[i]!] }), 201)
    holdIds.push(hold.id)
  }
  const body = (holdId: string) => ({ kind: 'show', showId: show.showId, holdId, email: 'k@example.com' })
  return { show, buyer, holdIds, body }
}

describe('the order step claims its key in the order batch', () => {
  it('creates an order in 3 D1 calls: the show, one batch (claim, order, its view), the stored answer', async () => {
    const { buyer, holdIds, body } = await buyerWithHolds(1)
    const recorder = new RecordingD1(env.DB)
    const recorded = new ApiClient(buyer.cookie, { DB: recorder.asD1() })
    const res = await postWithKey(recorded, '/api/orders', body(holdIds[0]!))
    const created = await ok(res, 201)
    // Before: the claim, the show, the create batch, the view read back, the answer (5).
    // The answer is stored in a batch of its own here; over HTTP it goes with the isolate's next group of order
    // batches (group-commits.ts, as the order-commits e2e runs).
    expect(recorder.calls.map((call) => call.kind)).toEqual(['all', 'batch', 'batch'])
    const [, batch, answer] = recorder.calls
    if (batch?.kind !== 'batch' || answer?.kind !== 'batch') throw new Error('unexpected calls')
    expect(batch.statements[0]!.sql).toMatch(/^insert into "idempotency_keys"/)
    // The view's reads end the batch; a new order has no tickets or refunds, and this one no deposit, discount or
    // product, so those are not read (each a statement on D1's one writer).
    const reads = batch.statements
      .filter((s) => s.sql.startsWith('select'))
      .map((s) => /from "(\w+)"/.exec(s.sql)![1])
    expect(reads).toEqual(['orders', 'order_lines', 'payments', 'seats'])
    expect(batch.statements.at(-1)!.sql).toMatch(/^select .* from "seats"/)
    expect(answer.statements.map((s) => s.sql)).toEqual([expect.stringMatching(/^update "idempotency_keys"/)])
    // The view read in the batch is the order as it is read afterwards.
    expect(created.order).toEqual(await ok(buyer.get(`/api/orders/${created.orderId}`)))
  })

  it('lets one key create one order even when concurrent requests with it name different holds', async () => {
    const { buyer, holdIds, body } = await buyerWithHolds(2)
    const key = idempotencyKey()
    // Each request's work before its batch succeeds (both holds are the buyer's and active): only the claim in
    // the batch stands between two orders under one key.
    const responses = await Promise.all(
      Array.from({ length: 8 }, (_, i) => postWithKey(buyer, '/api/orders', body(holdIds[i % 2]!), key)),
    )
    const statuses = responses.map((r) => r.status)
    expect(statuses.every((s) => s === 201 || s === 409 || s === 422)).toBe(true)
    const orders = await ordersOfHolds(holdIds)
    expect(orders).toHaveLength(1)
    const created = await Promise.all(
      responses.filter((r) => r.status === 201).map((r) => r.json<{ orderId: string }>()),
    )
    expect(created.length).toBeGreaterThanOrEqual(1)
    expect(new Set(created.map((c) => c.orderId))).toEqual(new Set([orders[0]!.id]))
    // The other hold's body under this key is refused as another request, never replayed the first's order.
    const otherHold = holdIds.find((id) => id !== orders[0]!.hold_id)!
    const refused = await postWithKey(buyer, '/api/orders', body(otherHold), key)
    expect(refused.status).toBe(422)
    expect((await problemOf(refused)).code).toBe('idempotency_key_reused')
    // Nothing of a refused batch was written: the other hold orders with a fresh key.
    await ok(postWithKey(buyer, '/api/orders', body(otherHold)), 201)
    expect(await ordersOfHolds(holdIds)).toHaveLength(2)
  })

  it('replays the first answer byte for byte, also once the order is paid and its hold gone', async () => {
    const { buyer, holdIds, body } = await buyerWithHolds(1)
    const key = idempotencyKey()
    const first = await postWithKey(buyer, '/api/orders', body(holdIds[0]!), key)
    const firstText = await first.text()
    expect(first.status).toBe(201)
    const again = await postWithKey(buyer, '/api/orders', body(holdIds[0]!), key)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await again.text()).toBe(firstText)
    // Paid: the hold is sold, so the request run again would be refused; the key still answers as it did.
    await sandboxPay(buyer, JSON.parse(firstText).paymentId)
    const later = await postWithKey(buyer, '/api/orders', body(holdIds[0]!), key)
    expect(later.status).toBe(201)
    expect(later.headers.get('idempotent-replayed')).toBe('true')
    expect(await later.text()).toBe(firstText)
    expect(await ordersOfHolds(holdIds)).toHaveLength(1)
  })

  it('keeps a refusal as the key’s answer, as a claimed key did', async () => {
    const { buyer, holdIds, body } = await buyerWithHolds(1)
    const key = idempotencyKey()
    const refused = await postWithKey(buyer, '/api/orders', body('hld_not_mine'), key)
    expect(refused.status).toBe(404)
    expect(await storedKey(key)).toEqual({ status: 'done', response_status: 404 })
    const again = await postWithKey(buyer, '/api/orders', body('hld_not_mine'), key)
    expect(again.status).toBe(404)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    // The key answered: a good body under it is another request.
    const other = await postWithKey(buyer, '/api/orders', body(holdIds[0]!), key)
    expect((await problemOf(other)).code).toBe('idempotency_key_reused')
    expect(await ordersOfHolds(holdIds)).toHaveLength(0)
  })

  it('holds nothing after a server error before the batch: a retry with the key creates the order', async () => {
    const { buyer, holdIds, body } = await buyerWithHolds(1)
    const key = idempotencyKey()
    const inventoryDown = {
      idFromName: () => {
        throw new Error('inventory unreachable')
      },
    }
    const failing = new ApiClient(buyer.cookie, { SHOW_INVENTORY: inventoryDown })
    const failed = await postWithKey(failing, '/api/orders', body(holdIds[0]!), key)
    expect(failed.status).toBe(500)
    expect(await storedKey(key)).toBeNull()
    const retried = await ok(postWithKey(buyer, '/api/orders', body(holdIds[0]!), key), 201)
    expect((await ordersOfHolds(holdIds)).map((o) => o.id)).toEqual([retried.orderId])
  })
})
