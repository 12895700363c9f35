import type { WaitingRoom } from '../../durable-objects/waiting-room/index.ts'
import { roomShards } from '../../worker/domain/waiting-room.ts'
import type { BenchShowInventory } from './bench-show-inventory.ts'
import {
  STADIUM_BUYERS,
  STADIUM_MAX_PER_BUYER,
  STADIUM_PASS_SECONDS,
  STADIUM_SEATS,
  stadiumOnsale,
} from './bench-stadium.ts'
import { fairnessAfterOpening, showWaitingRoom } from './bench-waiting-room.ts'

// The bench worker's side of `stadium-onsale`: the stadium show (the bench's seat grid in four price zones,
// real names required, STADIUM_MAX_PER_BUYER tickets per buyer), then the on-sale through the show's waiting
// room (`room=0`: without one, every buyer straight at seats). `rate`: admissions per minute (the organizer's
// setting; none: follow how fast admitted buyers finish). Passes last as long as the bench's shortened holds.

interface StadiumEnv {
  DB: D1Database
  SHOW_INVENTORY: DurableObjectNamespace<BenchShowInventory>
  WAITING_ROOM: DurableObjectNamespace<WaitingRoom>
  ADMISSION_PASS_SECRET?: string
}

export async function stadium(
  env: StadiumEnv,
  params: URLSearchParams,
  makeShow: (seats: number) => Promise<{ showId: string }>,
) {
  const seats = Number(params.get('seats') ?? STADIUM_SEATS)
  const buyers = params.get('buyers') ? Number(params.get('buyers')) : undefined
  const rate = params.get('rate') ? Number(params.get('rate')) : null
  // Rooms the queue is split over: `shards`, or enough for the arrivals (all in a minute) at the measured shard
  // point (roomShards in worker/domain/waiting-room.ts): 14 for 200,000 buyers.
  const shards = params.get('shards')
    ? Number(params.get('shards'))
    : roomShards(null, (buyers ?? STADIUM_BUYERS) / 60)
  const { showId } = await makeShow(seats)
  // Before the actor first loads the show: one ticket per real-name ID, at most four per buyer.
  await env.DB.prepare(
    'UPDATE events SET real_name_required = 1, max_tickets_per_buyer = ? WHERE id = (SELECT event_id FROM shows WHERE id = ?)',
  )
    .bind(STADIUM_MAX_PER_BUYER, showId)
    .run()
  const show = env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
  if (params.get('room') === '0')
    return stadiumOnsale(show, showId, ['A', 'B', 'C', 'D'], null, { seats, ...(buyers ? { buyers } : {}) })
  if (!env.ADMISSION_PASS_SECRET)
    throw new Error('stadium-onsale needs ADMISSION_PASS_SECRET (run.ts passes one)')
  const room = showWaitingRoom(env.WAITING_ROOM, env.ADMISSION_PASS_SECRET, showId, {
    admissionPerMinute: rate,
    passSeconds: STADIUM_PASS_SECONDS,
    shards,
  })
  const result = await stadiumOnsale(show, showId, ['A', 'B', 'C', 'D'], room, {
    seats,
    ...(buyers ? { buyers } : {}),
    fairnessAfterOpening: (joinedAs) => fairnessAfterOpening(room.stubs, room.onSale, joinedAs),
  })
  const inspected = await Promise.all(room.stubs.map((stub) => stub.inspect(room.onSale)))
  return { ...result, admissionPerMinute: rate, shards, rooms: inspected }
}
