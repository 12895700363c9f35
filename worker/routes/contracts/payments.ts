import * as v from 'valibot'
import { orderStatuses } from '../../db/schema.ts'
import { statusReasonFields } from './common.ts'

/** A provider notification was taken (a duplicate event id is acknowledged and changes nothing). */
export const notificationReceivedSchema = v.object({ received: v.literal(true), duplicate: v.boolean() })

/** A sandbox payment finished by a JSON request: the order after the notification. */
export const sandboxOutcomeSchema = v.object({
  orderId: v.string(),
  status: v.picklist(orderStatuses),
  statusReason: v.nullable(v.string()),
  ...statusReasonFields,
})

/** A sandbox notification's body, signed in `x-sandbox-signature`. */
export const sandboxNotificationSchema = v.object({
  /** The provider's event id: each is handled once. */
  id: v.string(),
  type: v.picklist(['payment.succeeded', 'payment.failed']),
  paymentId: v.string(),
  amount: v.pipe(v.number(), v.integer()),
  providerRef: v.optional(v.string()),
})

/** What the sandbox checkout page submits (as a form, or as JSON). */
export const sandboxOutcomeInput = v.object({ outcome: v.picklist(['pay', 'fail', 'pay_late']) })
