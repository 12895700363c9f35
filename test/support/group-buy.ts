import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { ApiClient } from './api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from './catalogue.ts'

export interface GroupBuyFixture extends ShowFixture {
  campaignId: string
}

/** A show on sale (rows of A then B seats, regular prices A 100.00, B 200.00) with an active group-buy campaign. */
export async function campaignOnSale(
  campaign: Record<string, unknown> = {},
  show: Parameters<typeof showOnSale>[1] = {},
  chart = gridChart(4, 20, ['A', 'B']),
): Promise<GroupBuyFixture> {
  const fixture = await showOnSale(chart, show)
  const created = await ok(
    fixture.manager.post(`${fixture.base}/group-buy-campaigns`, {
      name: 'Friday night 团购',
      showIds: [fixture.showId],
      groupPrices: { A: 6000 },
      minSize: 3,
      maxSize: 10,
      lifetimeMinutes: 24 * 60,
      perBuyerLimit: 2,
      leaderDiscount: 1000,
      ...campaign,
    }),
    201,
  )
  return { ...fixture, campaignId: created.id }
}

let buyers = 0
/** A fresh anonymous buyer (own buyer cookie) with a contact address for their tickets. */
export function newBuyer() {
  const n = buyers++
  return { client: new ApiClient(), email: `member${n}-${Date.now()}@example.com` }
}

export type Buyer = ReturnType<typeof newBuyer>

export function startGroup(buyer: Buyer, fixture: GroupBuyFixture, body: Record<string, unknown> = {}) {
  return buyer.client.post(`/api/group-buys/campaigns/${fixture.campaignId}/groups`, {
    showId: fixture.showId,
    quantity: 1,
    category: 'A',
    email: buyer.email,
    ...body,
  })
}

export function joinGroup(buyer: Buyer, groupId: string, body: Record<string, unknown> = {}) {
  return buyer.client.post(`/api/group-buys/groups/${groupId}/members`, {
    quantity: 1,
    category: 'A',
    email: buyer.email,
    ...body,
  })
}

/** Completes the member's payment through the sandbox provider (signed notification and all). */
export const payFor = (buyer: Buyer, paymentId: string) =>
  ok(buyer.client.post(`/api/payments/sandbox/checkout/${paymentId}/complete`, { outcome: 'pay' }))

export const groupActor = (groupId: string) => env.GROUP_BUY.get(env.GROUP_BUY.idFromName(groupId))
export const showActor = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

/** Moves a group's deadline into the past, as if its lifetime had run out (its alarm then decides). */
export async function passDeadline(groupId: string) {
  const past = new Date(Date.now() - 1000).toISOString()
  await runInDurableObject(groupActor(groupId), async (_instance, state) => {
    state.storage.sql.exec("UPDATE terms SET json = json_set(json, '$.deadline', ?) WHERE id = 1", past)
  })
}

export async function rows<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]> {
  return (
    await env.DB.prepare(query)
      .bind(...params)
      .all<T>()
  ).results
}
