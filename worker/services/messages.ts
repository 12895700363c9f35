import type { Database } from '../db/client.ts'
import { outgoingMessages } from '../db/schema.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../middleware/logger.ts'
import type { MessageKind as CatalogueKind } from './messages/catalogue.ts'

/**
 * What a message is about (a kind of the catalogue, worker/services/messages/catalogue.ts, or a plain notice):
 * with its id and a masked recipient, the only thing about it that is logged.
 */
export type MessageKind = CatalogueKind | 'notice'

export interface Message {
  to: string
  subject: string
  body: string
  /** Defaults to `notice`. */
  kind?: MessageKind
  /**
   * The text carries a secret (a sign-in code, an invitation link). Outside development its subject and body
   * are never stored: only that it was sent, to whom and of which kind.
   */
  sensitive?: boolean
  /** A fixed id makes the message once-only: sent again with the same id (a retried event), it is not repeated. */
  id?: string
}

/** Anything that can deliver a message; an email or SMS provider implements this later. */
export interface MessageSender {
  send(message: Message): Promise<void>
}

export interface OutboxOptions {
  /** `development` keeps sensitive text for the dev mailbox; any other value (or none) withholds it. */
  environment?: string
}

/** `b***@example.com`, `**********5678`: enough to tell recipients apart in a log, not to contact them. */
export function maskRecipient(to: string): string {
  const at = to.lastIndexOf('@')
  if (at > 0) return `${to[0]}***${to.slice(at)}`
  return to.length > 4 ? `${'*'.repeat(to.length - 4)}${to.slice(-4)}` : '****'
}

/**
 * The sender used today: every message is recorded in `outgoing_messages` (the dev mailbox shows them) and
 * logged as one JSON line without its text. A real sender can wrap this to keep the record while delivering.
 */
export function outboxSender(db: Database, logger: Logger, options: OutboxOptions = {}): MessageSender {
  const keepSensitiveText = options.environment === 'development'
  return {
    async send(message) {
      const id = message.id ?? newId('msg')
      const kind = message.kind ?? 'notice'
      const withheld = message.sensitive === true && !keepSensitiveText
      const written = await db
        .insert(outgoingMessages)
        .values({
          id,
          to: message.to,
          subject: withheld ? `(${kind}: text withheld outside development)` : message.subject,
          body: withheld ? '' : message.body,
          createdAt: new Date().toISOString(),
        })
        .onConflictDoNothing()
        .returning({ id: outgoingMessages.id })
      if (written.length === 0) return
      logger.info('message sent', { messageId: id, kind, to: maskRecipient(message.to) })
    },
  }
}

/** Sends a message through the configured sender; pass the environment so development keeps sensitive text. */
export async function sendMessage(
  db: Database,
  logger: Logger,
  message: Message,
  options: OutboxOptions = {},
): Promise<void> {
  await outboxSender(db, logger, options).send(message)
}
