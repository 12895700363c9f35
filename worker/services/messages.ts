import type { Database } from '../db/client.ts'
import type { Locale } from '../domain/locale.ts'
import type { Logger } from '../middleware/logger.ts'
import {
  type MessageKind as CatalogueKind,
  composeMessage,
  type MessageParams,
} from './messages/catalogue.ts'
import { type NewMessage, type RecordOptions, recordMessage } from './messages/outbox.ts'
import { smsVariables } from './messages/sms-templates.ts'

export { maskRecipient } from './messages/outbox.ts'
export type { MessageSender } from './messages/sender.ts'

/**
 * What a message is about (a kind of the catalogue, worker/services/messages/catalogue.ts, or a plain notice):
 * with its id and a masked recipient, the only thing about it that is logged.
 */
export type MessageKind = CatalogueKind | 'notice'
export type Message = NewMessage
export type OutboxOptions = RecordOptions

/** A catalogue message in `locale`: its email subject and body and its SMS template variables. */
export function catalogueMessage<K extends CatalogueKind>(locale: Locale, kind: K, params: MessageParams[K]) {
  return {
    kind,
    locale,
    ...composeMessage(locale, kind, params),
    smsParams: smsVariables(locale, kind, params),
  }
}

/**
 * Writes a message to the outbox (worker/services/messages/outbox.ts); it leaves right after the request or with
 * the minute cron, by email or SMS as the recipient is an address or a phone number (locally: the dev mailbox).
 * Pass the environment (development keeps sensitive text) and the session secret (seals it elsewhere).
 */
export async function sendMessage(
  db: Database,
  logger: Logger,
  message: Message,
  options: OutboxOptions = {},
): Promise<void> {
  await recordMessage(db, logger, message, options)
}
