import { heldLine, joinOutcomeLines } from '../../worker/domain/hold-lines.ts'
import type { ShowConfig, ShowHoldOutcome, ShowHoldRefusal } from './contract.ts'
import type { ActiveHold, ShowSales } from './rules.ts'
import { heldSeat, seatPrice, showHold } from './views.ts'

// A decided batch as the hold gateways take it: outcome lines (worker/domain/hold-lines.ts), one JSON document
// per request. A held line is written out by hand from per-seat pieces built once per config: the same JSON as
// stringifying the outcome, without building hundreds of objects per batch only to serialize them.

export type Decided = ActiveHold | ShowHoldRefusal

export class OutcomeLines {
  /** Each seat's JSON at list price, for the config it was built with (prices change with it). */
  private seatJson: string[] = []
  /** Each seat's JSON up to its price, for seats quoted at a tier or flash price. */
  private seatHead: string[] = []
  private seatJsonFor: ShowConfig | undefined

  encode(sales: ShowSales, outcomes: Decided[]): string {
    const { config } = sales
    if (this.seatJsonFor !== config) {
      this.seatJson = []
      this.seatHead = []
      this.seatJsonFor = config
    }
    const showIdJson = JSON.stringify(config.showId)
    const currencyJson = JSON.stringify(config.currency)
    return joinOutcomeLines(
      outcomes.map((o) => {
        if ('ok' in o) return JSON.stringify(o)
        let total = 0
        let discount = 0
        const seats = o.seats.map((i, k) => {
          const quote = o.quotes?.[k]
          if (quote) {
            total += quote.price
            discount += quote.listPrice - quote.price
            this.seatHead[i] ??= this.headOf(sales, i)
            return `${this.seatHead[i]},"price":${quote.price},"listPrice":${quote.listPrice},"tier":${JSON.stringify(quote.tier)}}`
          }
          total += seatPrice(sales, i)
          this.seatJson[i] ??= JSON.stringify(heldSeat(sales, i))
          return this.seatJson[i]
        })
        return heldLine(
          `{"id":${JSON.stringify(o.id)},"showId":${showIdJson},"seats":[${seats.join(',')}],"total":${total},"currency":${currencyJson},"expiresAt":"${new Date(o.expiresAt).toISOString()}","discount":${discount}}`,
        )
      }),
    )
  }

  /** A seat's JSON without its price fields and closing brace (they follow the quote). */
  private headOf(sales: ShowSales, i: number): string {
    const { price: _, listPrice: __, tier: ___, ...seat } = heldSeat(sales, i)
    return JSON.stringify(seat).slice(0, -1)
  }
}

/** Refusals only (the show could not be loaded): each as its line. */
export const refusalLines = (outcomes: ShowHoldRefusal[]) =>
  joinOutcomeLines(outcomes.map((o) => JSON.stringify(o)))

/** The structured outcomes `holdBatch` answers. */
export const structuredOutcomes = (sales: ShowSales, outcomes: Decided[]): ShowHoldOutcome[] =>
  outcomes.map((o) => ('ok' in o ? o : { ok: true, hold: showHold(sales, o) }))
