// Gate layer of `npm run bench` (`BENCH_LAYER=gate` runs it alone): the offline decision
// (worker/domain/gate-decision.ts, the code the gate app runs) beside jose's compactVerify alone on the same
// tokens as the baseline (the signature check is the floor). run.ts starts this file as its own process
// pinned to one core (`taskset -c 0`), so every thread (including Web Crypto's worker) shares that core.
// Throughput: 16 decisions in flight; latency (p50/p99): one scan after another, as at a real gate.
import { spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { type CryptoKey, compactVerify, importJWK, type JWK } from 'jose'
import {
  createGate,
  type GateScopeEntry,
  importTicketKeys,
  type PriorAdmission,
} from '../../worker/domain/gate-decision.ts'
import { rotatingCode, ticketSecret } from '../../worker/domain/rotating-code.ts'
import { eventKey, signingKeyFrom, signTicket } from '../../worker/domain/ticket-token.ts'
import { percentile } from './percentile.ts'

const TICKETS = 2_000
const REVOKED = 10_000
const LOGGED = 10_000
const SECONDS = Number(process.env.BENCH_GATE_SECONDS ?? 3)
const IN_FLIGHT = 16

export interface GateScenario {
  name: string
  layer: 'gate'
  verificationsPerSecond: number
  /** Per second of CPU time the process used (all its threads, pinned to one core): what one free core does. */
  verificationsPerCpuSecond: number
  p50Ms: number
  p99Ms: number
  baseline: boolean
  decisions: number
  admitted: number
}

function newKey(kid: string) {
  const { privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' }) as JWK
  const { d: _private, ...pub } = jwk
  return { priv: { ...jwk, kid, alg: 'EdDSA' } as JWK & { kid: string }, pub: { ...pub, kid, alg: 'EdDSA' } }
}

/** Throughput with `IN_FLIGHT` decisions pending for `SECONDS`; then latency one at a time for a second. */
async function measure(name: string, baseline: boolean, step: (i: number) => Promise<boolean>) {
  for (let i = 0; i < 500; i++) await step(i)
  let done = 0
  let admitted = 0
  const started = performance.now()
  const cpuBefore = process.cpuUsage()
  const deadline = started + SECONDS * 1000
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (performance.now() < deadline) {
        if (await step(done++)) admitted++
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const latencies: number[] = []
  const latencyDeadline = performance.now() + 1000
  for (let i = 0, now = 0; now < latencyDeadline; i++) {
    const t0 = performance.now()
    await step(i)
    now = performance.now()
    latencies.push(now - t0)
  }
  latencies.sort((a, b) => a - b)
  const round = (ms: number) => Math.round(ms * 1000) / 1000
  return {
    name,
    layer: 'gate',
    verificationsPerSecond: Math.round(done / elapsed),
    verificationsPerCpuSecond: Math.round(done / ((cpu.user + cpu.system) / 1e6)),
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
    baseline,
    decisions: done,
    admitted,
  } satisfies GateScenario
}

async function gateScenarios(): Promise<GateScenario[]> {
  const current = newKey('kB')
  const previous = newKey('kA')
  const signing = await signingKeyFrom(current.priv)
  const showId = 'shw_01JDEMO0SHOW0A1B2C3D4E5F6G'
  const now = Date.now()
  const nbf = Math.floor(now / 1000) - 3600
  const exp = nbf + 8 * 3600
  const ids = Array.from({ length: TICKETS }, (_, i) => `tkt_${String(i).padStart(16, '0')}`)
  const tokens = await Promise.all(
    ids.map((tid, i) => signTicket({ tid, ev: showId, it: `Stalls-A-${i}`, nbf, exp }, signing)),
  )
  const entry = (rotating: boolean): GateScopeEntry => ({
    kind: 'show',
    id: showId,
    evKey: eventKey(showId),
    label: 'Bench',
    day: new Date(now).toISOString().slice(0, 10),
    validFrom: new Date(nbf * 1000).toISOString(),
    validUntil: new Date(exp * 1000).toISOString(),
    eventId: 'evt_bench',
    rotatingCode: rotating,
  })
  // Keys imported once, as the gate app does at start-up and after each sync.
  const keys = await importTicketKeys([current.pub, previous.pub])
  // A realistic local state: a large revocation set and scan log, none of which match these tickets.
  const revoked = new Set(Array.from({ length: REVOKED }, (_, i) => `tkt_R${String(i).padStart(15, '0')}`))
  const log = new Map<string, PriorAdmission>(
    Array.from({ length: LOGGED }, (_, i) => [
      `tkt_L${String(i).padStart(15, '0')}`,
      { at: now, gateName: 'N' },
    ]),
  )
  const profile = {
    deviceId: 'gdv_bench',
    organizerId: 'org_bench',
    gateName: 'Bench',
    direction: 'entry' as const,
    timezone: 'Asia/Shanghai',
    scope: [entry(false)],
    eventSecrets: {},
  }
  const gate = createGate(profile, keys)
  const secret = crypto.getRandomValues(new Uint8Array(32))
  const rotatingGate = createGate(
    {
      ...profile,
      scope: [entry(true)],
      eventSecrets: { evt_bench: Buffer.from(secret).toString('base64url') },
    },
    keys,
  )
  const codes = await Promise.all(ids.map(async (tid) => rotatingCode(await ticketSecret(secret, tid), now)))
  const rawKey = (await importJWK(current.pub, 'EdDSA')) as CryptoKey

  const results: GateScenario[] = []
  results.push(
    await measure('gate decision, offline (verify + scope + revoked + already used)', false, async (i) => {
      const d = await gate.decide({ scan: tokens[i % TICKETS]!, revoked, admitted: log, now })
      return d.admit
    }),
  )
  results.push(
    await measure(
      'gate decision, offline, with rotating code (2 HMACs and a key import more)',
      false,
      async (i) => {
        const k = i % TICKETS
        const d = await rotatingGate.decide({
          scan: `${tokens[k]}~${codes[k]}`,
          revoked,
          admitted: log,
          now,
        })
        return d.admit
      },
    ),
  )
  results.push(
    await measure('baseline: jose compactVerify alone (key imported once)', true, async (i) => {
      await compactVerify(tokens[i % TICKETS]!, rawKey, { algorithms: ['EdDSA'] })
      return true
    }),
  )
  return results
}

/** Prints the gate figures (also merged into bench-results.json by run.ts). */
export function printGate(results: GateScenario[]) {
  console.log(
    `\n${'gate scenario (one core)'.padEnd(70)} ${'verif/s'.padStart(8)} ${'/cpu-s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}`,
  )
  for (const r of results)
    console.log(
      `${`${r.baseline ? '  ' : '* '}${r.name}`.padEnd(70)} ${String(r.verificationsPerSecond).padStart(8)} ${String(r.verificationsPerCpuSecond).padStart(8)} ${String(r.p50Ms).padStart(7)} ${String(r.p99Ms).padStart(7)}`,
    )
}

/** Runs this file pinned to one core and returns its scenarios. */
export function gateLayer(): GateScenario[] {
  const pin = spawnSync('taskset', ['--version']).status === 0 ? ['taskset', '-c', '0'] : []
  const [command, ...args] = [...pin, process.execPath, 'test/bench/gate-decision.ts', '--child']
  const child = spawnSync(command!, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  if (child.status !== 0) throw new Error(`gate bench failed (${child.status})`)
  return JSON.parse(child.stdout) as GateScenario[]
}

if (process.argv.includes('--child')) {
  gateScenarios().then((results) => process.stdout.write(JSON.stringify(results)))
}
