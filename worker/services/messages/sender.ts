// What the outbox hands a channel: one message as its reader gets it. Senders return the provider's id or throw a
// MessageSendError (retried with backoff unless `permanent`); they never log the text.
import type { Locale } from '../../domain/locale.ts'
import type { MessageKind } from './catalogue.ts'

export interface OutgoingMessage {
  id: string
  to: string
  kind: MessageKind | 'notice'
  locale: Locale
  subject: string
  body: string
  /** The SMS template's variables; null for a message with no SMS form. */
  smsParams: Record<string, string> | null
}

export interface MessageSender {
  readonly channel: 'email' | 'sms' | 'dev'
  send(message: OutgoingMessage): Promise<{ providerMessageId: string | null }>
  /**
   * Sending reaches nothing outside this database and cannot fail (the dev mailbox shows the stored row): a
   * delivery run claims such messages and marks them sent in one statement, instead of a claim and a mark each.
   */
  readonly recordsOnly?: boolean
}

/** A failed delivery; `permanent` ones (a refused recipient or template) are not retried. */
export class MessageSendError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
  ) {
    super(message)
  }
}

/** Locally: nothing leaves, the dev mailbox (`/api/dev/mailbox`) shows what was recorded. */
export const devMailboxSender: MessageSender = {
  channel: 'dev',
  recordsOnly: true,
  async send() {
    return { providerMessageId: null }
  },
}
