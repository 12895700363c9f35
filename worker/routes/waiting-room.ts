import type { Context } from 'hono'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { dayOnSale, showOnSale } from '../domain/admission-pass.ts'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { Problem } from '../problem.ts'
import { type JoinResult, waitingRoomService } from '../services/waiting-room/index.ts'
import { validate } from '../validation.ts'
import { queueAnswerSchema } from './contracts/waiting-room.ts'
import { idNumber } from './hold-input.ts'
import { json } from './openapi.ts'
import { publicShow } from './public-show.ts'
import { isoDate } from './query.ts'
import { rememberedShard, rememberShard } from './queue-shard-cookie.ts'
import { publicSite } from './scenic.ts'

// The buyer's side of the waiting room (issue 22): the queue and their place, joining, the live WebSocket, and
// the helpers the hold and order routes use (the admission pass check, telling the queue a buyer progressed).

const tag = 'Waiting room (public)'
const serviceOf = (c: Context<AppEnv>) =>
  waitingRoomService(c.env, c.get('db'), undefined, c.get('holdBatching'))

const joinInput = v.object({
  /** A real-name on-sale: the buyer's ID number; one place per ID (the queue keeps only a keyed hash of it). */
  idNumber: v.optional(idNumber),
  /** The bot challenge's token (Turnstile), when the organizer requires one. */
  challengeToken: v.optional(v.pipe(v.string(), v.maxLength(2048))),
})

const joinRefusals: Record<
  Exclude<JoinResult, { ok: true }>['code'],
  { status: 403 | 409 | 503; title: string }
> = {
  queue_off: { status: 409, title: 'No waiting room' },
  challenge_failed: { status: 403, title: 'Challenge not passed' },
  queue_id_taken: { status: 409, title: 'ID number already queued' },
  sold_out: { status: 409, title: 'Sold out' },
  misconfigured: { status: 503, title: 'Deployment misconfigured' },
}

const answerDoc = {
  200: {
    description: 'The queue and your place (`place: null` before you join)',
    content: json(queueAnswerSchema),
  },
}
const joinDoc = {
  description:
    'Idempotent per buyer (the shop’s buyer cookie or the signed-in customer): joining again answers the same place; ' +
    'a place that expired (abandoned, or a pass that lapsed) goes to the back. Before `opensAt` every arrival gets a random ' +
    'place at opening (pre-queue, `position: null` until then); after it, first come first served. A place not asked for ' +
    'and without a live socket for 2 minutes is skipped when its turn comes. Admitted, the answer carries `pass`: send it as ' +
    'the `Admission-Pass` header with the hold. Refusals: 403 `challenge_failed` (the organizer requires the bot challenge: ' +
    'send `challengeToken`), 409 `queue_id_taken` (this ID number has a place already), 409 `sold_out` (the queue is closed ' +
    'until seats come back), 409 `queue_off` (no waiting room).',
  responses: {
    ...answerDoc,
    403: { description: 'Code `challenge_failed`' },
    409: { description: 'Code `queue_id_taken`, `sold_out` or `queue_off`' },
  },
}
const liveDoc = {
  description:
    'Upgrade to a WebSocket: the same JSON as `GET …/queue` at once, then whenever the place changes (admitted, expired, ' +
    'opening, sold out, seats back) and the position every few seconds. Send `ping` to get the answer now. Reconnect ' +
    'after a reload: the place is kept per buyer.',
  responses: {
    101: { description: 'Switching protocols' },
    409: { description: 'Code `queue_off`: the on-sale has no waiting room' },
    426: { description: 'Not a WebSocket upgrade' },
  },
}

async function join(c: Context<AppEnv>, onSale: string, input: v.InferOutput<typeof joinInput>) {
  const result = await serviceOf(c).join(onSale, c.get('buyerId'), {
    ...input,
    remoteIp: c.req.header('cf-connecting-ip') ?? null,
  })
  if (result.ok) {
    rememberShard(c, onSale, result.shard)
    return c.json(result.answer)
  }
  const refusal = joinRefusals[result.code]
  throw new Problem({
    code: result.code,
    status: refusal.status,
    title: refusal.title,
    detail: result.detail,
  })
}

async function live(c: Context<AppEnv>, onSale: string) {
  if (c.req.header('upgrade') !== 'websocket')
    throw new Problem({ code: 'invalid_request', status: 426, detail: 'Expected a WebSocket upgrade' })
  const service = serviceOf(c)
  if (!(await service.settings(onSale))?.enabled)
    throw new Problem({ code: 'queue_off', status: 409, detail: 'This on-sale has no waiting room' })
  return service.live(onSale, c.get('buyerId'), c.req.raw, rememberedShard(c, onSale))
}

/** The queue and this buyer's place, from the shard holding it (remembered for the next read). */
async function answer(c: Context<AppEnv>, onSale: string) {
  const { shard, ...found } = await serviceOf(c).answer(onSale, c.get('buyerId'), rememberedShard(c, onSale))
  if (found.place) rememberShard(c, onSale, shard)
  return c.json(found)
}

const showParam = v.object({ showId: v.pipe(v.string(), v.maxLength(64)) })
export const showQueueRoutes = new Hono<AppEnv>()
showQueueRoutes.use('/:showId/queue/*', buyerIdentity)
showQueueRoutes.use('/:showId/queue', buyerIdentity)

showQueueRoutes.get(
  '/:showId/queue',
  describeRoute({ tags: [tag], summary: 'The show’s waiting room and your place', responses: answerDoc }),
  validate('param', showParam),
  async (c) => {
    const show = await publicShow(c, c.req.valid('param').showId)
    return answer(c, showOnSale(show.id))
  },
)

showQueueRoutes.post(
  '/:showId/queue',
  describeRoute({ tags: [tag], summary: 'Join the show’s waiting room', ...joinDoc }),
  validate('param', showParam),
  validate('json', joinInput),
  async (c) => {
    const show = await publicShow(c, c.req.valid('param').showId)
    return join(c, showOnSale(show.id), c.req.valid('json'))
  },
)

showQueueRoutes.get(
  '/:showId/queue/live',
  describeRoute({
    tags: [tag],
    summary: 'Your place in the show’s waiting room, live (WebSocket)',
    ...liveDoc,
  }),
  validate('param', showParam),
  async (c) => live(c, showOnSale((await publicShow(c, c.req.valid('param').showId)).id)),
)

const dayParam = v.object({ siteId: v.pipe(v.string(), v.maxLength(64)), date: isoDate })
export const dayQueueRoutes = new Hono<AppEnv>()
dayQueueRoutes.use('/:siteId/days/:date/queue/*', buyerIdentity)
dayQueueRoutes.use('/:siteId/days/:date/queue', buyerIdentity)

dayQueueRoutes.get(
  '/:siteId/days/:date/queue',
  describeRoute({
    tags: [tag],
    summary: 'The visit date’s waiting room and your place',
    responses: answerDoc,
  }),
  validate('param', dayParam),
  async (c) => {
    const { siteId, date } = c.req.valid('param')
    const site = await publicSite(c.get('db'), siteId)
    return answer(c, dayOnSale(site.id, date))
  },
)

dayQueueRoutes.post(
  '/:siteId/days/:date/queue',
  describeRoute({ tags: [tag], summary: 'Join the visit date’s waiting room', ...joinDoc }),
  validate('param', dayParam),
  validate('json', joinInput),
  async (c) => {
    const { siteId, date } = c.req.valid('param')
    const site = await publicSite(c.get('db'), siteId)
    return join(c, dayOnSale(site.id, date), c.req.valid('json'))
  },
)

dayQueueRoutes.get(
  '/:siteId/days/:date/queue/live',
  describeRoute({
    tags: [tag],
    summary: 'Your place in the visit date’s waiting room, live (WebSocket)',
    ...liveDoc,
  }),
  validate('param', dayParam),
  async (c) => {
    const { siteId, date } = c.req.valid('param')
    return live(c, dayOnSale((await publicSite(c.get('db'), siteId)).id, date))
  },
)
