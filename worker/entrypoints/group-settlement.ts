import { WorkerEntrypoint } from 'cloudflare:workers'
import { and, eq } from 'drizzle-orm'
import type {
  GroupNotice,
  GroupOutcome,
  GroupRef,
  GroupSettlement,
  MemberOrder,
} from '../../durable-objects/group-buy/contract.ts'
import { openDatabase } from '../db/client.ts'
import { orders, payments, shows } from '../db/schema.ts'
import type { GroupDeparture } from '../domain/order-status-reason.ts'
import type { Bindings } from '../env.ts'
import { jsonLogger } from '../middleware/logger.ts'
import { leftRecords, outcomeRecords, paidRecords } from '../services/group-buy-records.ts'
import { notifyBuyer } from '../services/messages/buyer-notices.ts'
import {
  cancelUnpaidOrder,
  confirmPaidOrder,
  extendPaymentWindow,
  type OrderServices,
  refundUnfulfilledOrder,
  runBatch,
} from '../services/orders/index.ts'
import { paymentProvider } from '../services/payments/index.ts'

// The money path as group buys (团购) need it, for the group's actor: reached through the service binding
// GROUP_SETTLEMENT (wrangler.toml `[[services]]`, this worker's own `GroupSettlementEntrypoint`), so the actor never
// imports the orders module yet every order, payment, refund, ticket, audit row and event is written by it.
// Only bound services can call an entrypoint; it is not on the public internet.

export class GroupSettlementEntrypoint extends WorkerEntrypoint<Bindings> implements GroupSettlement {
  private services: OrderServices | undefined

  private get orderServices(): OrderServices {
    this.services ??= {
      env: this.env,
      db: openDatabase(this.env.DB),
      logger: jsonLogger({ actor: 'GroupBuy' }),
      payments: paymentProvider(this.env),
    }
    return this.services
  }

  private get db() {
    return this.orderServices.db
  }

  async showOnSale(showId: string): Promise<boolean> {
    const [show] = await this.db.select({ status: shows.status }).from(shows).where(eq(shows.id, showId))
    return show?.status === 'scheduled'
  }

  async orderPaid(orderId: string): Promise<boolean> {
    return (await this.succeededPayment(orderId)) !== undefined
  }

  async memberPaid(group: GroupRef, member: MemberOrder, until: string): Promise<void> {
    await runBatch(this.db, [
      extendPaymentWindow(this.orderServices, member.orderId, until),
      ...paidRecords(this.db, group, member),
    ])
  }

  async confirmMember(group: GroupRef, member: MemberOrder): Promise<string> {
    return (await confirmPaidOrder(this.orderServices, member.orderId, `group:${group.groupId}`)).status
  }

  /** The member's own payment, refunded in full, once: the refund id is fixed by the payment. */
  async refundMember(group: GroupRef, member: MemberOrder, why: GroupDeparture): Promise<boolean> {
    const payment = await this.succeededPayment(member.orderId)
    const order = payment && (await this.order(member.orderId))
    if (!order) return false
    const actor = `group:${group.groupId}`
    await refundUnfulfilledOrder(this.orderServices, order, {
      actor,
      why: why.code,
      refundId: `rf_group_${payment.id}`,
      requestedBy: actor,
      reason: { ...why, refunded: true },
      toStatus: 'cancelled',
      action: 'group_buy.refunded',
    })
    return true
  }

  async cancelMemberOrder(member: MemberOrder, why: GroupDeparture): Promise<void> {
    await cancelUnpaidOrder(
      this.orderServices,
      member.orderId,
      { ...why, refunded: false },
      'system:group-buy',
    )
  }

  async recordLeft(group: GroupRef, member: MemberOrder, refunded: boolean): Promise<void> {
    await runBatch(this.db, leftRecords(this.db, group, member, refunded))
  }

  async recordOutcome(group: GroupRef, outcome: GroupOutcome): Promise<void> {
    await runBatch(this.db, outcomeRecords(this.db, group, outcome))
  }

  async notify(member: MemberOrder, notice: GroupNotice): Promise<void> {
    const order = await this.order(member.orderId)
    if (!order) return
    const { logger } = this.orderServices
    await notifyBuyer(
      this.db,
      logger,
      order,
      notice.kind === 'succeeded'
        ? { kind: 'group_succeeded', minSize: notice.minSize }
        : { kind: 'group_ended', ended: notice.kind, why: notice.why, refunded: notice.refunded },
    )
  }

  private async succeededPayment(orderId: string) {
    const [payment] = await this.db
      .select({ id: payments.id })
      .from(payments)
      .where(and(eq(payments.orderId, orderId), eq(payments.status, 'succeeded')))
    return payment
  }

  private async order(orderId: string) {
    const [order] = await this.db.select().from(orders).where(eq(orders.id, orderId))
    return order
  }
}
