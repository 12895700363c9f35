import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import {
  commissionSubscriber,
  releasePayableCommission,
} from '../../../../worker/services/distribution/index.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import { problemOf } from '../../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'
import { ApiClient, payForHold, postWithKey } from '../../../support/orders.ts'

// Distribution (分销) end to end over the real API: a buyer clicks a share link, buys and pays; the distributor is
// credited per ticket, the refund reverses it, the cron makes it payable, the statement adds up and is paid out.

const db = () => openDatabase(env.DB)
/** Runs the outbox (and so the commission subscriber) now, as the cron would. */
const publish = () => publishOutbox(db(), env.WEBHOOK_QUEUE, new Date(), [commissionSubscriber])

async function distributor(show: ShowFixture, body: Record<string, unknown> = {}) {
  const d = await ok(
    show.owner.post(`${show.base}/distributors`, {
      name: '小红书达人',
      contact: `kol${Math.random().toString(36).slice(2)}@example.com`,
      commissionKind: 'percent',
      commissionValue: 1000,
      ...body,
    }),
    201,
  )
  const link = await ok(
    show.owner.post(`${show.base}/distributors/${d.id}/links`, {
      targetKind: 'event',
      targetId: show.eventId,
    }),
    201,
  )
  return { id: d.id as string, ref: link.ref as string, contact: d.contact as string }
}

let seat = 0
/** The buyer holds the next `count` seats and pays for them. */
async function buy(show: ShowFixture, buyer: ApiClient, count = 2) {
  const seatIds = show.seatIds.slice(seat, seat + count)
  seat += count
  const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds }), 201)
  const order = await payForHold(buyer, { kind: 'show', showId: show.showId, holdId: hold.id })
  await publish()
  return order as { id: string; number: string; lines: { id: string; price: number }[] }
}

const statements = async (show: ShowFixture, distributorId: string) =>
  (await ok(show.owner.get(`${show.base}/distributors/${distributorId}/statements`))).items as {
    month: string
    pending: number
    payable: number
    paid: number
    reversed: number
    earned: number
    orders: { orderId: string; number: string; sales: number; commission: number; reversed: number }[]
  }[]

const commissionRows = async (orderId: string) =>
  (
    await env.DB.prepare(
      "SELECT distributor_id AS distributorId, amount, state FROM commissions WHERE order_id = ? AND kind = 'commission' ORDER BY order_line_id",
    )
      .bind(orderId)
      .all<{ distributorId: string; amount: number; state: string }>()
  ).results

describe('distribution commission', () => {
  it('credits a paid order through a link with pending commission, once, and a refund reverses its share', async () => {
    seat = 0
    const show = await showOnSale(gridChart(1, 20))
    const kol = await distributor(show)
    const buyer = new ApiClient()
    await ok(buyer.post('/api/distribution/clicks', { ref: kol.ref.toLowerCase() }), 201)
    const order = await buy(show, buyer, 3)
    // 10% of 100.00 per ticket, three tickets.
    expect(await commissionRows(order.id)).toEqual([
      { distributorId: kol.id, amount: 1000, state: 'pending' },
      { distributorId: kol.id, amount: 1000, state: 'pending' },
      { distributorId: kol.id, amount: 1000, state: 'pending' },
    ])
    // The same event handled again (a retried publish) credits nothing more.
    const [confirmed] = (
      await env.DB.prepare(
        "SELECT * FROM outbox_events WHERE topic = 'order.confirmed' AND json_extract(payload, '$.orderId') = ?",
      )
        .bind(order.id)
        .all<{ id: string; topic: string; organizer_id: string; payload: string; created_at: string }>()
    ).results
    const event = {
      id: confirmed!.id,
      topic: confirmed!.topic,
      organizerId: confirmed!.organizer_id,
      payload: JSON.parse(confirmed!.payload),
      createdAt: confirmed!.created_at,
    }
    await commissionSubscriber.handle(db(), event)
    await commissionSubscriber.handle(db(), event)
    expect(await commissionRows(order.id)).toHaveLength(3)

    // A partial refund (one ticket) reverses that ticket's commission.
    await ok(postWithKey(buyer, `/api/orders/${order.id}/refunds`, { lineIds: [order.lines[0]!.id] }), 201)
    await publish()
    let [statement] = await statements(show, kol.id)
    expect(statement).toMatchObject({ pending: 2000, reversed: 1000, earned: 2000 })
    expect(statement!.orders).toEqual([
      expect.objectContaining({ number: order.number, sales: 30_000, commission: 2000, reversed: 1000 }),
    ])
    // The rest refunded: nothing earned, never below zero.
    await ok(
      postWithKey(buyer, `/api/orders/${order.id}/refunds`, {
        lineIds: order.lines.slice(1).map((l) => l.id),
      }),
      201,
    )
    await publish()
    ;[statement] = await statements(show, kol.id)
    expect(statement).toMatchObject({ pending: 0, payable: 0, reversed: 3000, earned: 0 })
  })

  it('makes commission payable after the show day, totals the statement from its orders and pays it out once', async () => {
    seat = 0
    const show = await showOnSale(gridChart(1, 20))
    const kol = await distributor(show, { commissionKind: 'fixed', commissionValue: 500 })
    // A rule for this event and this distributor beats their default: 12.5% of 100.00.
    await ok(
      show.owner.put(`${show.base}/commission-rules`, {
        distributorId: kol.id,
        scopeKind: 'event',
        scopeId: show.eventId,
        kind: 'percent',
        value: 1250,
      }),
    )
    const buyers = [new ApiClient(), new ApiClient()]
    const orders = []
    for (const buyer of buyers) {
      await ok(buyer.post('/api/distribution/clicks', { ref: kol.ref }), 201)
      orders.push(await buy(show, buyer, 2))
    }
    // Before the show is over nothing becomes payable; the day after it, everything does.
    expect(await releasePayableCommission(db(), new Date())).toBe(0)
    const paying = await problemOf(
      await show.owner.post(
        `${show.base}/distributors/${kol.id}/statements/${(await statements(show, kol.id))[0]!.month}/payouts`,
        {},
      ),
    )
    expect(paying.code).toBe('conflict')
    await releasePayableCommission(db(), new Date(Date.now() + 32 * 86_400_000))
    const [statement] = await statements(show, kol.id)
    expect(statement).toMatchObject({ pending: 0, payable: 5000, paid: 0, earned: 5000 })
    expect(statement!.orders.map((o) => o.number).sort()).toEqual(orders.map((o) => o.number).sort())
    expect(statement!.orders.reduce((sum, o) => sum + o.commission, 0)).toBe(statement!.earned)
    expect(statement!.orders.reduce((sum, o) => sum + o.sales, 0)).toBe(40_000)

    // Two marks at once: one payout of everything payable, the other finds nothing.
    const path = `${show.base}/distributors/${kol.id}/statements/${statement!.month}/payouts`
    const answers = await Promise.all([show.owner.post(path, {}), show.manager.post(path, {})])
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409])
    const payout = await answers.find((a) => a.status === 201)!.json<{ amount: number }>()
    expect(payout.amount).toBe(5000)
    const [after] = await statements(show, kol.id)
    expect(after).toMatchObject({ payable: 0, paid: 5000 })

    // A refund after the payout takes the ticket's commission back on a later statement (a negative row).
    await ok(
      postWithKey(buyers[0]!, `/api/orders/${orders[0]!.id}/refunds`, { lineIds: [orders[0]!.lines[0]!.id] }),
      201,
    )
    await publish()
    const all = await statements(show, kol.id)
    expect(all.reduce((sum, s) => sum + s.payable, 0)).toBe(-1250)
    expect(all.reduce((sum, s) => sum + s.paid, 0)).toBe(5000)
  })

  it('credits the last click, not an expired one, and nothing to a disabled distributor', async () => {
    seat = 0
    const show = await showOnSale(gridChart(1, 20))
    const first = await distributor(show)
    const second = await distributor(show, { commissionValue: 500 })
    const buyer = new ApiClient()
    await ok(buyer.post('/api/distribution/clicks', { ref: first.ref }), 201)
    await ok(buyer.post('/api/distribution/clicks', { ref: second.ref }), 201)
    const lastWins = await buy(show, buyer, 1)
    expect(await commissionRows(lastWins.id)).toEqual([
      { distributorId: second.id, amount: 500, state: 'pending' },
    ])

    // A click older than the window (3 days here) credits nothing.
    await ok(show.owner.put(`${show.base}/distribution-settings`, { attributionDays: 3 }))
    const late = new ApiClient()
    await ok(late.post('/api/distribution/clicks', { ref: first.ref }), 201)
    const old = new Date(Date.now() - 4 * 86_400_000).toISOString()
    await env.DB.prepare(
      'UPDATE distribution_clicks SET clicked_at = ? WHERE buyer_id = (SELECT buyer_id FROM distribution_clicks ORDER BY id DESC LIMIT 1)',
    )
      .bind(old)
      .run()
    const expired = await buy(show, late, 1)
    expect(await commissionRows(expired.id)).toEqual([])

    // A distributor disabled after the click earns nothing; their link no longer counts clicks.
    const third = new ApiClient()
    await ok(third.post('/api/distribution/clicks', { ref: first.ref }), 201)
    await ok(show.owner.patch(`${show.base}/distributors/${first.id}`, { status: 'disabled' }))
    const disabled = await buy(show, third, 1)
    expect(await commissionRows(disabled.id)).toEqual([])
    expect((await problemOf(await third.post('/api/distribution/clicks', { ref: first.ref }))).code).toBe(
      'not_found',
    )

    // Clicks are counted per link.
    const links = await ok(show.owner.get(`${show.base}/distributors/${first.id}/links`))
    expect(links.items[0].clicks).toBe(3)
  })

  it('refuses a percentage above 100%, a negative commission and another organizer’s event, field by field', async () => {
    const show = await showOnSale(gridChart(1, 4))
    const bad = await problemOf(
      await show.owner.post(`${show.base}/distributors`, {
        name: '旅行社',
        contact: 'agency@example.com',
        commissionKind: 'percent',
        commissionValue: 12_000,
      }),
    )
    expect(bad.code).toBe('validation')
    expect(bad.errors?.map((e) => e.path)).toEqual(['json.commissionValue'])
    const negative = await problemOf(
      await show.owner.put(`${show.base}/commission-rules`, {
        scopeKind: 'event',
        scopeId: show.eventId,
        kind: 'fixed',
        value: -1,
      }),
    )
    expect(negative.errors?.map((e) => e.path)).toEqual(['json.value'])
    const other = await showOnSale(gridChart(1, 4))
    const kol = await distributor(show)
    const foreign = await problemOf(
      await show.owner.post(`${show.base}/distributors/${kol.id}/links`, {
        targetKind: 'event',
        targetId: other.eventId,
      }),
    )
    expect(foreign.code).toBe('not_found')
  })

  it('shows the signed-in distributor their links, clicks, orders and commission by state', async () => {
    seat = 0
    const show = await showOnSale(gridChart(1, 10))
    const kol = await distributor(show)
    const buyer = new ApiClient()
    await ok(buyer.post('/api/distribution/clicks', { ref: kol.ref }), 201)
    const order = await buy(show, buyer, 2)
    // The distributor signs in to the shop with the contact the organizer linked (a one-time code).
    const me = new ApiClient()
    const dev = new ApiClient(undefined, { ENVIRONMENT: 'development' })
    expect((await dev.post('/api/customer/auth/code', { contact: kol.contact })).status).toBe(202)
    const subject = await env.DB.prepare(
      'SELECT subject FROM outgoing_messages WHERE "to" = ? ORDER BY created_at DESC, id DESC LIMIT 1',
    )
      .bind(kol.contact)
      .first<string>('subject')
    await ok(
      me.post('/api/customer/auth/verify', { contact: kol.contact, code: subject!.match(/(\d{6})$/)![1] }),
    )
    const page = await ok(me.get('/api/distribution/me'))
    expect(page.items).toHaveLength(1)
    expect(page.items[0]).toMatchObject({
      distributor: { id: kol.id, name: '小红书达人' },
      orders: 1,
      totals: { pending: 2000, payable: 0, paid: 0, reversed: 0 },
    })
    expect(page.items[0].links).toEqual([
      expect.objectContaining({ ref: kol.ref, clicks: 1, targetName: 'Gala' }),
    ])
    expect(page.items[0].statements[0].orders).toEqual([
      expect.objectContaining({ number: order.number, commission: 2000, state: 'pending' }),
    ])
    // A buyer who is not signed in sees nothing.
    expect((await problemOf(await buyer.get('/api/distribution/me'))).code).toBe('unauthorized')
  })
})
