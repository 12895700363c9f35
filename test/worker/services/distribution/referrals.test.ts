import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { type RewardGranter, referralSubscriber } from '../../../../worker/services/distribution/index.ts'
import { orderEventSubscribers } from '../../../../worker/services/order-events/index.ts'
import { publishOutbox } from '../../../../worker/services/webhooks/outbox-publisher.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../../support/catalogue.ts'
import { ApiClient, payForHold } from '../../../support/orders.ts'

// "Invite a friend": the friend's first paid order with the organizer records one reward per side, once; the
// RewardGranter (coupons, connected at merge) issues them.

let n = 0
async function customer() {
  const contact = `friend${Date.now()}${n++}@example.com`
  const client = new ApiClient()
  const dev = new ApiClient(undefined, { ENVIRONMENT: 'development' })
  expect((await dev.post('/api/customer/auth/code', { contact })).status).toBe(202)
  const subject = await env.DB.prepare(
    'SELECT subject FROM outgoing_messages WHERE "to" = ? ORDER BY created_at DESC, id DESC LIMIT 1',
  )
    .bind(contact)
    .first<string>('subject')
  const me = await ok(
    client.post('/api/customer/auth/verify', { contact, code: subject!.match(/(\d{6})$/)![1] }),
  )
  return { client, id: (me.id ?? me.customer?.id) as string }
}

let seat = 0
async function buy(show: ShowFixture, buyer: ApiClient, granter: RewardGranter) {
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[seat++]] }),
    201,
  )
  const order = await payForHold(buyer, { kind: 'show', showId: show.showId, holdId: hold.id })
  await publishOutbox(openDatabase(env.DB), env.WEBHOOK_QUEUE, new Date(), [referralSubscriber(granter)])
  return order
}

const rewards = async (organizerId: string) =>
  (
    await env.DB.prepare(
      'SELECT side, customer_id AS customerId, state, grant_ref AS grantRef FROM referral_rewards WHERE organizer_id = ? ORDER BY side',
    )
      .bind(organizerId)
      .all()
  ).results

describe('invite a friend', () => {
  it('rewards both sides once when the friend’s first order is paid, through the granter', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const inviter = await customer()
    const friend = await customer()
    const granted: string[] = []
    const granter: RewardGranter = {
      async grant(_db, reward) {
        granted.push(`${reward.side}:${reward.customerId}`)
        return `cpn_${reward.rewardId}`
      },
    }
    const invite = await ok(inviter.client.get(`/api/distribution/invite?organizerId=${show.organizerId}`))
    // Asking again gives the same code.
    expect(
      (await ok(inviter.client.get(`/api/distribution/invite?organizerId=${show.organizerId}`))).code,
    ).toBe(invite.code)
    await ok(friend.client.post('/api/distribution/invite-visits', { code: invite.code }), 201)
    await buy(show, friend.client, granter)
    expect(await rewards(show.organizerId)).toEqual([
      {
        side: 'friend',
        customerId: friend.id,
        state: 'granted',
        grantRef: expect.stringMatching(/^cpn_rwd_/),
      },
      {
        side: 'inviter',
        customerId: inviter.id,
        state: 'granted',
        grantRef: expect.stringMatching(/^cpn_rwd_/),
      },
    ])
    expect(granted.sort()).toEqual([`friend:${friend.id}`, `inviter:${inviter.id}`].sort())
    // The friend's second order rewards nothing more.
    await ok(friend.client.post('/api/distribution/invite-visits', { code: invite.code }), 201)
    await buy(show, friend.client, granter)
    expect(await rewards(show.organizerId)).toHaveLength(2)
    expect(granted).toHaveLength(2)
  })

  it('records rewards pending until coupons are connected, and never rewards inviting yourself', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const inviter = await customer()
    const invite = await ok(inviter.client.get(`/api/distribution/invite?organizerId=${show.organizerId}`))
    // No invite coupon set: the shop shows no reward line.
    expect(invite.reward).toBeNull()
    await ok(inviter.client.post('/api/distribution/invite-visits', { code: invite.code }), 201)
    await buy(show, inviter.client, { grant: async () => null })
    expect(await rewards(show.organizerId)).toEqual([])
    const friend = await customer()
    await ok(friend.client.post('/api/distribution/invite-visits', { code: invite.code }), 201)
    await buy(show, friend.client, { grant: async () => null })
    expect((await rewards(show.organizerId)).map((r) => r.state)).toEqual(['pending', 'pending'])
  })

  it('grants the organizer’s invite coupon to both sides, through the subscribers the worker runs', async () => {
    const show = await showOnSale(gridChart(1, 10))
    const coupon = await ok(
      show.owner.post(`${show.base}/coupons`, {
        title: '邀请有礼',
        titleEn: 'Invite reward',
        kind: 'amount_off',
        amountOff: 1000,
      }),
      201,
    )
    const refused = await show.owner.put(`${show.base}/distribution-settings`, {
      attributionDays: 7,
      inviteCouponId: 'cpn_not_ours',
    })
    expect(refused.status).toBe(400)
    await ok(
      show.owner.put(`${show.base}/distribution-settings`, { attributionDays: 7, inviteCouponId: coupon.id }),
    )
    const inviter = await customer()
    const friend = await customer()
    const invite = await ok(inviter.client.get(`/api/distribution/invite?organizerId=${show.organizerId}`))
    // The member centre names what both get.
    expect(invite.reward).toEqual({ title: '邀请有礼', titleEn: 'Invite reward' })
    await ok(friend.client.post('/api/distribution/invite-visits', { code: invite.code }), 201)
    const hold = await ok(
      friend.client.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[seat++]] }),
      201,
    )
    await payForHold(friend.client, { kind: 'show', showId: show.showId, holdId: hold.id })
    const db = openDatabase(env.DB)
    await publishOutbox(db, env.WEBHOOK_QUEUE, new Date(), orderEventSubscribers)
    await publishOutbox(db, env.WEBHOOK_QUEUE, new Date(), orderEventSubscribers)
    for (const side of [inviter, friend]) {
      const mine = await ok(side.client.get(`/api/coupons/mine?organizerId=${show.organizerId}`))
      expect(mine.items.map((c: { title: string }) => c.title)).toEqual(['邀请有礼'])
    }
    expect((await rewards(show.organizerId)).map((r) => r.state)).toEqual(['granted', 'granted'])
  })
})
