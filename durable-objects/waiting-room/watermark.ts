import { admissionTime, admissionWatermark, freshHeads, shardName } from '../../worker/domain/waiting-room.ts'
import * as store from './store.ts'

// Fairness across the shards of one on-sale's queue: each room admits only places that joined no later than a
// watermark shard 0 answers from every room's head (worker/domain/waiting-room.ts admissionWatermark). Shard 0
// keeps the heads the other rooms report on their ticks; every other room asks it once a tick.

/** The one room method a shard calls on shard 0 (typed here: this file is imported by the room's class). */
export type WatermarkRoom = Rpc.DurableObjectBranded & {
  watermark(onSale: string, shard: number, head: number | null): Promise<number | null>
}

/** A room's head: the admission time of its first undecided place (null: nobody waits, or not open). */
export function roomHead(sql: SqlStorage, counters: store.QueueCounters): number | null {
  if (!counters.opened || !counters.settings) return null
  const joinedAt = store.headJoinedAt(sql, counters.cursor)
  return joinedAt === null ? null : admissionTime(joinedAt, Date.parse(counters.settings.opensAt))
}

export class SharedWatermark {
  /** Shard 0 only: the heads the other shards reported on their ticks. */
  private readonly heads = new Map<number, { head: number | null; at: number }>()

  constructor(
    private readonly onSale: string,
    private readonly shard: number,
  ) {}

  /** Shard 0: `shard`'s head, reported now beside this room's own; answers the watermark from the fresh reports. */
  report(shard: number, head: number | null, ownHead: number | null, now: number): number | null {
    this.heads.set(shard, { head, at: now })
    this.heads.set(this.shard, { head: ownHead, at: now })
    return admissionWatermark(freshHeads(this.heads, now))
  }

  /** The watermark a tick admits up to: none with one room; asked of shard 0 (none if it cannot answer). */
  async forTick<Room extends WatermarkRoom>(
    shards: number,
    ownHead: number | null,
    rooms: DurableObjectNamespace<Room> | undefined,
  ): Promise<number | null> {
    if (shards <= 1) return null
    if (this.shard === 0) return this.report(0, ownHead, ownHead, Date.now())
    if (!rooms) return null
    try {
      const first = rooms.get(rooms.idFromName(shardName(this.onSale, 0)))
      return await first.watermark(this.onSale, this.shard, ownHead)
    } catch {
      // Fairness across rooms gives way to admitting at all: a shard 0 that cannot answer holds no one back.
      return null
    }
  }
}
