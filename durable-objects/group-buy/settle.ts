import type { GroupBuyStatus, GroupBuyTerms, GroupSettlement, MemberOrder } from './contract.ts'
import type { GroupMirror } from './mirror.ts'
import {
  afterConfirmation,
  awaitingConfirmation,
  cancelledByFailure,
  departureNotice,
  departureReason,
  groupRef,
  type Member,
  outcomeToRecord,
  settledStatus,
  unsettled,
  withStatus,
} from './rules.ts'
import type { GroupSeats } from './seats.ts'
import type { GroupStore } from './store.ts'

// Carries out what the rules say is due once a group succeeded or failed, or a member left or lapsed: seats back
// to the show, money back (or the unpaid order cancelled), paid orders confirmed, the outcome recorded, members
// told. Each step's effects are written before the member is marked settled, and all of them are idempotent, so
// a step that fails halfway is simply run again (at the next call or alarm). Only the message to the member comes
// after the mark: it is sent at most once.

export class GroupSettler {
  private running: Promise<void> | null = null
  private again = false

  constructor(
    private readonly store: GroupStore,
    private readonly mirror: GroupMirror,
    private readonly settlement: GroupSettlement,
    private readonly seats: (showId: string) => GroupSeats,
  ) {}

  /** Runs settlement; calls that arrive while it runs make it go round once more instead of running twice at once. */
  settle(): Promise<void> {
    this.again = true
    this.running ??= (async () => {
      try {
        while (this.again) {
          this.again = false
          await this.settleOnce()
        }
      } finally {
        this.running = null
      }
    })()
    return this.running
  }

  private async settleOnce() {
    const start = this.store.load()
    if (!start) return
    const { terms, status } = start
    for (const m of cancelledByFailure(start)) this.store.move(m.id, [m.status], 'cancelled')
    for (const m of unsettled(this.store.load()!)) await this.settleDeparture(m, status, terms)
    const group = this.store.load()!
    const outcome = outcomeToRecord(group)
    if (outcome) {
      await this.mirror.group(group, outcome.status, outcome.status === 'failed')
      await this.settlement.recordOutcome(groupRef(terms), outcome)
      this.store.markOutcomeRecorded()
    }
    for (const m of awaitingConfirmation(this.store.load()!)) await this.confirm(m, terms)
  }

  /** A paid member of a succeeded group: their order is confirmed and tickets issued (idempotent). */
  private async confirm(m: Member, terms: GroupBuyTerms) {
    const member = orderOf(m)
    const after = afterConfirmation(await this.settlement.confirmMember(groupRef(terms), member))
    // Pending: the payment is not there yet after all; the next round tries again.
    if (!after) return
    // `refunded`: its seats were lost (the hold ran out and someone bought them), so the order was refunded.
    await this.mirror.member(withStatus(this.store.load()!, m.id, after), m.id, after)
    if (!this.store.move(m.id, ['paid'], after, true)) return
    if (after === 'confirmed')
      await this.settlement.notify(member, { kind: 'succeeded', minSize: terms.minSize })
  }

  /** Gives a departed member's seats back and their money back (or cancels their unpaid order), then tells them. */
  private async settleDeparture(m: Member, groupStatus: GroupBuyStatus, terms: GroupBuyTerms) {
    if (m.holdId) await this.seats(terms.showId).release(m.holdId)
    const why = departureReason(m, terms)
    const group = groupRef(terms)
    let refunded = false
    if (m.orderId) {
      const member = orderOf(m)
      refunded = await this.settlement.refundMember(group, member, why)
      if (!refunded) await this.settlement.cancelMemberOrder(member, why)
      if (m.status === 'left') await this.settlement.recordLeft(group, member, refunded)
    }
    const final = settledStatus(m, refunded)
    await this.mirror.member(withStatus(this.store.load()!, m.id, final), m.id, final)
    if (!this.store.move(m.id, [m.status], final, true)) return
    const notice = departureNotice(m, groupStatus, why, refunded)
    if (notice) await this.settlement.notify(orderOf(m), notice)
  }

  /** A payment that arrived after its member was already out of the group goes straight back. */
  async refundLatePayment(m: Member, terms: GroupBuyTerms) {
    if (m.orderId)
      await this.settlement.refundMember(groupRef(terms), orderOf(m), { code: 'group_paid_late' })
  }
}

const orderOf = (m: Member): MemberOrder => ({ memberId: m.id, orderId: m.orderId! })
