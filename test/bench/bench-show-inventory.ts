import type { ShowHoldRequest } from '../../durable-objects/show-inventory/contract.ts'
import { ShowInventory } from '../../durable-objects/show-inventory/index.ts'
import { readOutcomeLine, splitOutcomeLines } from '../../worker/domain/hold-lines.ts'

/**
 * The production show actor plus bench-only methods: the same hold work run in a loop inside the actor,
 * with no RPC per batch — the ceiling the coalesced path is measured against. The loop calls the entry
 * point the hold gateways call (`holdBatchLines`: the batch as JSON in, outcome lines out), so it does
 * exactly the actor's share of the coalesced path. Preparing the batches and reading the answers happen
 * in calls of their own, outside the caller's timed window, as the callers' side of that work does.
 */
export class BenchShowInventory extends ShowInventory {
  private ceilingBatches: { json: string; size: number }[] = []
  private ceilingAnswers: { text: string; size: number }[] = []

  async prepareCeiling(requests: ShowHoldRequest[], batchSize: number): Promise<void> {
    this.ceilingBatches = []
    this.ceilingAnswers = []
    for (let i = 0; i < requests.length; i += batchSize) {
      const batch = requests.slice(i, i + batchSize)
      this.ceilingBatches.push({ json: JSON.stringify(batch), size: batch.length })
    }
  }

  /** The timed part: every prepared batch decided in turn. */
  async runCeiling(showId: string): Promise<void> {
    for (const batch of this.ceilingBatches) {
      this.ceilingAnswers.push({ text: await this.holdBatchLines(showId, batch.json), size: batch.size })
    }
  }

  async ceilingOutcome(): Promise<{ ok: number; seats: string[] }> {
    let ok = 0
    const seats: string[] = []
    for (const answer of this.ceilingAnswers) {
      for (const line of splitOutcomeLines(answer.text, answer.size)) {
        const read = readOutcomeLine(line)
        if (!read.ok) continue
        ok++
        for (const seat of (JSON.parse(read.holdJson) as { seats: { id: string }[] }).seats)
          seats.push(seat.id)
      }
    }
    return { ok, seats }
  }
}
