import { signAdmissionPass } from '../../worker/domain/admission-pass.ts'
import { estimatedWaitSeconds, queueState, roomShards } from '../../worker/domain/waiting-room.ts'
import type { PlaceView, QueueAnswer } from './contract.ts'
import type { PlaceRow, QueueCounters } from './store.ts'

// The answers buyers get (over RPC and every WebSocket message), built from the counters and one place row.

export const buyerTag = (buyerId: string) => `b:${buyerId.slice(0, 200)}`

export function queueView(counters: QueueCounters, now: number): QueueAnswer['queue'] {
  const settings = counters.settings
  let state = queueState(settings, now, counters.soldOut)
  // Until the actor has shuffled the pre-queue it is not open, whatever the clock says (a tick is due).
  if (state !== 'off' && !counters.opened) state = 'before_open'
  return {
    state,
    opensAt: settings?.enabled ? settings.opensAt : null,
    // A shard answers for the whole queue: its own figures times the shards (buyers are spread evenly by hash).
    waiting:
      (counters.opened ? counters.lastTicket - counters.cursor : counters.preQueued) * roomShards(settings),
    admittedPerMinute: Math.round(counters.ratePerMinute * roomShards(settings)),
  }
}

export async function placeView(
  counters: QueueCounters,
  row: PlaceRow | undefined,
  onSale: string,
  secret: string | undefined,
  now: number,
): Promise<PlaceView | null> {
  if (!row) return null
  if (row.state === 'admitted' && row.pass_expires_at !== null && row.pass_expires_at > now) {
    if (!secret) throw new Error('ADMISSION_PASS_SECRET is not set')
    const pass = await signAdmissionPass(secret, {
      buyerId: row.buyer_id,
      onSale,
      expiresAt: row.pass_expires_at,
    })
    return {
      state: 'admitted',
      position: null,
      estimatedWaitSeconds: 0,
      pass,
      passExpiresAt: new Date(row.pass_expires_at).toISOString(),
    }
  }
  if (row.state !== 'waiting') return { state: 'expired', position: null, estimatedWaitSeconds: null }
  const inShard = counters.opened && row.ticket !== null ? row.ticket - counters.cursor : null
  // In a queue split over shards, the place among everyone is about the shards' count times the shard's.
  const shards = roomShards(counters.settings)
  const organizerRate = counters.settings?.admissionPerMinute
  return {
    state: 'waiting',
    position: inShard === null ? null : (inShard - 1) * shards + 1,
    estimatedWaitSeconds: estimatedWaitSeconds(
      inShard,
      counters.ratePerMinute,
      organizerRate === null || organizerRate === undefined ? null : organizerRate / shards,
    ),
  }
}

/** Sends `answer` to every socket of one buyer; answers whether there was one. */
export function sendTo(ctx: DurableObjectState, buyerId: string, answer: QueueAnswer): boolean {
  const sockets = ctx.getWebSockets(buyerTag(buyerId))
  if (sockets.length === 0) return false
  const message = JSON.stringify(answer)
  for (const ws of sockets) {
    try {
      ws.send(message)
    } catch {
      // a closing socket; the runtime drops it
    }
  }
  return true
}
