// The reports bench (issue 23, BENCH_LAYER=reports): 1,000,000 order lines and 5,000,000 captured events generated
// into a fresh local D1, the rollup job timed over all of them, then each report over HTTP against the real app
// under wrangler dev (p50/p99 of its requests).
//
// Generation is direct SQL written to a file and applied with `wrangler d1 execute --local --file`: each statement is
// an INSERT … SELECT over a recursive counter, so SQLite makes the rows itself (a file of a few kB, not gigabytes).
// Raw events go in unrolled (`rolled = 0`), exactly as the capture path stores them before its rollup step; the
// rollup job is then the store's own rollup SQL (worker/services/analytics/store.ts rollupStatements: the daily rollup
// and the per-report rollups) over all 5M.
//
// BENCH_REPORT_DB=<dir> keeps the generated database there and reuses it on the next run (generation and the
// rollup job are skipped, the migrations applied again, the first run's times reported); BENCH_SCENARIOS=<names>
// runs only the report scenarios named. Before timing, the sales report's totals for a year and for 30 days are
// checked against the same figures summed straight from the raw events (which the reports never read): a
// fast-but-wrong report fails the bench.
//
// Entry: `reportScenarios(tools, extra)`. Other report scenarios join by passing `extra` (name + a request path
// under the organizer's admin API for call i); they run against the same generated data.
import type { ChildProcess } from 'node:child_process'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rollupStatements } from '../../worker/services/analytics/store.ts'
import { percentile } from './percentile.ts'

export interface ReportBenchTools {
  start: (
    config: string,
    port: number,
    persist: string,
    vars?: Record<string, string>,
  ) => Promise<ChildProcess>
  stop: (child: ChildProcess) => Promise<void>
  migrate: (config: string, persist: string) => void
  /** Concurrent callers per report scenario. */
  clients: number
  seconds: number
}

/** A report scenario: `path(i)` is the i-th request's path under /api/admin/organizers/org_demo. */
export interface ReportScenario {
  name: string
  path: (i: number, data: GeneratedData) => string
}

export interface GeneratedData {
  organizerId: string
  /** The last generated day (YYYY-MM-DD); days run a year back from it. */
  lastDay: string
  days: number
  showIds: string[]
  orderLines: number
  events: number
}

const ORGANIZER = 'org_demo'
const ORDERS = Number(process.env.BENCH_REPORT_ORDERS ?? 250_000)
const LINES_PER_ORDER = 4
const EVENTS = Number(process.env.BENCH_REPORT_EVENTS ?? 5_000_000)
const SHOWS = 200
const DAYS = 365
const CHUNK = 250_000
/** Two ports of its own (seeding, then the timed server), clear of the other bench layers'. */
const PORT = Number(process.env.BENCH_REPORT_PORT ?? 8797)

const wranglerEnv = { ...process.env, WRANGLER_SEND_METRICS: 'false' }

function d1(persist: string, args: string[]) {
  const r = spawnSync(
    'node_modules/.bin/wrangler',
    ['d1', 'execute', 'DB', '--local', '--persist-to', persist, ...args],
    {
      encoding: 'utf8',
      env: wranglerEnv,
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  if (r.status !== 0) throw new Error(`wrangler d1 execute failed: ${r.stderr || r.stdout}`)
  return r.stdout
}

function query<T>(persist: string, sql: string): T[] {
  return (JSON.parse(d1(persist, ['--json', '--command', sql])) as { results: T[] }[])[0]!.results
}

/** Runs a SQL file and answers its wall time in ms, less wrangler's own start-up (a `SELECT 1` file timed alike). */
function timedFile(persist: string, name: string, sql: string) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-reports-sql-'))
  const file = join(dir, `${name}.sql`)
  const empty = join(dir, 'empty.sql')
  writeFileSync(file, sql)
  writeFileSync(empty, 'SELECT 1;\n')
  let t0 = performance.now()
  d1(persist, ['--file', empty])
  const overhead = performance.now() - t0
  t0 = performance.now()
  d1(persist, ['--file', file])
  return Math.max(0, Math.round(performance.now() - t0 - overhead))
}

/** `n` from 1 to `count` in a statement's FROM. */
const counter = (first: number, last: number) =>
  `WITH RECURSIVE c(n) AS (SELECT ${first} UNION ALL SELECT n + 1 FROM c WHERE n < ${last}) SELECT n FROM c`

/**
 * The SQL making the data. Shows: the demo organizer's real ones first (so the progress report has catalogue rows
 * and comparable shows), then synthetic ids up to SHOWS. Each show sells over the 60 days before its start, starts
 * spread over the year; events are 45% show views, 25% seat-map opens, 10% holds, 5% orders, 5% paid, 5%
 * redemptions, 4% scenic day views and 1% refunds, over 6 sources, 4 device classes and 4 channels, each drawn
 * independently per event.
 */
export function generationSql(showIds: string[], lastDay: string): string[] {
  const shows = `(SELECT value AS id, key AS k FROM json_each('${JSON.stringify(showIds)}'))`
  const statements: string[] = []
  const day = (n: string) => `date('${lastDay}', '-' || ((${n} * 7919) % ${DAYS}) || ' days')`
  for (let first = 1; first <= ORDERS; first += CHUNK) {
    const last = Math.min(ORDERS, first + CHUNK - 1)
    statements.push(`INSERT INTO orders (id, number, organizer_id, buyer_id, kind, show_id, hold_id, channel, status,
      total, refunded_total, currency, expires_at, paid_at, created_at)
      SELECT 'bo_' || n, 'B' || n, '${ORGANIZER}', 'bb_' || (n % 80000), 'show', s.id, 'bh_' || n,
        CASE n % 10 WHEN 0 THEN 'ctrip' WHEN 1 THEN 'meituan' WHEN 2 THEN 'kiosk' ELSE 'web' END,
        'paid', ${LINES_PER_ORDER} * 10000, CASE WHEN n % 20 = 0 THEN 10000 ELSE 0 END, 'CNY',
        ${day('n')} || 'T03:00:00.000Z', ${day('n')} || 'T02:00:00.000Z', ${day('n')} || 'T01:50:00.000Z'
      FROM (${counter(first, last)}) JOIN ${shows} s ON s.k = n % ${showIds.length};`)
  }
  const lines = ORDERS * LINES_PER_ORDER
  for (let first = 1; first <= lines; first += CHUNK) {
    const last = Math.min(lines, first + CHUNK - 1)
    statements.push(`INSERT INTO order_lines (id, order_id, inventory_ref, description, category, price, status)
      SELECT 'bl_' || n, 'bo_' || ((n - 1) / ${LINES_PER_ORDER} + 1), 'seat:' || n, 'Seat', char(65 + n % 4), 10000,
        CASE WHEN n % 80 = 0 THEN 'refunded' ELSE 'active' END
      FROM (${counter(first, last)});`)
  }
  for (let first = 1; first <= EVENTS; first += CHUNK) {
    const last = Math.min(EVENTS, first + CHUNK - 1)
    // Every dimension an independent draw (random(), fixed per row by the MATERIALIZED step): the rollups get the
    // spread real traffic gives them, not the few combinations a counter's residues would.
    statements.push(`INSERT INTO analytics_events (id, organizer_id, kind, occurred_at, day, event_id, show_id, site_id,
      category, channel, source, device, order_id, orders, tickets, amount, rolled)
      WITH RECURSIVE c(n) AS (SELECT ${first} UNION ALL SELECT n + 1 FROM c WHERE n < ${last}),
      r AS MATERIALIZED (
        SELECT n, abs(random()) % ${showIds.length} AS k, abs(random()) % 60 AS back, abs(random()) % 100 AS draw,
          abs(random()) % 6 AS src, abs(random()) % 4 AS dev, abs(random()) % 10 AS ch, abs(random()) % 4 AS cat,
          abs(random()) % 3 AS site
        FROM c
      ),
      e AS (
        SELECT r.*, s.id AS show,
          date('${lastDay}', '-' || ((s.k * ${DAYS}) / ${showIds.length}) || ' days') AS start,
          CASE WHEN draw < 45 THEN 'show_view' WHEN draw < 70 THEN 'seat_map_open' WHEN draw < 80 THEN 'hold'
            WHEN draw < 85 THEN 'order' WHEN draw < 90 THEN 'paid' WHEN draw < 95 THEN 'redemption'
            WHEN draw < 99 THEN 'day_view' ELSE 'refund' END AS kind
        FROM r JOIN ${shows} s ON s.k = r.k
      )
      SELECT 'be_' || n, '${ORGANIZER}', kind,
        date(start, '-' || back || ' days') || 'T02:00:00.000Z', date(start, '-' || back || ' days'),
        CASE WHEN kind = 'day_view' THEN '' ELSE 'bench_event_' || (k / 5) END,
        CASE WHEN kind = 'day_view' THEN '' ELSE show END,
        CASE WHEN kind = 'day_view' THEN 'bench_site_' || site ELSE '' END,
        CASE WHEN kind IN ('paid', 'refund', 'redemption') THEN char(65 + cat) ELSE '' END,
        CASE WHEN kind IN ('paid', 'refund', 'redemption', 'hold', 'order')
          THEN CASE ch WHEN 0 THEN 'ctrip' WHEN 1 THEN 'meituan' WHEN 2 THEN 'kiosk' ELSE 'web' END ELSE 'web' END,
        CASE src WHEN 0 THEN 'direct' WHEN 1 THEN 'ref:D1' WHEN 2 THEN 'wechat' WHEN 3 THEN 'site:weibo.com'
          WHEN 4 THEN 'baidu' ELSE 'ref:D2' END,
        CASE dev WHEN 0 THEN 'mobile' WHEN 1 THEN 'desktop' WHEN 2 THEN 'tablet' ELSE 'unknown' END,
        CASE WHEN kind IN ('order', 'paid', 'refund', 'redemption') THEN 'bo_' || (n % ${ORDERS} + 1) END,
        CASE WHEN kind IN ('order', 'paid') THEN 1 ELSE 0 END,
        CASE kind WHEN 'paid' THEN 1 + cat WHEN 'refund' THEN 1 WHEN 'redemption' THEN 1 ELSE 0 END,
        CASE kind WHEN 'paid' THEN (1 + cat) * 10000 WHEN 'refund' THEN -10000 WHEN 'redemption' THEN 10000
          ELSE 0 END,
        0
      FROM e;`)
  }
  return statements
}

type Prepared = Awaited<ReturnType<typeof generate>>

/** BENCH_REPORT_DB: a database generated earlier (its marker file) is reused; otherwise generated there and marked. */
async function prepare(tools: ReportBenchTools, vars: Record<string, string>) {
  const dir = process.env.BENCH_REPORT_DB
  const marker = dir ? join(dir, 'bench-reports.json') : null
  if (dir && marker && existsSync(marker)) {
    const kept = JSON.parse(readFileSync(marker, 'utf8')) as {
      prepared: Prepared
      vars: Record<string, string>
    }
    tools.migrate('wrangler.toml', kept.prepared.persist)
    console.log(
      `reports: reusing the database generated in ${dir} (generation and rollup times from that run)`,
    )
    return kept
  }
  if (dir) mkdirSync(dir, { recursive: true })
  const prepared = await generate(tools, vars, dir ?? mkdtempSync(join(tmpdir(), 'bench-reports-')))
  // The bench's own throwaway sign-in (a temporary directory, never git or logs): a reusing run signs in with it.
  if (marker) writeFileSync(marker, JSON.stringify({ prepared, vars }))
  return { prepared, vars }
}

/** Fresh local D1 with the demo data, the generated rows and their rollups; answers the data and the times taken. */
async function generate(tools: ReportBenchTools, vars: Record<string, string>, persist: string) {
  tools.migrate('wrangler.toml', persist)
  const seeding = await tools.start('wrangler.toml', PORT, persist, vars)
  await fetch(`http://127.0.0.1:${PORT}/api/dev/seed`, { method: 'POST' })
  await tools.stop(seeding)
  const demoShows = query<{ id: string }>(
    persist,
    `SELECT id FROM shows WHERE organizer_id = '${ORGANIZER}' ORDER BY starts_at`,
  ).map((r) => r.id)
  const showIds = [
    ...demoShows,
    ...Array.from({ length: SHOWS - demoShows.length }, (_, i) => `bench_show_${i}`),
  ]
  const lastDay = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10)
  const generateMs = timedFile(persist, 'generate', generationSql(showIds, lastDay).join('\n'))
  const rollupMs = timedFile(persist, 'rollup', `${rollupStatements.join(';\n')};\n`)
  const [counts] = query<{
    events: number
    lines: number
    rollups: number
    sales: number
    traffic: number
    pending: number
  }>(
    persist,
    `SELECT (SELECT count(*) FROM analytics_events) AS events, (SELECT count(*) FROM order_lines) AS lines,
       (SELECT count(*) FROM analytics_daily) AS rollups, (SELECT count(*) FROM analytics_sales_daily) AS sales,
       (SELECT count(*) FROM analytics_traffic_daily) AS traffic,
       (SELECT count(*) FROM analytics_events WHERE rolled = 0) AS pending`,
  )
  const data: GeneratedData = {
    organizerId: ORGANIZER,
    lastDay,
    days: DAYS,
    showIds,
    orderLines: counts!.lines,
    events: counts!.events,
  }
  const reportRows = { salesDaily: counts!.sales, trafficDaily: counts!.traffic }
  return {
    persist,
    data,
    generateMs,
    rollupMs,
    rollupRows: counts!.rollups,
    reportRows,
    pending: counts!.pending,
  }
}

/** A 30-day window ending `back` days before the last day (each call looks at a different month). */
export function window(data: GeneratedData, i: number, days = 30) {
  const end = Date.parse(`${data.lastDay}T00:00:00Z`) - ((i * 7) % Math.max(1, data.days - days)) * 86_400_000
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10)
  return `from=${iso(end - (days - 1) * 86_400_000)}&to=${iso(end)}`
}

export const salesReportScenarios: ReportScenario[] = [
  {
    name: 'report-sales',
    path: (i, d) => `/reports/analytics/sales?${window(d, i)}&granularity=${['day', 'week', 'month'][i % 3]}`,
  },
  {
    name: 'report-sales-year',
    path: (i, d) => `/reports/analytics/sales?${window(d, i, 365)}&granularity=month`,
  },
  {
    name: 'report-sales-progress',
    path: (i, d) => `/reports/analytics/sales/progress?showId=${d.showIds[i % 5]}`,
  },
  { name: 'report-channels', path: (i, d) => `/reports/analytics/channels?${window(d, i)}` },
  { name: 'report-funnel', path: (i, d) => `/reports/analytics/funnel?${window(d, i)}` },
  { name: 'report-funnel-year', path: (i, d) => `/reports/analytics/funnel?${window(d, i, 365)}` },
]

export async function reportScenarios(tools: ReportBenchTools, extra: ReportScenario[] = []) {
  const password = randomBytes(12).toString('base64url')
  const fresh = {
    ENVIRONMENT: 'development',
    PAYMENT_PROVIDER: 'sandbox',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SANDBOX_PAYMENT_SECRET: randomBytes(32).toString('base64url'),
    DEV_OWNER_EMAIL: 'bench@demo.local',
    DEV_OWNER_PASSWORD: password,
  }
  const kept = await prepare(tools, fresh)
  const { prepared, vars } = kept
  const { data } = prepared
  const expected = expectedSales(prepared.persist, data)
  console.log(
    `reports: ${data.orderLines} order lines, ${data.events} events generated in ${prepared.generateMs} ms; ` +
      `rollup job ${prepared.rollupMs} ms → ${prepared.rollupRows} daily rollup rows, per-report ${JSON.stringify(prepared.reportRows)} (${prepared.pending} left unrolled)`,
  )
  const server = await tools.start('wrangler.toml', PORT + 1, prepared.persist, vars)
  const base = `http://127.0.0.1:${PORT + 1}`
  const results = []
  try {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'bench@demo.local', password: vars.DEV_OWNER_PASSWORD }),
    })
    if (!login.ok) throw new Error(`sign-in: ${login.status} ${await login.text()}`)
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
    const get = (path: string) =>
      fetch(`${base}/api/admin/organizers/${data.organizerId}${path}`, { headers: { cookie } })
    const wanted = process.env.BENCH_SCENARIOS?.split(',')
    for (const scenario of [...salesReportScenarios, ...extra]) {
      if (wanted && !wanted.includes(scenario.name)) continue
      // One warm-up call (first use of the route and its statements), then the timed window.
      const warm = await get(scenario.path(0, data))
      if (!warm.ok) throw new Error(`${scenario.name}: ${warm.status} ${await warm.text()}`)
      const answer = (await warm.json()) as { totals?: Record<string, number> }
      const want = expected[scenario.name]
      if (want) checkTotals(scenario.name, answer.totals, want)
      const latencies: number[] = []
      const statuses = new Map<number, number>()
      let calls = 0
      const deadline = performance.now() + tools.seconds * 1000
      await Promise.all(
        Array.from({ length: tools.clients }, async () => {
          while (performance.now() < deadline) {
            const i = ++calls
            const t0 = performance.now()
            const res = await get(scenario.path(i, data))
            await res.arrayBuffer()
            latencies.push(performance.now() - t0)
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
          }
        }),
      )
      latencies.sort((a, b) => a - b)
      const ms = (p: number) => Math.round(percentile(latencies, p) * 10) / 10
      const result = {
        name: scenario.name,
        layer: 'http' as const,
        baseline: false,
        holdsPerSecond: 0,
        oversold: 0,
        requests: latencies.length,
        failed: latencies.length - (statuses.get(200) ?? 0),
        p50Ms: ms(50),
        p99Ms: ms(99),
        targetP99Ms: 1000,
        clients: tools.clients,
        orderLines: data.orderLines,
        events: data.events,
        rollupRows: prepared.rollupRows,
        reportRows: prepared.reportRows,
      }
      console.log(
        `  ${result.name}: p50 ${result.p50Ms} ms, p99 ${result.p99Ms} ms (${result.requests} requests)`,
      )
      results.push(result)
    }
  } finally {
    await tools.stop(server)
  }
  results.push({
    name: 'report-rollup-job',
    layer: 'http' as const,
    baseline: false,
    holdsPerSecond: 0,
    oversold: 0,
    requests: 0,
    failed: prepared.pending,
    p50Ms: prepared.rollupMs,
    p99Ms: prepared.rollupMs,
    targetP99Ms: 0,
    clients: 0,
    orderLines: data.orderLines,
    events: data.events,
    rollupRows: prepared.rollupRows,
    reportRows: prepared.reportRows,
  })
  return results
}

/** What the sales report's totals must be, summed from the raw events (paid and rebook add, refund subtracts). */
function expectedSales(persist: string, data: GeneratedData) {
  const range = (path: string) => new URLSearchParams(path.split('?')[1])
  const expected: Record<string, Record<string, number>> = {}
  for (const scenario of salesReportScenarios.filter(
    (s) => s.name.startsWith('report-sales') && !s.name.includes('progress'),
  )) {
    const q = range(scenario.path(0, data))
    const [row] = query<Record<string, number>>(
      persist,
      `SELECT coalesce(sum(CASE WHEN kind <> 'refund' THEN amount END), 0) AS gross,
         coalesce(-sum(CASE WHEN kind = 'refund' THEN amount END), 0) AS refunds,
         coalesce(sum(CASE WHEN kind = 'refund' THEN -tickets ELSE tickets END), 0) AS tickets,
         coalesce(sum(CASE WHEN kind <> 'refund' THEN orders END), 0) AS orders
       FROM analytics_events WHERE organizer_id = '${data.organizerId}' AND kind IN ('paid', 'refund', 'rebook')
         AND day >= '${q.get('from')}' AND day <= '${q.get('to')}'`,
    )
    expected[scenario.name] = row!
  }
  return expected
}

function checkTotals(name: string, got: Record<string, number> | undefined, want: Record<string, number>) {
  const wrong = Object.keys(want).filter((k) => Number(got?.[k]) !== Number(want[k]))
  if (wrong.length > 0 || !(Number(want.orders) > 0))
    throw new Error(
      `${name}: totals ${JSON.stringify(got)} differ from the raw events' ${JSON.stringify(want)}`,
    )
  console.log(`  ${name}: totals equal the raw events' (${want.orders} orders, ${want.gross} gross)`)
}
