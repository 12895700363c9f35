import { heldLine, joinOutcomeLines } from '../../worker/domain/hold-lines.ts'
import type { ShowConfig, ShowHoldOutcome, ShowHoldRefusal } from './contract.ts'
import type { ActiveHold, ShowSales } from './rules.ts'
import { heldSeat, seatPrice, showHold } from './views.ts'

// A decided batch as the hold gateways take it: outcome lines (worker/domain/hold-lines.ts), one JSON document
// per request. A held line is written out by hand from per-seat pieces built once per config: the same JSON as
// stringifying the outcome, without building hundreds of objects per batch only to serialize them.

export type Decided = ActiveHold | ShowHoldRefusal

export class OutcomeLines {
  /** Each seat's JSON as a hold answers it, for the config it was built with (prices change with it). */
  private seatJson: string[] = []
  private seatJsonFor: ShowConfig | undefined

  encode(sales: ShowSales, outcomes: Decided[]): string {
    const { config } = sales
    if (this.seatJsonFor !== config) {
      this.seatJson = []
      this.seatJsonFor = config
    }
    const showIdJson = JSON.stringify(config.showId)
    const currencyJson = JSON.stringify(config.currency)
    return joinOutcomeLines(
      outcomes.map((o) => {
        if ('ok' in o) return JSON.stringify(o)
        let total = 0
        const seats = o.seats.map((i) => {
          total += seatPrice(sales, i)
          this.seatJson[i] ??= JSON.stringify(heldSeat(sales, i))
          return this.seatJson[i]
        })
        return heldLine(
          `{"id":${JSON.stringify(o.id)},"showId":${showIdJson},"seats":[${seats.join(',')}],"total":${total},"currency":${currencyJson},"expiresAt":"${new Date(o.expiresAt).toISOString()}"}`,
        )
      }),
    )
  }
}

/** Refusals only (the show could not be loaded): each as its line. */
export const refusalLines = (outcomes: ShowHoldRefusal[]) =>
  joinOutcomeLines(outcomes.map((o) => JSON.stringify(o)))

/** The structured outcomes `holdBatch` answers. */
export const structuredOutcomes = (sales: ShowSales, outcomes: Decided[]): ShowHoldOutcome[] =>
  outcomes.map((o) => ('ok' in o ? o : { ok: true, hold: showHold(sales, o) }))
