import type { Context } from 'hono'
import type { BuyerStep } from '../../durable-objects/waiting-room/contract.ts'
import { queueState, type WaitingRoomSettings } from '../domain/waiting-room.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'
import { waitingRoomService } from '../services/waiting-room/index.ts'
import type { WaitingRoomSummary } from './contracts/waiting-room.ts'
import { rememberedShard } from './queue-shard-cookie.ts'

// The waiting room as the hold, release, order and catalogue routes meet it (issue 22): the admission pass check
// on holds, telling the queue a buyer progressed, and the summary show details and scenic days carry.

const serviceOf = (c: Context<AppEnv>) => waitingRoomService(c.env, c.get('db'))

/** What show details and scenic days say of the waiting room (from the settings and what is left). */
export async function waitingRoomSummary(
  c: Context<AppEnv>,
  onSale: string,
  soldOut: boolean,
): Promise<WaitingRoomSummary> {
  const settings: WaitingRoomSettings | null = await serviceOf(c).settings(onSale)
  if (!settings?.enabled) return null
  return { opensAt: settings.opensAt, state: queueState(settings, Date.now(), soldOut) }
}

/**
 * The hold routes' gate: while the on-sale's waiting room is on, a hold needs a valid `Admission-Pass` of this
 * buyer for this on-sale; otherwise 403 `admission_required` saying where to queue. Answers whether the buyer came
 * through the queue (so the route tells it they held).
 */
export async function requireAdmission(
  c: Context<AppEnv>,
  onSale: string,
  queueUrl: string,
): Promise<boolean> {
  const checked = await serviceOf(c).checkPass(onSale, c.get('buyerId'), c.req.header('admission-pass'))
  if (checked.ok) return checked.admitted
  throw new Problem({
    code: 'admission_required',
    status: 403,
    title: 'Queue first',
    detail:
      checked.reason === 'missing'
        ? 'This on-sale has a waiting room: join the queue, and hold with the admission pass you get'
        : checked.reason === 'expired'
          ? 'Your admission pass has lapsed: join the queue again'
          : 'That admission pass is not valid for you or for this on-sale',
    extensions: { queueUrl, opensAt: checked.opensAt, reason: checked.reason },
  })
}

export const showQueueUrl = (showId: string) => `/shows/${encodeURIComponent(showId)}/queue`
export const dayQueueUrl = (siteId: string, date: string) =>
  `/scenic/${encodeURIComponent(siteId)}/queue?date=${date}`

/**
 * Tells the queue a buyer progressed (held, refused, ordered, released), after the answer: never on the buyer's wait, and a
 * failure only logged. Nothing is sent for an on-sale without a waiting room (the settings are cached).
 */
export function noteProgress(c: Context<AppEnv>, onSale: string, step: BuyerStep, known = false) {
  const service = serviceOf(c)
  const buyerId = c.get('buyerId')
  const shard = rememberedShard(c, onSale)
  c.executionCtx.waitUntil(
    (async () => {
      if (!known && !(await service.settings(onSale))?.enabled) return
      await service.progressed(onSale, buyerId, step, shard)
    })().catch((error) =>
      c.get('logger').warn('queue progress not recorded', { onSale, step, error: String(error) }),
    ),
  )
}

export const admissionResponses = {
  403: {
    description:
      'Code `admission_required`: the on-sale’s waiting room is on and the `Admission-Pass` header is missing, lapsed or not ' +
      'this buyer’s (`reason`: `missing`, `expired`, `invalid`); queue at `queueUrl` (the shop’s page), opening `opensAt`',
  },
}
