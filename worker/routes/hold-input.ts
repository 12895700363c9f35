// What a buyer's hold on a show asks for, as the hold route and an order that holds its own seats take it.
import * as v from 'valibot'
import { MAX_SEATS_PER_HOLD } from '../../durable-objects/show-inventory/contract.ts'
import { isValidPrcIdNumber, normalizeIdNumber } from '../domain/id-number.ts'

export const idNumber = v.pipe(
  v.string(),
  v.transform(normalizeIdNumber),
  v.check(isValidPrcIdNumber, 'is not a valid ID number (18 characters, checksum)'),
)

/** What a hold asks for (as an object, for schemas built from it: an order that holds its own seats). */
export const showHoldFields = v.object({
  seatIds: v.optional(
    v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(MAX_SEATS_PER_HOLD)),
  ),
  best: v.optional(
    v.object({
      category: v.pipe(v.string(), v.minLength(1), v.maxLength(32)),
      quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_SEATS_PER_HOLD)),
      accessible: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(MAX_SEATS_PER_HOLD))),
      allowSplit: v.optional(v.boolean()),
    }),
  ),
  /** Real-name shows: one ID number per seat, in seat order. */
  idNumbers: v.optional(v.pipe(v.array(idNumber), v.maxLength(MAX_SEATS_PER_HOLD))),
  /** Buy in this flash sale (see `flashSales` on the show): its price, units and per-buyer limit apply. */
  flashSaleId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64))),
  /** Before the general sale: a presale code, in any case, spaces and dashes allowed. */
  presaleCode: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(40))),
})

/** Seats by id or best available: one of the two. */
export const seatsOrBest = <T extends { seatIds?: unknown; best?: unknown }>() =>
  v.check<T, string>((input) => !!input.seatIds !== !!input.best, 'give either seatIds or best, not both')

export const showHoldInput = v.pipe(showHoldFields, seatsOrBest())
