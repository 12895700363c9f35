// Bench-only: `orders-service`, the money path at the service layer inside workerd (no HTTP): buyers hold a seat
// through the show actor's coalescing queue, then the orders service creates the order, a signed sandbox payment
// notification is verified and handled, the order is confirmed and its tickets issued. Beside it, in the same
// run, the D1-only ceiling: every statement and batch those orders sent to D1, captured on the way, replayed
// against a fresh database by as many concurrent callers in the same order.
import { HoldQueue } from '../../durable-objects/shared/hold-queue.ts'
import type { ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'
import { openDatabase } from '../../worker/db/client.ts'
import { readOutcomeLine, splitOutcomeLines } from '../../worker/domain/hold-lines.ts'
import type { Bindings } from '../../worker/env.ts'
import { jsonLogger } from '../../worker/middleware/logger.ts'
import { deliverDueMessages } from '../../worker/services/messages/outbox.ts'
import {
  createOrderFromHold,
  handlePaymentEvent,
  type OrderServices,
} from '../../worker/services/orders/index.ts'
import { sandboxProvider, signSandboxNotification } from '../../worker/services/payments/sandbox.ts'
import { checkoutDiscountProviders } from '../../worker/services/promotions/providers.ts'
import { publishOutbox } from '../../worker/services/webhooks/outbox-publisher.ts'
import type { BenchShowInventory } from './bench-show-inventory.ts'
import { type RecordedCall, RecordingD1, replayCall } from './d1-recorder.ts'
import { percentile } from './percentile.ts'

export interface OrdersBenchEnv {
  DB: D1Database
  /** A second, empty database with the same migrations: the ceiling replays the captured statements into it. */
  CEILING_DB: D1Database
  SHOW_INVENTORY: DurableObjectNamespace<BenchShowInventory>
}

/** Buyers at once (the HTTP money path runs 32 clients). */
export const ORDER_BUYERS = 32
const STEPS = ['hold', 'create', 'notify'] as const
type Step = (typeof STEPS)[number]

/** Times every RPC to the show's actor, by the step the caller was in (the orders service reaches it by name). */
function timedShows(
  namespace: DurableObjectNamespace<BenchShowInventory>,
  stepOf: () => string,
  sink: { step: string; method: string; ms: number }[],
): DurableObjectNamespace<BenchShowInventory> {
  return new Proxy(namespace, {
    get(target, key) {
      if (key !== 'get') return Reflect.get(target, key).bind(target)
      return (id: DurableObjectId) => {
        const stub = target.get(id) as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
        return new Proxy(
          {},
          {
            get(_, method: string) {
              return async (...args: unknown[]) => {
                const step = stepOf()
                const t0 = performance.now()
                try {
                  return await stub[method]!(...args)
                } finally {
                  sink.push({ step, method, ms: performance.now() - t0 })
                }
              }
            },
          },
        )
      }
    },
  })
}

const round1 = (n: number) => Math.round(n * 10) / 10

export async function ordersService(
  env: OrdersBenchEnv,
  seconds: number,
  setup: (db: D1Database) => Promise<{ showId: string }>,
) {
  // The fixture is written through a recorder too, so the ceiling's database gets the same rows (untimed).
  const fixture = new RecordingD1(env.DB)
  const { showId } = await setup(fixture.asD1())
  for (const call of fixture.calls) await replayCall(env.CEILING_DB, call)
  const show = env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
  await show.availability(showId)
  const queue = new HoldQueue<ShowHoldRequest, string>(async (requests) =>
    splitOutcomeLines(await show.holdBatchLines(showId, JSON.stringify(requests)), requests.length),
  )
  const secret = 'bench-sandbox-secret'
  const provider = sandboxProvider(secret)
  const logger = jsonLogger({ component: 'bench' })
  const actorCalls: { step: string; method: string; ms: number }[] = []
  const flows = Array.from({ length: ORDER_BUYERS }, (_, i) => {
    const recorder = new RecordingD1(env.DB)
    const services: OrderServices = {
      env: {
        ...env,
        DB: recorder.asD1(),
        SHOW_INVENTORY: timedShows(env.SHOW_INVENTORY, () => recorder.step, actorCalls),
      } as unknown as Bindings,
      db: openDatabase(recorder.asD1()),
      logger,
      payments: provider,
      discounts: checkoutDiscountProviders,
    }
    return { caller: i, recorder, services, completedCalls: 0, stepMs: new Map<Step, number>() }
  })
  const latencies: number[] = []
  let confirmed = 0
  let failed = 0
  const failures = new Map<string, number>()
  const started = performance.now()
  const deadline = started + seconds * 1000
  await Promise.all(
    flows.map(async (flow) => {
      for (let n = 0; performance.now() < deadline; n++) {
        // A buyer per order: the show's per-buyer ticket limit would otherwise stop a caller after a few.
        const buyerId = `byr_b${flow.caller}x${n}`
        const t0 = performance.now()
        const timed = async <T>(step: Step, work: () => Promise<T>) => {
          flow.recorder.step = step
          const s0 = performance.now()
          try {
            return await work()
          } finally {
            flow.stepMs.set(step, (flow.stepMs.get(step) ?? 0) + performance.now() - s0)
          }
        }
        try {
          const line = await timed('hold', () =>
            queue.hold({ holderId: buyerId, best: { category: 'A', quantity: 1 } }),
          )
          const answer = readOutcomeLine(line)
          if (!answer.ok) throw new Error(`hold refused: ${line.slice(0, 80)}`)
          const holdId = (JSON.parse(answer.holdJson) as { id: string }).id
          const created = await timed('create', () =>
            createOrderFromHold(
              flow.services,
              { kind: 'show', showId, holdId, buyerId, email: 'bench@example.com', channel: 'web' },
              'http://bench.local',
            ),
          )
          const status = await timed('notify', async () => {
            // What the sandbox provider's webhook does: sign, verify the signature, handle the event once.
            const body = JSON.stringify({
              id: `sbx_evt_${crypto.randomUUID()}`,
              type: 'payment.succeeded',
              paymentId: created.paymentId,
              amount: created.amountDue,
            })
            const signature = await signSandboxNotification(secret, body)
            const verified = await provider.verifyNotification(
              body,
              new Headers({ 'x-sandbox-signature': signature }),
            )
            if (!verified.valid || !verified.event) throw new Error('notification refused')
            await handlePaymentEvent(flow.services, verified.event)
            const row = await flow.services.db.query.orders.findFirst({
              columns: { status: true },
              where: (o, { eq }) => eq(o.id, created.orderId),
            })
            return row?.status
          })
          if (status !== 'paid') throw new Error(`order ended ${status}`)
          confirmed++
          flow.completedCalls = flow.recorder.calls.length
          latencies.push(performance.now() - t0)
        } catch (error) {
          failed++
          const key = error instanceof Error ? error.message.slice(0, 60) : String(error)
          failures.set(key, (failures.get(key) ?? 0) + 1)
        }
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)

  // The ceiling: each buyer's D1 calls up to its last confirmed order, in order, against the fresh database.
  const replays = flows.map((flow) => flow.recorder.calls.slice(0, flow.completedCalls))
  let replayErrors = 0
  const r0 = performance.now()
  await Promise.all(
    replays.map(async (calls) => {
      for (const call of calls) if (!(await replayCall(env.CEILING_DB, call))) replayErrors++
    }),
  )
  const replaySeconds = (performance.now() - r0) / 1000

  // The profile, per confirmed order: D1 calls (single statements and batches), statements, time in D1 and in
  // the show's actor, by step.
  const calls: RecordedCall[] = replays.flat()
  const per = (n: number) => round1(n / Math.max(1, confirmed))
  const profile = Object.fromEntries(
    STEPS.map((step) => {
      const mine = calls.filter((c) => c.step === step)
      const batches = mine.filter((c) => c.kind === 'batch')
      const actor = actorCalls.filter((c) => c.step === step)
      return [
        step,
        {
          msPerOrder: per(flows.reduce((t, f) => t + (f.stepMs.get(step) ?? 0), 0)),
          d1CallsPerOrder: per(mine.length),
          batchesPerOrder: per(batches.length),
          statementsPerOrder: per(
            mine.reduce((n, c) => n + (c.kind === 'batch' ? c.statements.length : 1), 0),
          ),
          d1MsPerOrder: per(mine.reduce((t, c) => t + c.ms, 0)),
          actorCallsPerOrder: per(actor.length),
          actorMsPerOrder: per(actor.reduce((t, c) => t + c.ms, 0)),
          actorMethods: [...new Set(actor.map((c) => c.method))],
        },
      ]
    }),
  )
  // What runs after the request: the outbox publisher over the events these orders queued (no webhook endpoints,
  // so this is the order-event subscribers and the publisher's own reads and marks).
  const publisherDb = new RecordingD1(env.DB)
  const p0 = performance.now()
  let published = 0
  const noQueue = { send: async () => undefined, sendBatch: async () => undefined }
  let publisherError: string | undefined
  try {
    for (let i = 0; i < 1000; i++) {
      const run = await publishOutbox(openDatabase(publisherDb.asD1()), noQueue)
      if (run.events === 0) break
      published += run.events
    }
  } catch (error) {
    publisherError = String(error).slice(0, 200)
  }
  const publisherSeconds = (performance.now() - p0) / 1000
  // Then the buyers' messages those subscribers wrote leave, as after each publisher run (the dev mailbox).
  const deliveryDb = new RecordingD1(env.DB)
  let delivered = 0
  let deliveryError: string | undefined
  try {
    const tally = await deliverDueMessages({
      db: openDatabase(deliveryDb.asD1()),
      logger,
      settings: { ENVIRONMENT: 'development' },
      batches: 1000,
    })
    delivered = tally.sent
  } catch (error) {
    deliveryError = String(error).slice(0, 200)
  }
  /** Calls per confirmed order, by the statement's start (a batch by its statements'), most first. */
  const callShapes = (recorded: RecordedCall[]) => {
    const counts = new Map<string, number>()
    for (const c of recorded) {
      const key =
        c.kind === 'batch'
          ? `batch[${c.statements.length}] ${[...new Set(c.statements.map((x) => x.sql.slice(0, 40)))].join(' | ')}`
          : c.statement.sql.slice(0, 70)
      counts.set(key, (counts.get(key) ?? 0) + 1)
    }
    return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([k, n]) => [k, per(n)]))
  }
  const ordersPerSecond = round1(confirmed / elapsed)
  const ceilingPerSecond = round1(confirmed / replaySeconds)
  return {
    name: 'orders-service',
    layer: 'do',
    baseline: false,
    holdsPerSecond: Math.round(ordersPerSecond),
    ordersPerSecond,
    ceilingPerSecond,
    ratioToCeiling: Math.round((ceilingPerSecond / Math.max(0.1, ordersPerSecond)) * 100) / 100,
    buyers: ORDER_BUYERS,
    confirmed,
    failed,
    failures: Object.fromEntries(failures),
    replayErrors,
    replayedCalls: calls.length,
    p50Ms: round1(percentile(latencies, 50)),
    p99Ms: round1(percentile(latencies, 99)),
    oversold: 0,
    profile,
    // One order's D1 calls in order (step, kind, the statement's start): what the profile counts.
    oneOrder: flows[0]!.recorder.calls
      .slice(0, flows[0]!.completedCalls / Math.max(1, confirmed / flows.length))
      .map((c) =>
        [
          c.step,
          c.kind,
          c.kind === 'batch'
            ? c.statements.map((x) => x.sql.slice(0, 50)).join(' | ')
            : c.statement.sql.slice(0, 90),
        ].join(' '),
      ),
    publisher: {
      ...(publisherError ? { error: publisherError } : {}),
      events: published,
      eventsPerSecond: round1(published / Math.max(0.001, publisherSeconds)),
      d1CallsPerEvent: round1(publisherDb.calls.length / Math.max(1, published)),
      d1MsPerEvent: round1(publisherDb.calls.reduce((t, c) => t + c.ms, 0) / Math.max(1, published)),
      d1CallsPerOrder: per(publisherDb.calls.length),
      statementsPerOrder: per(
        publisherDb.calls.reduce((n, c) => n + (c.kind === 'batch' ? c.statements.length : 1), 0),
      ),
      calls: callShapes(publisherDb.calls),
    },
    delivery: {
      ...(deliveryError ? { error: deliveryError } : {}),
      sent: delivered,
      d1CallsPerOrder: per(deliveryDb.calls.length),
      calls: callShapes(deliveryDb.calls),
    },
    // Every D1 call an order costs: on the request (create, notify) and after it (publisher, messages).
    d1CallsPerOrder: round1(
      STEPS.reduce((n, step) => n + (profile[step]?.d1CallsPerOrder ?? 0), 0) +
        per(publisherDb.calls.length) +
        per(deliveryDb.calls.length),
    ),
  }
}
