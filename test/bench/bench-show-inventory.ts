import { type ShowHoldRequest, ShowInventory } from '../../durable-objects/show-inventory.ts'

/**
 * The production show actor plus one bench-only method: the same hold work run in a loop inside the
 * actor, with no RPC per batch — the ceiling the coalesced path is measured against.
 */
export class BenchShowInventory extends ShowInventory {
  async ceiling(
    showId: string,
    requests: ShowHoldRequest[],
    batchSize: number,
  ): Promise<{ ok: number; seats: string[] }> {
    let ok = 0
    const seats: string[] = []
    for (let i = 0; i < requests.length; i += batchSize) {
      for (const outcome of await this.holdBatch(showId, requests.slice(i, i + batchSize))) {
        if (outcome.ok) {
          ok++
          for (const seat of outcome.hold.seats) seats.push(seat.id)
        }
      }
    }
    return { ok, seats }
  }
}
