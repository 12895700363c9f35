// `npm run bench`: measures the inventory layer and the HTTP path on the real local stack (workerd via
// wrangler dev, local D1 and SQLite-backed Durable Objects) and writes bench-results.json.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, openSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminOverHttp, gridShowOnSale } from '../support/admin-over-http.ts'
import { CAPTURE_PORT, captureScenarios } from './bench-capture.ts'
import { ordersOverHttp } from './bench-orders-http.ts'
import { promotionOrders } from './bench-promotions.ts'
import { reportScenarios } from './bench-reports.ts'
import { printScenicReports, scenicReportScenarios } from './bench-reports-scenic.ts'
import { type GateScenario, gateLayer, printGate } from './gate-decision.ts'
import { percentile } from './percentile.ts'
import { treeCpuMs } from './process-cpu.ts'
import { seatMapAnswer, showActorHeap } from './show-heap-probe.ts'
import { GIVE_UP_SECONDS, SELL_OUT_CAP_SECONDS } from './stadium-crowd.ts'
import { stadiumOverProcesses } from './stadium-harness.ts'

const env = { ...process.env, WRANGLER_SEND_METRICS: 'false' }
const wrangler = 'node_modules/.bin/wrangler'
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200)
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5)
/** Seats in each benchmark show: enough that the coalesced show does not sell out long before the window ends. */
const SEATS = Number(process.env.BENCH_SEATS ?? 400_000)
/** The DO layer's server port (BENCH_DO_PORT: another checkout's bench may hold 8790). */
const DO_PORT = Number(process.env.BENCH_DO_PORT ?? 8790)
/** The HTTP layer's server port (BENCH_HTTP_PORT: another checkout's bench may hold 8791). */
const HTTP_PORT = Number(process.env.BENCH_HTTP_PORT ?? 8791)
/**
 * Concurrent buyers of `orders-http` (BENCH_ORDER_CLIENTS): as many as the `/healthz` rounds beside them have
 * clients, so both sides are offered the same concurrency (32 until session 13, which left the order path short
 * of work: 41.9 → 50.4 orders/s from 32 to 128 buyers on one quiet machine).
 */
const ORDER_CLIENTS = Number(process.env.BENCH_ORDER_CLIENTS ?? Math.min(CONCURRENCY, 128))
/** The HTTP ceiling and holds alternate in this many rounds (SECONDS each in all). */
const HTTP_ROUNDS = Number(process.env.BENCH_HTTP_ROUNDS ?? 3)
type Scenario = Record<string, unknown> & {
  name: string
  layer: 'do' | 'http'
  holdsPerSecond: number
  baseline: boolean
}
const scenarios: Scenario[] = []
const gateScenarios: GateScenario[] = []

function migrate(config: string, persist: string, binding = 'DB') {
  const r = spawnSync(
    wrangler,
    ['d1', 'migrations', 'apply', binding, '--local', '--config', config, '--persist-to', persist],
    { env, stdio: 'pipe' },
  )
  if (r.status !== 0) throw new Error(`migrations failed: ${r.stderr}`)
}

/** The DevTools inspector port under BENCH_PROFILE (BENCH_INSPECTOR_PORT: another checkout may hold 9331). */
const INSPECTOR_PORT = Number(process.env.BENCH_INSPECTOR_PORT ?? 9331)
/** BENCH_PROFILE: the inspector of each profiled server (the HTTP layer's, the DO layer's when the stadium is
 * profiled, the capture bench's two sides); the layers run one after the other, never together. */
const inspectorPorts: Record<number, number> = {
  [HTTP_PORT]: INSPECTOR_PORT,
  [DO_PORT]: INSPECTOR_PORT,
  [CAPTURE_PORT]: INSPECTOR_PORT + 2,
  [CAPTURE_PORT + 1]: INSPECTOR_PORT + 3,
}

async function start(
  config: string,
  port: number,
  persist: string,
  vars: Record<string, string> = {},
): Promise<ChildProcess> {
  const args = [
    'dev',
    '--config',
    config,
    '--port',
    String(port),
    '--ip',
    '127.0.0.1',
    '--persist-to',
    persist,
    '--log-level',
    process.env.BENCH_WRANGLER_LOG ? 'log' : 'warn',
  ]
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`)
  // BENCH_PROFILE: the app's DevTools inspector, for a CPU profile of its isolate (cpu-profile.ts).
  const inspector = inspectorPorts[port]
  if (process.env.BENCH_PROFILE && inspector) args.push('--inspector-port', String(inspector))
  // BENCH_WRANGLER_LOG=<file>: the server's own output (its log lines) kept, to count what a request writes.
  const out = process.env.BENCH_WRANGLER_LOG
    ? openSync(`${process.env.BENCH_WRANGLER_LOG}.${port}`, 'w')
    : 'ignore'
  const child = spawn(wrangler, args, { env, stdio: ['ignore', out, 'inherit'] })
  const deadline = Date.now() + 120_000
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/ping`).catch(() =>
        fetch(`http://127.0.0.1:${port}/healthz`),
      )
      if (res.status < 500) return child
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  child.kill()
  throw new Error(`wrangler dev on ${port} did not start`)
}

function stop(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    child.once('exit', () => resolve())
    child.kill('SIGTERM')
    setTimeout(() => {
      child.kill('SIGKILL')
      resolve()
    }, 5000)
  })
}

/**
 * The stadium's shape (BENCH_STADIUM) and how long it may run: asked for alone (`BENCH_SCENARIOS`), until the
 * sell-out (capped at SELL_OUT_CAP_SECONDS); in the default run of every scenario, GIVE_UP_SECONDS after the
 * opening. `BENCH_STADIUM_GIVE_UP` (seconds) or `&giveUp=` in BENCH_STADIUM sets it either way.
 */
function stadiumShape(chosen: boolean) {
  const shape = process.env.BENCH_STADIUM ?? ''
  if (/[?&]giveUp=/.test(shape)) return shape
  const giveUp = process.env.BENCH_STADIUM_GIVE_UP ?? (chosen ? SELL_OUT_CAP_SECONDS : GIVE_UP_SECONDS)
  return `${shape}&giveUp=${giveUp}`
}

async function doLayer() {
  const persist = mkdtempSync(join(tmpdir(), 'bench-do-'))
  const config = 'test/bench/wrangler.bench.toml'
  migrate(config, persist)
  migrate(config, persist, 'CEILING_DB')
  // The waiting room signs admission passes (stadium-onsale): a fresh secret per run.
  const server = await start(config, DO_PORT, persist, {
    ADMISSION_PASS_SECRET: randomBytes(32).toString('base64url'),
    // The stadium's refusal idle time, shortened like its holds and passes (30 s on sale; the bench's holds last 20 s).
    WAITING_ROOM_REFUSED_IDLE_SECONDS: '5',
    // Following mode's target of admitted buyers deciding at once (BENCH_STADIUM_TARGET; the platform's is 200).
    ...(process.env.BENCH_STADIUM_TARGET
      ? { WAITING_ROOM_ACTIVE_TARGET: process.env.BENCH_STADIUM_TARGET }
      : {}),
  })
  try {
    // BENCH_SCENARIOS=ceiling,show-do-coalesced-explicit runs some scenarios only (quick iterations).
    const only = process.env.BENCH_SCENARIOS?.split(',')
    for (const name of [
      'ceiling',
      'show-do-coalesced-explicit',
      'show-do-coalesced-priced',
      'flash-sale',
      'show-do-coalesced-best',
      'naive-do',
      'd1-only',
      'scenic-day-do',
      'scenic-day-fill',
      'waiting-room-capacity',
      'stadium-onsale',
      'orders-service',
      'capture-consumer',
    ].filter((n) => !only || only.includes(n))) {
      // The stadium's buyers run in Node processes (stadium-harness.ts) unless BENCH_STADIUM_HARNESS=worker asks
      // for the older harness inside the bench worker (bench-stadium.ts).
      if (name === 'stadium-onsale' && process.env.BENCH_STADIUM_HARNESS !== 'worker') {
        const result = await stadiumOverProcesses(
          `http://127.0.0.1:${DO_PORT}`,
          stadiumShape(!!only),
          Number(process.env.BENCH_STADIUM_PROCS ?? 2),
          server.pid,
          process.env.BENCH_PROFILE ? INSPECTOR_PORT : undefined,
        )
        scenarios.push(result as unknown as Scenario)
        console.log(`  ${name}: ${JSON.stringify(result)}`)
        continue
      }
      const res = await fetch(
        // The stadium is its own size (50,000 seats), not the bench's 400,000-seat show; BENCH_STADIUM adds
        // parameters for other shapes (e.g. `&seats=5000&buyers=20000&shards=4`).
        `http://127.0.0.1:${DO_PORT}/run?scenario=${name}&concurrency=${CONCURRENCY}&seconds=${SECONDS}${name === 'stadium-onsale' ? (process.env.BENCH_STADIUM ?? '') : `&seats=${SEATS}`}`,
      )
      const result = (await res.json()) as Scenario & { error?: string }
      if (!res.ok) throw new Error(`${name}: ${result.error}`)
      scenarios.push(result)
      if (result.perEventBaseline) {
        console.log(
          `  ${result.name}: ${result.meanMs} ms a batch (p50 ${result.p50Ms}, p99 ${result.p99Ms}) beside ${JSON.stringify(result.perEventBaseline)} one statement per event: ${result.ratioToPerEvent}x; stored ${JSON.stringify(result.storedHolds)}`,
        )
        continue
      }
      console.log(
        result.ordersPerSecond === undefined
          ? `  ${result.name}: ${result.holdsPerSecond} holds/s`
          : `  ${result.name}: ${result.ordersPerSecond} orders/s beside its D1-only ceiling ${result.ceilingPerSecond}/s (${result.ratioToCeiling}x below; target within 2x)`,
      )
    }
    if (!only || only.includes('show-actor-heap'))
      scenarios.push(showActorHeap([50_000, 400_000]) as Scenario)
    if (!only || only.includes('seat-map-answer'))
      scenarios.push(seatMapAnswer([50_000, 400_000]) as Scenario)
  } finally {
    await stop(server)
  }
}

/** The p-th percentile of sorted latencies, in ms to one decimal. */
const msPercentile = (sorted: number[], p: number) => Math.round(percentile(sorted, p) * 10) / 10

/** Many concurrent HTTP clients for a fixed time; returns per-request latencies and statuses. */
async function load(clients: number, seconds: number, request: () => Promise<Response>) {
  const latencies: number[] = []
  const statuses = new Map<number, number>()
  const bodies: unknown[] = []
  const started = performance.now()
  const deadline = started + seconds * 1000
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now()
        const res = await request()
        const body = res.headers.get('content-type')?.includes('json') ? await res.json() : await res.text()
        latencies.push(performance.now() - t0)
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
        if (res.status === 201) bodies.push(body)
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    elapsed,
    statuses,
    bodies,
    latencies,
    p50: msPercentile(latencies, 50),
    p99: msPercentile(latencies, 99),
    total: latencies.length,
  }
}

/** Rounds of one load taken together: requests over their summed time, percentiles over all latencies. */
function mergeLoads(rounds: Awaited<ReturnType<typeof load>>[]): Awaited<ReturnType<typeof load>> {
  const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b)
  const statuses = new Map<number, number>()
  for (const r of rounds)
    for (const [status, n] of r.statuses) statuses.set(status, (statuses.get(status) ?? 0) + n)
  return {
    elapsed: rounds.reduce((t, r) => t + r.elapsed, 0),
    statuses,
    bodies: rounds.flatMap((r) => r.bodies),
    latencies,
    p50: msPercentile(latencies, 50),
    p99: msPercentile(latencies, 99),
    total: latencies.length,
  }
}

/**
 * A client address per buyer (`CF-Connecting-IP`, kept by wrangler dev when sent): an on-sale's buyers come from
 * many addresses, and holds are capped and rate limited per address, so one address for every buyer would
 * measure those limits instead of selling.
 */
const clientAddress = () => {
  const n = Math.floor(Math.random() * 2 ** 24)
  return `10.${n >> 16}.${(n >> 8) & 255}.${n & 255}`
}

async function httpLayer() {
  const persist = mkdtempSync(join(tmpdir(), 'bench-http-'))
  const password = randomBytes(12).toString('base64url')
  migrate('wrangler.toml', persist)
  const server = await start('wrangler.toml', HTTP_PORT, persist, {
    ENVIRONMENT: 'development',
    PAYMENT_PROVIDER: 'sandbox',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SANDBOX_PAYMENT_SECRET: randomBytes(32).toString('base64url'),
    DEV_OWNER_EMAIL: 'bench@demo.local',
    DEV_OWNER_PASSWORD: password,
    // BENCH_OUTBOX_GATHER_MS: the publisher's gathering window to measure (worker/middleware/outbox-kick.ts).
    ...(process.env.BENCH_OUTBOX_GATHER_MS ? { OUTBOX_GATHER_MS: process.env.BENCH_OUTBOX_GATHER_MS } : {}),
    // BENCH_HTTP_VARS='NAME=value,…': any other setting of the app to measure with (e.g. ANALYTICS_CAPTURE=off).
    ...Object.fromEntries(
      (process.env.BENCH_HTTP_VARS ?? '')
        .split(',')
        .filter(Boolean)
        .map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
    ),
  })
  const base = `http://127.0.0.1:${HTTP_PORT}`
  try {
    await fetch(`${base}/api/dev/seed`, { method: 'POST' })
    const admin = await adminOverHttp(base, 'bench@demo.local', password)
    // A 20,000-seat arena so the run measures selling, not a sold-out wall.
    const showId = await gridShowOnSale(admin, {
      rows: 400,
      venueName: 'Bench Arena',
      maxTicketsPerBuyer: 10,
      price: 50000,
    })
    await fetch(`${base}/api/shows/${showId}`) // warm the show's actor
    const clients = Math.min(CONCURRENCY, 128)
    // The ceiling and the holds alternate in rounds, so a change in the machine's speed during the run (seen as
    // /healthz alone varying 1.5x between runs) falls on both alike; each figure is taken over all its rounds.
    const healthzRounds: Awaited<ReturnType<typeof load>>[] = []
    const holdRounds: Awaited<ReturnType<typeof load>>[] = []
    for (let round = 0; round < HTTP_ROUNDS; round++) {
      healthzRounds.push(await load(clients, SECONDS / HTTP_ROUNDS, () => fetch(`${base}/healthz`)))
      holdRounds.push(
        await load(clients, SECONDS / HTTP_ROUNDS, () =>
          fetch(`${base}/api/shows/${showId}/holds`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'cf-connecting-ip': clientAddress() },
            body: JSON.stringify({
              best: { category: 'A', quantity: 1 + Math.floor(Math.random() * 2), allowSplit: true },
            }),
          }),
        ),
      )
    }
    const ceiling = mergeLoads(healthzRounds)
    const holds = mergeLoads(holdRounds)
    const rate = (run: Awaited<ReturnType<typeof load>>, status: number) =>
      Math.round((run.statuses.get(status) ?? 0) / run.elapsed)
    const healthzRps = rate(ceiling, 200)
    scenarios.push({
      name: 'ceiling: GET /healthz on the same wrangler dev',
      layer: 'http',
      baseline: true,
      holdsPerSecond: healthzRps,
      requestsPerSecond: healthzRps,
      p50Ms: ceiling.p50,
      p99Ms: ceiling.p99,
      oversold: 0,
      clients,
      rounds: healthzRounds.map((r) => rate(r, 200)),
    })
    const seats = (holds.bodies as { seats: { id: string }[] }[]).flatMap((h) => h.seats.map((s) => s.id))
    const map = (await (await fetch(`${base}/api/shows/${showId}/seat-map`)).json()) as {
      seats?: { state: string }[]
    }
    // A house this big answers an overview of sections (no seats): then only seats held twice count as oversold.
    const held = map.seats ? map.seats.filter((s) => s.state === 'held').length : new Set(seats).size
    const ok = holds.statuses.get(201) ?? 0
    scenarios.push({
      name: 'HTTP: POST /api/shows/{id}/holds (best available, 1–2 seats)',
      layer: 'http',
      baseline: false,
      holdsPerSecond: Math.round(ok / holds.elapsed),
      p50Ms: holds.p50,
      p99Ms: holds.p99,
      oversold: seats.length - new Set(seats).size + Math.max(0, new Set(seats).size - held),
      clients,
      statuses: Object.fromEntries(holds.statuses),
      rounds: holdRounds.map((r) => rate(r, 201)),
      ratioToCeiling: Math.round((ok / holds.elapsed / healthzRps) * 100) / 100,
    })
    // The money path end to end beside /healthz, alternating rounds (bench-orders-http.ts).
    const orders = await ordersOverHttp(base, showId, load, {
      clients: ORDER_CLIENTS,
      healthzClients: clients,
      seconds: SECONDS,
      rounds: HTTP_ROUNDS,
      address: clientAddress,
      inspectorPort: process.env.BENCH_PROFILE ? INSPECTOR_PORT : undefined,
      cpuMs: () => treeCpuMs(server.pid!),
    })
    scenarios.push({
      name: 'orders-http',
      layer: 'http',
      baseline: false,
      holdsPerSecond: Math.round(orders.ordersPerSecond),
      ...orders,
      oversold: 0,
      clients: ORDER_CLIENTS,
    })
    if (process.env.BENCH_SCENARIOS && !process.env.BENCH_SCENARIOS.includes('promotions')) return
    // The same path by signed-in members, at the plain price and with a coupon and points (issue 21).
    const promotions = await promotionOrders(base, admin, load, {
      clients: Math.min(clients, 32),
      seconds: SECONDS,
      rounds: HTTP_ROUNDS,
      address: clientAddress,
    })
    for (const [side, figures] of [
      ['plain price', promotions.plain],
      ['coupon + points', promotions.promo],
    ] as const) {
      scenarios.push({
        name: `HTTP: members' orders end to end, ${side}`,
        layer: 'http',
        baseline: side === 'plain price',
        holdsPerSecond: Math.round(figures.ordersConfirmedPerSecond),
        ...figures,
        oversold: 0,
        clients: Math.min(clients, 32),
        ...(side === 'coupon + points'
          ? { ratioToPlain: promotions.ratio, refusals: promotions.refusals }
          : {}),
      })
    }
  } finally {
    await stop(server)
  }
}

function print() {
  const pad = (s: string, n: number) => s.padEnd(n)
  console.log(
    `\n${pad('scenario', 62)} ${pad('layer', 5)} ${'holds/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} oversold`,
  )
  for (const s of scenarios) {
    console.log(
      `${pad(`${s.baseline ? '  ' : '* '}${s.name}`, 62)} ${pad(s.layer, 5)} ${String(s.holdsPerSecond).padStart(8)} ${String(s.p50Ms ?? '-').padStart(7)} ${String(s.p99Ms ?? '-').padStart(7)} ${s.oversold}`,
    )
  }
  const find = (prefix: string) => scenarios.find((s) => s.name.startsWith(prefix))
  const ceiling = find('ceiling: show DO')
  const explicit = find('show DO, coalesced, explicit')
  if (ceiling && explicit)
    console.log(
      `\nshow DO coalesced vs ceiling: ${(ceiling.holdsPerSecond / explicit.holdsPerSecond).toFixed(2)}x below`,
    )
  // Each coalesced scenario also ran rounds of its own ceiling (the same kind of holds in the actor's loop)
  // between parts of its window: the ratio at the same moments.
  for (const s of scenarios.filter((x) => x.ratioToOwnCeiling !== undefined)) {
    const own = s.ownCeiling as { holdsPerSecond: number }
    console.log(
      `${s.name}: own ceiling ${own.holdsPerSecond} holds/s, ${Number(s.ratioToOwnCeiling).toFixed(2)}x below`,
    )
  }
  const priced = find('show DO, coalesced, explicit seats (1–4), priced')
  if (priced && explicit)
    console.log(
      `priced vs unpriced coalesced show: ${(priced.holdsPerSecond / explicit.holdsPerSecond).toFixed(2)} (target ≥ 0.8)`,
    )
  const flash = find('flash-sale')
  if (flash)
    console.log(
      `flash sale: ${flash.sold} of ${flash.units} units to ${flash.buyers} buyers in ${flash.secondsToSellOut}s, oversold ${flash.oversold}`,
    )
  const promo = find("HTTP: members' orders end to end, coupon")
  if (promo)
    console.log(
      `orders with coupon + points vs plain price: ${Number(promo.ratioToPlain).toFixed(2)} (target ≥ 0.8)`,
    )
  const fill = find('scenic-day-fill')
  if (fill)
    console.log(
      `scenic day fill (${fill.capacity} visitors): first tenth ${fill.firstTenthPerSecond} holds/s, last tenth ${fill.lastTenthPerSecond} (ratio ${fill.ratio}, target ≥ 0.8), oversold ${fill.oversold}`,
    )
  const heap = find('show-actor-heap')
  if (heap)
    console.log(
      `show actor heap (of ${heap.isolateLimitMb} MB): 50k seats ${heap.heapMbAt50k} MB loaded, ${heap.heldHeapMbAt50k} MB all held, ${heap.loadPeakMbAt50k} MB loading; 400k ${heap.heapMbAt400k} / ${heap.heldHeapMbAt400k} / ${heap.loadPeakMbAt400k} MB`,
    )
  const room = find('waiting-room-capacity')
  if (room)
    console.log(
      `one waiting room: ${JSON.stringify(room.joins)} single joins beside ${JSON.stringify(room.batchedJoins)} coalesced, ${JSON.stringify(room.views)} position reads beside ${JSON.stringify(room.batchedViews)} coalesced`,
    )
  const stadium = find('stadium-onsale')
  if (stadium)
    console.log(
      `stadium on-sale: sold out in ${stadium.secondsToSellOut}s, oversold ${stadium.oversold}, limit violations ${stadium.limitViolations}, admission fairness ${stadium.admissionFairness} over ${stadium.admittedAfterOpening} admitted after opening, queue fairness ${stadium.queueFairness} over ${stadium.queueFairnessOver} joined after opening, p99 hold ${stadium.p99HoldMs} ms, p99 position ${stadium.p99PositionMs} ms`,
    )
  const capture = find('capture: holds with event')
  if (capture)
    console.log(
      `holds with event capture vs without: ${capture.ratioToWithout} (${capture.overheadPercent}% overhead, target ≤ 5%; ${capture.capturedHolds} holds captured); server CPU per hold ${JSON.stringify(capture.cpuMsPerHold)} ms (${capture.cpuOverheadPercent}% more with capture)`,
    )
  for (const s of scenarios.filter((x) => x.name.startsWith('orders-')))
    console.log(
      s.layer === 'http'
        ? [s, ...Object.values((s.otherFlows ?? {}) as Record<string, typeof s>)]
            .map(
              (f) =>
                `orders-http (${f.flow}): ${f.ordersPerSecond} orders/s beside /healthz ${f.healthzPerSecond}/s: one order per ${f.healthzPerOrder} /healthz (target ≤ 6)${f.cpuHealthzPerOrder ? `; CPU ${f.cpuMsPerOrder} ms an order, ${f.cpuMsPerHealthz} ms a /healthz: one order's CPU per ${f.cpuHealthzPerOrder} /healthz` : ''}`,
            )
            .join('\n')
        : `orders-service: ${s.ordersPerSecond} orders/s beside its D1-only ceiling ${s.ceilingPerSecond}/s, ${s.ratioToCeiling}x below (target within 2x)`,
    )
  const http = find('HTTP:')
  if (http) console.log(`HTTP holds vs /healthz ceiling: ${Math.round(Number(http.ratioToCeiling) * 100)}%`)
}

/** The shop's first load: JS (and CSS) a phone fetches before the first render, gzipped (target < 60 kB JS). */
async function webLayer() {
  const { buildWeb } = await import('../../web/build.ts')
  const { shop } = (await buildWeb({ quiet: true })).firstLoad
  return {
    shopFirstLoadJsGzipBytes: shop.jsGzip,
    shopFirstLoadCssGzipBytes: shop.cssGzip,
    targetJsGzipBytes: 60 * 1024,
  }
}

async function main() {
  console.log(
    `bench: ${CONCURRENCY} concurrent callers, ${SECONDS}s per scenario, ${cpus().length} cores, node ${process.version}`,
  )
  // BENCH_LAYER=do, http or gate runs one layer only (for quick iterations); the default runs them all.
  // BENCH_LAYER=web only builds the site and reports its size; every run builds it (the HTTP layer serves it).
  const layer = process.env.BENCH_LAYER
  const web = await webLayer()
  const only = (name: string) => !layer || layer === name
  if (only('do')) await doLayer()
  if (only('http')) await httpLayer()
  if (only('gate')) gateScenarios.push(...gateLayer())
  // Event capture's cost on the hold path (issue 23), BENCH_LAYER=capture alone.
  if (only('capture'))
    scenarios.push(
      ...(await captureScenarios({
        start,
        stop,
        migrate,
        load,
        clientAddress,
        inspectorPorts: process.env.BENCH_PROFILE
          ? { on: INSPECTOR_PORT + 2, off: INSPECTOR_PORT + 3 }
          : undefined,
        clients: Math.min(CONCURRENCY, 128),
        seconds: SECONDS,
        rounds: HTTP_ROUNDS,
      })),
    )
  // Visitor, 二消, co-purchase and check-in reports over a year of rollups (issue 23), BENCH_LAYER=reports alone.
  // With BENCH_SCENARIOS naming report scenarios, the scenic ones run only if it also names `report-scenic`.
  const scenicReports = !process.env.BENCH_SCENARIOS || process.env.BENCH_SCENARIOS.includes('report-scenic')
  if (only('reports') && scenicReports)
    scenarios.push(...(await scenicReportScenarios({ start, stop, migrate })))
  // Reports over generated data (issue 23), BENCH_LAYER=reports alone.
  if (only('reports'))
    scenarios.push(...(await reportScenarios({ start, stop, migrate, clients: 4, seconds: SECONDS })))
  print()
  printScenicReports(scenarios)
  printGate(gateScenarios)
  console.log(
    `web: shop first load ${web.shopFirstLoadJsGzipBytes} B JS + ${web.shopFirstLoadCssGzipBytes} B CSS gzipped (target < ${web.targetJsGzipBytes} B JS)`,
  )
  writeFileSync(
    'bench-results.json',
    `${JSON.stringify({ generatedAt: new Date().toISOString(), machine: { cpus: cpus().length, node: process.version }, concurrency: CONCURRENCY, secondsPerScenario: SECONDS, scenarios: [...scenarios, ...gateScenarios], web }, null, 2)}\n`,
  )
  console.log('\nwrote bench-results.json')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
