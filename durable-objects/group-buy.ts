import { DurableObject } from 'cloudflare:workers'
import { and, eq } from 'drizzle-orm'
import { type Database, openDatabase } from '../worker/db/client.ts'
import {
  type GroupBuyMemberStatus,
  groupBuyMembers,
  groupBuys,
  orders,
  outboxEvents,
  payments,
  shows,
} from '../worker/db/schema.ts'
import { seatsNearGroup } from '../worker/domain/group-buy.ts'
import type { Bindings } from '../worker/env.ts'
import { newId } from '../worker/ids.ts'
import { jsonLogger } from '../worker/middleware/logger.ts'
import { Problem } from '../worker/problem.ts'
import { outboxSender } from '../worker/services/messages.ts'
import {
  audit,
  cancelUnpaidOrder,
  confirmPaidOrder,
  createOrderFromHold,
  extendPaymentWindow,
  type OrderServices,
  refundUnfulfilledOrder,
  runBatch,
  type Statement,
} from '../worker/services/orders/index.ts'
import { paymentProvider } from '../worker/services/payments/index.ts'
import { showInventoryStub } from '../worker/services/show-inventory-client.ts'
import type { HeldSeat, ShowHoldOutcome } from './show-inventory/contract.ts'

// One instance per group buy (团购), named by group id. It is the only place a group's membership changes,
// so joins racing for the last places are decided one at a time: a place is taken synchronously (in this
// actor's SQLite, before any await) and given back if the seats or the order cannot be had. Seats live in the
// show's inventory actor, money in the order/payment path; this actor drives both and mirrors its state into
// D1 (`group_buys`, `group_buy_members`) together with audit rows and outbox events. Its alarm fires at the
// deadline (success or failure), when an unpaid member's payment window ends, and to retry unfinished work.
// Every side effect is idempotent (fixed refund and event ids, idempotent confirm), so retries are safe.

/** Fixed when the group starts, from its campaign and show. */
export interface GroupBuyTerms {
  groupId: string
  campaignId: string
  organizerId: string
  showId: string
  /** Group price per price category, minor units. */
  prices: Record<string, number>
  minSize: number
  maxSize: number
  /** ISO; already clipped to the show's sale end. */
  deadline: string
  perBuyerLimit: number
  leaderDiscount: number
  autoComplete: boolean
  /** How long an unpaid member keeps their place (the show's hold minutes). */
  paymentMinutes: number
  currency: string
}

export type GroupBuyStatus = 'forming' | 'open' | 'succeeded' | 'failed' | 'void'

export interface GroupJoinRequest {
  buyerId: string
  customerId?: string
  email?: string
  phone?: string
  quantity: number
  /** Best available in this price category, unless `seatIds` names the seats. */
  category?: string
  seatIds?: string[]
  /** For the checkout URL. */
  origin: string
}

export type GroupRefusal = { ok: false; code: string; status: number; detail: string; unavailable?: string[] }

export type GroupJoinOutcome =
  | {
      ok: true
      groupId: string
      memberId: string
      role: 'leader' | 'member'
      orderId: string
      paymentId: string
      checkoutUrl: string | null
      amountDue: number
      seats: HeldSeat[]
      payBy: string
    }
  | GroupRefusal

export interface GroupBuyView {
  groupId: string
  campaignId: string
  showId: string
  status: GroupBuyStatus
  minSize: number
  maxSize: number
  deadline: string
  prices: Record<string, number>
  currency: string
  leaderDiscount: number
  /** Members holding a place (joined and not left), and those of them who paid. */
  memberCount: number
  paidCount: number
  placesLeft: number
  /** Paid members still needed to succeed (0 once it has). */
  needed: number
  virtual: boolean
  members: { role: string; quantity: number; status: string; joinedAt: string }[]
  you: { memberId: string; role: string; status: string; orderId: string | null; payBy: string } | null
}

type MemberStatus = 'joining' | GroupBuyMemberStatus
interface MemberRow {
  id: string
  buyer_id: string
  customer_id: string | null
  role: 'leader' | 'member'
  quantity: number
  status: MemberStatus
  hold_id: string | null
  order_id: string | null
  pay_by: number
  joined_at: number
  done: number
  seat_ids: string
}

/** Statuses after which a member is out of the group; `done` says whether their money and seats were settled. */
const GONE: MemberStatus[] = ['left', 'lapsed', 'cancelled', 'refunded']
const RETRY_MS = 30_000

const SCHEMA = `
CREATE TABLE IF NOT EXISTS terms (
  id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, status TEXT NOT NULL,
  virtual INTEGER NOT NULL DEFAULT 0, outcome_recorded INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS members (
  id TEXT PRIMARY KEY, buyer_id TEXT NOT NULL, customer_id TEXT, role TEXT NOT NULL, quantity INTEGER NOT NULL,
  status TEXT NOT NULL, hold_id TEXT, order_id TEXT UNIQUE, pay_by INTEGER NOT NULL, joined_at INTEGER NOT NULL,
  done INTEGER NOT NULL DEFAULT 0, seat_ids TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS members_buyer ON members (buyer_id);
`

const refusal = (code: string, status: number, detail: string, unavailable?: string[]): GroupRefusal => ({
  ok: false,
  code,
  status,
  detail,
  ...(unavailable ? { unavailable } : {}),
})

const holdRefusalStatus: Record<string, number> = { invalid_request: 400 }

export class GroupBuy extends DurableObject<Bindings> {
  private readonly db: Database
  private readonly logger = jsonLogger({ actor: 'GroupBuy' })
  private settling: Promise<void> | null = null
  private settleAgain = false

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env)
    ctx.storage.sql.exec(SCHEMA)
    this.db = openDatabase(env.DB)
  }

  private get services(): OrderServices {
    return { env: this.env, db: this.db, logger: this.logger, payments: paymentProvider(this.env) }
  }

  // ---- state ---------------------------------------------------------------------------------

  private state(): {
    terms: GroupBuyTerms
    status: GroupBuyStatus
    virtual: boolean
    recorded: boolean
  } | null {
    const [row] = this.ctx.storage.sql
      .exec<{ json: string; status: string; virtual: number; outcome_recorded: number }>(
        'SELECT json, status, virtual, outcome_recorded FROM terms WHERE id = 1',
      )
      .toArray()
    if (!row) return null
    return {
      terms: JSON.parse(row.json) as GroupBuyTerms,
      status: row.status as GroupBuyStatus,
      virtual: Boolean(row.virtual),
      recorded: Boolean(row.outcome_recorded),
    }
  }

  private setStatus(from: GroupBuyStatus[], to: GroupBuyStatus, virtual = false): boolean {
    const cursor = this.ctx.storage.sql.exec(
      `UPDATE terms SET status = ?, virtual = ? WHERE id = 1 AND status IN (${from.map(() => '?').join(',')})`,
      to,
      virtual ? 1 : 0,
      ...from,
    )
    return cursor.rowsWritten > 0
  }

  private members(where = '1 = 1', ...args: (string | number)[]): MemberRow[] {
    return this.ctx.storage.sql
      .exec(`SELECT * FROM members WHERE ${where} ORDER BY joined_at, id`, ...args)
      .toArray() as unknown as MemberRow[]
  }

  private member(where: string, ...args: (string | number)[]): MemberRow | undefined {
    return this.members(where, ...args)[0]
  }

  /** Moves a member between statuses only if it is still in one of `from`: the guard against interleaved calls. */
  private moveMember(id: string, from: MemberStatus[], to: MemberStatus, done = 0): boolean {
    const cursor = this.ctx.storage.sql.exec(
      `UPDATE members SET status = ?, done = ? WHERE id = ? AND status IN (${from.map(() => '?').join(',')})`,
      to,
      done,
      id,
      ...from,
    )
    return cursor.rowsWritten > 0
  }

  private counts() {
    const [row] = this.ctx.storage.sql
      .exec<{ places: number; paid: number }>(
        `SELECT coalesce(sum(status IN ('joining','awaiting_payment','paid','confirmed')), 0) AS places,
                coalesce(sum(status IN ('paid','confirmed')), 0) AS paid FROM members`,
      )
      .toArray()
    return { places: Number(row!.places), paid: Number(row!.paid) }
  }

  /** D1 mirror of the group's counters (and status when given), for listings. */
  private groupMirror(
    groupId: string,
    status?: 'open' | 'succeeded' | 'failed',
    settled?: boolean,
  ): Statement {
    const { places, paid } = this.counts()
    const now = new Date().toISOString()
    return this.db
      .update(groupBuys)
      .set({
        memberCount: places,
        paidCount: paid,
        updatedAt: now,
        ...(status ? { status } : {}),
        ...(settled ? { settledAt: now } : {}),
      })
      .where(eq(groupBuys.id, groupId))
  }

  private memberMirror(member: Pick<MemberRow, 'id'>, status: GroupBuyMemberStatus): Statement {
    return this.db
      .update(groupBuyMembers)
      .set({ status, updatedAt: new Date().toISOString() })
      .where(eq(groupBuyMembers.id, member.id))
  }

  /** Audit rows with fixed ids, so a retried step never records the same change twice. */
  private auditRow(id: string, orderId: string, action: string, detail: Record<string, unknown>): Statement {
    return audit(this.db, {
      id,
      orderId,
      actor: `group:${detail.groupId}`,
      action,
      detail,
    }).onConflictDoNothing()
  }

  private outboxRow(
    id: string,
    topic: string,
    terms: GroupBuyTerms,
    payload: Record<string, unknown>,
  ): Statement {
    return this.db
      .insert(outboxEvents)
      .values({
        id,
        topic,
        organizerId: terms.organizerId,
        payload: { groupId: terms.groupId, campaignId: terms.campaignId, showId: terms.showId, ...payload },
      })
      .onConflictDoNothing()
  }

  // ---- starting and joining ------------------------------------------------------------------

  /** Creates the group with its terms and makes the caller its leader; nothing remains if that fails. */
  async start(terms: GroupBuyTerms, leader: GroupJoinRequest): Promise<GroupJoinOutcome> {
    if (this.state()) return refusal('conflict', 409, `Group ${terms.groupId} already exists`)
    if (Date.parse(terms.deadline) <= Date.now())
      return refusal('not_on_sale', 409, 'The show stops selling before a group could run')
    this.ctx.storage.sql.exec(
      "INSERT INTO terms (id, json, status) VALUES (1, ?, 'forming')",
      JSON.stringify(terms),
    )
    const outcome = await this.join(terms.groupId, leader, 'leader')
    if (!outcome.ok) this.setStatus(['forming'], 'void')
    return outcome
  }

  /**
   * Adds a member: takes a place (refused when the group is full, closed or the buyer is already in it), holds
   * seats until the member's payment window ends, and creates their order at the group price.
   */
  async join(
    groupId: string,
    request: GroupJoinRequest,
    role: 'leader' | 'member' = 'member',
  ): Promise<GroupJoinOutcome> {
    const current = this.state()
    if (!current || current.terms.groupId !== groupId || current.status === 'void')
      return refusal('not_found', 404, `group ${groupId} was not found`)
    const { terms } = current
    const now = Date.now()
    const deadline = Date.parse(terms.deadline)
    const expected: GroupBuyStatus[] = role === 'leader' ? ['forming'] : ['open', 'succeeded']
    if (!expected.includes(current.status) || now >= deadline)
      return refusal('group_closed', 409, 'This group is no longer taking members')
    if (request.quantity < 1 || request.quantity > terms.perBuyerLimit)
      return refusal('buyer_limit', 409, `Each member may take 1 to ${terms.perBuyerLimit} seats`)
    if (request.category && !(request.category in terms.prices))
      return refusal('not_in_group_buy', 409, `Price category ${request.category} is not sold by group`)
    const mine = this.member(
      `buyer_id = ? AND status IN ('joining','awaiting_payment','paid','confirmed')`,
      request.buyerId,
    )
    if (mine)
      return {
        ...refusal('already_member', 409, 'You are already in this group'),
        memberId: mine.id,
      } as GroupRefusal
    // The place is taken here, synchronously, before anything awaits: racing joins see it at once.
    if (this.counts().places >= terms.maxSize)
      return refusal('group_full', 409, `This group already has ${terms.maxSize} members`)
    const memberId = newId('gbm')
    const payBy = Math.min(deadline, now + terms.paymentMinutes * 60_000)
    this.ctx.storage.sql.exec(
      `INSERT INTO members (id, buyer_id, customer_id, role, quantity, status, pay_by, joined_at)
       VALUES (?, ?, ?, ?, ?, 'joining', ?, ?)`,
      memberId,
      request.buyerId,
      request.customerId ?? null,
      role,
      request.quantity,
      payBy,
      now,
    )
    const giveBack = () =>
      this.ctx.storage.sql.exec("DELETE FROM members WHERE id = ? AND status = 'joining'", memberId)
    const inventory = showInventoryStub(this.env.SHOW_INVENTORY, terms.showId)
    const holdSeats = (seats: { seatIds: string[] } | { best: { category: string; quantity: number } }) =>
      inventory.holdUntil(
        terms.showId,
        { holderId: request.buyerId, channel: 'web', ...seats },
        new Date(payBy).toISOString(),
      )
    let held: ShowHoldOutcome
    try {
      if (request.seatIds?.length) held = await holdSeats({ seatIds: request.seatIds })
      else {
        const best = { category: request.category!, quantity: request.quantity }
        // Sit with the group where possible; best available when nothing free is next to it (or it just went).
        const near = await this.seatsNextToGroup(terms.showId, best.category, best.quantity)
        held = near ? await holdSeats({ seatIds: near }) : await holdSeats({ best })
        if (near && !held.ok && held.code === 'seats_unavailable') held = await holdSeats({ best })
      }
    } catch (error) {
      giveBack()
      throw error
    }
    if (!held.ok) {
      giveBack()
      return refusal(held.code, holdRefusalStatus[held.code] ?? 409, held.detail, held.unavailable)
    }
    const holdId = held.hold.id
    this.ctx.storage.sql.exec(
      'UPDATE members SET hold_id = ?, seat_ids = ? WHERE id = ?',
      holdId,
      JSON.stringify(held.hold.seats.map((seat) => seat.id)),
      memberId,
    )
    const release = () => inventory.release(terms.showId, holdId)
    if (held.hold.seats.length !== request.quantity) {
      await release()
      giveBack()
      return refusal('validation', 400, `Name exactly ${request.quantity} seat(s)`)
    }
    let created: Awaited<ReturnType<typeof createOrderFromHold>>
    try {
      created = await createOrderFromHold(
        this.services,
        {
          kind: 'show',
          showId: terms.showId,
          holdId,
          buyerId: request.buyerId,
          ...(request.customerId ? { customerId: request.customerId } : {}),
          ...(request.email ? { email: request.email } : {}),
          ...(request.phone ? { phone: request.phone } : {}),
          channel: 'web',
          groupBuy: {
            prices: terms.prices,
            discount: role === 'leader' ? terms.leaderDiscount : 0,
            payBy: new Date(payBy).toISOString(),
          },
        },
        request.origin,
      )
    } catch (error) {
      await release()
      giveBack()
      if (error instanceof Problem) return refusal(String(error.code), error.status, error.message)
      throw error
    }
    // The alarm may have closed the group while we awaited: then this member never joined.
    const after = this.state()!
    if (!expected.includes(after.status)) {
      await release()
      this.moveMember(memberId, ['joining'], 'cancelled')
      await this.cancelUnpaidOrder(created.orderId, 'The group closed while you were joining')
      this.moveMember(memberId, ['cancelled'], 'cancelled', 1)
      return refusal('group_closed', 409, 'This group is no longer taking members')
    }
    this.ctx.storage.sql.exec(
      "UPDATE members SET status = 'awaiting_payment', order_id = ? WHERE id = ? AND status = 'joining'",
      created.orderId,
      memberId,
    )
    if (role === 'leader') this.setStatus(['forming'], 'open')
    const { places } = this.counts()
    const statements: Statement[] = []
    if (role === 'leader') {
      statements.push(
        this.db.insert(groupBuys).values({
          id: terms.groupId,
          campaignId: terms.campaignId,
          organizerId: terms.organizerId,
          showId: terms.showId,
          leaderBuyerId: request.buyerId,
          minSize: terms.minSize,
          maxSize: terms.maxSize,
          deadline: terms.deadline,
        }),
      )
    }
    statements.push(
      this.db.insert(groupBuyMembers).values({
        id: memberId,
        groupId: terms.groupId,
        buyerId: request.buyerId,
        customerId: request.customerId ?? null,
        role,
        quantity: request.quantity,
        holdId,
        orderId: created.orderId,
      }),
      this.groupMirror(terms.groupId),
      this.auditRow(
        newId('aud'),
        created.orderId,
        role === 'leader' ? 'group_buy.started' : 'group_buy.joined',
        {
          groupId: terms.groupId,
          memberId,
          members: places,
        },
      ),
      this.outboxRow(newId('evt'), role === 'leader' ? 'group.started' : 'group.joined', terms, {
        memberId,
        role,
        members: places,
        minSize: terms.minSize,
        maxSize: terms.maxSize,
        deadline: terms.deadline,
      }),
    )
    try {
      await runBatch(this.db, statements)
    } catch (error) {
      // Without its D1 mirror the order would not be known as a group order: undo the membership.
      this.moveMember(memberId, ['awaiting_payment'], 'cancelled', 1)
      if (role === 'leader') this.setStatus(['open'], 'void')
      await release()
      await this.cancelUnpaidOrder(created.orderId, 'The group buy could not record your membership')
      throw error
    }
    await this.armAlarm()
    return {
      ok: true,
      groupId: terms.groupId,
      memberId,
      role,
      orderId: created.orderId,
      paymentId: created.paymentId,
      checkoutUrl: created.checkoutUrl,
      amountDue: created.amountDue,
      seats: held.hold.seats,
      payBy: new Date(payBy).toISOString(),
    }
  }

  /** Free seats next to the seats the group's members hold or bought, from the show's live seat map. */
  private async seatsNextToGroup(
    showId: string,
    category: string,
    quantity: number,
  ): Promise<string[] | null> {
    const groupSeats = this.members(`status IN ('awaiting_payment','paid','confirmed')`).flatMap(
      (m) => JSON.parse(m.seat_ids) as string[],
    )
    if (groupSeats.length === 0) return null
    const map = await showInventoryStub(this.env.SHOW_INVENTORY, showId).seatMap(showId)
    return seatsNearGroup(map.seats, groupSeats, category, quantity)
  }

  // ---- payment, leaving ----------------------------------------------------------------------

  /**
   * The order service calls this when a member's payment succeeded. The member counts as paid (their seats
   * now stay held until the deadline); reaching the minimum succeeds the group, which confirms every paid
   * member's order. A payment for someone no longer in the group is refunded.
   */
  async memberPaid(groupId: string, orderId: string): Promise<{ status: string }> {
    const current = this.state()
    if (!current || current.terms.groupId !== groupId) return { status: 'unknown' }
    const { terms } = current
    const found = this.member('order_id = ?', orderId)
    if (!found) return { status: 'unknown' }
    if (
      (current.status === 'open' || current.status === 'succeeded') &&
      this.moveMember(found.id, ['joining', 'awaiting_payment'], 'paid')
    ) {
      let succeeded = false
      if (this.counts().paid >= terms.minSize && Date.now() < Date.parse(terms.deadline)) {
        // A show cancelled meanwhile never gets group tickets: the group fails and everyone is refunded.
        if (await this.showCancelled(terms.showId)) this.setStatus(['open'], 'failed')
        else succeeded = this.setStatus(['open'], 'succeeded')
      }
      await runBatch(this.db, [
        this.memberMirror(found, 'paid'),
        this.groupMirror(groupId, succeeded ? 'succeeded' : undefined),
        // Paid members wait for the group, not for their payment window.
        extendPaymentWindow(this.services, orderId, terms.deadline),
        this.auditRow(newId('aud'), orderId, 'group_buy.paid', { groupId, memberId: found.id }),
      ])
      if (found.hold_id)
        await showInventoryStub(this.env.SHOW_INVENTORY, terms.showId).extendHold(
          terms.showId,
          found.hold_id,
          found.buyer_id,
          terms.deadline,
        )
    }
    await this.settle()
    await this.armAlarm()
    const after = this.member('id = ?', found.id)!
    // Left, lapsed or closed before the money arrived: it goes straight back.
    if (GONE.includes(after.status) && after.done) await this.refundLeftover(after, terms)
    return { status: this.member('id = ?', found.id)!.status }
  }

  /** A member leaves before the group succeeded: their own payment is refunded and their seats released. */
  async leave(
    groupId: string,
    memberId: string,
    buyerId: string,
  ): Promise<{ ok: true; status: string } | GroupRefusal> {
    const current = this.state()
    const found = current?.terms.groupId === groupId ? this.member('id = ?', memberId) : undefined
    // Someone else's membership is answered exactly like a missing one.
    if (!current || !found || found.buyer_id !== buyerId)
      return refusal('not_found', 404, `member ${memberId} was not found`)
    if (GONE.includes(found.status)) return { ok: true, status: found.status }
    if (found.status === 'confirmed' || (found.status === 'paid' && current.status === 'succeeded'))
      return refusal('group_succeeded', 409, 'The group has succeeded; refund the order instead')
    if (found.status === 'joining')
      return refusal('conflict', 409, 'Your place is still being set up; try again')
    if (!this.moveMember(found.id, ['awaiting_payment', 'paid'], 'left'))
      return refusal('conflict', 409, 'Your membership changed meanwhile; try again')
    await this.settle()
    await this.armAlarm()
    return { ok: true, status: 'left' }
  }

  // ---- reads ---------------------------------------------------------------------------------

  async describe(groupId: string, buyerId?: string): Promise<GroupBuyView | null> {
    const current = this.state()
    if (
      !current ||
      current.terms.groupId !== groupId ||
      current.status === 'void' ||
      current.status === 'forming'
    )
      return null
    const { terms } = current
    const { places, paid } = this.counts()
    const listed = this.members(`status IN ('awaiting_payment','paid','confirmed')`)
    const mine = buyerId ? this.members('buyer_id = ?', buyerId).at(-1) : undefined
    return {
      groupId,
      campaignId: terms.campaignId,
      showId: terms.showId,
      status: current.status,
      minSize: terms.minSize,
      maxSize: terms.maxSize,
      deadline: terms.deadline,
      prices: terms.prices,
      currency: terms.currency,
      leaderDiscount: terms.leaderDiscount,
      memberCount: places,
      paidCount: paid,
      placesLeft: Math.max(0, terms.maxSize - places),
      needed: current.status === 'succeeded' ? 0 : Math.max(0, terms.minSize - paid),
      virtual: current.virtual,
      members: listed.map((m) => ({
        role: m.role,
        quantity: m.quantity,
        status: m.status,
        joinedAt: new Date(m.joined_at).toISOString(),
      })),
      you: mine
        ? {
            memberId: mine.id,
            role: mine.role,
            status: mine.status,
            orderId: mine.order_id,
            payBy: new Date(mine.pay_by).toISOString(),
          }
        : null,
    }
  }

  /**
   * Looks at the group's show again now instead of at the next alarm: when the show was just cancelled, an open
   * group fails and its paid members get their money back at once rather than at the deadline.
   */
  async recheck(groupId: string): Promise<{ status: string }> {
    const current = this.state()
    if (!current || current.terms.groupId !== groupId) return { status: 'unknown' }
    await this.alarm()
    return { status: this.state()?.status ?? 'unknown' }
  }

  // ---- deadline and settlement -----------------------------------------------------------------

  override async alarm() {
    const current = this.state()
    if (!current) return
    const { terms } = current
    const now = Date.now()
    try {
      if (current.status === 'open' && (await this.showCancelled(terms.showId)))
        this.setStatus(['open'], 'failed')
      else if (current.status === 'open' && now >= Date.parse(terms.deadline)) {
        const { paid } = this.counts()
        // 虚拟成团: the organizer funds the missing places, so any paid member is enough.
        if (paid >= terms.minSize) this.setStatus(['open'], 'succeeded')
        else if (terms.autoComplete && paid > 0) this.setStatus(['open'], 'succeeded', true)
        else this.setStatus(['open'], 'failed')
      }
      // Unpaid members whose window ended (or whose group's deadline passed) lose their place, unless the
      // money already arrived.
      const cutoff = now >= Date.parse(terms.deadline) ? Number.MAX_SAFE_INTEGER : now
      for (const m of this.members(`status IN ('joining','awaiting_payment') AND pay_by <= ?`, cutoff)) {
        if (m.order_id && (await this.paymentOf(m.order_id))) await this.memberPaid(terms.groupId, m.order_id)
        else this.moveMember(m.id, ['joining', 'awaiting_payment'], 'lapsed')
      }
      await this.settle()
    } finally {
      await this.armAlarm()
    }
  }

  /** Runs settlement; calls that arrive while it runs make it go round once more instead of running twice at once. */
  private settle(): Promise<void> {
    this.settleAgain = true
    this.settling ??= (async () => {
      try {
        while (this.settleAgain) {
          this.settleAgain = false
          await this.settleOnce()
        }
      } finally {
        this.settling = null
      }
    })()
    return this.settling
  }

  private async settleOnce() {
    const current = this.state()
    if (!current) return
    const { terms } = current
    const groupId = terms.groupId
    if (current.status === 'failed') {
      for (const m of this.members(`status IN ('joining','awaiting_payment','paid')`))
        this.moveMember(m.id, ['joining', 'awaiting_payment', 'paid'], 'cancelled')
    }
    // Members out of the group whose money and seats are not settled yet.
    for (const m of this.members(`status IN ('left','lapsed','cancelled') AND done = 0`))
      await this.settleGoneMember(m, current.status, terms)
    if ((current.status === 'succeeded' || current.status === 'failed') && !current.recorded) {
      const topic = current.status === 'succeeded' ? 'group.succeeded' : 'group.failed'
      const members = this.members()
      const { paid } = this.counts()
      await runBatch(this.db, [
        this.groupMirror(groupId, current.status, current.status === 'failed'),
        ...members
          .filter((m) => m.order_id)
          .map((m) =>
            this.auditRow(
              `aud_${groupId}_${current.status}_${m.id}`,
              m.order_id!,
              `group_buy.${current.status}`,
              {
                groupId,
                memberId: m.id,
                paidMembers: paid,
                virtual: current.virtual,
              },
            ),
          ),
        this.outboxRow(`evt_${groupId}_${current.status}`, topic, terms, {
          paidMembers: paid,
          minSize: terms.minSize,
          virtual: current.virtual,
          ...(current.virtual ? { organizerFundedPlaces: Math.max(0, terms.minSize - paid) } : {}),
        }),
      ])
      this.ctx.storage.sql.exec('UPDATE terms SET outcome_recorded = 1 WHERE id = 1')
    }
    if (current.status === 'succeeded') {
      for (const m of this.members(`status = 'paid'`)) await this.confirmMember(m, terms)
    }
  }

  /** A paid member of a succeeded group: their order is confirmed and tickets issued (idempotent). */
  private async confirmMember(m: MemberRow, terms: GroupBuyTerms) {
    const order = await confirmPaidOrder(this.services, m.order_id!, `group:${terms.groupId}`)
    if (order.status === 'paid') {
      if (!this.moveMember(m.id, ['paid'], 'confirmed', 1)) return
      await runBatch(this.db, [this.memberMirror(m, 'confirmed'), this.groupMirror(terms.groupId)])
      await this.tell(
        order,
        `Group buy succeeded: order ${order.number}`,
        `Your group reached ${terms.minSize} members. Your tickets are issued.`,
      )
    } else if (order.status !== 'pending') {
      // Its seats were lost (the hold ran out and someone bought them): the order service refunded it.
      if (!this.moveMember(m.id, ['paid'], 'refunded', 1)) return
      await runBatch(this.db, [this.memberMirror(m, 'refunded'), this.groupMirror(terms.groupId)])
    }
  }

  /** Gives a departed member's seats back and their money back (or cancels their unpaid order), then tells them. */
  private async settleGoneMember(m: MemberRow, groupStatus: GroupBuyStatus, terms: GroupBuyTerms) {
    if (m.hold_id)
      await showInventoryStub(this.env.SHOW_INVENTORY, terms.showId).release(terms.showId, m.hold_id)
    const why =
      m.status === 'left'
        ? 'You left the group buy before it succeeded'
        : m.status === 'lapsed'
          ? 'Not paid before your place in the group ran out'
          : `The group did not reach ${terms.minSize} paid members by ${terms.deadline}`
    let final: GroupBuyMemberStatus = m.status as GroupBuyMemberStatus
    let refunded = false
    if (m.order_id) {
      const payment = await this.paymentOf(m.order_id)
      if (payment) {
        refunded = await this.refundMemberPayment(m, payment, terms, why)
        if (m.status === 'cancelled') final = 'refunded'
      } else await this.cancelUnpaidOrder(m.order_id, why)
    }
    if (!this.moveMember(m.id, [m.status], final, 1)) return
    await runBatch(this.db, [
      this.memberMirror(m, final),
      this.groupMirror(terms.groupId),
      ...(m.status === 'left' && m.order_id
        ? [
            this.auditRow(`aud_${terms.groupId}_left_${m.id}`, m.order_id, 'group_buy.left', {
              groupId: terms.groupId,
              memberId: m.id,
              refunded,
            }),
            this.outboxRow(`evt_${terms.groupId}_left_${m.id}`, 'group.left', terms, {
              memberId: m.id,
              refunded,
            }),
          ]
        : []),
    ])
    if (m.order_id && (groupStatus === 'failed' || m.status === 'left')) {
      const [order] = await this.db.select().from(orders).where(eq(orders.id, m.order_id))
      if (order)
        await this.tell(
          order,
          groupStatus === 'failed'
            ? `Group buy did not succeed: order ${order.number}`
            : `You left the group buy: order ${order.number}`,
          `${why}.${refunded ? ' Your payment has been refunded in full.' : ''} Your seats were released.`,
        )
    }
  }

  /** A payment that arrived after its member was already out of the group. */
  private async refundLeftover(m: MemberRow, terms: GroupBuyTerms) {
    if (!m.order_id) return
    const payment = await this.paymentOf(m.order_id)
    if (payment)
      await this.refundMemberPayment(m, payment, terms, 'Paid after leaving the group buy or after it closed')
  }

  /** The member's own payment, refunded in full, once: the refund id is fixed by the payment. */
  private async refundMemberPayment(
    m: MemberRow,
    payment: typeof payments.$inferSelect,
    terms: GroupBuyTerms,
    why: string,
  ): Promise<boolean> {
    const [order] = await this.db.select().from(orders).where(eq(orders.id, m.order_id!))
    if (!order) return false
    await refundUnfulfilledOrder(this.services, order, {
      actor: `group:${terms.groupId}`,
      why,
      refundId: `rf_group_${payment.id}`,
      requestedBy: `group:${terms.groupId}`,
      reason: `${why}; your payment was refunded in full`,
      toStatus: 'cancelled',
      action: 'group_buy.refunded',
    })
    return true
  }

  private async cancelUnpaidOrder(orderId: string, why: string) {
    await cancelUnpaidOrder(this.services, orderId, why, 'system:group-buy')
  }

  private async showCancelled(showId: string): Promise<boolean> {
    const [show] = await this.db.select({ status: shows.status }).from(shows).where(eq(shows.id, showId))
    return show?.status !== 'scheduled'
  }

  private async paymentOf(orderId: string) {
    const [payment] = await this.db
      .select()
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.status, 'succeeded')))
    return payment
  }

  private async tell(order: typeof orders.$inferSelect, subject: string, body: string) {
    const to = order.email ?? order.phone
    if (!to) return
    await outboxSender(this.db, this.logger).send({ to, subject, body })
  }

  /** One alarm at the next thing due: the deadline, an unpaid member's window, or a retry of unfinished work. */
  private async armAlarm() {
    const current = this.state()
    if (!current) return
    const candidates: number[] = []
    if (current.status === 'open') candidates.push(Date.parse(current.terms.deadline))
    const [unpaid] = this.ctx.storage.sql
      .exec<{ next: number | null }>(
        `SELECT min(pay_by) AS next FROM members WHERE status IN ('joining','awaiting_payment')`,
      )
      .toArray()
    if (unpaid?.next) candidates.push(unpaid.next)
    const unfinished =
      ((current.status === 'succeeded' || current.status === 'failed') && !current.recorded) ||
      this.members(
        `(status IN ('left','lapsed','cancelled') AND done = 0) OR (status = 'paid' AND ? = 'succeeded')`,
        current.status,
      ).length > 0
    if (unfinished) candidates.push(Date.now() + RETRY_MS)
    if (candidates.length === 0) {
      await this.ctx.storage.deleteAlarm()
      return
    }
    await this.ctx.storage.setAlarm(Math.min(...candidates))
  }
}
