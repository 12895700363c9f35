// The visitor, 二消, co-purchase and check-in reports over a year of rollups (issue 23: p99 < 1 s with 1,000,000
// order lines and 5,000,000 events). Reports read only rollups, so their cost is the rollups' size: this fills them
// (SQL, recursive CTEs, in the stopped server's local D1) with the rows a year of that traffic at one scenic site
// yields — 1,000,000 lines over 366 days, 4 slots, 5 channels, 8 products (2 gate tickets), every pair and triple;
// 6 gates × 12 hours; 34 provinces × 3 cities × 8 age bands a day; 250,000 buyers over 12 cohort months; the paid
// rows of analytics_daily by product, channel, 10 sources, 3 devices and new/returning — then asks each report for
// the whole year, one request at a time (the per-report rollups filled from those rows as the capture batches
// would have kept them), beside `GET /healthz` on the same server (the harness's own floor).
import type { ChildProcess } from 'node:child_process'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { reportRollupsFromDaily } from '../../worker/services/analytics/report-rollups.ts'
import { adminOverHttp } from '../support/admin-over-http.ts'
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
}

const from = '2026-01-01'
const to = '2026-12-31'
const channels = ['web', 'ctrip', 'meituan', 'kiosk', 'box_office']
const slots = ['09:00', '11:00', '13:00', '15:00']

const list = (values: string[]) => values.map((v) => `('${v}')`).join(', ')

/** The generator: one SQL file, every table's rows from recursive day/number series. */
function generatorSql(siteId: string, products: string[]) {
  const days = `days(d) AS (SELECT date('${from}') UNION ALL SELECT date(d, '+1 day') FROM days WHERE d < '${to}')`
  const n = (name: string, max: number) =>
    `${name}(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM ${name} WHERE i < ${max - 1})`
  const prods = `prods(i, id) AS (VALUES ${products.map((p, i) => `(${i}, '${p}')`).join(', ')})`
  const chans = `chans(c) AS (VALUES ${list(channels)})`
  return `
INSERT INTO analytics_secondary_daily (organizer_id, site_id, visit_day, slot, channel, product_id, tickets)
WITH RECURSIVE ${days}, ${prods}, ${chans}, slots(s) AS (VALUES ${list(slots)})
SELECT 'org_demo', '${siteId}', d, s, c, id, CASE WHEN i < 2 THEN 60 + abs(random() % 40) ELSE abs(random() % 40) END
FROM days, slots, chans, prods;

INSERT INTO analytics_copurchase_daily (organizer_id, site_id, visit_day, channel, product_a, product_b, product_c, orders)
WITH RECURSIVE ${days}, ${prods}, ${chans},
combos(a, b, c) AS (
  SELECT '', '', '' UNION ALL SELECT id, '', '' FROM prods
  UNION ALL SELECT p.id, q.id, '' FROM prods p JOIN prods q ON p.i < q.i
  UNION ALL SELECT p.id, q.id, r.id FROM prods p JOIN prods q ON p.i < q.i JOIN prods r ON q.i < r.i)
SELECT 'org_demo', '${siteId}', d, ch.c, a, b, combos.c, 1 + abs(random() % 200) FROM days, chans ch, combos;

INSERT INTO analytics_attendance_daily (organizer_id, event_id, show_id, site_id, visit_day, channel, sold, admitted)
WITH RECURSIVE ${days}, ${chans}
SELECT 'org_demo', '', '', '${siteId}', d, c, 500 + abs(random() % 100), 450 + abs(random() % 50) FROM days, chans;

INSERT INTO analytics_checkin_hourly (organizer_id, event_id, show_id, site_id, visit_day, channel, gate, day, hour, admitted)
WITH RECURSIVE ${days}, ${chans}, ${n('gates', 6)}, ${n('hours', 12)}
SELECT 'org_demo', '', '', '${siteId}', d, c, 'gate ' || gates.i, d, 8 + hours.i, abs(random() % 60)
FROM days, chans, gates, hours;

INSERT INTO analytics_visitor_daily (organizer_id, day, event_id, show_id, site_id, province, city, age_band, visitors)
WITH RECURSIVE ${days}, ${n('provs', 34)}, ${n('cities', 3)},
bands(b) AS (VALUES ('0-17'), ('18-24'), ('25-34'), ('35-44'), ('45-54'), ('55-64'), ('65+'), ('unknown'))
SELECT 'org_demo', d, '', '', '${siteId}', printf('%02d', 11 + provs.i), printf('%02d%02d', 11 + provs.i, 1 + cities.i), b,
  1 + abs(random() % 12)
FROM days, provs, cities, bands;

INSERT INTO analytics_buyer_months (organizer_id, buyer_key, month, cohort_month)
WITH RECURSIVE ${n('buyers', 250000)}, ${n('later', 3)}
SELECT 'org_demo', 'cus_' || buyers.i, printf('2026-%02d', min(12, 1 + buyers.i % 12 + later.i)), printf('2026-%02d', 1 + buyers.i % 12)
FROM buyers, later WHERE later.i <= buyers.i % 3
ON CONFLICT DO NOTHING;

INSERT INTO analytics_daily (organizer_id, day, kind, event_id, show_id, site_id, product_id, category, channel, source, device, buyer_type, events, orders, tickets, amount)
WITH RECURSIVE ${days}, ${prods}, ${chans}, ${n('sources', 10)},
devices(v) AS (VALUES ('mobile'), ('desktop'), ('tablet')), types(t) AS (VALUES ('new'), ('returning'))
SELECT 'org_demo', d, 'paid', '', '', '${siteId}', id, '', c, 'src' || sources.i, v, t, 3, 1 + abs(random() % 3), 3, 30000
FROM days, prods, chans, sources, devices, types;

-- The per-report rollups the capture batches would have kept beside these (worker/services/analytics/report-rollups.ts).
${reportRollupsFromDaily.map((sql) => `${sql};`).join('\n')}
`
}

function d1(persist: string, args: string[]) {
  const r = spawnSync(
    'node_modules/.bin/wrangler',
    ['d1', 'execute', 'DB', '--local', '--persist-to', persist, ...args],
    {
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    },
  )
  if (r.status !== 0) throw new Error(`d1 execute: ${r.stderr || r.stdout}`)
  return r.stdout
}

function rowCounts(persist: string) {
  const tables = [
    'analytics_secondary_daily',
    'analytics_copurchase_daily',
    'analytics_checkin_hourly',
    'analytics_visitor_daily',
    'analytics_buyer_months',
    'analytics_daily',
    'analytics_buyer_type_daily',
    'analytics_visitor_monthly',
    'analytics_copurchase_monthly',
    'analytics_cohort_counts',
  ]
  // D1 allows few terms in a compound SELECT: one scalar subquery per table instead.
  const sql = `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(', ')}`
  const out = JSON.parse(d1(persist, ['--json', '--command', sql])) as { results: Record<string, number>[] }[]
  return out[0]!.results[0]!
}

async function timed(requests: number, call: () => Promise<Response>) {
  const latencies: number[] = []
  for (let i = 0; i < 3; i++) await (await call()).arrayBuffer()
  for (let i = 0; i < requests; i++) {
    const started = performance.now()
    const res = await call()
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`report answered ${res.status}`)
    latencies.push(performance.now() - started)
  }
  latencies.sort((a, b) => a - b)
  const ms = (p: number) => Math.round(percentile(latencies, p) * 10) / 10
  return { requests, p50Ms: ms(50), p99Ms: ms(99) }
}

export async function scenicReportScenarios(tools: ReportBenchTools, requests = 40) {
  const port = 8795
  const persist = mkdtempSync(join(tmpdir(), 'bench-reports-scenic-'))
  const password = randomBytes(12).toString('base64url')
  const vars = {
    ENVIRONMENT: 'development',
    PAYMENT_PROVIDER: 'sandbox',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SANDBOX_PAYMENT_SECRET: randomBytes(32).toString('base64url'),
    DEV_OWNER_EMAIL: 'bench@demo.local',
    DEV_OWNER_PASSWORD: password,
  }
  const base = `http://127.0.0.1:${port}`
  tools.migrate('wrangler.toml', persist)
  let server = await tools.start('wrangler.toml', port, persist, vars)
  try {
    return await measure()
  } finally {
    await tools.stop(server)
  }

  async function measure() {
    await fetch(`${base}/api/dev/seed`, { method: 'POST' })
    const admin = await adminOverHttp(base, 'bench@demo.local', password)
    const site = await admin('/scenic-sites', 'POST', {
      name: '报表山',
      nameEn: 'Report Mountain',
      city: '杭州',
      cityEn: 'Hangzhou',
      dailyCapacity: 20000,
      timeSlots: slots.map((code) => ({
        code,
        start: code,
        end: `${Number(code.slice(0, 2)) + 2}:00`,
        capacity: 5000,
      })),
    })
    const products: string[] = []
    for (let i = 0; i < 8; i++) {
      const product = await admin('/visit-products', 'POST', {
        siteId: site.id,
        name: `产品 ${i}`,
        kind: i < 2 ? 'entry' : 'attraction',
        ticketType: 'general',
        price: 1000 * (i + 1),
        realNameRequired: false,
      })
      products.push(product.id!)
    }
    await tools.stop(server)
    const file = join(persist, 'generate.sql')
    writeFileSync(file, generatorSql(site.id!, products))
    const started = performance.now()
    d1(persist, ['--file', file])
    const generateSeconds = Math.round((performance.now() - started) / 100) / 10
    const rows = rowCounts(persist)
    server = await tools.start('wrangler.toml', port, persist, vars)
    const cookie = await signIn(base, password)
    const get = (path: string) => () =>
      fetch(`${base}/api/admin/organizers/org_demo/reports/${path}`, { headers: { cookie } })
    const range = `from=${from}&to=${to}`
    {
      const healthz = await timed(requests, () => fetch(`${base}/healthz`))
      const scenario = async (name: string, path: string) => ({
        name,
        layer: 'http' as const,
        baseline: false,
        ...(await timed(requests, get(path))),
        range: `${from}..${to}`,
        targetP99Ms: 1000,
      })
      const results = [
        { name: 'report-scenic baseline: GET /healthz', layer: 'http' as const, baseline: true, ...healthz },
        await scenario('report-visitors', `visitors?${range}`),
        await scenario('report-secondary', `secondary?${range}&siteId=${site.id}`),
        await scenario('report-copurchase', `copurchase?${range}&siteId=${site.id}`),
        await scenario('report-checkin', `checkin?${range}&siteId=${site.id}`),
      ]
      return results.map((r) => ({ ...r, holdsPerSecond: 0, oversold: 0, rollupRows: rows, generateSeconds }))
    }
  }
}

async function signIn(base: string, password: string) {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'bench@demo.local', password }),
  })
  if (!login.ok) throw new Error(`sign-in: ${login.status}`)
  return (login.headers.get('set-cookie') ?? '').split(';')[0]!
}

/** Each report's p50/p99 beside the same server's /healthz. */
export function printScenicReports(scenarios: { name: string; p50Ms?: unknown; p99Ms?: unknown }[]) {
  const floor = scenarios.find((s) => s.name === 'report-scenic baseline: GET /healthz')
  if (!floor) return
  for (const s of scenarios.filter((x) => /^report-(visitors|secondary|copurchase|checkin)$/.test(x.name)))
    console.log(
      `${s.name}: p50 ${s.p50Ms} ms, p99 ${s.p99Ms} ms (target p99 < 1000) beside /healthz p50 ${floor.p50Ms} ms, p99 ${floor.p99Ms} ms`,
    )
}
