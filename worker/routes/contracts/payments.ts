import * as v from 'valibot'
import { orderStatuses } from '../../db/schema.ts'

/** A provider notification was taken (a duplicate event id is acknowledged and changes nothing). */
export const notificationReceivedSchema = v.object({ received: v.literal(true), duplicate: v.boolean() })

/** A sandbox payment finished by a JSON request: the order after the notification. */
export const sandboxOutcomeSchema = v.object({
  orderId: v.string(),
  status: v.picklist(orderStatuses),
  statusReason: v.nullable(v.string()),
})
