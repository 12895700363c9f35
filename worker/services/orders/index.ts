// The orders module: the only writer of orders, order lines, payments, refunds, tickets and their audit rows.
// Every other part of the worker (routes, partner API, group-buy actor, cron) changes them through these functions.
export { audit, auditOnce, GuardedBatch, outbox, outboxOnce, runBatch, type Statement } from './batch.ts'
export { confirmPaidOrder, confirmSettledOrder, finishPaidOrder, handlePaymentEvent } from './confirm.ts'
export { addNewOrder, type CreateOrderInput, createOrderFromHold, withNewOrderNumber } from './create.ts'
export { forfeitUnpaidBalances, remindBalances } from './deposit-deadlines.ts'
export { balancePaymentId, startBalancePayment } from './deposits.ts'
export { commitWithOrders, readWithOrders } from './group-commits.ts'
export {
  cancelUnpaidOrder,
  expireUnpaidOrders,
  extendPaymentWindow,
  lapseUnpaidOrder,
  reconcilePaidOrders,
  remindUnpaidOrders,
} from './lifecycle.ts'
export { startRebooking } from './rebook-start.ts'
export { finishRefund, reconcilePendingRefunds } from './refund-claims.ts'
export { refundQuote, requestRefund } from './refunds.ts'
export { reissueTicket } from './reissue.ts'
export type { Order, OrderServices } from './services.ts'
export { refundUnfulfilledOrder } from './unfulfilled.ts'
