// One buyer process of `stadium-onsale` (started by stadium-harness.ts; several run at once, each its slice of
// the crowd): buyers as small state machines on one 50 ms timer wheel, their due steps sent to the bench worker
// in batches (bench-stadium-ops.ts). A buyer joins at arrival, reads their place as the live page would be told
// it (before the opening: once, within 5 s of it, standing for the opening's push to every socket; after it:
// every half of their estimated wait, between 1 s near the front and 25 s, the page's keep-alive ping), holds
// 0.5–2 s after being admitted (another zone, up to three tries, if theirs sold out), pays 1–5 s later or never
// (20%), and walks away when refused. Prints its figures as one JSON line at the end.
import { crowdOf, rng } from './stadium-crowd.ts'

interface Config {
  base: string
  from: number
  to: number
  seats: number
  buyers: number
  opensAt: number
  giveUpAt: number
  proc: number
}

const config = JSON.parse(process.argv[2]!) as Config
const crowd = crowdOf(config.seats, config.buyers).slice(config.from, config.to)
const rand = rng(7_919 * (config.proc + 1))
const SLOT_MS = 50
const BATCH = 400
const IN_FLIGHT = 6
const MONEY_IN_FLIGHT = 2

const Phase = { Arriving: 0, Waiting: 1, Admitted: 2, Paying: 3, Done: 4 } as const
const phase = new Uint8Array(crowd.length)
const attempt = new Uint8Array(crowd.length)
const pass: (string | undefined)[] = new Array(crowd.length)
const holdOf: (string | undefined)[] = new Array(crowd.length)
/** When the buyer got their pass, and when their due step went into `pending` (the process's own queue). */
const passAt = new Float64Array(crowd.length)
const queuedAt = new Float64Array(crowd.length)

const wheel = new Map<number, number[]>()
let nextSlot = Math.floor(Date.now() / SLOT_MS)
/** Each buyer's one live wake-up: a read planned before a pushed admission is not acted on. */
const wakeSlot = new Float64Array(crowd.length)
function at(i: number, when: number) {
  const slot = Math.max(nextSlot, Math.ceil(when / SLOT_MS))
  wakeSlot[i] = slot
  const due = wheel.get(slot)
  if (due) due.push(i)
  else wheel.set(slot, [i])
}

type Op = Record<string, unknown> & { k: string }
/**
 * Due steps not yet sent: joins and position reads, and the money steps (holds, payments) in a lane of their own
 * (MONEY_IN_FLIGHT requests besides the IN_FLIGHT of the others). In a shop each buyer's hold is its own request;
 * batching buyers is this harness's economy, so a hold must not wait behind thousands of other buyers' reads here
 * (that wait, up to 21 s, lapsed the bench's 20 s passes), nor for a slot those reads hold.
 */
const pending: { i: number; op: Op }[] = []
/**
 * Reads of buyers near the front (their last answer within FRONT_POSITIONS), sent before the others: on sale the
 * front is pushed its admission by the room's tick over the socket, while far-back buyers only ping to stay
 * counted. In one FIFO an admission waited behind tens of thousands of keep-alive reads (up to 70 s at full
 * size) and following mode turned over only as fast as that queue.
 */
const front: { i: number; op: Op }[] = []
const FRONT_POSITIONS = 2_000
const near = new Uint8Array(crowd.length)
const money: { i: number; op: Op }[] = []
let inFlight = 0
let moneyInFlight = 0
let over = false
let done = 0
const stats = {
  proc: config.proc,
  buyers: crowd.length,
  batches: 0,
  ops: 0,
  batchMs: [] as number[],
  reads: 0,
  admitted: 0,
  holds: 0,
  held: 0,
  paid: 0,
  walkedAway: 0,
  neverPaid: 0,
  leftQueue: 0,
  /** Of the admitted, those who learned it from a push (`push=1`) rather than their own read. */
  pushed: 0,
  errors: 0,
  /** Per hold sent: how old its pass was, and how long the step waited in this process's queue. */
  passAgeAtSendMs: [] as number[],
  holdQueuedMs: [] as number[],
  /** The longest this process's queue of due steps got. */
  maxPending: 0,
}

for (const [i, buyer] of crowd.entries()) at(i, config.opensAt + buyer.arrives * 1000)

/** When a waiting buyer next learns their place (see the header). */
function nextRead(answer: { p: number | null; w: number | null }, now: number) {
  if (now < config.opensAt) return config.opensAt + rand() * 5_000
  if (answer.p === null) return now + 2_000
  if (answer.w === null) return now + 5_000
  return now + Math.min(25_000, Math.max(1_000, answer.w * 500)) * (0.8 + 0.4 * rand())
}

function finish(i: number) {
  phase[i] = Phase.Done
  done++
}

function act(i: number) {
  const buyer = crowd[i]!
  queuedAt[i] = Date.now()
  switch (phase[i]) {
    case Phase.Arriving:
      pending.push({ i, op: { k: 'j', b: buyer.id, h: `id:${buyer.idNumbers[0]!}` } })
      phase[i] = Phase.Waiting
      break
    case Phase.Waiting:
      stats.reads++
      ;(near[i] ? front : pending).push({ i, op: { k: 'v', b: buyer.id } })
      break
    case Phase.Admitted:
      stats.holds++
      money.push({
        i,
        op: {
          k: 'h',
          b: buyer.id,
          pass: pass[i],
          ids: buyer.idNumbers,
          z: buyer.zone + attempt[i]!,
          a: attempt[i],
        },
      })
      break
    case Phase.Paying:
      money.push({ i, op: { k: 'c', b: buyer.id, hold: holdOf[i] } })
      break
  }
}

/** The buyer's pass arrived (their read's answer, or a push): they hold 0.5–2 s later. */
function admitted(i: number, givenPass: string, now: number) {
  pass[i] = givenPass
  passAt[i] = now
  phase[i] = Phase.Admitted
  stats.admitted++
  at(i, now + 500 + rand() * 1_500)
}

const indexOf = new Map(crowd.map((buyer, i) => [buyer.id, i]))

// biome-ignore lint/suspicious/noExplicitAny: the worker's answers, shaped by bench-stadium-ops.ts
function apply(i: number, op: Op, answer: any, now: number) {
  const buyer = crowd[i]!
  if (op.k === 'j' || op.k === 'v') {
    // Pushed its admission while this read was on its way: the push already moved the buyer on.
    if (phase[i] !== Phase.Waiting) return
    if (answer.s === 'admitted' && answer.pass) admitted(i, answer.pass, now)
    else if (answer.s === 'waiting') {
      near[i] = answer.p !== null && answer.p <= FRONT_POSITIONS ? 1 : 0
      at(i, nextRead(answer, now))
    } else {
      stats.leftQueue++
      finish(i)
    }
  } else if (op.k === 'h') {
    if (answer.ok) {
      stats.held++
      if (!buyer.pays) {
        stats.neverPaid++
        return finish(i)
      }
      holdOf[i] = answer.hold
      phase[i] = Phase.Paying
      at(i, now + 1_000 + rand() * 4_000)
    } else if (answer.code === 'sold_out' && attempt[i]! < 2) {
      attempt[i]!++
      at(i, now + 500 + rand() * 2_000)
    } else {
      stats.walkedAway++
      finish(i)
    }
  } else {
    if (answer.ok) stats.paid++
    finish(i)
  }
}

async function send(batch: { i: number; op: Op }[], lane: 'money' | 'reads') {
  if (lane === 'money') moneyInFlight++
  else inFlight++
  const t0 = Date.now()
  for (const { i, op } of batch)
    if (op.k === 'h') {
      stats.passAgeAtSendMs.push(t0 - passAt[i]!)
      stats.holdQueuedMs.push(t0 - queuedAt[i]!)
    }
  try {
    const res = await fetch(`${config.base}/stadium/ops?proc=${config.proc}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(batch.map((b) => b.op)),
    })
    const body = (await res.json()) as {
      answers: unknown[]
      soldOut: boolean
      pushed?: { b: string; pass: string }[]
      error?: string
    }
    if (!res.ok) throw new Error(body.error)
    const now = Date.now()
    stats.batchMs.push(now - t0)
    stats.batches++
    stats.ops += batch.length
    for (const [k, { i, op }] of batch.entries()) apply(i, op, body.answers[k], now)
    for (const { b, pass: given } of body.pushed ?? []) {
      const i = indexOf.get(b)
      if (i === undefined || phase[i] !== Phase.Waiting) continue
      stats.pushed++
      admitted(i, given, now)
    }
    if (body.soldOut) over = true
  } catch (error) {
    stats.errors++
    if (stats.errors <= 3) console.error(`buyers ${config.proc}: ${String(error).slice(0, 300)}`)
    // Those buyers try the same step again a second later.
    for (const { i } of batch) at(i, Date.now() + 1_000)
  } finally {
    if (lane === 'money') moneyInFlight--
    else inFlight--
    flush()
  }
}

function flush() {
  stats.maxPending = Math.max(stats.maxPending, pending.length + front.length + money.length)
  while (!over && money.length > 0 && moneyInFlight < MONEY_IN_FLIGHT)
    void send(money.splice(0, BATCH), 'money')
  while (!over && front.length + pending.length > 0 && inFlight < IN_FLIGHT) {
    const batch = front.splice(0, BATCH)
    void send(batch.length < BATCH ? batch.concat(pending.splice(0, BATCH - batch.length)) : batch, 'reads')
  }
}

const cpuSeconds = () => {
  const used = process.cpuUsage()
  return (used.user + used.system) / 1e6
}

const timer = setInterval(() => {
  const now = Date.now()
  for (const slot = Math.floor(now / SLOT_MS); nextSlot <= slot; nextSlot++) {
    for (const i of wheel.get(nextSlot) ?? [])
      if (phase[i] !== Phase.Done && wakeSlot[i] === nextSlot) {
        wakeSlot[i] = -1
        act(i)
      }
    wheel.delete(nextSlot)
  }
  flush()
  if (over || now > config.giveUpAt || done === crowd.length) {
    over = true
    if (inFlight + moneyInFlight > 0) return
    clearInterval(timer)
    const pick = (xs: number[]) => {
      const sorted = xs.sort((a, b) => a - b)
      return (q: number) => sorted[Math.min(sorted.length - 1, Math.floor((q / 100) * sorted.length))] ?? null
    }
    const [batch, passAge, holdQueued] = [
      pick(stats.batchMs),
      pick(stats.passAgeAtSendMs),
      pick(stats.holdQueuedMs),
    ]
    process.stdout.write(
      `${JSON.stringify({
        ...stats,
        batchMs: undefined,
        passAgeAtSendMs: undefined,
        holdQueuedMs: undefined,
        p50BatchMs: batch(50),
        p99BatchMs: batch(99),
        p50PassAgeAtHoldMs: passAge(50),
        p99PassAgeAtHoldMs: passAge(99),
        p50HoldQueuedMs: holdQueued(50),
        p99HoldQueuedMs: holdQueued(99),
        unfinished: crowd.length - done,
        cpuSeconds: cpuSeconds(),
      })}\n`,
    )
  }
}, SLOT_MS)
