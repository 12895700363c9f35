import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { problemOf } from '../support/api.ts'
import { gridChart, ok } from '../support/catalogue.ts'
import {
  campaignOnSale,
  groupActor,
  joinGroup,
  newBuyer,
  passDeadline,
  payFor,
  rows,
  showActor,
  startGroup,
} from '../support/group-buy.ts'

const orderStatus = async (orderId: string) =>
  (await rows<{ status: string }>('SELECT status FROM orders WHERE id = ?', orderId))[0]!.status

describe('GroupBuy actor: racing joins', () => {
  it('30 concurrent joins on a max-10 group: exactly 10 members, seats held exactly for them', async () => {
    const fixture = await campaignOnSale({ minSize: 5, maxSize: 10 }, {}, gridChart(4, 20, ['A']))
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId: string = started.group.groupId
    const joiners = Array.from({ length: 30 }, () => newBuyer())
    const responses = await Promise.all(joiners.map((buyer) => joinGroup(buyer, groupId)))
    const joined = responses.filter((r) => r.status === 201)
    const refused = responses.filter((r) => r.status !== 201)
    expect(joined).toHaveLength(9)
    expect(refused).toHaveLength(21)
    for (const res of refused) expect((await problemOf(res)).code).toBe('group_full')

    const memberships = [
      started.membership,
      ...(await Promise.all(joined.map((r) => r.json<{ seats: { id: string }[]; orderId: string }>()))),
    ]
    const seats = memberships.flatMap((m: { seats: { id: string }[] }) => m.seats.map((s) => s.id))
    expect(new Set(seats).size).toBe(10)
    const counts = await showActor(fixture.showId).counts(fixture.showId)
    expect(counts.memory).toMatchObject({ held: 10, sold: 0 })
    expect(counts.storage).toMatchObject({ held: 10 })
    expect(counts.activeHolds).toBe(10)

    const group = await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ memberCount: 10, placesLeft: 0 })
    const mirrored = await rows<{ member_count: number }>(
      'SELECT member_count FROM group_buys WHERE id = ?',
      groupId,
    )
    expect(mirrored).toEqual([{ member_count: 10 }])
    const memberRows = await rows('SELECT id FROM group_buy_members WHERE group_id = ?', groupId)
    expect(memberRows).toHaveLength(10)
    // A full group is no longer offered to newcomers.
    const listing = await ok(newBuyer().client.get(`/api/group-buys/shows/${fixture.showId}`))
    expect(listing.groups).toEqual([])
  })
})

describe('GroupBuy actor: deadline', () => {
  it('fails at the deadline: each member gets their own payment back, seats are released, members are told', async () => {
    const fixture = await campaignOnSale({ minSize: 4 })
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId: string = started.group.groupId
    const payer = newBuyer()
    const paying = await ok(joinGroup(payer, groupId, { quantity: 2 }), 201)
    const idle = newBuyer()
    const unpaid = await ok(joinGroup(idle, groupId), 201)
    await payFor(leader, started.membership.paymentId)
    await payFor(payer, paying.paymentId)

    // Before the deadline the alarm changes nothing.
    expect(await runDurableObjectAlarm(groupActor(groupId))).toBe(true)
    expect((await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))).status).toBe('open')

    await passDeadline(groupId)
    expect(await runDurableObjectAlarm(groupActor(groupId))).toBe(true)

    const refunds = await rows<{ order_id: string; payment_id: string; amount: number; id: string }>(
      `SELECT r.order_id, r.payment_id, r.amount, r.id FROM refunds r JOIN group_buy_members m ON m.order_id = r.order_id
       WHERE m.group_id = ? ORDER BY r.amount`,
      groupId,
    )
    // The leader paid 60.00 - 10.00; the other member 2 × 60.00: each gets exactly their own payment back.
    expect(refunds).toEqual([
      {
        order_id: started.membership.orderId,
        payment_id: started.membership.paymentId,
        amount: 5000,
        id: `rf_group_${started.membership.paymentId}`,
      },
      {
        order_id: paying.orderId,
        payment_id: paying.paymentId,
        amount: 12000,
        id: `rf_group_${paying.paymentId}`,
      },
    ])
    const payments = await rows<{ status: string }>(
      'SELECT status FROM payments WHERE id IN (?, ?)',
      started.membership.paymentId,
      paying.paymentId,
    )
    expect(payments.map((p) => p.status)).toEqual(['refunded', 'refunded'])
    for (const orderId of [started.membership.orderId, paying.orderId, unpaid.orderId])
      expect(await orderStatus(orderId)).toBe('cancelled')
    expect(await rows('SELECT id FROM refunds WHERE order_id = ?', unpaid.orderId)).toHaveLength(0)
    const counts = await showActor(fixture.showId).counts(fixture.showId)
    expect(counts.memory).toMatchObject({ held: 0, sold: 0 })

    const group = await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ status: 'failed', memberCount: 0 })
    expect(group.you).toMatchObject({ status: 'refunded' })
    const topics = await rows<{ topic: string }>(
      "SELECT topic FROM outbox_events WHERE json_extract(payload, '$.groupId') = ? AND topic = 'group.failed'",
      groupId,
    )
    expect(topics).toHaveLength(1)
    for (const buyer of [leader, payer, idle]) {
      const told = await rows<{ subject: string }>(
        'SELECT subject FROM outgoing_messages WHERE "to" = ?',
        buyer.email,
      )
      expect(told.map((m) => m.subject)).toEqual([expect.stringContaining('拼团未成功')])
    }

    // Retrying (another alarm, a late duplicate notification path) never refunds twice.
    await runInDurableObject(groupActor(groupId), async (_i, state) => {
      await state.storage.setAlarm(Date.now())
    })
    await runDurableObjectAlarm(groupActor(groupId))
    const again = await rows(
      'SELECT r.id FROM refunds r JOIN group_buy_members m ON m.order_id = r.order_id WHERE m.group_id = ?',
      groupId,
    )
    expect(again).toHaveLength(2)
    // A failed group takes no one.
    expect((await problemOf(await joinGroup(newBuyer(), groupId))).code).toBe('group_closed')
  })

  it('虚拟成团: with automatic completion on, a group short of its minimum still succeeds at the deadline', async () => {
    const fixture = await campaignOnSale({ minSize: 3, autoComplete: true })
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId: string = started.group.groupId
    await payFor(leader, started.membership.paymentId)
    const idle = newBuyer()
    const unpaid = await ok(joinGroup(idle, groupId), 201)
    await passDeadline(groupId)
    await runDurableObjectAlarm(groupActor(groupId))
    expect(await orderStatus(started.membership.orderId)).toBe('paid')
    expect(await rows('SELECT id FROM tickets WHERE order_id = ?', started.membership.orderId)).toHaveLength(
      1,
    )
    expect(await orderStatus(unpaid.orderId)).toBe('cancelled')
    const group = await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ status: 'succeeded', virtual: true })
    const [event] = await rows<{ payload: string }>(
      "SELECT payload FROM outbox_events WHERE topic = 'group.succeeded' AND json_extract(payload, '$.groupId') = ?",
      groupId,
    )
    expect(JSON.parse(event!.payload)).toMatchObject({
      virtual: true,
      organizerFundedPlaces: 2,
      paidMembers: 1,
    })
  })

  it('is off by default: the same group fails without 虚拟成团', async () => {
    const fixture = await campaignOnSale({ minSize: 3 })
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    await payFor(leader, started.membership.paymentId)
    await passDeadline(started.group.groupId)
    await runDurableObjectAlarm(groupActor(started.group.groupId))
    expect(await orderStatus(started.membership.orderId)).toBe('cancelled')
  })

  it('never outlives the show sale end; seats stay held for the group, not the usual hold minutes', async () => {
    // Sales end 90 minutes from now; groups would otherwise run 24 hours.
    const fixture = await campaignOnSale({ lifetimeMinutes: 24 * 60 }, { startsInHours: 2, holdMinutes: 15 })
    const [show] = await rows<{ sale_ends_at: string }>(
      'SELECT sale_ends_at FROM shows WHERE id = ?',
      fixture.showId,
    )
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    expect(started.group.deadline).toBe(show!.sale_ends_at)
    // Unpaid: the seats are held for the payment window (the show's hold minutes)…
    const inventory = showActor(fixture.showId)
    const before = await inventory.describeHold(fixture.showId, (await holdOf(started.membership.orderId))!)
    expect(Date.parse(before!.hold.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000)
    expect(started.membership.payBy).toBe(before!.hold.expiresAt)
    // …once paid, until the group's deadline.
    await payFor(leader, started.membership.paymentId)
    const after = await inventory.describeHold(fixture.showId, (await holdOf(started.membership.orderId))!)
    expect(after!.hold.expiresAt).toBe(show!.sale_ends_at)
    const [order] = await rows<{ expires_at: string }>(
      'SELECT expires_at FROM orders WHERE id = ?',
      started.membership.orderId,
    )
    expect(order!.expires_at).toBe(show!.sale_ends_at)
  })

  it('frees the place of a member who does not pay in time', async () => {
    const fixture = await campaignOnSale({ minSize: 2, maxSize: 2 })
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId: string = started.group.groupId
    const idle = newBuyer()
    const unpaid = await ok(joinGroup(idle, groupId), 201)
    expect((await problemOf(await joinGroup(newBuyer(), groupId))).code).toBe('group_full')
    // The idle member's payment window runs out.
    await runInDurableObject(groupActor(groupId), async (_i, state) => {
      state.storage.sql.exec(
        'UPDATE members SET pay_by = ? WHERE order_id = ?',
        Date.now() - 1000,
        unpaid.orderId,
      )
    })
    await runDurableObjectAlarm(groupActor(groupId))
    expect(await orderStatus(unpaid.orderId)).toBe('cancelled')
    const group = await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ status: 'open', memberCount: 1 })
    await ok(joinGroup(newBuyer(), groupId), 201)
  })
})

async function holdOf(orderId: string) {
  const [row] = await rows<{ hold_id: string }>('SELECT hold_id FROM orders WHERE id = ?', orderId)
  return row?.hold_id
}

describe('GroupBuy actor: success is idempotent', () => {
  it('members paying at once at the minimum: every order confirmed once, one ticket per seat, one success event', async () => {
    const fixture = await campaignOnSale({ minSize: 5, maxSize: 6 })
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId: string = started.group.groupId
    const members = [{ buyer: leader, membership: started.membership }]
    for (let i = 0; i < 4; i++) {
      const buyer = newBuyer()
      members.push({ buyer, membership: await ok(joinGroup(buyer, groupId, { quantity: 2 }), 201) })
    }
    await Promise.all(members.map(({ buyer, membership }) => payFor(buyer, membership.paymentId)))
    for (const { membership } of members) expect(await orderStatus(membership.orderId)).toBe('paid')
    const tickets = await rows<{ n: number }>(
      `SELECT count(*) AS n FROM tickets t JOIN group_buy_members m ON m.order_id = t.order_id WHERE m.group_id = ?`,
      groupId,
    )
    expect(tickets).toEqual([{ n: 9 }])
    // Telling the actor again (a retried notification or reconciliation) changes nothing.
    for (const { membership } of members)
      expect(await groupActor(groupId).memberPaid(membership.orderId)).toEqual({
        status: 'confirmed',
      })
    const again = await rows<{ n: number }>(
      `SELECT count(*) AS n FROM tickets t JOIN group_buy_members m ON m.order_id = t.order_id WHERE m.group_id = ?`,
      groupId,
    )
    expect(again).toEqual([{ n: 9 }])
    const succeeded = await rows(
      "SELECT id FROM outbox_events WHERE topic = 'group.succeeded' AND json_extract(payload, '$.groupId') = ?",
      groupId,
    )
    expect(succeeded).toHaveLength(1)
    const counts = await showActor(fixture.showId).counts(fixture.showId)
    expect(counts.memory).toMatchObject({ sold: 9, held: 0 })
  })
})

describe('GroupBuy actor: cancelled show', () => {
  /** A group whose leader paid and whose friend joined but has not paid yet. */
  async function leaderPaidFriendJoined(minSize: number) {
    const fixture = await campaignOnSale({ minSize })
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId: string = started.group.groupId
    const friend = newBuyer()
    const joined = await ok(joinGroup(friend, groupId), 201)
    await payFor(leader, started.membership.paymentId)
    const cancelShow = () =>
      ok(fixture.owner.post(`${fixture.base}/shows/${fixture.showId}/cancel`, { reason: 'Projector broke' }))
    return { fixture, leader, started, groupId, friend, joined, cancelShow }
  }

  it('never succeeds on a cancelled show: reaching the minimum fails the group and refunds everyone', async () => {
    const { leader, started, groupId, friend, joined, cancelShow } = await leaderPaidFriendJoined(2)
    await cancelShow()
    await payFor(friend, joined.paymentId)
    for (const orderId of [started.membership.orderId, joined.orderId]) {
      expect(await orderStatus(orderId)).toBe('cancelled')
      expect(await rows('SELECT id FROM tickets WHERE order_id = ?', orderId)).toHaveLength(0)
      expect(await rows('SELECT id FROM refunds WHERE order_id = ?', orderId)).toHaveLength(1)
    }
    expect((await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))).status).toBe('failed')
  })

  it('fails an open group as soon as its show is cancelled: paid members refunded once, unpaid orders cancelled', async () => {
    const { fixture, leader, started, groupId, joined, cancelShow } = await leaderPaidFriendJoined(3)
    const cancelled = await cancelShow()
    // No payment, no alarm: the cancellation itself settles the group.
    expect(cancelled).toMatchObject({ refundedOrders: 0, failedGroups: 1 })
    expect((await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))).status).toBe('failed')
    expect(await orderStatus(started.membership.orderId)).toBe('cancelled')
    expect(
      await rows('SELECT amount FROM refunds WHERE order_id = ?', started.membership.orderId),
    ).toHaveLength(1)
    expect(await orderStatus(joined.orderId)).toBe('cancelled')
    expect(await rows('SELECT id FROM refunds WHERE order_id = ?', joined.orderId)).toHaveLength(0)
    const counts = await showActor(fixture.showId).counts(fixture.showId)
    expect(counts.memory).toMatchObject({ held: 0, sold: 0 })
    // Cancelling again refunds nothing twice and finds no open group.
    const again = await cancelShow()
    expect(again).toMatchObject({ refundedOrders: 0, failedGroups: 0 })
    expect(await rows('SELECT id FROM refunds WHERE order_id = ?', started.membership.orderId)).toHaveLength(
      1,
    )
  })
})
