// A join in its three steps (the actor takes a place and holds seats, the worker makes the order from that hold,
// the actor seats the member), what happens when a step fails, and the actor's identity and storage layout.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { GroupBuyTerms } from '../../durable-objects/group-buy/contract.ts'
import { adoptGroupStorage, GROUP_BUY_MIGRATIONS } from '../../durable-objects/group-buy/migrations.ts'
import { migrate } from '../../durable-objects/shared/migrations.ts'
import { completeJoin } from '../../worker/services/group-buy-joins.ts'
import { ORIGIN, problemOf } from '../support/api.ts'
import { ok } from '../support/catalogue.ts'
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
import { orderServices } from '../support/orders.ts'

const held = async (showId: string) => (await showActor(showId).counts(showId)).memory.held

describe('GroupBuy actor: places', () => {
  it('a place whose group closes before its order is made never joins: seats back, order cancelled', async () => {
    const fixture = await campaignOnSale({ minSize: 3 })
    const started = await ok(startGroup(newBuyer(), fixture), 201)
    const groupId: string = started.group.groupId
    const request = {
      buyerId: 'buyer_late_joiner',
      email: 'late@example.com',
      quantity: 1,
      category: 'A',
      origin: ORIGIN,
    }
    const place = await groupActor(groupId).join(request)
    if (!place.ok) throw new Error(place.detail)
    expect(place).toMatchObject({ role: 'member', discount: 0, terms: { groupId } })
    expect(place.hold.seats).toHaveLength(1)
    expect(await held(fixture.showId)).toBe(2)

    // The group fails at its deadline while the worker is still making the order.
    await passDeadline(groupId)
    await runDurableObjectAlarm(groupActor(groupId))
    expect(await held(fixture.showId)).toBe(0)

    const refused = await completeJoin(orderServices(), groupActor(groupId), place, request).catch((e) => e)
    expect(refused).toMatchObject({ code: 'group_closed', status: 409 })
    const [order] = await rows<{ status: string }>(
      'SELECT status FROM orders WHERE hold_id = ?',
      place.hold.id,
    )
    expect(order).toEqual({ status: 'cancelled' })
    expect(await rows('SELECT id FROM group_buy_members WHERE id = ?', place.memberId)).toHaveLength(0)
    const group = await ok(newBuyer().client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ status: 'failed', memberCount: 0 })
  })

  it('when the order cannot be made, the place and its seats go back; a leader’s group never exists', async () => {
    const fixture = await campaignOnSale({ minSize: 2, maxSize: 2 })
    const started = await ok(startGroup(newBuyer(), fixture), 201)
    const groupId: string = started.group.groupId
    await env.DB.prepare('UPDATE organizers SET allow_guest_checkout = 0 WHERE id = ?')
      .bind(fixture.organizerId)
      .run()

    // Guests may no longer order: the joiner is refused with the order's problem, and keeps nothing.
    const guest = newBuyer()
    const refused = await problemOf(await joinGroup(guest, groupId))
    expect(refused).toMatchObject({ code: 'sign_in_required', status: 401 })
    expect(await held(fixture.showId)).toBe(1)
    const group = await ok(guest.client.get(`/api/group-buys/groups/${groupId}`))
    expect(group).toMatchObject({ memberCount: 1, placesLeft: 1, you: null })

    const leader = newBuyer()
    expect((await problemOf(await startGroup(leader, fixture))).code).toBe('sign_in_required')
    expect(await held(fixture.showId)).toBe(1)
    const groups = await rows('SELECT id FROM group_buys WHERE show_id = ?', fixture.showId)
    expect(groups).toEqual([{ id: groupId }])
    expect(
      await rows("SELECT id FROM orders WHERE show_id = ? AND status = 'pending'", fixture.showId),
    ).toHaveLength(1)

    // The place given back is free for the next joiner.
    await env.DB.prepare('UPDATE organizers SET allow_guest_checkout = 1 WHERE id = ?')
      .bind(fixture.organizerId)
      .run()
    await ok(joinGroup(guest, groupId), 201)
  })
})

describe('GroupBuy actor: retries', () => {
  it('finishes a payment whose steps stopped halfway when the notification comes again, recording it once', async () => {
    const fixture = await campaignOnSale({ minSize: 3 })
    const leader = newBuyer()
    const started = await ok(startGroup(leader, fixture), 201)
    const groupId: string = started.group.groupId
    const { orderId, paymentId } = started.membership
    // The actor counted the payment, and then nothing else got written (D1 or the entrypoint failed).
    await runInDurableObject(groupActor(groupId), async (_instance, state) => {
      state.storage.sql.exec("UPDATE members SET status = 'paid' WHERE order_id = ?", orderId)
    })
    await payFor(leader, paymentId)
    const deadline = started.group.deadline as string
    const [order] = await rows<{ expires_at: string; hold_id: string }>(
      'SELECT expires_at, hold_id FROM orders WHERE id = ?',
      orderId,
    )
    expect(order!.expires_at).toBe(deadline)
    const hold = await showActor(fixture.showId).describeHold(fixture.showId, order!.hold_id)
    expect(hold!.hold.expiresAt).toBe(deadline)
    expect(await rows('SELECT status FROM group_buy_members WHERE order_id = ?', orderId)).toEqual([
      { status: 'paid' },
    ])
    expect(await groupActor(groupId).memberPaid(orderId)).toEqual({ status: 'paid' })
    const paidAudits = await rows(
      "SELECT id FROM audit_events WHERE order_id = ? AND action = 'group_buy.paid'",
      orderId,
    )
    expect(paidAudits).toHaveLength(1)
    expect(await ok(leader.client.get(`/api/group-buys/groups/${groupId}`))).toMatchObject({ paidCount: 1 })
  })
})

describe('GroupBuy actor: identity and storage', () => {
  it('knows its group from its name: terms for another group are refused', async () => {
    const fixture = await campaignOnSale()
    const terms: GroupBuyTerms = {
      groupId: 'grp_someone_else',
      campaignId: fixture.campaignId,
      organizerId: fixture.organizerId,
      showId: fixture.showId,
      prices: { A: 6000 },
      minSize: 3,
      maxSize: 10,
      deadline: new Date(Date.now() + 3600_000).toISOString(),
      perBuyerLimit: 2,
      leaderDiscount: 0,
      autoComplete: false,
      paymentMinutes: 15,
      currency: 'CNY',
    }
    const leader = { buyerId: 'buyer_x', quantity: 1, category: 'A', origin: ORIGIN }
    const stub = groupActor('grp_named_differently')
    expect(await stub.start(terms, leader)).toMatchObject({ ok: false, code: 'conflict' })
    expect(await stub.describe()).toBeNull()
    expect(await held(fixture.showId)).toBe(0)
  })

  it('runs its numbered migrations once; storage from before the runner keeps its rows', async () => {
    const fixture = await campaignOnSale()
    const started = await ok(startGroup(newBuyer(), fixture), 201)
    await runInDurableObject(groupActor(started.group.groupId), async (_instance, state) => {
      const versions = () => state.storage.sql.exec('SELECT version FROM schema_migrations').toArray()
      expect(versions()).toEqual([{ version: GROUP_BUY_MIGRATIONS.length }])
      const options = { adopt: adoptGroupStorage }
      expect(migrate(state.storage, GROUP_BUY_MIGRATIONS, options)).toBe(GROUP_BUY_MIGRATIONS.length)
      expect(versions()).toHaveLength(GROUP_BUY_MIGRATIONS.length)
      // A group started before the runner existed: its tables are there, the runner's record is not.
      state.storage.sql.exec('DROP TABLE schema_migrations')
      expect(migrate(state.storage, GROUP_BUY_MIGRATIONS, options)).toBe(GROUP_BUY_MIGRATIONS.length)
      expect(state.storage.sql.exec('SELECT version, adopted FROM schema_migrations').toArray()).toEqual([
        { version: 1, adopted: 1 },
      ])
      expect(state.storage.sql.exec('SELECT id FROM members').toArray()).toHaveLength(1)
    })
  })
})
