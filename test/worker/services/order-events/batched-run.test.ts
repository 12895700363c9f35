// A publisher run writes its planned subscribers' writes for many events at once (issue 22): the same rows as
// handling each event alone, nothing more on a replay, and a subscriber that fails leaves its event for the next run.
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { newId } from '../../../../worker/ids.ts'
import {
  type OrderEvent,
  type OrderEventSubscriber,
  orderEventSubscribers,
} from '../../../../worker/services/order-events/index.ts'
import { noWrites, planned } from '../../../../worker/services/order-events/subscriber.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import type { WebhookQueue } from '../../../../worker/services/webhooks/queue.ts'
import { RecordingD1 } from '../../../bench/d1-recorder.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, scenicSiteOnSale, showOnSale } from '../../../support/catalogue.ts'
import { payForHold } from '../../../support/orders.ts'

const db = openDatabase(env.DB)
const queue: WebhookQueue = { send: async () => {}, sendBatch: async () => {} }

/** Publishes everything unpublished (the fixtures' own events), so a run below sees only the events made here. */
async function drain() {
  while ((await publishOutbox(db, queue)).events > 0) {}
  // A run the fixtures' requests started in the background may still be finishing; then nothing is left.
  await new Promise((resolve) => setTimeout(resolve, 300))
  while ((await publishOutbox(db, queue)).events > 0) {}
}

/** Paid show orders over HTTP (two seats each), on one show of a fresh organizer. */
async function paidShowOrders(n: number) {
  const show = await showOnSale(gridChart(2, 10))
  const orderIds: string[] = []
  for (let i = 0; i < n; i++) {
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(2 * i, 2 * i + 2) }),
      201,
    )
    const order = await payForHold(buyer, { kind: 'show', showId: show.showId, holdId: hold.id })
    orderIds.push(order.id)
  }
  return { organizerId: show.organizerId, orderIds }
}

/** A paid scenic order written straight to D1 (the shape the orders module writes), with these products. */
async function paidScenicOrder(
  site: { organizerId: string; siteId: string; date: string },
  products: string[],
  buyerId?: string,
) {
  const id = `ord_${crypto.randomUUID()}`
  const now = new Date().toISOString()
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO orders (id, number, organizer_id, buyer_id, kind, site_id, visit_date, hold_id, channel, status,
         total, currency, expires_at, paid_at) VALUES (?, ?, ?, ?, 'scenic', ?, ?, ?, 'web', 'paid', ?, 'CNY', ?, ?)`,
    ).bind(
      id,
      id,
      site.organizerId,
      buyerId ?? `byr_${id}`,
      site.siteId,
      site.date,
      `hld_${id}`,
      products.length * 1000,
      now,
      now,
    ),
    ...products.map((productId, i) =>
      env.DB.prepare(
        `INSERT INTO order_lines (id, order_id, inventory_ref, description, product_id, slot, price, status)
         VALUES (?, ?, ?, 'visit', ?, '09:00', 1000, 'active')`,
      ).bind(`${id}_l${i}`, id, `inv_${id}_${i}`, productId),
    ),
  ])
  return id
}

/**
 * A paid order's two events (as the confirmation writes them), under fresh ids. A run takes events by time, then
 * id (random within a millisecond): `at` orders them when the test needs it.
 */
function eventsOf(organizerId: string, orderIds: string[], at = new Date()): OrderEvent[] {
  const createdAt = at.toISOString()
  return orderIds.flatMap((orderId) => [
    { id: newId('evt'), topic: 'order.confirmed', organizerId, payload: { orderId }, createdAt },
    {
      id: newId('evt'),
      topic: 'buyer.tickets_issued',
      organizerId,
      payload: { orderId, paid: 1 },
      createdAt,
    },
  ])
}

async function queueEvents(events: OrderEvent[]) {
  for (const e of events)
    await env.DB.prepare(
      'INSERT INTO outbox_events (id, topic, organizer_id, payload, created_at) VALUES (?, ?, ?, ?, ?)',
    )
      .bind(e.id, e.topic, e.organizerId, JSON.stringify(e.payload), e.createdAt)
      .run()
}

/** Two visitors staged for each order's hold (as a real-name hold's capture stages them), folded in by its paid event. */
async function stageVisitors(orderIds: string[]) {
  for (const orderId of orderIds)
    await env.DB.prepare(
      `INSERT INTO analytics_pending_visitors (hold_id, position, province, city, age_band)
       SELECT hold_id, p.value, '浙江', '杭州', '18-24' FROM orders, json_each('[0, 1]') p WHERE orders.id = ?
       ON CONFLICT DO NOTHING`,
    )
      .bind(orderId)
      .run()
}

/** The per-report rollups compared below, with their measures (every other column is the key). */
const reportTables = [
  'analytics_sales_daily',
  'analytics_sales_monthly',
  'analytics_traffic_daily',
  'analytics_traffic_monthly',
  'analytics_buyer_type_daily',
  'analytics_buyer_type_monthly',
  'analytics_visitor_daily',
  'analytics_visitor_monthly',
]
const measures = new Set(['events', 'orders', 'tickets', 'amount', 'visitors'])

const rows = async (sql: string, ...params: unknown[]) =>
  (
    await env.DB.prepare(sql)
      .bind(...params)
      .all<Record<string, unknown>>()
  ).results

/**
 * What the subscribers wrote for these organizers' orders, as numbers by key: every rollup counter, the paid
 * events by order and part, the buyers' messages by order. A delta of two snapshots is what a run added.
 */
async function snapshot(organizerIds: string[], orderIds: string[]) {
  const orgs = organizerIds.map(() => '?').join(', ')
  const ords = orderIds.map(() => '?').join(', ')
  const counts = new Map<string, number>()
  const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n)
  for (const r of await rows(
    `SELECT * FROM analytics_daily WHERE organizer_id IN (${orgs})`,
    ...organizerIds,
  )) {
    const { events, orders, tickets, amount, ...key } = r
    for (const [name, n] of Object.entries({ events, orders, tickets, amount }))
      add(`daily ${JSON.stringify(key)} ${name}`, Number(n))
  }
  for (const table of reportTables)
    for (const r of await rows(`SELECT * FROM ${table} WHERE organizer_id IN (${orgs})`, ...organizerIds)) {
      const key = JSON.stringify(Object.entries(r).filter(([column]) => !measures.has(column)))
      for (const [column, n] of Object.entries(r))
        if (measures.has(column)) add(`${table} ${key} ${column}`, Number(n))
    }
  for (const r of await rows(
    `SELECT * FROM analytics_attendance_daily WHERE organizer_id IN (${orgs})`,
    ...organizerIds,
  ))
    add(`attendance ${r.show_id}${r.site_id} ${r.visit_day}`, Number(r.sold))
  for (const table of ['analytics_secondary_daily', 'analytics_copurchase_daily'])
    for (const r of await rows(`SELECT * FROM ${table} WHERE organizer_id IN (${orgs})`, ...organizerIds)) {
      const { tickets, orders, ...key } = r
      add(`${table} ${JSON.stringify(key)}`, Number(tickets ?? orders))
    }
  for (const r of await rows(
    `SELECT * FROM analytics_order_products WHERE order_id IN (${ords})`,
    ...orderIds,
  ))
    add(`order product ${r.order_id} ${r.product_id} ${r.slot}`, Number(r.tickets))
  for (const r of await rows(
    `SELECT * FROM analytics_events WHERE kind = 'paid' AND order_id IN (${ords})`,
    ...orderIds,
  ))
    add(
      `paid ${r.order_id} part ${String(r.id).split(':')[2]} ${r.product_id}${r.category} ${r.day} ${r.buyer_type} ${r.source} ${r.device}`,
      Number(r.amount) * 1000 + Number(r.tickets),
    )
  for (const r of await rows(
    `SELECT o.id AS order_id, m.* FROM outgoing_messages m JOIN outbox_events e ON m.id = 'msg_' || e.id
       JOIN orders o ON o.id = json_extract(e.payload, '$.orderId') WHERE o.id IN (${ords})`,
    ...orderIds,
  ))
    add(`message ${r.order_id} ${r.to} ${r.kind} ${r.locale} ${r.status} ${r.subject} ${r.body}`, 1)
  return counts
}

const delta = (before: Map<string, number>, after: Map<string, number>) =>
  Object.fromEntries(
    [...new Set([...before.keys(), ...after.keys()])]
      .map((k) => [k, (after.get(k) ?? 0) - (before.get(k) ?? 0)] as const)
      .filter(([, n]) => n !== 0)
      .sort(([a], [b]) => a.localeCompare(b)),
  )

const published = async (ids: string[]) =>
  (
    await rows(
      `SELECT id FROM outbox_events WHERE published_at IS NOT NULL AND id IN (${ids.map(() => '?').join(', ')})`,
      ...ids,
    )
  ).map((r) => r.id as string)

describe('a publisher run writes many events’ subscriber writes at once', () => {
  it('adds what handling each event alone adds, nothing on a replay, and keeps a failed event for retry', async () => {
    const shows = await paidShowOrders(3)
    const site = await scenicSiteOnSale()
    const scenic = [
      await paidScenicOrder(site, [site.gateProduct, site.cableCarProduct]),
      await paidScenicOrder(site, [site.gateProduct, site.gateProduct, site.childProduct]),
    ]
    // The scenic orders' first paid events, as their confirmation would have written them.
    await queueEvents(eventsOf(site.organizerId, scenic))
    await drain()
    // Two orders of one buyer never counted before: the run's first is the buyer's first ('new'), the second is
    // 'returning', as when each event is handled alone.
    const buyer = `byr_${crypto.randomUUID()}`
    const twice = [
      await paidScenicOrder(site, [site.gateProduct], buyer),
      await paidScenicOrder(site, [site.gateProduct, site.cableCarProduct], buyer),
    ]
    const organizers = [shows.organizerId, site.organizerId]
    const orderIds = [...shows.orderIds, ...scenic, ...twice]
    const eventsOfAll = () => {
      const later = (ms: number) => new Date(Date.now() + ms)
      return [
        ...eventsOf(shows.organizerId, shows.orderIds),
        ...eventsOf(site.organizerId, scenic),
        ...eventsOf(site.organizerId, [twice[0]!], later(1)),
        ...eventsOf(site.organizerId, [twice[1]!], later(2)),
      ]
    }
    const batchEvents = eventsOfAll()
    const soloEvents = eventsOfAll()

    // Once under new event ids through a run (batched), once more under other ids, each subscriber alone.
    const s0 = await snapshot(organizers, orderIds)
    await stageVisitors(orderIds)
    await queueEvents(batchEvents)
    const run = await publishOutbox(db, queue)
    expect(run.events).toBe(batchEvents.length)
    const s1 = await snapshot(organizers, orderIds)
    await stageVisitors(orderIds)
    for (const event of soloEvents) {
      await queueEvents([event])
      for (const subscriber of orderEventSubscribers)
        if (subscriber.topics.includes(event.topic)) await subscriber.handle(db, event)
      await env.DB.prepare('UPDATE outbox_events SET published_at = ? WHERE id = ?')
        .bind(new Date().toISOString(), event.id)
        .run()
    }
    const s2 = await snapshot(organizers, orderIds)
    const batched = delta(s0, s1)
    const alone = delta(s1, s2)
    // Per order: its paid part(s), attendance, 二消 and co-purchase counts; a message per show order (email).
    expect(Object.keys(batched).filter((k) => k.startsWith('message ')).length).toBe(3)
    expect(Object.keys(batched).filter((k) => k.startsWith('paid ')).length).toBeGreaterThanOrEqual(7)
    expect(Object.keys(batched).some((k) => k.startsWith('analytics_copurchase_daily'))).toBe(true)
    for (const table of reportTables)
      expect(Object.keys(batched).some((k) => k.startsWith(`${table} `))).toBe(true)
    const buyerTypeOf = (id: string) =>
      Object.keys(batched)
        .find((k) => k.startsWith(`paid ${id} part 0 `))
        ?.split(' ')[6]
    expect(twice.map(buyerTypeOf)).toEqual(['new', 'returning'])
    expect(Object.values(batched).every((n) => n > 0)).toBe(true)
    // Messages are keyed by event: the alone run's are its own rows, the same text.
    expect(alone).toEqual(batched)

    // A replayed run (the events unpublished again, as after a crash before the mark) adds nothing.
    await env.DB.prepare(
      `UPDATE outbox_events SET published_at = NULL WHERE id IN (${batchEvents.map(() => '?').join(', ')})`,
    )
      .bind(...batchEvents.map((e) => e.id))
      .run()
    expect((await publishOutbox(db, queue)).events).toBe(batchEvents.length)
    expect(delta(s2, await snapshot(organizers, orderIds))).toEqual({})

    // A subscriber whose write fails for one event, and one whose plan throws for another: those two events
    // stay unpublished, every other event (and the other subscribers' writes of those two) is written.
    const retryEvents = eventsOf(shows.organizerId, shows.orderIds)
    const [failing, throwing] = [retryEvents[0]!, retryEvents[2]!]
    const flaky: OrderEventSubscriber = planned({
      name: 'test.flaky',
      topics: ['order.confirmed'],
      async plan(_db, event) {
        if (event.id === throwing.id) throw new Error('cannot plan this one')
        if (event.id === failing.id)
          return { writes: [{ sql: 'INSERT INTO no_such_table VALUES (1)', params: [] }] }
        return noWrites
      },
    })
    await queueEvents(retryEvents)
    await stageVisitors(shows.orderIds)
    const s3 = await snapshot(organizers, orderIds)
    await publishOutbox(db, queue, new Date(), [...orderEventSubscribers, flaky])
    const ids = retryEvents.map((e) => e.id)
    expect(new Set(await published(ids))).toEqual(
      new Set(ids.filter((id) => id !== failing.id && id !== throwing.id)),
    )
    const s4 = await snapshot(organizers, orderIds)
    // The next run (the flaky subscriber mended) publishes both and adds nothing twice: in all, one more of each.
    await publishOutbox(db, queue)
    expect(new Set(await published(ids))).toEqual(new Set(ids))
    const s5 = await snapshot(organizers, orderIds)
    expect(delta(s4, s5)).toEqual({})
    const retried = delta(s3, s5)
    const showOnly = (d: Record<string, number>) =>
      Object.fromEntries(
        Object.entries(d).filter(
          ([k]) =>
            !k.includes(site.organizerId) &&
            !k.includes(site.siteId) &&
            ![...scenic, ...twice].some((id) => k.includes(id)),
        ),
      )
    expect(Object.keys(retried).filter((k) => k.startsWith('message ')).length).toBe(3)
    expect(retried).toEqual(showOnly(batched))
  })

  it('reads and writes a run’s orders in D1 calls that do not grow with the orders, and statements that grow little', async () => {
    const sent = async (orders: number) => {
      const { organizerId, orderIds } = await paidShowOrders(orders)
      await drain()
      await queueEvents(eventsOf(organizerId, orderIds))
      const recorder = new RecordingD1(env.DB)
      expect((await publishOutbox(openDatabase(recorder.asD1()), queue)).events).toBe(2 * orders)
      const statements = recorder.calls.reduce(
        (n, c) => n + (c.kind === 'batch' ? c.statements.length : 1),
        0,
      )
      return { calls: recorder.calls.length, statements }
    }
    const { calls: two, statements: twoStatements } = await sent(2)
    const { calls: six, statements: sixStatements } = await sent(6)
    // Before: ~17 calls an order in the subscribers (order, lines, show, zone, captured event, attribution,
    // window, clicks, seats, sections, the writes …), so 34 against 102. Now 11 a run: events, endpoints, orders,
    // one batch of the plans' reads, seats' places, sections, the show line, the writes, deliveries, the mark.
    expect(six).toBe(two)
    expect(six).toBeLessThanOrEqual(12)
    // Before: the analytics statements (raw insert, buyers, visitors, rollups, mark: 16 a paid show order) were
    // written once per order, ~20 statements an order in all. Now they go once per run over all its orders' rows,
    // and an order adds only its own few (scenic applied/attendance/done, the buyer's message).
    expect(sixStatements - twoStatements).toBeLessThanOrEqual(4 * 5)
  })
})
