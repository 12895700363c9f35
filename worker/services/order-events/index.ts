import { refundCompensationSubscriber } from '../coupons/compensation.ts'
import type { OrderEventSubscriber } from './subscriber.ts'

export type { OrderEvent, OrderEventSubscriber } from './subscriber.ts'

/**
 * Everything that happens because an order was paid, refunded, expired or cancelled, outside the orders module.
 * Add a subscriber here; the outbox publisher runs each for the topics it names.
 */
export const orderEventSubscribers: readonly OrderEventSubscriber[] = [refundCompensationSubscriber]
