import type {
  GroupJoinRequest,
  GroupMembership,
  GroupPlace,
} from '../../durable-objects/group-buy/contract.ts'
import type { OrderStatusReason } from '../domain/order-status-reason.ts'
import { Problem } from '../problem.ts'
import type { GroupBuyStub } from './group-buy-client.ts'
import { joinRecords } from './group-buy-records.ts'
import { groupProblem } from './group-buys.ts'
import { cancelUnpaidOrder, createOrderFromHold, type OrderServices, runBatch } from './orders/index.ts'

// Joining a group buy (团购) in three steps, the data going one way: the group's actor takes a place and holds its
// seats (and answers them), the orders module makes the member's order from exactly that hold at the group price,
// and the actor is told the order id. When the order cannot be made the place goes back; when the actor no longer
// takes the member (the group closed meanwhile) the order is cancelled.

/** Makes the member's order for a place the group's actor took, or throws the problem that stopped it. */
export async function completeJoin(
  services: OrderServices,
  stub: GroupBuyStub,
  place: GroupPlace,
  request: GroupJoinRequest,
): Promise<GroupMembership> {
  if (!place.ok) throw groupProblem(place)
  const { terms, memberId, role } = place
  let created: Awaited<ReturnType<typeof createOrderFromHold>>
  try {
    created = await createOrderFromHold(
      services,
      {
        kind: 'show',
        showId: terms.showId,
        holdId: place.hold.id,
        heldSeats: place.hold,
        buyerId: request.buyerId,
        ...(request.customerId ? { customerId: request.customerId } : {}),
        ...(request.email ? { email: request.email } : {}),
        ...(request.phone ? { phone: request.phone } : {}),
        ...(request.locale ? { locale: request.locale } : {}),
        channel: 'web',
        groupBuy: { prices: terms.prices, discount: place.discount, payBy: place.payBy },
      },
      request.origin,
    )
  } catch (error) {
    await stub.giveBackPlace(memberId)
    if (error instanceof Problem)
      throw groupProblem({ ok: false, code: String(error.code), status: error.status, detail: error.message })
    throw error
  }
  const { orderId } = created
  const cancelOrder = (why: OrderStatusReason) =>
    cancelUnpaidOrder(services, orderId, why, 'system:group-buy')
  let seated: Awaited<ReturnType<GroupBuyStub['seatMember']>>
  try {
    seated = await stub.seatMember(memberId, orderId)
  } catch (error) {
    await cancelOrder({ code: 'group_join_failed' })
    throw error
  }
  if (!seated.ok) {
    await cancelOrder({ code: 'group_closed_while_joining' })
    throw groupProblem(seated)
  }
  await runBatch(services.db, joinRecords(services.db, terms, { memberId, orderId, role }, seated.places))
  return {
    ok: true,
    groupId: terms.groupId,
    memberId,
    role,
    orderId,
    paymentId: created.paymentId,
    checkoutUrl: created.checkoutUrl,
    amountDue: created.amountDue,
    seats: place.hold.seats,
    payBy: place.payBy,
  }
}
