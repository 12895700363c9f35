// A buyer's hold on a show's seats as the shop's routes make it: the hold route (`POST /shows/:id/holds`) and an
// order that holds its own seats (`POST /orders` with `hold`) run the same checks — sign-in for the on-sale, the
// waiting room's admission pass, the member tier's benefits — and the show's actor decides the rest (seats, caps,
// sale phases, flash sales, one ticket per ID number).
import type { Context } from 'hono'
import type * as v from 'valibot'
import type { ShowHold } from '../../durable-objects/show-inventory/contract.ts'
import { showOnSale } from '../domain/admission-pass.ts'
import type { AppEnv } from '../env.ts'
import { captureAfterAnswer, heldEvent } from '../middleware/analytics-capture.ts'
import { clientKeyOf } from '../middleware/rate-limit.ts'
import { Problem } from '../problem.ts'
import { holdTierBenefits } from '../services/members/index.ts'
import { noteProgress, requireAdmission, showQueueUrl } from './admission.ts'
import type { showHoldInput } from './hold-input.ts'
import { inventoryProblem } from './inventory-problem.ts'
import { publicShow } from './public-show.ts'

export type ShowHoldInput = v.InferOutput<typeof showHoldInput>

/**
 * What the buyer's member tier adds to a hold (worker/services/members): its code before the general sale, when a
 * sale phase may admit it, and its higher per-buyer ticket limit. Anonymous buyers have no tier: no lookup.
 */
async function memberTierOf(
  db: AppEnv['Variables']['db'],
  show: { id: string; saleStartsAt: string | null },
  customer: { id: string } | undefined,
): Promise<{ memberTier?: string; maxTicketsPerBuyer?: number }> {
  if (!customer) return {}
  const now = new Date()
  const presale = !!show.saleStartsAt && show.saleStartsAt > now.toISOString()
  return holdTierBenefits(db, show.id, customer.id, now, presale)
}

/**
 * Holds seats of a public show for the request's buyer, or throws the problem that says why not. A refusal is told to
 * the waiting room here; a hold is left to the caller to tell (the hold route says `held`, an order that held its
 * seats says `ordered` once it is made).
 */
export async function holdShowSeats(
  c: Context<AppEnv>,
  showId: string,
  input: ShowHoldInput,
): Promise<{ holdJson: string; onSale: string; admitted: boolean }> {
  const show = await publicShow(c, showId)
  if (show.signInToHold && !c.get('customer')) {
    throw new Problem({
      code: 'sign_in_required',
      status: 401,
      title: 'Sign in required',
      detail: 'For this on-sale, sign in with your email or phone to hold seats',
    })
  }
  const onSale = showOnSale(show.id)
  const admitted = await requireAdmission(c, onSale, showQueueUrl(show.id))
  const client = clientKeyOf(c)
  const outcome = await c.get('showInventory').hold(show.id, {
    holderId: c.get('buyerId'),
    channel: 'web',
    ...(client ? { ip: client } : {}),
    ...(input.seatIds ? { seatIds: input.seatIds } : {}),
    ...(input.best ? { best: input.best } : {}),
    ...(input.idNumbers ? { idNumbers: input.idNumbers } : {}),
    ...(input.flashSaleId ? { flashSaleId: input.flashSaleId } : {}),
    ...(input.presaleCode ? { presaleCode: input.presaleCode } : {}),
    ...(await memberTierOf(c.get('db'), show, c.get('customer'))),
  })
  if (!outcome.ok) {
    // A refused admitted buyer may walk away: the queue stops counting them as choosing unless they try again.
    if (admitted) noteProgress(c, onSale, 'refused', true)
    throw inventoryProblem(outcome)
  }
  captureAfterAnswer(c, () => heldEvent(outcome.holdJson, { showId: show.id }, input.idNumbers ?? []))
  return { holdJson: outcome.holdJson, onSale, admitted }
}

/** The hold of `holdShowSeats` as the order step prices it. */
export const heldSeatsOf = (holdJson: string) => JSON.parse(holdJson) as ShowHold
