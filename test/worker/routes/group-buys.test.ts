import { describe, expect, it } from 'vitest'
import { problemOf } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import {
  type Buyer,
  campaignOnSale,
  type GroupBuyFixture,
  joinGroup,
  newBuyer,
  payFor,
  rows,
  showActor,
  startGroup,
} from '../../support/group-buy.ts'

type Membership = { groupId: string; memberId: string; orderId: string; paymentId: string; amountDue: number }

async function groupWith(fixture: GroupBuyFixture, joiners: number) {
  const leader = newBuyer()
  const started = await ok(startGroup(leader, fixture), 201)
  const groupId: string = started.group.groupId
  const members: { buyer: Buyer; membership: Membership }[] = [
    { buyer: leader, membership: started.membership },
  ]
  for (let i = 0; i < joiners; i++) {
    const buyer = newBuyer()
    members.push({ buyer, membership: await ok(joinGroup(buyer, groupId), 201) })
  }
  return { groupId, started, members }
}

const orderStatus = async (orderId: string) =>
  (await rows<{ status: string }>('SELECT status FROM orders WHERE id = ?', orderId))[0]!.status

describe('group buys: happy path', () => {
  it('starts a group whose page shows progress, deadline, share link and QR, and lists it for the screening', async () => {
    const fixture = await campaignOnSale()
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    expect(started.membership).toMatchObject({ role: 'leader', amountDue: 5000 })
    expect(started.membership.checkoutUrl).toMatch(/\/api\/payments\/sandbox\/checkout\/pay_/)
    expect(started.group).toMatchObject({
      status: 'open',
      memberCount: 1,
      paidCount: 0,
      minSize: 3,
      maxSize: 10,
      needed: 3,
      progress: 0,
      shareUrl: `https://tickets.test/group-buys/${started.group.groupId}`,
    })
    expect(started.group.shareQrSvg).toMatch(/^<svg[^>]*>/)
    const deadline = Date.parse(started.group.deadline)
    expect(deadline).toBeGreaterThan(Date.now() + 23 * 3600_000)

    const listing = await ok(newBuyer().client.get(`/api/group-buys/shows/${fixture.showId}`))
    expect(listing.campaigns.map((c: { id: string }) => c.id)).toEqual([fixture.campaignId])
    expect(listing.groups).toMatchObject([{ groupId: started.group.groupId, memberCount: 1, needed: 3 }])

    const campaign = await ok(newBuyer().client.get(`/api/group-buys/campaigns/${fixture.campaignId}`))
    expect(campaign).toMatchObject({ groupPrices: { A: 6000 }, minSize: 3, maxSize: 10, autoComplete: false })

    // The leader's order is at the group price less the leader's discount, and waits for the group.
    const order = await ok(leader.client.get(`/api/orders/${started.membership.orderId}`))
    expect(order).toMatchObject({ status: 'pending', total: 5000 })
    const outbox = await rows<{ topic: string }>(
      "SELECT topic FROM outbox_events WHERE json_extract(payload, '$.groupId') = ?",
      started.group.groupId,
    )
    expect(outbox.map((r) => r.topic)).toEqual(['group.started'])
  })

  it('succeeds at the minimum: every paid member is confirmed with tickets at once; later joiners on payment', async () => {
    const fixture = await campaignOnSale()
    const { groupId, members } = await groupWith(fixture, 2)
    await payFor(members[0]!.buyer, members[0]!.membership.paymentId)
    await payFor(members[1]!.buyer, members[1]!.membership.paymentId)
    // Paid, but the group has 2 of 3: money taken, no tickets yet.
    for (const { membership } of members.slice(0, 2)) {
      expect(await orderStatus(membership.orderId)).toBe('pending')
      expect(await rows('SELECT id FROM tickets WHERE order_id = ?', membership.orderId)).toHaveLength(0)
    }
    const before = await ok(members[2]!.buyer.client.get(`/api/group-buys/groups/${groupId}`))
    expect(before).toMatchObject({ status: 'open', paidCount: 2, needed: 1, progress: 66 })

    await payFor(members[2]!.buyer, members[2]!.membership.paymentId)
    for (const { membership } of members) {
      expect(await orderStatus(membership.orderId)).toBe('paid')
      expect(await rows('SELECT id FROM tickets WHERE order_id = ?', membership.orderId)).toHaveLength(1)
    }
    const counts = await showActor(fixture.showId).counts(fixture.showId)
    expect(counts.memory).toMatchObject({ sold: 3, held: 0 })
    const group = await ok(members[0]!.buyer.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ status: 'succeeded', paidCount: 3, needed: 0, progress: 100 })
    expect(group.you).toMatchObject({ role: 'leader', status: 'confirmed' })

    // Still offered to newcomers (first: nothing more needed), and a later joiner is confirmed as soon as they pay.
    const listing = await ok(newBuyer().client.get(`/api/group-buys/shows/${fixture.showId}`))
    expect(listing.groups).toMatchObject([{ groupId, status: 'succeeded', needed: 0, memberCount: 3 }])
    const late = newBuyer()
    const joined = await ok(joinGroup(late, groupId), 201)
    expect(await orderStatus(joined.orderId)).toBe('pending')
    await payFor(late, joined.paymentId)
    expect(await orderStatus(joined.orderId)).toBe('paid')

    const topics = await rows<{ topic: string }>(
      "SELECT topic FROM outbox_events WHERE json_extract(payload, '$.groupId') = ? ORDER BY created_at, id",
      groupId,
    )
    expect(topics.map((r) => r.topic)).toEqual([
      'group.started',
      'group.joined',
      'group.joined',
      'group.succeeded',
      'group.joined',
    ])
    const audit = await rows<{ action: string }>(
      'SELECT action FROM audit_events WHERE order_id = ? ORDER BY at, id',
      members[1]!.membership.orderId,
    )
    expect(audit.map((r) => r.action)).toEqual(
      expect.arrayContaining([
        'order.created',
        'group_buy.joined',
        'group_buy.paid',
        'group_buy.succeeded',
        'order.paid',
      ]),
    )
    const told = await rows('SELECT id FROM outgoing_messages WHERE "to" = ?', members[2]!.buyer.email)
    expect(told.length).toBeGreaterThanOrEqual(1)
  })

  it('lets a member leave before success: their own payment is refunded and their seats released', async () => {
    const fixture = await campaignOnSale()
    const { groupId, members } = await groupWith(fixture, 1)
    const { buyer, membership } = members[1]!
    await payFor(buyer, membership.paymentId)
    const left = await ok(
      buyer.client.delete(`/api/group-buys/groups/${groupId}/members/${membership.memberId}`),
    )
    expect(left).toEqual({ status: 'left' })
    const refunds = await rows<{ payment_id: string; amount: number }>(
      'SELECT payment_id, amount FROM refunds WHERE order_id = ?',
      membership.orderId,
    )
    expect(refunds).toEqual([{ payment_id: membership.paymentId, amount: 6000 }])
    expect(await orderStatus(membership.orderId)).toBe('cancelled')
    // The leader's money is untouched.
    expect(
      await rows('SELECT id FROM refunds WHERE order_id = ?', members[0]!.membership.orderId),
    ).toHaveLength(0)
    const counts = await showActor(fixture.showId).counts(fixture.showId)
    expect(counts.memory).toMatchObject({ held: 1, sold: 0 })
    const group = await ok(buyer.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ memberCount: 1, paidCount: 0 })
    expect(group.you).toMatchObject({ status: 'left' })
    // Leaving twice changes nothing and refunds nothing more.
    await ok(buyer.client.delete(`/api/group-buys/groups/${groupId}/members/${membership.memberId}`))
    expect(await rows('SELECT id FROM refunds WHERE order_id = ?', membership.orderId)).toHaveLength(1)
  })

  it('refunds a payment that arrives after the member left unpaid', async () => {
    const fixture = await campaignOnSale()
    const { groupId, members } = await groupWith(fixture, 1)
    const { buyer, membership } = members[1]!
    await ok(buyer.client.delete(`/api/group-buys/groups/${groupId}/members/${membership.memberId}`))
    expect(await orderStatus(membership.orderId)).toBe('cancelled')
    await payFor(buyer, membership.paymentId)
    const refunds = await rows<{ amount: number }>(
      'SELECT amount FROM refunds WHERE order_id = ?',
      membership.orderId,
    )
    expect(refunds).toEqual([{ amount: 6000 }])
    expect(await rows('SELECT id FROM tickets WHERE order_id = ?', membership.orderId)).toHaveLength(0)
  })

  it('seats a joiner next to the group, or on the seats they picked', async () => {
    const fixture = await campaignOnSale()
    const leader = newBuyer()
    // The leader picks a seat at the far end of row 1 (best available would take the middle).
    const corner = fixture.seatIds[18]!
    const started = await ok(startGroup(leader, fixture, { category: undefined, seatIds: [corner] }), 201)
    const friend = newBuyer()
    const beside = await ok(joinGroup(friend, started.group.groupId, { quantity: 2 }), 201)
    expect(beside.seats.map((s: { id: string }) => s.id).sort()).toEqual(
      [fixture.seatIds[16], fixture.seatIds[17]].sort(),
    )
    const picker = newBuyer()
    const picked = await ok(
      joinGroup(picker, started.group.groupId, { category: undefined, seatIds: [fixture.seatIds[19]] }),
      201,
    )
    expect(picked.seats.map((s: { id: string }) => s.id)).toEqual([fixture.seatIds[19]])
  })
})

describe('group buys: errors', () => {
  it('refuses joining twice, over the per-buyer limit, or outside the group price categories', async () => {
    const fixture = await campaignOnSale()
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId = started.group.groupId
    const again = await problemOf(await joinGroup(leader, groupId))
    expect(again).toMatchObject({
      code: 'already_member',
      status: 409,
      memberId: started.membership.memberId,
    })
    const greedy = await problemOf(await joinGroup(newBuyer(), groupId, { quantity: 3 }))
    expect(greedy.code).toBe('buyer_limit')
    const wrongZone = await problemOf(await joinGroup(newBuyer(), groupId, { category: 'B' }))
    expect(wrongZone.code).toBe('not_in_group_buy')
    const seatsInB = fixture.seatIds.slice(20, 21) // row 2 is category B
    const namedB = await problemOf(
      await joinGroup(newBuyer(), groupId, { category: undefined, seatIds: seatsInB }),
    )
    expect(namedB.code).toBe('not_in_group_buy')
    // Nothing refused kept a place or a seat.
    const group = await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group.memberCount).toBe(1)
    const counts = await showActor(fixture.showId).counts(fixture.showId)
    expect(counts.memory.held).toBe(1)
  })

  it('validates bodies and refuses unknown groups, paused campaigns and shows outside the campaign', async () => {
    const fixture = await campaignOnSale()
    const both = await problemOf(await startGroup(newBuyer(), fixture, { seatIds: [fixture.seatIds[0]] }))
    expect(both.code).toBe('validation')
    const guest = newBuyer()
    const noContact = await problemOf(await startGroup(guest, fixture, { email: undefined }))
    expect(noContact.errors).toEqual([expect.objectContaining({ path: 'json.email' })])
    expect((await problemOf(await joinGroup(newBuyer(), 'grp_missing'))).code).toBe('not_found')
    expect((await problemOf(await newBuyer().client.get('/api/group-buys/groups/grp_missing'))).code).toBe(
      'not_found',
    )
    const other = await campaignOnSale()
    const outside = await problemOf(await startGroup(newBuyer(), { ...fixture, showId: other.showId }))
    expect(outside.code).toBe('not_found')
    await ok(
      fixture.manager.patch(`${fixture.base}/group-buy-campaigns/${fixture.campaignId}`, {
        status: 'paused',
      }),
    )
    expect((await problemOf(await startGroup(newBuyer(), fixture))).code).toBe('not_found')
  })

  it('refuses leaving after the group succeeded (refund the order instead)', async () => {
    const fixture = await campaignOnSale({ minSize: 2 })
    const { groupId, members } = await groupWith(fixture, 1)
    for (const m of members) await payFor(m.buyer, m.membership.paymentId)
    const { buyer, membership } = members[1]!
    const refused = await problemOf(
      await buyer.client.delete(`/api/group-buys/groups/${groupId}/members/${membership.memberId}`),
    )
    expect(refused).toMatchObject({ code: 'group_succeeded', status: 409 })
    expect(await orderStatus(membership.orderId)).toBe('paid')
  })
})

describe('group buys: security', () => {
  it("does not let another buyer leave someone else's membership", async () => {
    const fixture = await campaignOnSale()
    const { groupId, members } = await groupWith(fixture, 1)
    const { buyer, membership } = members[1]!
    await payFor(buyer, membership.paymentId)
    const stranger = newBuyer()
    await ok(stranger.client.get('/api/group-buys/groups/' + groupId)) // gets a buyer cookie of their own
    const res = await stranger.client.delete(
      `/api/group-buys/groups/${groupId}/members/${membership.memberId}`,
    )
    expect((await problemOf(res)).code).toBe('not_found')
    // Not even the leader can remove a member.
    const byLeader = await members[0]!.buyer.client.delete(
      `/api/group-buys/groups/${groupId}/members/${membership.memberId}`,
    )
    expect(byLeader.status).toBe(404)
    expect(await rows('SELECT id FROM refunds WHERE order_id = ?', membership.orderId)).toHaveLength(0)
    const group = await ok(buyer.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ memberCount: 2, paidCount: 1 })
    expect(group.you).toMatchObject({ memberId: membership.memberId, status: 'paid' })
  })

  it("shows a group's page without anyone's identity, contact or order", async () => {
    const fixture = await campaignOnSale()
    const { groupId, members } = await groupWith(fixture, 1)
    const stranger = newBuyer()
    const res = await stranger.client.get(`/api/group-buys/groups/${groupId}`)
    const text = await res.text()
    for (const { buyer, membership } of members) {
      expect(text).not.toContain(buyer.email)
      expect(text).not.toContain(membership.orderId)
      expect(text).not.toContain(membership.memberId)
    }
    expect(JSON.parse(text).you).toBeNull()
    // Orders stay private to their buyer.
    const peek = await stranger.client.get(`/api/orders/${members[0]!.membership.orderId}`)
    expect(peek.status).toBe(404)
  })
})
