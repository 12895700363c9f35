// Event capture's cost on the hold path (issue 23: at most 5% of the hold path's figure, same run). Two copies of
// the real app under wrangler dev, each with fresh local state, the demo data and its own 20,000-seat arena: one as
// deployed (each hold queues its analytics event in `waitUntil`, the same worker consumes the queue into D1) and one
// with `ANALYTICS_CAPTURE=off`. The same best-available holds go to each in alternating rounds (ABBA), so a change in
// the machine's speed falls on both alike; each figure is taken over all its rounds. Afterwards the captured side's
// local D1 is read to show the holds really were captured (rolled up), not dropped.
import type { ChildProcess } from 'node:child_process'
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminOverHttp, gridShowOnSale } from '../support/admin-over-http.ts'
import { type CpuProfiler, connectProfiler } from './cpu-profile.ts'
import { percentile } from './percentile.ts'
import { treeCpuSeconds } from './stadium-harness.ts'

type LoadResult = { elapsed: number; latencies: number[]; statuses: Map<number, number> }
export interface CaptureBenchTools {
  start: (
    config: string,
    port: number,
    persist: string,
    vars?: Record<string, string>,
  ) => Promise<ChildProcess>
  stop: (child: ChildProcess) => Promise<void>
  migrate: (config: string, persist: string) => void
  load: (clients: number, seconds: number, request: () => Promise<Response>) => Promise<LoadResult>
  clientAddress: () => string
  /** BENCH_PROFILE: each side's inspector, for a CPU profile of its isolate over its rounds (cpu-profile.ts). */
  inspectorPorts?: { on: number; off: number }
  clients: number
  seconds: number
  rounds: number
}

async function arena(tools: CaptureBenchTools, port: number, vars: Record<string, string>) {
  const persist = mkdtempSync(join(tmpdir(), 'bench-capture-'))
  const password = randomBytes(12).toString('base64url')
  tools.migrate('wrangler.toml', persist)
  const server = await tools.start('wrangler.toml', port, persist, {
    ENVIRONMENT: 'development',
    PAYMENT_PROVIDER: 'sandbox',
    SESSION_SECRET: randomBytes(32).toString('base64url'),
    SANDBOX_PAYMENT_SECRET: randomBytes(32).toString('base64url'),
    DEV_OWNER_EMAIL: 'bench@demo.local',
    DEV_OWNER_PASSWORD: password,
    ...vars,
  })
  const base = `http://127.0.0.1:${port}`
  await fetch(`${base}/api/dev/seed`, { method: 'POST' })
  const admin = await adminOverHttp(base, 'bench@demo.local', password)
  const showId = await gridShowOnSale(admin, {
    rows: 400,
    venueName: 'Capture Arena',
    maxTicketsPerBuyer: 10,
    price: 50000,
  })
  await fetch(`${base}/api/shows/${showId}`)
  return { server, persist, base, showId }
}

/** Holds captured and rolled up in a stopped server's local D1 (wrangler d1 execute). */
function capturedHolds(persist: string): number | null {
  const r = spawnSync(
    'node_modules/.bin/wrangler',
    [
      'd1',
      'execute',
      'DB',
      '--local',
      '--persist-to',
      persist,
      '--json',
      '--command',
      "SELECT coalesce(sum(events), 0) AS n FROM analytics_daily WHERE kind = 'hold'",
    ],
    { encoding: 'utf8', env: { ...process.env, WRANGLER_SEND_METRICS: 'false' } },
  )
  try {
    return (JSON.parse(r.stdout) as { results: { n: number }[] }[])[0]!.results[0]!.n
  } catch {
    return null
  }
}

/** The captured side's port; the other side's is the next (BENCH_CAPTURE_PORT: another checkout may hold 8793–8794). */
export const CAPTURE_PORT = Number(process.env.BENCH_CAPTURE_PORT ?? 8793)

export async function captureScenarios(tools: CaptureBenchTools) {
  const on = await arena(tools, CAPTURE_PORT, {})
  const off = await arena(tools, CAPTURE_PORT + 1, { ANALYTICS_CAPTURE: 'off' })
  const hold = (side: typeof on) => () =>
    fetch(`${side.base}/api/shows/${side.showId}/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'cf-connecting-ip': tools.clientAddress() },
      body: JSON.stringify({
        best: { category: 'A', quantity: 1 + Math.floor(Math.random() * 2), allowSplit: true },
      }),
    })
  const rounds = { on: [] as LoadResult[], off: [] as LoadResult[] }
  const profilers: { on?: CpuProfiler; off?: CpuProfiler } = tools.inspectorPorts
    ? {
        on: await connectProfiler(tools.inspectorPorts.on),
        off: await connectProfiler(tools.inspectorPorts.off),
      }
    : {}
  // CPU seconds of each server (wrangler and its workerd) over all rounds and the pauses after them, where the
  // captured side's last queue batch lands: CPU per hold is far less moved by other load on the host than holds/s.
  const cpu = () => ({ on: treeCpuSeconds(on.server.pid!), off: treeCpuSeconds(off.server.pid!) })
  const cpuBefore = cpu()
  // Each side gets `seconds` in all, in `rounds` windows.
  const window = tools.seconds / tools.rounds
  const cpuSeconds = { on: 0, off: 0 }
  try {
    for (let round = 0; round < tools.rounds * 2; round++) {
      // ABBA: on, off, off, on, on, off, …
      const first = round % 4 === 0 || round % 4 === 3 ? 'on' : 'off'
      await profilers[first]?.start()
      rounds[first].push(await tools.load(tools.clients, window, hold(first === 'on' ? on : off)))
      // Let the captured side's last queue batch (at most 2 s away) land before the other side's round starts.
      await new Promise((resolve) => setTimeout(resolve, 2500))
      await profilers[first]?.stop()
    }
    const cpuAfter = cpu()
    cpuSeconds.on = Math.round((cpuAfter.on - cpuBefore.on) * 100) / 100
    cpuSeconds.off = Math.round((cpuAfter.off - cpuBefore.off) * 100) / 100
  } finally {
    profilers.on?.close()
    profilers.off?.close()
    await tools.stop(on.server)
    await tools.stop(off.server)
  }
  const figures = (runs: LoadResult[]) => {
    const latencies = runs.flatMap((r) => r.latencies).sort((a, b) => a - b)
    const elapsed = runs.reduce((t, r) => t + r.elapsed, 0)
    const ok = runs.reduce((n, r) => n + (r.statuses.get(201) ?? 0), 0)
    const ms = (p: number) => Math.round(percentile(latencies, p) * 10) / 10
    return { holdsPerSecond: Math.round(ok / elapsed), holds: ok, p50Ms: ms(50), p99Ms: ms(99) }
  }
  const withCapture = figures(rounds.on)
  const without = figures(rounds.off)
  const cpuMsPerHold = {
    on: Math.round(((cpuSeconds.on * 1000) / Math.max(1, withCapture.holds)) * 100) / 100,
    off: Math.round(((cpuSeconds.off * 1000) / Math.max(1, without.holds)) * 100) / 100,
  }
  const ratio = Math.round((withCapture.holdsPerSecond / Math.max(1, without.holdsPerSecond)) * 1000) / 1000
  return [
    {
      name: 'capture: holds without event capture',
      layer: 'http' as const,
      baseline: true,
      ...without,
      oversold: 0,
      clients: tools.clients,
    },
    {
      name: 'capture: holds with event capture',
      layer: 'http' as const,
      baseline: false,
      ...withCapture,
      oversold: 0,
      clients: tools.clients,
      ratioToWithout: ratio,
      // Target: capture costs at most 5% of the hold path's holds/s.
      overheadPercent: Math.round((1 - ratio) * 1000) / 10,
      p50OverheadMs: Math.round((withCapture.p50Ms - without.p50Ms) * 10) / 10,
      capturedHolds: capturedHolds(on.persist),
      // The servers' CPU per hold made, each side over its own rounds (less moved by the host's other load).
      cpuMsPerHold,
      cpuOverheadPercent: Math.round((cpuMsPerHold.on / Math.max(0.001, cpuMsPerHold.off) - 1) * 1000) / 10,
      ...(profilers.on && profilers.off
        ? { cpuProfile: { withCapture: profilers.on.summary(40), without: profilers.off.summary(40) } }
        : {}),
    },
  ]
}
