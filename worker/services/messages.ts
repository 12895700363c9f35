import type { Database } from '../db/client.ts'
import { outgoingMessages } from '../db/schema.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../middleware/logger.ts'

export interface Message {
  to: string
  subject: string
  body: string
}

/** Anything that can deliver a message; an email or SMS provider implements this later. */
export interface MessageSender {
  send(message: Message): Promise<void>
}

/**
 * The sender used today: every message is stored in `outgoing_messages` (the dev mailbox shows them) and
 * logged as one JSON line. A real sender can wrap this to keep the record while also delivering.
 */
export function outboxSender(db: Database, logger: Logger): MessageSender {
  return {
    async send(message) {
      await db
        .insert(outgoingMessages)
        .values({ id: newId('msg'), ...message, createdAt: new Date().toISOString() })
      logger.info('message sent', { to: message.to, subject: message.subject })
    },
  }
}

/** Sends a message to a buyer through the configured sender. */
export async function sendMessage(db: Database, logger: Logger, message: Message): Promise<void> {
  await outboxSender(db, logger).send(message)
}
