// An order that holds its own seats (`POST /orders` with `hold` instead of `holdId`): the buyer's "submit order"
// locks the seats, as Damai's 提交订单 does, one request instead of a hold and then an order. It is the hold route's
// request inside the order's: the hold's rate limits, sign-in, waiting room and the actor's checks all apply, and a
// repeat of the order's Idempotency-Key never holds seats again.
import type { Context } from 'hono'
import * as v from 'valibot'
import type { ShowHold } from '../../durable-objects/show-inventory/contract.ts'
import type { AppEnv } from '../env.ts'
import { limitAsHold } from '../middleware/rate-limit-routes.ts'
import { showOrderFacts } from '../services/orders/hold-pricing.ts'
import { readWithOrders } from '../services/orders/index.ts'
import type { ShowOrderFacts } from '../services/orders/order-input.ts'
import { noteProgress } from './admission.ts'
import { seatsOrBest, showHoldFields } from './hold-input.ts'
import { orderServicesOf } from './order-services.ts'
import { heldSeatsOf, holdShowSeats } from './show-hold-request.ts'

/** What an order holds for itself: seats by id or best available, a flash sale, a presale code (ID numbers: the order's). */
export const orderHoldInput = v.pipe(v.omit(showHoldFields, ['idNumbers']), seatsOrBest())

export interface HeldForOrder {
  heldSeats: ShowHold
  showFacts?: ShowOrderFacts
  /** Gives the seats back when the order was not made (a refusal, a concurrent repeat of the key). */
  release(): Promise<void>
}

/**
 * Holds the order's seats, or null when the request's Idempotency-Key was used already (the key's stored answer
 * then answers, see `KeyClaim.taken`: a repeat holds nothing). The key and the show's facts for pricing are read in
 * one D1 round trip, with the isolate's concurrent order batches; twins racing past that read both hold, and the one
 * whose order batch loses releases.
 */
export async function holdForOrder(
  c: Context<AppEnv>,
  showId: string,
  hold: v.InferOutput<typeof orderHoldInput>,
  idNumbers: string[] | undefined,
): Promise<HeldForOrder | null> {
  await limitAsHold(c)
  const db = c.get('db')
  const claim = c.get('keyClaim')
  const [stored, facts] = await readWithOrders(
    db,
    [claim.lookup(db), showOrderFacts.in(db, { showId })],
    orderServicesOf(c).commits,
  )
  if (stored!.length > 0) {
    claim.taken = true
    return null
  }
  const { holdJson, onSale, admitted } = await holdShowSeats(c, showId, {
    ...hold,
    ...(idNumbers ? { idNumbers } : {}),
  })
  const heldSeats = heldSeatsOf(holdJson)
  const [show] = facts as ShowOrderFacts[]
  return {
    heldSeats,
    ...(show ? { showFacts: show } : {}),
    async release() {
      try {
        await c.get('showInventory').release(showId, heldSeats.id, c.get('buyerId'))
        if (admitted) noteProgress(c, onSale, 'released', true)
      } catch (error) {
        // The hold lapses on its own; the buyer's answer is the order's refusal, not this.
        c.get('logger').warn('hold of a refused order not released', { showId, error: String(error) })
      }
    },
  }
}
