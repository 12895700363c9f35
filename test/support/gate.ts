import { ApiClient } from './api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from './catalogue.ts'

let keys = 0
const key = () => `gate-test-${Date.now()}-${keys++}`

export const postWithKey = (client: ApiClient, path: string, body: unknown) =>
  client.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': key() },
    body: JSON.stringify(body),
  })

export interface PaidTickets {
  buyer: ApiClient
  orderId: string
  tickets: {
    ticketId: string
    lineId: string
    token: string
    seat: string
    rotatingCode: { secret: string; stepSeconds: number } | null
  }[]
}

/** Buys and pays `count` seats of a show through the real API and returns their tickets. */
export async function buyTickets(
  show: ShowFixture,
  seatIds: string[],
  buyer = new ApiClient(),
): Promise<PaidTickets> {
  const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds }), 201)
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      email: 'gate@example.com',
    }),
    201,
  )
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  const { items } = await ok(buyer.get(`/api/orders/${created.orderId}/tickets`))
  return { buyer, orderId: created.orderId, tickets: items }
}

/** A show whose tickets are valid right now (doors open 4 h before a start 2 h away), refundable in full. */
export function showTonight(opts: { seats?: number } = {}) {
  return showOnSale(gridChart(1, opts.seats ?? 10), {
    startsInHours: 2,
    refundTiers: [{ minHoursBefore: 0, feePercent: 0 }],
  })
}

export interface EnrolledGate {
  token: string
  device: { id: string; gateName: string; organizerId: string }
  client: GateClient
  body: Record<string, any>
}

/** Calls the gate API with a device token. */
export class GateClient extends ApiClient {
  constructor(readonly token: string) {
    super()
  }
  override fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    headers.set('authorization', `Bearer ${this.token}`)
    return super.fetch(path, { ...init, headers })
  }
}

/** Creates an enrollment code as `staff` and redeems it as a new device. */
export async function enrollGate(
  staff: ApiClient,
  base: string,
  scope: Record<string, unknown>,
  gateName = `Gate ${Math.random().toString(36).slice(2, 6)}`,
): Promise<EnrolledGate> {
  const { code } = await ok(staff.post(`${base}/gate-enrollments`, { gateName, ...scope }), 201)
  const body = await ok(new ApiClient().post('/api/gate/enroll', { code }), 201)
  return { token: body.deviceToken, device: body.device, client: new GateClient(body.deviceToken), body }
}

let nonces = 0
export const nonce = () => `n-${Date.now()}-${nonces++}-${Math.random().toString(36).slice(2, 8)}`
