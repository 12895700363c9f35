import * as v from 'valibot'
import { messageChannels, outgoingMessageStatuses } from '../../../db/schema.ts'
import { pageOf } from '../common.ts'

/** A message of the outbox as the console lists it: never its body, nor a sensitive message's text. */
export const outgoingMessage = v.object({
  id: v.string(),
  to: v.string(),
  kind: v.string(),
  organizerId: v.nullable(v.string()),
  /** A sensitive message's subject reads "(kind: text withheld outside development)". */
  subject: v.string(),
  status: v.picklist(outgoingMessageStatuses),
  channel: v.nullable(v.picklist(messageChannels)),
  attempts: v.number(),
  /** When a pending or retrying message is due next. */
  nextAttemptAt: v.nullable(v.string()),
  lastError: v.nullable(v.string()),
  /** Whether the console's retry can send it (dead or retrying, and its text still kept). */
  retryable: v.boolean(),
  sentAt: v.nullable(v.string()),
  createdAt: v.string(),
})
export const outgoingMessagePage = pageOf(outgoingMessage)
