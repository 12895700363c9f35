import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { ticketsIssuedSubscriber } from '../../../../worker/services/orders/order-notices.ts'
import { signSandboxNotification } from '../../../../worker/services/payments/sandbox.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import { ApiClient } from '../../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../../support/catalogue.ts'
import { inbox, messagesTo } from '../../../support/messages.ts'
import { postWithKey, sandboxPay } from '../../../support/orders.ts'

// The windows the faster order path opened, each raced or crashed here: the payment notification is recorded with
// the money (before the order is confirmed), a second order for a hold is refused by the batch itself (no read
// before it), and the confirmation message is sent by the outbox's subscriber (at least once, written once).

const db = openDatabase(env.DB)
const count = async (sql: string, ...params: unknown[]) =>
  (await env.DB.prepare(sql)
    .bind(...params)
    .first<number>('n'))!

async function heldOrder(seats = 1, email = 'buyer@example.com') {
  const show = await showOnSale(gridChart(1, 10))
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, seats) }),
    201,
  )
  return { show, buyer, hold, body: { kind: 'show', showId: show.showId, holdId: hold.id, email } }
}

describe('order path: the payment notification recorded with the money', () => {
  it('a retried notification finishes an order whose worker died right after recording the money', async () => {
    const { buyer, body } = await heldOrder(2)
    const created = await ok(postWithKey(buyer, '/api/orders', body), 201)
    const event = JSON.stringify({
      id: `evt_crash_${crypto.randomUUID()}`,
      type: 'payment.succeeded',
      paymentId: created.paymentId,
      amount: created.amountDue,
    })
    // The worker wrote the money and the notification in one batch, then died before confirming.
    await env.DB.batch([
      env.DB.prepare("UPDATE payments SET status = 'succeeded' WHERE id = ?").bind(created.paymentId),
      env.DB.prepare(
        "INSERT INTO payment_notifications (provider, event_id, order_id) VALUES ('sandbox', ?, ?)",
      ).bind(JSON.parse(event).id, created.orderId),
    ])
    expect((await ok(buyer.get(`/api/orders/${created.orderId}`))).status).toBe('pending')
    // The provider retries: the event is known, and the order is finished all the same.
    const signature = await signSandboxNotification('test-sandbox-payment-secret', event)
    const retry = await new ApiClient().fetch('/api/payments/sandbox/notify', {
      method: 'POST',
      headers: { 'x-sandbox-signature': signature },
      body: event,
    })
    expect(await ok(retry)).toEqual({ received: true, duplicate: true })
    const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
    expect(order.status).toBe('paid')
    expect(order.lines.map((l: { ticket: { status: string } | null }) => l.ticket?.status)).toEqual([
      'valid',
      'valid',
    ])
    expect(await count('SELECT count(*) AS n FROM tickets WHERE order_id = ?', created.orderId)).toBe(2)
    expect(
      await count(
        "SELECT count(*) AS n FROM audit_events WHERE order_id = ? AND action = 'order.paid'",
        created.orderId,
      ),
    ).toBe(1)
  })

  it('ten concurrent deliveries of one notification pay the order once: one set of tickets, one audit row', async () => {
    const { buyer, body } = await heldOrder(2)
    const created = await ok(postWithKey(buyer, '/api/orders', body), 201)
    const event = JSON.stringify({
      id: `evt_race_${crypto.randomUUID()}`,
      type: 'payment.succeeded',
      paymentId: created.paymentId,
      amount: created.amountDue,
    })
    const signature = await signSandboxNotification('test-sandbox-payment-secret', event)
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        new ApiClient().fetch('/api/payments/sandbox/notify', {
          method: 'POST',
          headers: { 'x-sandbox-signature': signature },
          body: event,
        }),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200))
    expect((await ok(buyer.get(`/api/orders/${created.orderId}`))).status).toBe('paid')
    expect(await count('SELECT count(*) AS n FROM tickets WHERE order_id = ?', created.orderId)).toBe(2)
    expect(
      await count(
        "SELECT count(*) AS n FROM audit_events WHERE order_id = ? AND action = 'order.paid'",
        created.orderId,
      ),
    ).toBe(1)
    expect(
      await count('SELECT count(*) AS n FROM payment_notifications WHERE order_id = ?', created.orderId),
    ).toBe(1)
  })
})

describe('order path: one order per hold, refused by the batch', () => {
  it('of eight concurrent orders for one hold (different keys) exactly one is created; the rest are told which', async () => {
    const { buyer, body } = await heldOrder(1)
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postWithKey(buyer, '/api/orders', body)),
    )
    const created = answers.filter((a) => a.status === 201)
    expect(created).toHaveLength(1)
    const { orderId } = (await created[0]!.json()) as { orderId: string }
    const refused = await Promise.all(answers.filter((a) => a.status !== 201).map((a) => a.json()))
    expect(refused).toHaveLength(7)
    for (const problem of refused) expect(problem).toMatchObject({ status: 409, code: 'conflict', orderId })
    expect(await count('SELECT count(*) AS n FROM orders WHERE hold_id = ?', body.holdId)).toBe(1)
    expect(await count('SELECT count(*) AS n FROM payments WHERE order_id = ?', orderId)).toBe(1)
  })
})

describe('order path: the confirmation message from the outbox', () => {
  it('is sent once however often its event is handled, and only after the order is paid', async () => {
    const email = inbox('outbox-once')
    const { buyer, body } = await heldOrder(1, email)
    const created = await ok(postWithKey(buyer, '/api/orders', body), 201)
    await sandboxPay(buyer, created.paymentId)
    const eventId = `evt_${created.orderId}_tickets_told`
    const event = await env.DB.prepare(
      'SELECT id, topic, organizer_id AS organizerId, payload, created_at AS createdAt FROM outbox_events WHERE id = ?',
    )
      .bind(eventId)
      .first<{ id: string; topic: string; organizerId: string; payload: string; createdAt: string }>()
    expect(event?.topic).toBe('buyer.tickets_issued')
    // Two publishers at once (the request's and the cron's), then the subscriber once more (a crash before the mark).
    await Promise.all([publishOutbox(db, env.WEBHOOK_QUEUE), publishOutbox(db, env.WEBHOOK_QUEUE)])
    await ticketsIssuedSubscriber.handle(db, { ...event!, payload: JSON.parse(event!.payload) })
    const sent = await messagesTo(email)
    expect(sent).toHaveLength(1)
    expect(sent[0]!.subject).toContain(created.order.number)
  })

  it('a payment that fails queues no confirmation', async () => {
    const email = inbox('outbox-failed')
    const { buyer, body } = await heldOrder(1, email)
    const created = await ok(postWithKey(buyer, '/api/orders', body), 201)
    await sandboxPay(buyer, created.paymentId, 'fail')
    expect(
      await count(
        "SELECT count(*) AS n FROM outbox_events WHERE topic = 'buyer.tickets_issued' AND json_extract(payload, '$.orderId') = ?",
        created.orderId,
      ),
    ).toBe(0)
    expect(await messagesTo(email)).toEqual([])
  })
})
