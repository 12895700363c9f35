import type {
  BuyerStep,
  QueueAnswer,
  QueueInspection,
} from '../../../durable-objects/waiting-room/contract.ts'
import type { Database } from '../../db/client.ts'
import { idNumberHash, verifyAdmissionPass } from '../../domain/admission-pass.ts'
import type { WaitingRoomSettings } from '../../domain/waiting-room.ts'
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
  | { ok: true; answer: QueueAnswer }
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
  /** The queue and this buyer's place (`off` and no place when the on-sale has no waiting room). */
  answer(onSale: string, buyerId?: string): Promise<QueueAnswer>
  join(
    onSale: string,
    buyerId: string,
    input: { idNumber?: string; challengeToken?: string; remoteIp?: string | null },
  ): Promise<JoinResult>
  checkPass(onSale: string, buyerId: string, pass: string | undefined): Promise<PassResult>
  /** Tells the queue what an admitted buyer did (call off the buyer's wait, e.g. in waitUntil). */
  progressed(onSale: string, buyerId: string, step: BuyerStep): Promise<void>
  /** The buyer's WebSocket upgrade, answered by the queue actor. */
  live(onSale: string, buyerId: string, request: Request): Promise<Response>
  inspect(onSale: string): Promise<QueueInspection>
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
  const queue = (onSale: string) => env.WAITING_ROOM.get(env.WAITING_ROOM.idFromName(onSale))
  const enabled = async (onSale: string) => {
    const settings = await readSettings(db, onSale)
    return settings?.enabled ? settings : null
  }
  return {
    settings: (onSale) => readSettings(db, onSale),

    async save(organizerId, scope, settings) {
      const saved = await writeSettings(db, organizerId, scope, settings)
      return queue(scope.onSale).configure(scope.onSale, saved)
    },

    async answer(onSale, buyerId) {
      const settings = await enabled(onSale)
      if (!settings) return offAnswer
      return queue(onSale).view(onSale, settings, buyerId)
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
      const outcome = await isolateJoins.join(
        onSale,
        { settings, buyerId, ...(idHash ? { idHash } : {}) },
        batching,
        (room, roomSettings, joins) => rooms.get(rooms.idFromName(room)).joinBatch(room, roomSettings, joins),
      )
      if (outcome.ok) return outcome
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

    async progressed(onSale, buyerId, step) {
      await queue(onSale).progress(onSale, buyerId, step)
    },

    async live(onSale, buyerId, request) {
      const url = new URL(request.url)
      url.search = new URLSearchParams({ onSale, buyer: buyerId }).toString()
      return queue(onSale).fetch(new Request(url, request))
    },

    inspect: (onSale) => queue(onSale).inspect(onSale),
  }
}
