// `stadium-onsale` with its buyers in Node processes (stadium-buyers.ts) instead of inside workerd: the bench
// worker opens the on-sale (bench-stadium-ops.ts), BENCH_STADIUM_PROCS processes (default 2) each drive a slice of
// the crowd, and the worker's own figures (oversold, limits, fairness, latencies measured around each actor call)
// come back from `/stadium/report`, beside the processes' (batch round trips, what buyers did) and the load.
import { spawn } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { connectProfiler } from './cpu-profile.ts'
import { ARRIVAL_SECONDS, GIVE_UP_SECONDS, STADIUM_BUYERS, STADIUM_SEATS } from './stadium-crowd.ts'

const load = () => loadavg().map((n) => Math.round(n * 10) / 10)

/** CPU seconds used so far by a process and everything it started (the bench server: wrangler and its workerd). */
export function treeCpuSeconds(root: number): number {
  const tick = 100 // USER_HZ on Linux
  let total = 0
  const visit = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      total += (Number(fields[11]) + Number(fields[12])) / tick
      for (const task of readdirSync(`/proc/${pid}/task`))
        for (const child of readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' '))
          if (child.trim()) visit(Number(child))
    } catch {
      // gone
    }
  }
  visit(root)
  return Math.round(total * 100) / 100
}

export async function stadiumOverProcesses(
  base: string,
  shape: string,
  procs: number,
  serverPid?: number,
  inspectorPort?: number,
) {
  const params = new URLSearchParams(shape.replace(/^&/, ''))
  const loadBefore = load()
  // The worker sets the opening once the show is ready: the first arrivals come 3 s after its answer.
  params.set('lead', String((ARRIVAL_SECONDS / 2) * 1000 + 3_000))
  const res = await fetch(`${base}/stadium/open?${params}`, { method: 'POST' })
  console.log(`  stadium-onsale: opened at ${new Date().toISOString()}, load ${load().join(' ')}`)
  const opened = (await res.json()) as {
    showId: string
    seats: number
    buyers: number
    shards: number
    opensAt: number
    error?: string
  }
  if (!res.ok) throw new Error(`stadium open: ${opened.error}`)
  const per = Math.ceil(opened.buyers / procs)
  const giveUpSeconds = Number(params.get('giveUp') ?? GIVE_UP_SECONDS)
  const serverCpuBefore = serverPid ? treeCpuSeconds(serverPid) : null
  const startedAt = Date.now()
  // BENCH_PROFILE: the workerd isolate's CPU profile (every actor and the bench worker) over the first
  // BENCH_PROFILE_SECONDS (default 60) after the opening, when joins, reads and holds all run.
  const profiling = inspectorPort
    ? (async () => {
        const profiler = await connectProfiler(inspectorPort)
        await new Promise((r) => setTimeout(r, Math.max(0, opened.opensAt - Date.now())))
        await profiler.start()
        await new Promise((r) => setTimeout(r, Number(process.env.BENCH_PROFILE_SECONDS ?? 60) * 1000))
        await profiler.stop()
        const summary = profiler.summary(40)
        profiler.close()
        return summary
      })()
    : undefined
  const outputs = await Promise.all(
    Array.from({ length: procs }, (_, proc) => {
      const config = {
        base,
        from: proc * per,
        to: Math.min(opened.buyers, (proc + 1) * per),
        seats: opened.seats,
        buyers: opened.buyers,
        opensAt: opened.opensAt,
        giveUpAt: opened.opensAt + giveUpSeconds * 1000,
        proc,
      }
      return new Promise<Record<string, number>>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          [...process.execArgv, 'test/bench/stadium-buyers.ts', JSON.stringify(config)],
          { stdio: ['ignore', 'pipe', 'inherit'] },
        )
        let out = ''
        child.stdout.on('data', (chunk) => {
          out += chunk
        })
        child.on('exit', (code) =>
          code === 0
            ? resolve(JSON.parse(out.trim().split('\n').at(-1)!))
            : reject(new Error(`buyers ${proc}: ${code}`)),
        )
      })
    }),
  )
  const cpuProfile = await profiling
  const wallSeconds = Math.round((Date.now() - startedAt) / 100) / 10
  const serverCpu = serverPid && serverCpuBefore !== null ? treeCpuSeconds(serverPid) - serverCpuBefore : null
  console.log(`  stadium-onsale: buyers done at ${new Date().toISOString()}, load ${load().join(' ')}`)
  const reportRes = await fetch(`${base}/stadium/report`)
  const report = (await reportRes.json()) as Record<string, unknown> & { error?: string }
  if (!reportRes.ok) throw new Error(`stadium report: ${report.error}`)
  const ended =
    (report as { secondsToSellOut?: number | null }).secondsToSellOut != null
      ? 'sold out'
      : `gave up ${giveUpSeconds} s after the opening`
  const sum = (key: string) => outputs.reduce((n, o) => n + (o[key] ?? 0), 0)
  return {
    name: 'stadium-onsale',
    layer: 'do' as const,
    baseline: false,
    holdsPerSecond: 0,
    waitingRoom: true,
    harness: 'buyer processes',
    giveUpSeconds,
    ended,
    ...report,
    buyersDid: Object.fromEntries(
      [
        'reads',
        'admitted',
        'holds',
        'held',
        'paid',
        'neverPaid',
        'walkedAway',
        'leftQueue',
        'pushed',
        'unfinished',
        'errors',
      ].map((k) => [k, sum(k)]),
    ),
    harnessProcesses: procs,
    harnessBatches: sum('batches'),
    harnessOps: sum('ops'),
    harnessP99BatchMs: Math.max(...outputs.map((o) => o.p99BatchMs ?? 0)),
    harnessP50BatchMs: Math.max(...outputs.map((o) => o.p50BatchMs ?? 0)),
    // A hold's wait in a buyer process before it was sent: its pass's age then, and its time in the queue of due
    // steps (the process sends 6 batches of 400 at a time; the rest wait their turn).
    harnessPassAgeAtHoldMs: ['p50PassAgeAtHoldMs', 'p99PassAgeAtHoldMs'].map((k) =>
      Math.max(...outputs.map((o) => o[k] ?? 0)),
    ),
    harnessHoldQueuedMs: ['p50HoldQueuedMs', 'p99HoldQueuedMs'].map((k) =>
      Math.max(...outputs.map((o) => o[k] ?? 0)),
    ),
    harnessMaxPending: Math.max(...outputs.map((o) => o.maxPending ?? 0)),
    // Where the time went: CPU seconds of the bench server (workerd: every actor) and of the buyer processes.
    wallSeconds,
    serverCpuSeconds: serverCpu === null ? null : Math.round(serverCpu * 10) / 10,
    harnessCpuSeconds: Math.round(outputs.reduce((n, o) => n + (o.cpuSeconds ?? 0), 0) * 10) / 10,
    loadBefore,
    loadAfter: load(),
    ...(cpuProfile ? { cpuProfile } : {}),
    defaults: { seats: STADIUM_SEATS, buyers: STADIUM_BUYERS },
  }
}
