import { DurableObject } from 'cloudflare:workers'
import { newId } from '../../worker/ids.ts'
import { migrateOnStart } from '../shared/migrations.ts'
import type {
  GroupBuyEnv,
  GroupBuyTerms,
  GroupBuyView,
  GroupJoinRequest,
  GroupPlace,
  GroupRefusal,
  GroupSeated,
  MemberRole,
} from './contract.ts'
import { adoptGroupStorage, GROUP_BUY_MIGRATIONS } from './migrations.ts'
import { GroupMirror } from './mirror.ts'
import {
  discountFor,
  GONE,
  type GroupState,
  groupRef,
  groupSeatIds,
  groupView,
  heldSeatsRefusal,
  joinRefusal,
  leaderNeverJoined,
  leaveDecision,
  newPlace,
  nextAlarm,
  outcomeAtDeadline,
  paymentCounts,
  paymentWindowsEnded,
  reachedMinimum,
  refusal,
  takesMembers,
  tally,
  UNPAID,
} from './rules.ts'
import { GroupSeats } from './seats.ts'
import { GroupSettler } from './settle.ts'
import { GroupStore } from './store.ts'

// One instance per group buy (团购), named by the group id: the only place a group's membership changes, so joins
// racing for the last places are decided one at a time. A join takes a place (synchronously, before any await) and
// holds its seats at the show; the worker then makes the member's order from that hold and comes back with its id
// (`seatMember`), or gives the place back. Money goes through the worker's GroupSettlement entrypoint. The alarm
// fires at the deadline, when an unpaid member's window ends, and to retry unfinished settlement.

const RETRY_MS = 30_000
const CLOSED = 'This group is no longer taking members'

export class GroupBuy extends DurableObject<GroupBuyEnv> {
  private readonly store: GroupStore
  private readonly mirror: GroupMirror
  private readonly settler: GroupSettler

  constructor(ctx: DurableObjectState, env: GroupBuyEnv) {
    super(ctx, env)
    migrateOnStart(ctx, GROUP_BUY_MIGRATIONS, { adopt: adoptGroupStorage })
    this.store = new GroupStore(ctx.storage.sql)
    this.mirror = new GroupMirror(env.DB)
    this.settler = new GroupSettler(this.store, this.mirror, env.GROUP_SETTLEMENT, (showId) =>
      this.seats(showId),
    )
  }

  /** The group this actor is: it is named by the group id. */
  private get groupId(): string {
    return this.ctx.id.name ?? this.store.load()?.terms.groupId ?? ''
  }

  private seats(showId: string) {
    return new GroupSeats(this.env.SHOW_INVENTORY, showId)
  }

  private get settlement() {
    return this.env.GROUP_SETTLEMENT
  }

  // ---- starting and joining --------------------------------------------------------------------

  /** Creates the group with its terms and takes its leader's place; nothing remains if that fails. */
  async start(terms: GroupBuyTerms, leader: GroupJoinRequest): Promise<GroupPlace> {
    const name = this.ctx.id.name
    if (name && terms.groupId !== name) return refusal('conflict', 409, `This is group ${name}`)
    if (this.store.load()) return refusal('conflict', 409, `Group ${terms.groupId} already exists`)
    if (Date.parse(terms.deadline) <= Date.now())
      return refusal('not_on_sale', 409, 'The show stops selling before a group could run')
    this.store.create(terms)
    const place = await this.takePlace(leader, 'leader')
    if (!place.ok) this.store.setStatus(['forming'], 'void')
    return place
  }

  /** Takes a place for a new member and holds their seats until their payment window ends. */
  async join(request: GroupJoinRequest): Promise<GroupPlace> {
    return this.takePlace(request, 'member')
  }

  private async takePlace(request: GroupJoinRequest, role: MemberRole): Promise<GroupPlace> {
    const now = Date.now()
    const group = this.store.load()
    const refused = joinRefusal(this.groupId, group, request, role, now)
    if (refused || !group) return refused!
    const { terms } = group
    const member = newPlace(group, newId('gbm'), request, role, now)
    // The place is taken here, synchronously, before anything awaits: racing joins see it at once.
    this.store.addMember(member)
    const seats = this.seats(terms.showId)
    const held = await seats.hold(request, groupSeatIds(group), member.payBy).catch((error: unknown) => {
      this.store.removeJoining(member.id)
      throw error
    })
    if (!held.ok) {
      this.store.removeJoining(member.id)
      return refusal(held.code, held.code === 'invalid_request' ? 400 : 409, held.detail, held.unavailable)
    }
    this.store.setHeldSeats(
      member.id,
      held.hold.id,
      held.hold.seats.map((seat) => seat.id),
    )
    const unfit = heldSeatsRefusal(terms, request.quantity, held.hold.seats)
    // The group may have failed while the seats were being held: then this member never joined.
    const closed =
      this.memberOf(member.id)?.status !== 'joining' ? refusal('group_closed', 409, CLOSED) : null
    if (unfit || closed) {
      await seats.release(held.hold.id)
      this.store.removeJoining(member.id)
      return (unfit ?? closed)!
    }
    // Should the worker never come back with the order, the place lapses at the end of its payment window.
    await this.armAlarm()
    const payBy = new Date(member.payBy).toISOString()
    return {
      ok: true,
      memberId: member.id,
      role,
      payBy,
      hold: held.hold,
      discount: discountFor(terms, role),
      terms,
    }
  }

  /** The worker could not make the member's order: their seats and place go back (a leader's group never was). */
  async giveBackPlace(memberId: string): Promise<{ ok: true }> {
    const member = this.memberOf(memberId)
    if (member?.status !== 'joining') return { ok: true }
    if (member.holdId) await this.seats(this.store.load()!.terms.showId).release(member.holdId)
    this.store.removeJoining(memberId)
    if (member.role === 'leader') this.store.setStatus(['forming'], 'void')
    return { ok: true }
  }

  /** The member's order exists: they now wait for their payment, and a leader's group opens. */
  async seatMember(memberId: string, orderId: string): Promise<GroupSeated> {
    const group = this.store.load()
    const member = group?.members.find((m) => m.id === memberId)
    if (!group || !member) return refusal('not_found', 404, `member ${memberId} was not found`)
    const seats = this.seats(group.terms.showId)
    if (member.status !== 'joining' || !takesMembers(member.role).includes(group.status)) {
      // The group closed (or the place lapsed) while the order was being made: this member never joined.
      if (member.holdId) await seats.release(member.holdId)
      this.store.move(memberId, ['joining'], 'cancelled', true)
      await this.armAlarm()
      return refusal('group_closed', 409, CLOSED)
    }
    this.store.seat(memberId, orderId)
    if (member.role === 'leader') this.store.setStatus(['forming'], 'open')
    const seated = this.store.load()!
    try {
      await this.mirror.joined(seated, seated.members.find((m) => m.id === memberId)!)
    } catch (error) {
      // Without its D1 mirror the order would not be known as a group order: undo the membership.
      this.store.move(memberId, ['awaiting_payment'], 'cancelled', true)
      if (member.role === 'leader') this.store.setStatus(['open'], 'void')
      if (member.holdId) await seats.release(member.holdId)
      throw error
    }
    await this.armAlarm()
    return { ok: true, places: tally(seated).places }
  }

  // ---- payment, leaving ------------------------------------------------------------------------

  /**
   * The order path calls this when a member's payment succeeded. The member counts as paid (their seats now stay
   * held until the deadline); reaching the minimum succeeds the group, which confirms every paid member's order.
   * A payment from someone no longer in the group is refunded.
   */
  async memberPaid(orderId: string): Promise<{ status: string }> {
    const group = this.store.load()
    const found = group?.members.find((m) => m.orderId === orderId)
    if (!group || !found) return { status: 'unknown' }
    const { terms } = group
    const moved = paymentCounts(group, found) && this.store.move(found.id, UNPAID, 'paid')
    // A show cancelled meanwhile never gets group tickets: the group fails and everyone is refunded.
    if (moved && reachedMinimum(this.store.load()!, Date.now()))
      if (await this.settlement.showOnSale(terms.showId)) this.store.setStatus(['open'], 'succeeded')
      else this.store.setStatus(['open'], 'failed')
    const paid = this.store.load()!
    // Also when a retried notification finds the member still paid: these steps are idempotent, so one that failed
    // the first time is carried out now. Paid members wait for the group, not for their payment window.
    if (moved || this.memberOf(found.id)?.status === 'paid') {
      await this.mirror.member(paid, found.id, 'paid', paid.status === 'succeeded' ? 'succeeded' : undefined)
      await this.settlement.memberPaid(groupRef(terms), { memberId: found.id, orderId }, terms.deadline)
      if (found.holdId) await this.seats(terms.showId).extend(found.holdId, found.buyerId, terms.deadline)
    }
    await this.settler.settle()
    await this.armAlarm()
    const after = this.memberOf(found.id)!
    // Left, lapsed or closed before the money arrived: it goes straight back.
    if (GONE.includes(after.status) && after.done) await this.settler.refundLatePayment(after, terms)
    return { status: this.memberOf(found.id)!.status }
  }

  /** A member leaves before the group succeeded: their own payment is refunded and their seats released. */
  async leave(memberId: string, buyerId: string): Promise<{ ok: true; status: string } | GroupRefusal> {
    const decision = leaveDecision(this.store.load(), memberId, buyerId)
    if (!decision.ok || !decision.leaves) return decision
    if (!this.store.move(memberId, ['awaiting_payment', 'paid'], 'left'))
      return refusal('conflict', 409, 'Your membership changed meanwhile; try again')
    await this.settler.settle()
    await this.armAlarm()
    return { ok: true, status: 'left' }
  }

  // ---- reads -----------------------------------------------------------------------------------

  async describe(buyerId?: string): Promise<GroupBuyView | null> {
    return groupView(this.groupId, this.store.load(), buyerId)
  }

  /**
   * Looks at the group's show again now instead of at the next alarm: when the show was just cancelled, an open
   * group fails and its paid members get their money back at once rather than at the deadline.
   */
  async recheck(): Promise<{ status: string }> {
    if (!this.store.load()) return { status: 'unknown' }
    await this.alarm()
    return { status: this.store.load()?.status ?? 'unknown' }
  }

  // ---- deadline and settlement -----------------------------------------------------------------

  override async alarm() {
    const group = this.store.load()
    if (!group) return
    const now = Date.now()
    try {
      if (group.status === 'open' && !(await this.settlement.showOnSale(group.terms.showId)))
        this.store.setStatus(['open'], 'failed')
      else {
        const outcome = outcomeAtDeadline(this.store.load()!, now)
        if (outcome) this.store.setStatus(['open'], outcome.status, outcome.virtual)
      }
      // Unpaid members whose window ended lose their place, unless the money already arrived.
      for (const m of paymentWindowsEnded(this.store.load()!, now)) {
        if (m.orderId && (await this.settlement.orderPaid(m.orderId))) await this.memberPaid(m.orderId)
        else this.store.move(m.id, UNPAID, 'lapsed')
      }
      if (leaderNeverJoined(this.store.load()!)) this.store.setStatus(['forming'], 'void')
      await this.settler.settle()
    } finally {
      await this.armAlarm()
    }
  }

  private memberOf(memberId: string) {
    return this.store.load()?.members.find((m) => m.id === memberId)
  }

  /** One alarm at the next thing due: the deadline, an unpaid member's window, or a retry of unfinished work. */
  private async armAlarm(group: GroupState | null = this.store.load()) {
    const at = group ? nextAlarm(group, Date.now(), RETRY_MS) : null
    if (at === null) await this.ctx.storage.deleteAlarm()
    else await this.ctx.storage.setAlarm(at)
  }
}
