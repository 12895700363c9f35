import type {
  BuyerStep,
  QueueAnswer,
  QueueInspection,
} from '../../../durable-objects/waiting-room/contract.ts'
import type { Database } from '../../db/client.ts'
import { idNumberHash, verifyAdmissionPass } from '../../domain/admission-pass.ts'
import {
  parseShardName,
  roomShards,
  shardName,
  shardOf,
  type WaitingRoomSettings,
} from '../../domain/waiting-room.ts'
import type { Bindings } from '../../env.ts'
import { type BotChallenge, botChallengeFor } from '../bot-challenge/index.ts'
import { type HoldBatching, holdsAlone } from '../isolate-holds.ts'
import { IsolateJoins } from './isolate-joins.ts'
import { type OnSaleScope, readSettings, writeSettings } from './settings.ts'

export type { OnSaleScope } from './settings.ts'

// The worker's side of the waiting room (issue 22): the organizer's settings (D1), joining through the bot
// challenge, the buyer's place from the on-sale's WaitingRoom actor, and the admission pass the hold routes
// require. Answers are results, never HTTP errors: the routes decide the problem+json.

export type JoinResult =
  | { ok: true; answer: QueueAnswer; shard: number }
  | {
      ok: false
      code: 'queue_off' | 'challenge_failed' | 'queue_id_taken' | 'sold_out' | 'misconfigured'
      detail: string
    }

/** Whether a hold may go ahead: no waiting room, or a valid pass; otherwise why not and when the queue opens. */
export type PassResult =
  | { ok: true; admitted: boolean }
  | { ok: false; reason: 'missing' | 'expired' | 'invalid'; opensAt: string }

export interface WaitingRoomService {
  settings(onSale: string): Promise<WaitingRoomSettings | null>
  save(organizerId: string, scope: OnSaleScope, settings: WaitingRoomSettings): Promise<QueueAnswer>
  /**
   * The queue and this buyer's place (`off` and no place when the on-sale has no waiting room), and the shard
   * that answered. `shardHint`: the shard the buyer's cookie remembers (checked: a shard without their place is
   * not believed, and the one of their buyer id is asked instead).
   */
  answer(onSale: string, buyerId?: string, shardHint?: number): Promise<QueueAnswer & { shard: number }>
  join(
    onSale: string,
    buyerId: string,
    input: { idNumber?: string; challengeToken?: string; remoteIp?: string | null },
  ): Promise<JoinResult>
  checkPass(onSale: string, buyerId: string, pass: string | undefined): Promise<PassResult>
  /** Tells the queue what an admitted buyer did (call off the buyer's wait, e.g. in waitUntil). */
  progressed(onSale: string, buyerId: string, step: BuyerStep, shardHint?: number): Promise<void>
  /** The buyer's WebSocket upgrade, answered by the shard holding their place (see `answer`). */
  live(onSale: string, buyerId: string, request: Request, shardHint?: number): Promise<Response>
  inspect(onSale: string): Promise<QueueInspection>
  /** The queue summed over its shards (the organizer's view; a buyer's read asks only their own shard). */
  summary(onSale: string): Promise<QueueAnswer['queue']>
}

const isolateJoins = new IsolateJoins()

const offAnswer: QueueAnswer = {
  queue: { state: 'off', opensAt: null, waiting: 0, admittedPerMinute: 0 },
  place: null,
}

export function waitingRoomService(
  env: Pick<Bindings, 'WAITING_ROOM' | 'ADMISSION_PASS_SECRET' | 'ENVIRONMENT' | 'TURNSTILE_SECRET_KEY'>,
  db: Database,
  challenge: BotChallenge = botChallengeFor(env),
  batching: HoldBatching = holdsAlone,
): WaitingRoomService {
  const rooms = env.WAITING_ROOM
  const queue = (onSale: string, shard = 0) =>
    env.WAITING_ROOM.get(env.WAITING_ROOM.idFromName(shardName(onSale, shard)))
  const enabled = async (onSale: string) => {
    const settings = await readSettings(db, onSale)
    return settings?.enabled ? settings : null
  }
  /**
   * The shard holding a buyer's place: the remembered one when it has it, else their buyer id's (where a place
   * joined without an ID number is). A place keyed by an ID number whose cookie was lost is found again by
   * joining with the ID number (idempotent: same shard, same place).
   */
  const locate = async (
    onSale: string,
    settings: WaitingRoomSettings,
    buyerId: string | undefined,
    hint?: number,
  ) => {
    const shards = roomShards(settings)
    const own = buyerId === undefined ? 0 : shardOf(buyerId, shards)
    const remembered = hint !== undefined && Number.isInteger(hint) && hint >= 0 && hint < shards ? hint : own
    const first = await queue(onSale, remembered).view(onSale, settings, buyerId)
    if (first.place || remembered === own) return { ...first, shard: remembered }
    return { ...(await queue(onSale, own).view(onSale, settings, buyerId)), shard: own }
  }
  return {
    settings: (onSale) => readSettings(db, onSale),

    async save(organizerId, scope, settings) {
      const saved = await writeSettings(db, organizerId, scope, settings)
      // Every shard takes the settings now, so each ticks (admits, learns sold out) without waiting for a read.
      const answers = await Promise.all(
        Array.from({ length: roomShards(saved) }, (_, k) =>
          queue(scope.onSale, k).configure(scope.onSale, saved),
        ),
      )
      return answers[0]!
    },

    async answer(onSale, buyerId, shardHint) {
      const settings = await enabled(onSale)
      if (!settings) return { ...offAnswer, shard: 0 }
      return locate(onSale, settings, buyerId, shardHint)
    },

    async join(onSale, buyerId, input) {
      const settings = await enabled(onSale)
      if (!settings) return { ok: false, code: 'queue_off', detail: 'This on-sale has no waiting room' }
      const secret = env.ADMISSION_PASS_SECRET
      if (!secret) return { ok: false, code: 'misconfigured', detail: 'ADMISSION_PASS_SECRET is not set' }
      if (settings.requireChallenge) {
        const checked = await challenge.verify(input.challengeToken, input.remoteIp)
        if (!checked.ok)
          return checked.reason === 'not_configured'
            ? { ok: false, code: 'misconfigured', detail: 'TURNSTILE_SECRET_KEY is not set' }
            : {
                ok: false,
                code: 'challenge_failed',
                detail:
                  checked.reason === 'missing'
                    ? 'Complete the check that you are not a robot before joining the queue'
                    : 'The check that you are not a robot did not pass; try it again',
              }
      }
      const idHash = input.idNumber ? await idNumberHash(secret, input.idNumber) : undefined
      // One place per ID holds across shards: an ID number always queues in its hash's shard.
      const shard = shardOf(idHash ?? buyerId, roomShards(settings))
      const outcome = await isolateJoins.join(
        shardName(onSale, shard),
        { settings, buyerId, ...(idHash ? { idHash } : {}) },
        batching,
        (room, roomSettings, joins) =>
          rooms.get(rooms.idFromName(room)).joinBatch(parseShardName(room).onSale, roomSettings, joins),
      )
      if (outcome.ok) return { ...outcome, shard }
      return { ok: false, code: outcome.code, detail: outcome.detail }
    },

    async checkPass(onSale, buyerId, pass) {
      const settings = await enabled(onSale)
      if (!settings) return { ok: true, admitted: false }
      if (!pass) return { ok: false, reason: 'missing', opensAt: settings.opensAt }
      const secret = env.ADMISSION_PASS_SECRET
      if (!secret) return { ok: false, reason: 'invalid', opensAt: settings.opensAt }
      const checked = await verifyAdmissionPass(secret, pass, { buyerId, onSale, now: Date.now() })
      return checked.ok
        ? { ok: true, admitted: true }
        : { ok: false, reason: checked.reason, opensAt: settings.opensAt }
    },

    async progressed(onSale, buyerId, step, shardHint) {
      const settings = await readSettings(db, onSale)
      const shards = roomShards(settings)
      // The pass says nothing of the shard: the remembered one, else the buyer id's.
      const shard = shardHint !== undefined && shardHint < shards ? shardHint : shardOf(buyerId, shards)
      await queue(onSale, shard).progress(onSale, buyerId, step)
    },

    async live(onSale, buyerId, request, shardHint) {
      const settings = await enabled(onSale)
      const shard =
        settings && roomShards(settings) > 1 ? (await locate(onSale, settings, buyerId, shardHint)).shard : 0
      const url = new URL(request.url)
      url.search = new URLSearchParams({ onSale, buyer: buyerId }).toString()
      return queue(onSale, shard).fetch(new Request(url, request))
    },

    inspect: (onSale) => queue(onSale).inspect(onSale),

    async summary(onSale) {
      const settings = await enabled(onSale)
      if (!settings) return offAnswer.queue
      const shards = roomShards(settings)
      const views = await Promise.all(
        Array.from({ length: shards }, (_, k) => queue(onSale, k).view(onSale, settings)),
      )
      // Each shard answers its own figures times the shards (answers.ts): divided back, then added up.
      const sum = (pick: (q: QueueAnswer['queue']) => number) =>
        Math.round(views.reduce((total, view) => total + pick(view.queue), 0) / shards)
      return {
        ...views[0]!.queue,
        state: views.every((view) => view.queue.state === 'sold_out') ? 'sold_out' : views[0]!.queue.state,
        waiting: sum((q) => q.waiting),
        admittedPerMinute: sum((q) => q.admittedPerMinute),
      }
    },
  }
}
