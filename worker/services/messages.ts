import type { Database } from '../db/client.ts'
import { outgoingMessages } from '../db/schema.ts'
import { newId } from '../ids.ts'
import type { Logger } from '../middleware/logger.ts'

export interface Message {
  to: string
  subject: string
  body: string
}

/**
 * Sends a message to a buyer. Here every message is stored (the dev mailbox shows them) and logged;
 * an email or SMS sender plugs in behind this one function.
 */
export async function sendMessage(db: Database, logger: Logger, message: Message): Promise<void> {
  await db.insert(outgoingMessages).values({ id: newId('msg'), ...message })
  logger.info('message sent', { to: message.to, subject: message.subject })
}
