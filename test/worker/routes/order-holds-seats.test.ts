// An order that holds its own seats (`POST /api/orders` with `hold`, routes/order-hold.ts): one request where the
// shop's path makes two, with every check of the hold route and an Idempotency-Key that never holds twice.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { RecordingD1 } from '../../bench/d1-recorder.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, idNumberFor, ok, type ShowFixture, showOnSale } from '../../support/catalogue.ts'
import { AddressedClient, uniqueAddress } from '../../support/clients.ts'
import { idempotencyKey, postWithKey, sandboxPay } from '../../support/orders.ts'
import { inAnHour, setRoom } from '../../support/waiting-room.ts'

// The test configuration's hold limit per network address (test/vitest.config.ts), as rate-limits.test.ts.
const HOLDS_PER_ADDRESS = 40

const seatStates = async (show: ShowFixture) => {
  const map = await ok<{ seats: { id: string; state: string }[] }>(
    new ApiClient().get(`/api/shows/${show.showId}/seat-map`),
  )
  const states: Record<string, number> = {}
  for (const seat of map.seats) states[seat.state] = (states[seat.state] ?? 0) + 1
  return states
}
const ordersOf = (showId: string) =>
  env.DB.prepare('SELECT id, status FROM orders WHERE show_id = ?')
    .bind(showId)
    .all<{ id: string; status: string }>()
    .then((r) => r.results)

const bestOf = (quantity: number) => ({ best: { category: 'A', quantity } })
const orderBody = (show: ShowFixture, hold: unknown, extra: Record<string, unknown> = {}) => ({
  kind: 'show',
  showId: show.showId,
  hold,
  email: 'one-step@example.com',
  ...extra,
})

describe('an order that holds its own seats', () => {
  it('holds best available, orders and is paid in two requests; the seats are sold', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const created = await ok(postWithKey(buyer, '/api/orders', orderBody(show, bestOf(2))), 201)
    expect(created.order.lines).toHaveLength(2)
    expect(created.order.total).toBe(2 * 10000)
    expect(created.order.status).toBe('pending')
    expect(await seatStates(show)).toMatchObject({ held: 2, free: 8 })
    const paid = await sandboxPay(buyer, created.paymentId)
    expect(paid.status).toBe('paid')
    expect(await seatStates(show)).toMatchObject({ sold: 2, free: 8 })
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(
      order.lines.every((line: { ticket?: { status: string } }) => line.ticket?.status === 'valid'),
    ).toBe(true)
  })

  it('reads the key and the show in one D1 call, then writes the order in one batch: no hold read back', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    await buyer.get('/api/orders')
    // Another buyer's hold first: the show's public facts and its waiting-room settings are then in the isolate's
    // caches, as they are all through an on-sale.
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[9]!] }), 201)
    const recorder = new RecordingD1(env.DB)
    const recorded = new ApiClient(buyer.cookie, { DB: recorder.asD1() })
    await ok(
      postWithKey(recorded, '/api/orders', orderBody(show, { seatIds: show.seatIds.slice(0, 1) })),
      201,
    )
    expect(recorder.calls.map((call) => call.kind)).toEqual(['batch', 'batch', 'batch'])
    const [lookup, batch] = recorder.calls
    if (lookup?.kind !== 'batch' || batch?.kind !== 'batch') throw new Error('unexpected calls')
    expect(lookup.statements.map((s) => /from "(\w+)"/.exec(s.sql)![1])).toEqual([
      'idempotency_keys',
      'shows',
    ])
    expect(batch.statements[0]!.sql).toMatch(/^insert into "idempotency_keys"/)
  })

  it('a repeat of the key replays the order and holds nothing again, also once the order is paid', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const key = idempotencyKey()
    const body = orderBody(show, bestOf(2))
    const first = await postWithKey(buyer, '/api/orders', body, key)
    expect(first.status).toBe(201)
    const firstText = await first.text()
    const again = await postWithKey(buyer, '/api/orders', body, key)
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(await again.text()).toBe(firstText)
    expect(await seatStates(show)).toMatchObject({ held: 2, free: 8 })
    await sandboxPay(buyer, JSON.parse(firstText).paymentId)
    const late = await postWithKey(buyer, '/api/orders', body, key)
    expect(late.status).toBe(201)
    expect(await seatStates(show)).toMatchObject({ sold: 2, free: 8 })
    expect(await ordersOf(show.showId)).toHaveLength(1)
    // Another body under the key is refused, and holds nothing.
    const other = await postWithKey(buyer, '/api/orders', orderBody(show, bestOf(1)), key)
    expect(other.status).toBe(422)
    expect((await problemOf(other)).code).toBe('idempotency_key_reused')
    expect(await seatStates(show)).toMatchObject({ sold: 2, free: 8 })
  })

  it('of eight concurrent repeats of one key, one order stands and the seats the others held go back', async () => {
    const show = await showOnSale(gridChart(1, 20))
    const buyer = new ApiClient()
    await buyer.get('/api/orders')
    const key = idempotencyKey()
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postWithKey(buyer, '/api/orders', orderBody(show, bestOf(2)), key)),
    )
    const statuses = answers.map((r) => r.status)
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true)
    expect(statuses).toContain(201)
    expect(await ordersOf(show.showId)).toHaveLength(1)
    // Whichever twins raced past the key's read held seats; the losers gave them back before answering.
    expect(await seatStates(show)).toMatchObject({ held: 2, free: 18 })
  })

  it('a refused order gives its seats back at once (a real-name show without holder names)', async () => {
    const show = await showOnSale(gridChart(1, 10), { realNameRequired: true })
    const buyer = new ApiClient()
    const refused = await postWithKey(
      buyer,
      '/api/orders',
      orderBody(show, bestOf(1), { idNumbers: [idNumberFor(9101)] }),
    )
    expect(refused.status).toBe(400)
    expect(await seatStates(show)).toMatchObject({ free: 10 })
    // With the names it goes through, the ID number kept with the hold (one ticket per ID, checked by the actor).
    const created = await ok(
      postWithKey(
        buyer,
        '/api/orders',
        orderBody(show, bestOf(1), { idNumbers: [idNumberFor(9101)], holderNames: ['Li Lei'] }),
      ),
      201,
    )
    expect(created.order.lines[0].visitorName).toBe('Li Lei')
    const twice = await postWithKey(
      new ApiClient(),
      '/api/orders',
      orderBody(show, bestOf(1), { idNumbers: [idNumberFor(9101)], holderNames: ['Han Meimei'] }),
    )
    expect(twice.status).toBe(409)
    expect(await seatStates(show)).toMatchObject({ held: 1, free: 9 })
  })

  it('needs the admission pass while the waiting room is on, as a hold does', async () => {
    const show = await showOnSale(gridChart(1, 10))
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, { opensAt: inAnHour() })
    const res = await postWithKey(new ApiClient(), '/api/orders', orderBody(show, bestOf(1)))
    expect(res.status).toBe(403)
    const problem = await problemOf(res)
    expect(problem.code).toBe('admission_required')
    expect(problem.queueUrl).toBe(`/shows/${show.showId}/queue`)
    expect(await seatStates(show)).toMatchObject({ free: 10 })
    expect(await ordersOf(show.showId)).toHaveLength(0)
  })

  it('security: counts against the hold limit per network address, shared with the hold route', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const address = uniqueAddress()
    const start = Math.floor(Date.now() / 60_000)
    // Holds by the hold route use up the address's allowance (each refused by its caps or not, all counted) ...
    for (let i = 0; i < HOLDS_PER_ADDRESS; i++) {
      const res = await new AddressedClient(address).post(`/api/shows/${show.showId}/holds`, {
        seatIds: [show.seatIds[0]!],
      })
      expect(res.status).not.toBe(429)
    }
    // ... and an order that holds is refused by the same limit, before it reads or holds anything.
    const res = await postWithKey(new AddressedClient(address), '/api/orders', orderBody(show, bestOf(1)))
    // The local binding's window restarts on the minute: past a boundary the count began again.
    if (Math.floor(Date.now() / 60_000) !== start) return
    expect(res.status).toBe(429)
    expect((await problemOf(res)).scope).toBe('holds per network address')
  })

  it('refuses a body naming both a hold and seats to hold, or neither, and a scenic order with seats', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const buyer = new ApiClient()
    const both = await postWithKey(buyer, '/api/orders', orderBody(show, bestOf(1), { holdId: 'hld_x' }))
    const neither = await postWithKey(buyer, '/api/orders', orderBody(show, undefined))
    const bothSeats = await postWithKey(
      buyer,
      '/api/orders',
      orderBody(show, { seatIds: [show.seatIds[0]!], best: { category: 'A', quantity: 1 } }),
    )
    for (const res of [both, neither, bothSeats]) {
      expect(res.status).toBe(400)
      expect((await problemOf(res)).code).toBe('validation')
    }
    expect(await seatStates(show)).toMatchObject({ free: 10 })
  })
})
