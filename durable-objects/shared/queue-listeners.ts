import { type BuyerStep, parseShardName } from '../../worker/domain/waiting-room.ts'

// An inventory actor's waiting rooms: the rooms (shards) of its on-sale that asked it what is left on their ticks
// (waiting-room/units-left.ts). The inventory actor knows of a queue only through those questions, so a show or day
// without a waiting room never wakes one. When holds lapse, the buyers who hold nothing more are told to these
// rooms as `released`, the same step a release over the hold routes sends, so a buyer who held and never paid stops
// counting as active and admission re-opens then rather than when their pass lapses. Kept in memory: a room asks
// every second while it has anyone waiting or active (TICK_MS), so an actor reloaded in between learns of it again
// within a tick, and a lapse it misses still ends when the buyer's pass does.

/** The waiting room's one method an inventory actor calls (typed here: inventory actors do not import the room). */
export type QueueRoom = Rpc.DurableObjectBranded & {
  progressMany(onSale: string, buyerIds: string[], step: BuyerStep): Promise<number>
}

/** A room that has not asked for this long (a room ticks every 1–5 s while it has anyone to admit) is not told. */
export const LISTENING_MS = 60_000

export class QueueListeners {
  private readonly rooms = new Map<string, number>()

  /** The room (its actor name: the on-sale, `#k` for shard k) asked what is left at `now`. */
  heard(room: string, now: number) {
    if (this.rooms.size > 64 && !this.rooms.has(room)) this.rooms.clear()
    this.rooms.set(room, now)
  }

  /** The rooms that asked within LISTENING_MS of `now`. */
  listening(now: number): string[] {
    return [...this.rooms].filter(([, at]) => now - at <= LISTENING_MS).map(([room]) => room)
  }

  /**
   * Tells every listening room that these buyers' holds lapsed (each room applies it to the buyers it has a
   * place for). Never throws: a room that cannot be told lets the buyer's pass run out instead.
   */
  async tellReleased<Room extends QueueRoom>(
    rooms: DurableObjectNamespace<Room> | undefined,
    buyerIds: string[],
    now: number,
  ): Promise<void> {
    const listening = this.listening(now)
    if (!rooms || buyerIds.length === 0 || listening.length === 0) return
    await Promise.all(
      listening.map((room) =>
        rooms
          .get(rooms.idFromName(room))
          .progressMany(parseShardName(room).onSale, buyerIds, 'released')
          .catch(() => 0),
      ),
    )
  }
}
