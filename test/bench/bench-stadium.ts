import { HoldQueue } from '../../durable-objects/shared/hold-queue.ts'
import type { ShowHoldOutcome, ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'
import type { BenchShowInventory } from './bench-show-inventory.ts'
import { percentile } from './percentile.ts'
import {
  ARRIVAL_SECONDS,
  type Buyer,
  buyers,
  GIVE_UP_SECONDS,
  rng,
  STADIUM_BUYERS,
  STADIUM_HOLD_SECONDS,
  STADIUM_MAX_PER_BUYER,
  STADIUM_SEATS,
} from './stadium-crowd.ts'

// `stadium-onsale`: a 50,000-seat show put on sale to 200,000 simulated buyers arriving over a minute, half of
// them before the opening, each wanting 1–4 seats (one real-name ID per seat, 4 per buyer at most); 20% of the
// buyers who get seats never pay, and their holds expire (shortened for the bench) so the seats sell again.
// Buyers queue in a waiting room (`WaitingRoomPort`, the WaitingRoom actor's RPC) and hold only once admitted,
// through the hold gateways' coalescing queue into the real show actor. Without a port (`direct`), every buyer
// goes straight for seats at arrival (arrivals before the opening at the opening): the figures without a queue.
// Reported: seconds to sell out, oversold seats, violations of the per-buyer and per-ID limits, the fairness of
// admission after the opening (rank correlation of arrival and admission, over those admitted; and of arrival and
// place in the rooms' order, over everyone who joined after it: bench-waiting-room.ts fairnessAfterOpening), p99 of
// a hold and a position update.

export {
  rankCorrelation,
  STADIUM_BUYERS,
  STADIUM_HOLD_SECONDS,
  STADIUM_MAX_PER_BUYER,
  STADIUM_PASS_SECONDS,
  STADIUM_SEATS,
} from './stadium-crowd.ts'

/** A buyer's place as the waiting room answers it (the brief's `place`, with the pass when admitted). */
export interface Place {
  state: 'waiting' | 'admitted' | 'expired'
  position: number | null
  estimatedWaitSeconds?: number | null
  pass?: string
}

/** The waiting room as the harness drives it: the WaitingRoom actor's RPC (bench-waiting-room.ts). */
export interface WaitingRoomPort {
  /** Switches the on-sale's waiting room on, opening at `opensAt` (epoch ms). */
  open(opensAt: number): Promise<void>
  /** `idHash`: the buyer's first real-name ID (one place per ID). */
  join(buyerId: string, idHash: string): Promise<Place>
  /** This buyer's place now (what the live page is pushed). */
  place(buyerId: string): Promise<Place>
  /** Whether a pass admits this buyer to hold now (the hold route's check). */
  passAdmits(buyerId: string, pass: string): Promise<boolean>
  /** The admitted buyer holds seats (they stop competing for what is left). */
  held(buyerId: string): Promise<void>
  /** The admitted buyer ordered, or gave up: the room may admit the next. */
  done(buyerId: string, ordered: boolean): Promise<void>
}

/**
 * Buyers' waits on one clock: a worker may keep only 10,000 timeouts, and 20,000 buyers or more each waiting on
 * its own would pass it. Wake-ups are kept in 50 ms slots that one interval releases.
 */
class BuyerClock {
  private slots = new Map<number, (() => void)[]>()
  private next = Math.floor(Date.now() / 50)
  private readonly timer = setInterval(() => this.release(), 50)

  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    // Never a slot already released (the clock may read a little behind between I/O).
    const slot = Math.max(this.next, Math.ceil((Date.now() + ms) / 50))
    return new Promise((resolve) => {
      const waiting = this.slots.get(slot)
      if (waiting) waiting.push(resolve)
      else this.slots.set(slot, [resolve])
    })
  }

  private release() {
    const now = Math.floor(Date.now() / 50)
    for (; this.next <= now; this.next++) {
      for (const resolve of this.slots.get(this.next) ?? []) resolve()
      this.slots.delete(this.next)
    }
  }

  stop() {
    clearInterval(this.timer)
  }
}

export async function stadiumOnsale(
  show: DurableObjectStub<BenchShowInventory>,
  showId: string,
  zones: string[],
  room: WaitingRoomPort | null,
  options: {
    buyers?: number
    seats?: number
    /** The fairness figures after the opening against this arrival order (bench-waiting-room.ts). */
    fairnessAfterOpening?: (joinedAs: ReadonlyMap<string, number>) => Promise<Record<string, unknown>>
  } = {},
) {
  const clock = new BuyerClock()
  const wait = (ms: number) => clock.wait(ms)
  const seats = options.seats ?? STADIUM_SEATS
  const rand = rng(seats + (options.buyers ?? STADIUM_BUYERS))
  const crowd = buyers(options.buyers ?? STADIUM_BUYERS, rand)
  await show.availability(showId)
  const opensAt = Date.now() + (ARRIVAL_SECONDS / 2) * 1000 + 2_000
  await room?.open(opensAt)
  const holdLatencies: number[] = []
  const positionLatencies: number[] = []
  const bought = new Map<string, { seats: string[]; idNumbers: string[] }>()
  const refusals = new Map<string, number>()
  let soldSeats = 0
  let soldOutAt: number | null = null
  let positionUpdates = 0
  /** Arrival order at the room (all shards together): the harness's own count as joins are sent. */
  const joinedAs = new Map<string, number>()
  const queue = new HoldQueue<ShowHoldRequest, ShowHoldOutcome>((requests) =>
    show.holdBatch(showId, requests, Date.now() + STADIUM_HOLD_SECONDS * 1000),
  )
  const finished = () => soldOutAt !== null || Date.now() > opensAt + GIVE_UP_SECONDS * 1000
  const hold = async (buyer: Buyer, attempt: number): Promise<ShowHoldOutcome> => {
    const t0 = Date.now()
    const outcome = await queue.hold({
      holderId: buyer.id,
      idNumbers: buyer.idNumbers,
      ip: `10.${attempt % 256}.${Math.floor(rand() * 256)}.0/24`,
      best: {
        category: zones[(buyer.zone + attempt) % zones.length]!,
        quantity: buyer.idNumbers.length,
        allowSplit: true,
      },
    })
    holdLatencies.push(Date.now() - t0)
    return outcome
  }
  /** One buyer from arrival: the queue (if any), then seats, then paying or walking away. */
  const shop = async (buyer: Buyer) => {
    await wait(opensAt + buyer.arrives * 1000 - Date.now())
    if (finished()) return
    if (room) {
      joinedAs.set(buyer.id, joinedAs.size + 1)
      let place = await room.join(buyer.id, `id:${buyer.idNumbers[0]!}`)
      // The live page: position updates until admitted, more often near the front.
      while (place.state === 'waiting' && !finished()) {
        // The live page is the room's WebSocket: pushes near the front, a keep-alive ping far back. Modelled as
        // reads, every second within 2,000 of the front and every 15 s behind it or before the opening.
        await wait(place.position === null || place.position > 2_000 ? 15_000 : 1_000)
        const t0 = Date.now()
        place = await room.place(buyer.id)
        positionLatencies.push(Date.now() - t0)
        positionUpdates++
      }
      if (place.state !== 'admitted' || !place.pass) {
        const why = finished() ? 'gave_up_at_end' : `left_queue_${place.state}`
        refusals.set(why, (refusals.get(why) ?? 0) + 1)
        return
      }
      if (!(await room.passAdmits(buyer.id, place.pass))) {
        refusals.set('pass_refused', (refusals.get('pass_refused') ?? 0) + 1)
        return
      }
    } else if (buyer.arrives < 0) {
      // Without a queue, early arrivals refresh the page at the opening.
      await wait(opensAt + rand() * 1000 - Date.now())
    }
    for (let attempt = 0; attempt < 3 && !finished(); attempt++) {
      const outcome = await hold(buyer, attempt)
      if (outcome.ok) {
        const held = outcome.hold
        await room?.held(buyer.id)
        // A buyer who never pays walks away: the hold expires, and the pass lapses.
        if (!buyer.pays) return
        await wait(1_000 + rand() * 4_000)
        const confirmed = await show.confirm(showId, held.id, `ord_${buyer.id}`)
        if (confirmed.ok) {
          const seatIds = held.seats.map((s) => s.id)
          bought.set(buyer.id, { seats: seatIds, idNumbers: buyer.idNumbers })
          soldSeats += seatIds.length
          if (soldSeats >= seats && soldOutAt === null) soldOutAt = Date.now()
        }
        await room?.done(buyer.id, confirmed.ok)
        return
      }
      refusals.set(outcome.code, (refusals.get(outcome.code) ?? 0) + 1)
      if (outcome.code !== 'sold_out') break
      await wait(500 + rand() * 2_000)
    }
    await room?.done(buyer.id, false)
  }
  try {
    await Promise.all(crowd.map(shop))
  } finally {
    clock.stop()
  }
  const sold = [...bought.values()]
  const allSeats = sold.flatMap((b) => b.seats)
  const perId = new Map<string, number>()
  for (const b of sold) for (const id of b.idNumbers) perId.set(id, (perId.get(id) ?? 0) + 1)
  const counts = await show.counts(showId)
  // Admission order and the rooms' queue order (the actors' records) against arrival order, after the opening.
  const fairness = (await options.fairnessAfterOpening?.(joinedAs)) ?? {
    admissionFairness: null,
    admittedAfterOpening: null,
  }
  holdLatencies.sort((a, b) => a - b)
  positionLatencies.sort((a, b) => a - b)
  return {
    name: 'stadium-onsale',
    layer: 'do',
    baseline: room === null,
    waitingRoom: room !== null,
    seats,
    buyers: crowd.length,
    holdsPerSecond: 0,
    secondsToSellOut: soldOutAt === null ? null : Math.round((soldOutAt - opensAt) / 100) / 10,
    seatsSold: soldSeats,
    actorSold: counts.memory.sold,
    oversold: allSeats.length - new Set(allSeats).size + Math.max(0, counts.memory.sold - seats),
    limitViolations:
      sold.filter((b) => b.seats.length > STADIUM_MAX_PER_BUYER).length +
      [...perId.values()].filter((n) => n > 1).length,
    ...fairness,
    p99HoldMs: percentile(holdLatencies, 99),
    p50HoldMs: percentile(holdLatencies, 50),
    p99PositionMs: room ? percentile(positionLatencies, 99) : null,
    positionUpdates,
    refusals: Object.fromEntries(refusals),
  }
}
