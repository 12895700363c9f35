import { and, asc, eq, inArray, isNull, lte, or } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { orders, outboxEvents, tickets, webhookDeliveries, webhookEndpoints } from '../../db/schema.ts'
import { commitGroup, groupsWithin } from '../../domain/group-commit.ts'
import { newId } from '../../ids.ts'
import { jsonLogger } from '../../middleware/logger.ts'
import { type OrderEventSubscriber, orderEventSubscribers } from '../order-events/index.ts'
import {
  type EventWrites,
  type PublishReads,
  publishReads,
  statementsOf,
  writeTogether,
} from '../order-events/subscriber.ts'
import { TICKETS_ISSUED_NOTICE } from '../orders/order-notices.ts'
import { enqueueDeliveries, type WebhookQueue } from './queue.ts'

type OutboxEvent = typeof outboxEvents.$inferSelect

/**
 * Events per run. D1 binds at most 100 parameters a query, and the largest query here binds one per event plus two:
 * 100 events a run failed on any backlog of 99 or more (seen in the orders bench, two events an order).
 */
const batchSize = 98
const log = jsonLogger({ component: 'outbox' })

/** The order an outbox event is about, from its payload (rebooking names the new order `to`). */
function orderIdOf(event: OutboxEvent): string | undefined {
  const p = event.payload
  const id = p.orderId ?? p.to
  return typeof id === 'string' ? id : undefined
}

/**
 * The sales channel an event belongs to: the writer's own `channel`, else the channel of the order (or of the
 * ticket's order) it names. Events about no order (prices, availability) have none and reach every endpoint.
 */
async function channelsOf(db: Database, events: OutboxEvent[]): Promise<Map<string, string | null>> {
  const orderIds = new Set<string>()
  const ticketIds = new Set<string>()
  for (const e of events) {
    if (e.channel) continue
    const orderId = orderIdOf(e)
    if (orderId) orderIds.add(orderId)
    else if (typeof e.payload.ticketId === 'string') ticketIds.add(e.payload.ticketId)
  }
  const ticketOrder = new Map<string, string>()
  if (ticketIds.size) {
    const rows = await db
      .select({ id: tickets.id, orderId: tickets.orderId })
      .from(tickets)
      .where(inArray(tickets.id, [...ticketIds]))
    for (const r of rows) {
      ticketOrder.set(r.id, r.orderId)
      orderIds.add(r.orderId)
    }
  }
  const orderChannel = new Map<string, string>()
  if (orderIds.size) {
    const rows = await db
      .select({ id: orders.id, channel: orders.channel })
      .from(orders)
      .where(inArray(orders.id, [...orderIds]))
    for (const r of rows) orderChannel.set(r.id, r.channel)
  }
  const result = new Map<string, string | null>()
  for (const e of events) {
    const ticketId = typeof e.payload.ticketId === 'string' ? e.payload.ticketId : undefined
    const orderId = orderIdOf(e) ?? (ticketId ? ticketOrder.get(ticketId) : undefined)
    result.set(e.id, e.channel ?? (orderId ? (orderChannel.get(orderId) ?? null) : null))
  }
  return result
}

export interface PublishResult {
  events: number
  deliveries: number
}

/**
 * Moves unpublished outbox events into one delivery row per subscribed endpoint and queues them.
 * Order matters for "never lost, never twice": deliveries are inserted idempotently (unique per event and
 * endpoint), messages are sent, and only then is the event marked published. A crash anywhere before the mark
 * means the next run repeats the work: the inserts are no-ops and the queue may get a message twice, which the
 * consumer drops because a message names the attempt it is for.
 */
export async function publishOutbox(
  db: Database,
  queue: WebhookQueue,
  now = new Date(),
  subscribers: readonly OrderEventSubscriber[] = orderEventSubscribers,
): Promise<PublishResult> {
  const events = await db
    .select()
    .from(outboxEvents)
    .where(isNull(outboxEvents.publishedAt))
    .orderBy(asc(outboxEvents.createdAt), asc(outboxEvents.id))
    .limit(batchSize)
  if (events.length === 0) return { events: 0, deliveries: 0 }

  const organizerIds = [...new Set(events.map((e) => e.organizerId).filter((id): id is string => !!id))]
  const endpoints = organizerIds.length
    ? await db
        .select()
        .from(webhookEndpoints)
        .where(and(inArray(webhookEndpoints.organizerId, organizerIds), eq(webhookEndpoints.enabled, true)))
    : []
  const channels = endpoints.length ? await channelsOf(db, events) : new Map<string, string | null>()

  const inserts = []
  for (const event of events) {
    const body = JSON.stringify({
      type: event.topic,
      timestamp: new Date(event.createdAt).toISOString(),
      // `eventId` is the webhook event's own id (receivers de-duplicate by it); no payload field may replace it.
      data: { ...event.payload, eventId: event.id },
    })
    const channel = channels.get(event.id) ?? null
    for (const endpoint of endpoints) {
      if (endpoint.organizerId !== event.organizerId) continue
      if (!endpoint.eventTypes.includes(event.topic)) continue
      // A channel endpoint (a partner's) sees only its own orders; events about no order go to everyone.
      if (endpoint.channel && channel && endpoint.channel !== channel) continue
      inserts.push(
        db
          .insert(webhookDeliveries)
          .values({
            id: newId('msg', now.getTime()),
            eventId: event.id,
            endpointId: endpoint.id,
            organizerId: endpoint.organizerId,
            eventType: event.topic,
            body,
            nextAttemptAt: now.toISOString(),
          })
          .onConflictDoNothing(),
      )
    }
  }
  for (let i = 0; i < inserts.length; i += 50) {
    const chunk = inserts.slice(i, i + 50)
    await db.batch(chunk as [(typeof chunk)[number], ...typeof chunk])
  }

  // Side effects subscribed to (points, commission, coupon uses); an event whose subscriber fails stays unpublished
  // and is tried again at the next run (its deliveries are already in, so they are not doubled).
  // The orders the events name, read once (on first use) for every subscriber.
  const reads = publishReads(
    db,
    events.map(orderIdOf).filter((id): id is string => !!id),
  )
  const failed = await runSubscribers(db, subscribers, events, reads)
  const eventIds = events.map((e) => e.id)
  // Everything of these events not yet attempted, including rows a crashed earlier run inserted but never sent.
  const unsent = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.eventId, eventIds),
        eq(webhookDeliveries.state, 'pending'),
        eq(webhookDeliveries.attempts, 0),
      ),
    )
  await enqueueDeliveries(
    queue,
    unsent.map((d) => ({ deliveryId: d.id, attempt: 0 })),
  )
  await db
    .update(outboxEvents)
    .set({ publishedAt: now.toISOString() })
    .where(
      and(
        inArray(
          outboxEvents.id,
          eventIds.filter((id) => !failed.has(id)),
        ),
        isNull(outboxEvents.publishedAt),
      ),
    )
  return { events: events.length, deliveries: unsent.length }
}

/**
 * The topics of an on-sale's bulk (every paid order writes one of each), whose planned subscribers' writes a run
 * holds and writes many events at a time. None of their subscribers reads what another writes for these topics
 * (each writes rows keyed on its own event or order), so holding the writes changes no answer; before an event of
 * any other topic (a refund reads the paid event's rollup rows) the held writes go first.
 */
const writtenTogether = new Set(['order.confirmed', TICKETS_ISSUED_NOTICE])

/**
 * Most statements in one D1 batch of held writes, a member never split: the members' own (an order's paid event
 * has ~5) and one per shared part, leaving room for the shared statements written once on top (16 for the paid
 * orders' analytics).
 */
const maxStatementsPerBatch = 200
const sharedRoom = 24

interface HeldWrites {
  event: OutboxEvent
  subscriber: string
  writes: EventWrites
}

/**
 * Runs each subscriber over the events of its topics, in order; returns the ids of events one of them failed on.
 * Planned subscribers of `writtenTogether` topics plan side by side (plans only read, so their order does not
 * matter, and their reads share D1 batches), hand back their writes, and the run writes many events' writes
 * in one D1 batch (their shared parts, the paid orders' analytics, once over all of them: `writeTogether`); if
 * that batch fails (a statement of one of them, or D1), nothing of it was written and each event's writes go
 * alone, so only the one that fails leaves its event unpublished.
 */
async function runSubscribers(
  db: Database,
  subscribers: readonly OrderEventSubscriber[],
  events: OutboxEvent[],
  reads: PublishReads,
): Promise<Set<string>> {
  const failed = new Set<string>()
  const fail = (event: OutboxEvent, subscriber: string, error: unknown) => {
    failed.add(event.id)
    log.error('order event subscriber failed; retried at the next run', {
      subscriber,
      eventId: event.id,
      topic: event.topic,
      error: error instanceof Error ? error.message : String(error),
    })
  }
  let held: HeldWrites[] = []
  const writeHeld = async () => {
    const sized = groupsWithin(held, (h) => statementsOf(h.writes), maxStatementsPerBatch - sharedRoom)
    for (const group of sized) {
      const outcome = await commitGroup(group, {
        together: (members) =>
          writeTogether(
            db,
            members.map((h) => h.writes),
          ),
        written: () => undefined,
        alone: (member) => writeTogether(db, [member.writes]),
      })
      outcome.answers.forEach((answer, i) => {
        if (!answer.ok) fail(group[i]!.event, group[i]!.subscriber, answer.error)
      })
    }
    held = []
  }
  for (let i = 0; i < events.length; ) {
    if (!writtenTogether.has(events[i]!.topic)) {
      const event = events[i++]!
      await writeHeld()
      for (const subscriber of subscribers) {
        if (!subscriber.topics.includes(event.topic)) continue
        await subscriber.handle(db, event, reads).catch((error) => fail(event, subscriber.name, error))
      }
      continue
    }
    // A stretch of events written together: their plans read side by side (the reads they ask for in the same
    // turn go to D1 as one batch), then the subscribers without a plan handle each event in order.
    let end = i
    while (end < events.length && writtenTogether.has(events[end]!.topic)) end++
    const stretch = events.slice(i, end)
    i = end
    const plans = await Promise.all(
      stretch.flatMap((event) =>
        subscribers
          .filter((s) => s.plan && s.topics.includes(event.topic))
          .map(async (subscriber) => {
            try {
              return { event, subscriber: subscriber.name, writes: await subscriber.plan!(db, event, reads) }
            } catch (error) {
              fail(event, subscriber.name, error)
              return null
            }
          }),
      ),
    )
    for (const event of stretch)
      for (const subscriber of subscribers) {
        if (subscriber.plan || !subscriber.topics.includes(event.topic)) continue
        await subscriber.handle(db, event, reads).catch((error) => fail(event, subscriber.name, error))
      }
    held.push(...plans.filter((plan): plan is HeldWrites => plan !== null))
  }
  await writeHeld()
  return failed
}

/**
 * Cron: queues retries whose wait was longer than a queue delay allows, and, as a safety net, anything due for
 * a while whose message was lost (a send that failed after the state was written).
 */
export async function enqueueDueRetries(
  db: Database,
  queue: WebhookQueue,
  now = new Date(),
): Promise<number> {
  const lostBefore = new Date(now.getTime() - 15 * 60_000).toISOString()
  // An attempt whose worker died mid-request never recorded its outcome: count it as failed and try again.
  await db
    .update(webhookDeliveries)
    .set({
      state: 'retrying',
      scheduledVia: 'cron',
      nextAttemptAt: now.toISOString(),
      lastError: 'the attempt was interrupted before its outcome was recorded',
    })
    .where(
      and(
        eq(webhookDeliveries.state, 'sending'),
        lte(webhookDeliveries.updatedAt, new Date(now.getTime() - 10 * 60_000).toISOString()),
      ),
    )
  const due = await db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.state, ['pending', 'retrying']),
        or(
          and(
            eq(webhookDeliveries.scheduledVia, 'cron'),
            lte(webhookDeliveries.nextAttemptAt, now.toISOString()),
          ),
          lte(webhookDeliveries.nextAttemptAt, lostBefore),
        ),
      ),
    )
    .limit(500)
  if (due.length === 0) return 0
  // Marked first: if the send then fails, the safety net above finds them again in 15 minutes.
  await db
    .update(webhookDeliveries)
    .set({ scheduledVia: 'queue', nextAttemptAt: now.toISOString(), updatedAt: now.toISOString() })
    .where(
      inArray(
        webhookDeliveries.id,
        due.map((d) => d.id),
      ),
    )
  await enqueueDeliveries(
    queue,
    due.map((d) => ({ deliveryId: d.id, attempt: d.attempts })),
  )
  return due.length
}
