import { env } from 'cloudflare:workers'
import type { QueueAnswer } from '../../worker/routes/contracts/waiting-room.ts'
import { ApiClient } from './api.ts'
import { ok } from './catalogue.ts'

// Waiting-room test helpers: the queue actor of an on-sale, the organizer's switch, buyers joining and asking for
// their place through the real routes.

export const queueActor = (onSale: string) => env.WAITING_ROOM.get(env.WAITING_ROOM.idFromName(onSale))

/** The buyer id inside a client's signed buyer cookie (`buyer=<id>.<signature>`). */
export function buyerIdOf(client: ApiClient): string {
  const value = decodeURIComponent(client.cookie?.split('=').slice(1).join('=') ?? '')
  return value.slice(0, value.lastIndexOf('.'))
}

/** A show's queue and holds routes, and the secret the test worker signs admission passes with. */
export const queuePath = (showId: string) => `/api/shows/${showId}/queue`
export const holdsPath = (showId: string) => `/api/shows/${showId}/holds`
export const passSecret = () => (env as unknown as { ADMISSION_PASS_SECRET: string }).ADMISSION_PASS_SECRET

export const inAnHour = () => new Date(Date.now() + 3600_000).toISOString()
export const aMinuteAgo = () => new Date(Date.now() - 60_000).toISOString()

export interface RoomSettings {
  enabled?: boolean
  opensAt: string
  admissionPerMinute?: number | null
  requireChallenge?: boolean
  passMinutes?: number
  shards?: number
}

/** Sets an on-sale's waiting room through the admin API (`path`: the show's or the visit date's). */
export function setRoom(staff: ApiClient, path: string, settings: RoomSettings) {
  return ok(staff.put(`${path}/waiting-room`, { enabled: true, admissionPerMinute: null, ...settings }))
}

/** `n` buyers joining one after another (arrival order = index order). */
export async function joinInOrder(queuePath: string, n: number): Promise<ApiClient[]> {
  const buyers: ApiClient[] = []
  for (let i = 0; i < n; i++) {
    const buyer = new ApiClient()
    await ok(buyer.post(queuePath, {}))
    buyers.push(buyer)
  }
  return buyers
}

export const placeOf = async (buyer: ApiClient, queuePath: string) => ok<QueueAnswer>(buyer.get(queuePath))

/** A hold request with an admission pass header (or none). */
export function holdWith(buyer: ApiClient, path: string, body: unknown, pass?: string) {
  return buyer.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(pass ? { 'admission-pass': pass } : {}) },
    body: JSON.stringify(body),
  })
}

/** Opens a buyer's live socket and collects its messages. */
export async function liveSocket(buyer: ApiClient, queuePath: string) {
  const res = await buyer.fetch(`${queuePath}/live`, { headers: { upgrade: 'websocket' } })
  if (res.status !== 101) throw new Error(`expected 101, got ${res.status}: ${await res.text()}`)
  const ws = res.webSocket!
  const messages: QueueAnswer[] = []
  const waiters: { test: (m: QueueAnswer) => boolean; resolve: (m: QueueAnswer) => void }[] = []
  ws.accept()
  ws.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data)) as QueueAnswer
    messages.push(message)
    for (const waiter of [...waiters])
      if (waiter.test(message)) {
        waiters.splice(waiters.indexOf(waiter), 1)
        waiter.resolve(message)
      }
  })
  return {
    ws,
    messages,
    /** The first message (already received or still to come) that passes `test`. */
    next(test: (m: QueueAnswer) => boolean): Promise<QueueAnswer> {
      const seen = messages.find(test)
      if (seen) return Promise.resolve(seen)
      return new Promise((resolve) => waiters.push({ test, resolve }))
    },
  }
}
