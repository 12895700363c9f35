// `orders-http`: the money path end to end over HTTP (hold → order → sandbox payment → signed notification →
// confirmation and tickets) beside `GET /healthz` on the same server, the two alternating in rounds of one run so
// a change in the machine's speed falls on both alike. Target: at least one order confirmed per 6 /healthz.
import { randomBytes } from 'node:crypto'
import { connectProfiler } from './cpu-profile.ts'
import { percentile } from './percentile.ts'

type Load = (
  clients: number,
  seconds: number,
  request: () => Promise<Response>,
) => Promise<{ elapsed: number; latencies: number[]; statuses: Map<number, number> }>

/** Refusals of the run by problem code or status (a run that sells less should say why). */
async function refusal(res: Response, refusals: Map<string, number>): Promise<Response> {
  const text = await res.text()
  let code = `http_${res.status}`
  try {
    code = (JSON.parse(text) as { code?: string }).code ?? code
  } catch {}
  refusals.set(code, (refusals.get(code) ?? 0) + 1)
  return new Response(text, { status: res.status === 201 ? 409 : res.status })
}

/** Each step's round trips (ms) as the guest saw them: where an order's time goes over HTTP. */
type StepTimes = { hold: number[]; order: number[]; pay: number[] }

/** BENCH_ORDERS_STOP_AT=hold|order: each buyer stops after that step (what the steps before it cost alone). */
const STOP_AT = process.env.BENCH_ORDERS_STOP_AT

/**
 * How a buyer orders: `one-step`, an order that holds its own seats (`POST /api/orders` with `hold`, then pay), or
 * `hold-first`, the shop's seat-map path (hold, then order the hold, then pay). BENCH_ORDERS_FLOWS (default both,
 * in alternating rounds; the first is the scenario's headline figure).
 */
export type OrderFlow = 'one-step' | 'hold-first'
export const ORDER_FLOWS = (process.env.BENCH_ORDERS_FLOWS ?? 'one-step,hold-first')
  .split(',')
  .filter((f): f is OrderFlow => f === 'one-step' || f === 'hold-first')

/** One guest buyer's order, end to end; 201 when it ended paid. */
async function buyOnce(
  base: string,
  showId: string,
  address: string,
  flow: OrderFlow,
  refusals: Map<string, number>,
  steps: StepTimes,
): Promise<Response> {
  let cookie = ''
  let t0 = performance.now()
  const took = (step: keyof StepTimes) => {
    const now = performance.now()
    steps[step].push(now - t0)
    t0 = now
  }
  const call = async (path: string, body: unknown, extra: Record<string, string> = {}) => {
    const res = await fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'cf-connecting-ip': address, ...extra },
      body: JSON.stringify(body),
    })
    const set = res.headers.get('set-cookie')
    if (set) cookie = set.split(';')[0]!
    return res
  }
  const best = { best: { category: 'A', quantity: 1, allowSplit: true } }
  let what: { holdId: string } | { hold: typeof best } = { hold: best }
  if (flow === 'hold-first') {
    const hold = await call(`/api/shows/${showId}/holds`, best)
    took('hold')
    if (hold.status !== 201) return refusal(hold, refusals)
    if (STOP_AT === 'hold') return new Response('{}', { status: 201 })
    what = { holdId: ((await hold.json()) as { id: string }).id }
  }
  const order = await call(
    '/api/orders',
    { kind: 'show', showId, ...what, email: 'bench@example.com' },
    { 'idempotency-key': randomBytes(12).toString('hex') },
  )
  took('order')
  if (order.status !== 201) return refusal(order, refusals)
  if (STOP_AT === 'order') return new Response('{}', { status: 201 })
  const { paymentId } = (await order.json()) as { paymentId: string }
  const paid = await call(`/api/payments/sandbox/checkout/${paymentId}/complete`, { outcome: 'pay' })
  took('pay')
  if (paid.status !== 200) return refusal(paid, refusals)
  const result = (await paid.json()) as { status?: string }
  if (result.status !== 'paid')
    refusals.set(`ended_${result.status}`, (refusals.get(`ended_${result.status}`) ?? 0) + 1)
  return new Response(JSON.stringify(result), { status: result.status === 'paid' ? 201 : 409 })
}

export async function ordersOverHttp(
  base: string,
  showId: string,
  load: Load,
  options: {
    clients: number
    healthzClients: number
    seconds: number
    rounds: number
    address: () => string
    /** A CPU profile of the app's isolate over the order rounds (BENCH_PROFILE, cpu-profile.ts). */
    inspectorPort?: number
    /** CPU ms the app's processes used so far (process-cpu.ts): each round's CPU per request. */
    cpuMs?: () => { total: number; workerd: number }
  },
) {
  const profiler = options.inspectorPort ? await connectProfiler(options.inspectorPort) : undefined
  type Cpu = { total: number; workerd: number }
  type Run = Awaited<ReturnType<Load>>
  const healthz: Run[] = []
  const healthzCpu: Cpu = { total: 0, workerd: 0 }
  const flows = (ORDER_FLOWS.length ? ORDER_FLOWS : (['one-step'] as OrderFlow[])).map((flow) => ({
    flow,
    refusals: new Map<string, number>(),
    steps: { hold: [], order: [], pay: [] } as StepTimes,
    orders: [] as Run[],
    cpu: { total: 0, workerd: 0 } as Cpu,
  }))
  const measured = async <T>(into: Cpu, work: () => Promise<T>) => {
    const before = options.cpuMs?.()
    const result = await work()
    const after = options.cpuMs?.()
    if (before && after) {
      into.total += after.total - before.total
      into.workerd += after.workerd - before.workerd
    }
    return result
  }
  const settle = () => new Promise((r) => setTimeout(r, 1500))
  // What the outbox publisher's kicked runs did meanwhile (development counters; absent on older checkouts).
  const kickCounts = async () => {
    const res = await fetch(`${base}/api/dev/outbox-kicks`)
    return res.status === 200 ? ((await res.json()) as Record<string, number>) : null
  }
  const kicksBefore = await kickCounts()
  for (let round = 0; round < options.rounds; round++) {
    healthz.push(
      await measured(healthzCpu, async () => {
        const run = await load(options.healthzClients, options.seconds / options.rounds, () =>
          fetch(`${base}/healthz`),
        )
        if (options.cpuMs) await settle()
        return run
      }),
    )
    for (const [i, side] of flows.entries()) {
      // The profile is of the headline flow's rounds.
      if (i === 0) await profiler?.start()
      side.orders.push(
        await measured(side.cpu, async () => {
          const run = await load(options.clients, options.seconds / options.rounds, () =>
            buyOnce(base, showId, options.address(), side.flow, side.refusals, side.steps),
          )
          // The background work those orders started (the outbox publisher, queues) belongs to them too.
          if (profiler || options.cpuMs) await settle()
          return run
        }),
      )
      if (i === 0) await profiler?.stop()
    }
  }
  const kicksAfter = await kickCounts()
  const cpuProfile = profiler?.summary(60)
  profiler?.close()
  const rate = (rounds: Run[], status: number) => {
    const elapsed = rounds.reduce((t, r) => t + r.elapsed, 0)
    return rounds.reduce((n, r) => n + (r.statuses.get(status) ?? 0), 0) / elapsed
  }
  const answered = healthz.reduce((n, r) => n + (r.statuses.get(200) ?? 0), 0)
  const healthzPerSecond = Math.round(rate(healthz, 200))
  const perRequest = (ms: number, n: number) => Math.round((ms / Math.max(1, n)) * 100) / 100
  const p50 = (times: number[]) =>
    Math.round(
      percentile(
        [...times].sort((a, b) => a - b),
        50,
      ),
    )
  const summaries = flows.map(({ flow, orders, cpu, refusals, steps }) => {
    const latencies = orders.flatMap((r) => r.latencies).sort((a, b) => a - b)
    const ordersPerSecond = Math.round(rate(orders, 201) * 10) / 10
    const paid = orders.reduce((n, r) => n + (r.statuses.get(201) ?? 0), 0)
    // CPU of the app's processes per paid order (its rounds and 1.5 s after each, background work included) and
    // per /healthz: their ratio is how many /healthz one order's CPU pays for, whatever else the machine runs.
    const cpuPerRequest = options.cpuMs
      ? {
          cpuMsPerOrder: perRequest(cpu.total, paid),
          cpuMsPerHealthz: perRequest(healthzCpu.total, answered),
          workerdCpuMsPerOrder: perRequest(cpu.workerd, paid),
          workerdCpuMsPerHealthz: perRequest(healthzCpu.workerd, answered),
          cpuHealthzPerOrder:
            Math.round((cpu.total / Math.max(1, paid) / (healthzCpu.total / Math.max(1, answered))) * 10) /
            10,
        }
      : {}
    return {
      flow,
      ordersPerSecond,
      healthzPerSecond,
      healthzPerOrder: Math.round((healthzPerSecond / Math.max(0.1, ordersPerSecond)) * 10) / 10,
      rounds: orders.map((r, i) => ({
        ordersPerSecond: Math.round(((r.statuses.get(201) ?? 0) / r.elapsed) * 10) / 10,
        healthzPerSecond: Math.round((healthz[i]!.statuses.get(200) ?? 0) / healthz[i]!.elapsed),
      })),
      paid,
      ...cpuPerRequest,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      refusals: Object.fromEntries(refusals),
      stepsP50Ms: Object.fromEntries(
        Object.entries(steps).flatMap(([step, times]) => (times.length ? [[step, p50(times)]] : [])),
      ),
    }
  })
  const allPaid = summaries.reduce((n, f) => n + f.paid, 0)
  const kicked = (k: string) => (kicksAfter?.[k] ?? 0) - (kicksBefore?.[k] ?? 0)
  const per = (n: number, d: number) => Math.round((n / Math.max(1, d)) * 100) / 100
  // Over the orders of every flow (the publisher's runs serve them all).
  const publisher =
    kicksBefore && kicksAfter
      ? {
          runs: kicked('runs'),
          emptyRuns: kicked('emptyRuns'),
          eventsPerRun: per(kicked('events'), kicked('runs')),
          ordersPerRun: per(allPaid, kicked('runs')),
          d1CallsPerRun: per(kicked('d1Calls'), kicked('runs')),
          d1CallsPerOrder: per(kicked('d1Calls'), allPaid),
          deliveries: kicked('deliveries'),
          deliveriesSkipped: kicked('deliveriesSkipped'),
        }
      : undefined
  const [headline, ...others] = summaries
  return {
    ...(cpuProfile ? { cpuProfile } : {}),
    ...headline!,
    ...(publisher ? { publisher } : {}),
    // Each other flow's figures, measured in the same rounds beside the same /healthz.
    ...(others.length ? { otherFlows: Object.fromEntries(others.map((f) => [f.flow, f])) } : {}),
  }
}
