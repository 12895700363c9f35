// The message outbox: a message is written first (`recordMessage`), then delivered by `deliverDueMessages` (right
// after the request that wrote it, and every minute by the cron), one claimed attempt at a time, retried with
// backoff (worker/domain/message-retry.ts) and `dead` after the last attempt; the console can send it again.
import { and, desc, eq, inArray, isNull, lt, lte, or, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { type OutgoingMessageStatus, outgoingMessages } from '../../db/schema.ts'
import { defaultLocale, type Locale, localeOf } from '../../domain/locale.ts'
import { messageSendLeaseSeconds, nextMessageAttempt } from '../../domain/message-retry.ts'
import { newId } from '../../ids.ts'
import type { Logger } from '../../middleware/logger.ts'
import type { MessageKind } from './catalogue.ts'
import { type MessageSettings, messageSenders, recipientKind } from './channels.ts'
import { seal, unseal } from './seal.ts'
import { MessageSendError, type MessageSender, type OutgoingMessage } from './sender.ts'

export interface NewMessage {
  to: string
  subject: string
  body: string
  /** Defaults to `notice`. */
  kind?: MessageKind | 'notice'
  locale?: Locale
  /** The SMS template's variables (worker/services/messages/sms-templates.ts); without them no SMS can carry it. */
  smsParams?: Record<string, string>
  /**
   * The text carries a secret (a sign-in code, an invitation link). Outside development its subject, body and SMS
   * variables are never stored in the clear: only sealed until delivered, then not at all.
   */
  sensitive?: boolean
  /** A fixed id makes the message once-only: written again with the same id (a retried event), it is not repeated. */
  id?: string
  /** The organizer the message belongs to (its console lists it); none for the platform's own. */
  organizerId?: string | null
}

export interface RecordOptions {
  /** `development` keeps sensitive text for the dev mailbox; any other value (or none) withholds it. */
  environment?: string
  /** The worker's SESSION_SECRET: seals sensitive text until it is delivered. Without it such text cannot be sent. */
  sealSecret?: string
}

/** `b***@example.com`, `**********5678`: enough to tell recipients apart in a log, not to contact them. */
export function maskRecipient(to: string): string {
  const at = to.lastIndexOf('@')
  if (at > 0) return `${to[0]}***${to.slice(at)}`
  return to.length > 4 ? `${'*'.repeat(to.length - 4)}${to.slice(-4)}` : '****'
}

const withheldSubject = (kind: string) => `(${kind}: text withheld outside development)`

interface Sealed {
  subject: string
  body: string
  smsParams: Record<string, string> | null
}

/** Writes the message as `pending`, due now; answers its id, or null when that id was written before. */
export async function recordMessage(
  db: Database,
  logger: Logger,
  message: NewMessage,
  options: RecordOptions = {},
): Promise<string | null> {
  const { id, insert } = await messageInsert(db, message, options)
  const written = await insert
  if (written.length === 0) return null
  logQueued(logger, id, message)
  return id
}

/** The insert `recordMessage` runs (ignored when the id was written before), for a caller that batches it. */
export async function messageInsert(db: Database, message: NewMessage, options: RecordOptions = {}) {
  const id = message.id ?? newId('msg')
  const kind = message.kind ?? 'notice'
  const now = new Date().toISOString()
  const withheld = message.sensitive === true && options.environment !== 'development'
  const text: Sealed = { subject: message.subject, body: message.body, smsParams: message.smsParams ?? null }
  const insert = db
    .insert(outgoingMessages)
    .values({
      id,
      to: message.to,
      kind,
      locale: message.locale ?? null,
      organizerId: message.organizerId ?? null,
      subject: withheld ? withheldSubject(kind) : text.subject,
      body: withheld ? '' : text.body,
      smsParams: withheld ? null : text.smsParams,
      sealed: withheld && options.sealSecret ? await seal(options.sealSecret, text) : null,
      status: 'pending',
      nextAttemptAt: now,
      createdAt: now,
    })
    .onConflictDoNothing()
    .returning({ id: outgoingMessages.id })
  return { id, insert }
}

/**
 * Messages written in this isolate since it started, counted once each write is known (after `recordMessage`'s
 * insert, after a subscriber's batch): a delivery run after a publisher run is needed only when this moved.
 */
let written = 0
export const messagesWritten = () => written

/** The log line of a message written (never its text); every writer calls it once the message is in, so it counts too. */
export function logQueued(logger: Logger, id: string, message: NewMessage) {
  written++
  logger.info('message queued', {
    messageId: id,
    kind: message.kind ?? 'notice',
    to: maskRecipient(message.to),
  })
}

type Row = typeof outgoingMessages.$inferSelect

export interface DeliveryDeps {
  db: Database
  logger: Logger
  /** Senders' configuration, and SESSION_SECRET to open sealed text. */
  settings: MessageSettings & { SESSION_SECRET?: string }
  now?: Date
  /** Most messages one run delivers (the cron takes the rest next minute). */
  limit?: number
  /** The fetch SMS requests go through (tests point it at a receiver of their own). */
  fetcher?: typeof fetch
}

export interface DeliveryTally {
  sent: number
  retrying: number
  dead: number
}

const due = (now: string): SQL =>
  and(
    inArray(outgoingMessages.status, ['pending', 'retrying', 'sending']),
    lte(outgoingMessages.nextAttemptAt, now),
  )!

/**
 * Delivers the messages due at `now`, `limit` at a time (sent side by side), for up to `batches` batches (the cron
 * drains a backlog; a run after a request takes one). Each attempt is claimed first, so racing runs send it once.
 */
export async function deliverDueMessages(deps: DeliveryDeps & { batches?: number }): Promise<DeliveryTally> {
  const now = deps.now ?? new Date()
  const limit = deps.limit ?? 25
  const tally: DeliveryTally = { sent: 0, retrying: 0, dead: 0 }
  const senders = messageSenders(deps.settings, deps.fetcher)
  for (let batch = 0; batch < (deps.batches ?? 1); batch++) {
    const rows = await deps.db
      .select()
      .from(outgoingMessages)
      .where(due(now.toISOString()))
      .orderBy(outgoingMessages.nextAttemptAt)
      .limit(limit)
    const { settled, rest } = await settleRecordsOnly(deps, rows, senders, now)
    tally.sent += settled
    const outcomes = await Promise.all(rest.map((row) => deliverOne(deps, row, senders, now)))
    for (const outcome of outcomes) if (outcome) tally[outcome]++
    if (rows.length < limit) break
  }
  return tally
}

/** D1 binds at most 100 parameters a statement: ids per settling statement. */
const settleChunk = 80

/**
 * Messages whose sender only records (the dev mailbox) are claimed and marked sent in one statement per run: the
 * due condition makes the statement claim only what no other run claimed or sent meanwhile, so each is sent once.
 * The others (real senders, and any text that cannot be opened, which must fail and be retried or die) are left
 * for `deliverOne`: a claim, the send, then `sent` or a retry.
 */
async function settleRecordsOnly(
  deps: DeliveryDeps,
  rows: Row[],
  senders: ReturnType<typeof messageSenders>,
  now: Date,
): Promise<{ settled: number; rest: Row[] }> {
  const rest: Row[] = []
  const ready = new Map<MessageSender['channel'], Row[]>()
  for (const row of rows) {
    const sender = senders[recipientKind(row.to)]
    if (typeof sender === 'string' || !sender.recordsOnly) {
      rest.push(row)
      continue
    }
    try {
      await sender.send(await openMessage(row, deps.settings.SESSION_SECRET))
      ready.set(sender.channel, [...(ready.get(sender.channel) ?? []), row])
    } catch {
      rest.push(row)
    }
  }
  let settled = 0
  for (const [channel, list] of ready)
    for (let i = 0; i < list.length; i += settleChunk)
      settled += await settle(deps, list.slice(i, i + settleChunk), channel, now)
  return { settled, rest }
}

/** One statement: these messages claimed and sent, those still due; answers how many. */
async function settle(deps: DeliveryDeps, chunk: Row[], channel: MessageSender['channel'], now: Date) {
  const sent = await deps.db
    .update(outgoingMessages)
    .set({
      status: 'sent',
      attempts: sql`${outgoingMessages.attempts} + 1`,
      channel,
      sentAt: new Date().toISOString(),
      sealed: null,
      lastError: null,
      nextAttemptAt: null,
      providerMessageId: null,
    })
    .where(
      and(
        inArray(
          outgoingMessages.id,
          chunk.map((row) => row.id),
        ),
        due(now.toISOString()),
      ),
    )
    .returning({ id: outgoingMessages.id, attempts: outgoingMessages.attempts })
  const byId = new Map(chunk.map((row) => [row.id, row]))
  // One line for the statement's messages, not one each (each line is a log event, and the dev mailbox settles a
  // run's messages at once).
  if (sent.length)
    deps.logger.info('messages sent', {
      channel,
      messages: sent.map(({ id, attempts }) => attemptLog(byId.get(id)!, attempts)),
    })
  return sent.length
}

/** What the log says of a message's attempt (its recipient masked, never its text). */
const attemptLog = (row: Row, attempt: number) => ({
  messageId: row.id,
  kind: row.kind,
  to: maskRecipient(row.to),
  attempt,
})

async function deliverOne(
  deps: DeliveryDeps,
  row: Row,
  senders: ReturnType<typeof messageSenders>,
  now: Date,
): Promise<keyof DeliveryTally | null> {
  const { db, logger } = deps
  const attempt = row.attempts + 1
  const sender = senders[recipientKind(row.to)]
  // The claim: only the run that moves this attempt count on sends it; a lapsed `sending` claim is taken over.
  const [claimed] = await db
    .update(outgoingMessages)
    .set({
      status: 'sending',
      attempts: attempt,
      channel: typeof sender === 'string' ? null : sender.channel,
      nextAttemptAt: new Date(now.getTime() + messageSendLeaseSeconds * 1000).toISOString(),
    })
    .where(
      and(
        eq(outgoingMessages.id, row.id),
        eq(outgoingMessages.attempts, row.attempts),
        due(now.toISOString()),
      ),
    )
    .returning({ id: outgoingMessages.id })
  if (!claimed) return null
  const log = attemptLog(row, attempt)
  try {
    if (typeof sender === 'string') throw new MessageSendError(sender)
    const message = await openMessage(row, deps.settings.SESSION_SECRET)
    const { providerMessageId } = await sender.send(message)
    await db
      .update(outgoingMessages)
      .set({
        status: 'sent',
        sentAt: new Date().toISOString(),
        sealed: null,
        lastError: null,
        nextAttemptAt: null,
        providerMessageId,
      })
      .where(and(eq(outgoingMessages.id, row.id), eq(outgoingMessages.attempts, attempt)))
    logger.info('message sent', { ...log, channel: sender.channel })
    return 'sent'
  } catch (error) {
    const permanent = error instanceof MessageSendError && error.permanent
    const reason = error instanceof MessageSendError ? error.message : 'unexpected error while sending'
    const next = nextMessageAttempt(attempt, now, permanent)
    await db
      .update(outgoingMessages)
      .set(
        next.kind === 'dead'
          ? { status: 'dead', lastError: reason, nextAttemptAt: null, sealed: null }
          : { status: 'retrying', lastError: reason, nextAttemptAt: next.at.toISOString() },
      )
      .where(and(eq(outgoingMessages.id, row.id), eq(outgoingMessages.attempts, attempt)))
    logger.warn(next.kind === 'dead' ? 'message dead' : 'message not sent; will retry', {
      ...log,
      error: reason,
    })
    return next.kind === 'dead' ? 'dead' : 'retrying'
  }
}

/** The message as its reader gets it: sealed text opened, else the stored text. */
async function openMessage(row: Row, secret: string | undefined): Promise<OutgoingMessage> {
  const base = { id: row.id, to: row.to, kind: row.kind as OutgoingMessage['kind'] }
  const locale = localeOf(row.locale) ?? defaultLocale
  if (row.sealed) {
    if (!secret) throw new MessageSendError('SESSION_SECRET is needed to open a sealed message')
    let text: Sealed
    try {
      text = await unseal<Sealed>(secret, row.sealed)
    } catch {
      throw new MessageSendError('the sealed text cannot be opened (SESSION_SECRET changed?)', true)
    }
    return { ...base, locale, ...text }
  }
  if (row.subject === withheldSubject(row.kind) && row.body === '')
    throw new MessageSendError('the text was withheld and not sealed; it cannot be sent', true)
  return { ...base, locale, subject: row.subject, body: row.body, smsParams: row.smsParams ?? null }
}

/** Whether a retry could send it: dead or retrying, with its text still kept (a sensitive one's only while sealed). */
export const isRetryable = (row: Row) =>
  (row.status === 'dead' || row.status === 'retrying') &&
  !(row.sealed === null && row.subject === withheldSubject(row.kind) && row.body === '')

export type OutgoingMessageRow = Row

export type RetryOutcome =
  | { ok: true; message: Row }
  | { ok: false; reason: 'not_found' | 'not_retryable' | 'text_gone' }

/**
 * Sends a dead (or retrying) message again at the next delivery run: due now, with one more attempt. A sensitive
 * message's text is not kept once it is dead, so it cannot be sent again (the customer asks for a new code).
 */
export async function retryMessage(
  db: Database,
  id: string,
  scope: { organizerId: string } | 'platform',
): Promise<RetryOutcome> {
  const [row] = await db
    .select()
    .from(outgoingMessages)
    .where(and(eq(outgoingMessages.id, id), scopeFilter(scope)))
  if (!row) return { ok: false, reason: 'not_found' }
  if (row.status !== 'dead' && row.status !== 'retrying') return { ok: false, reason: 'not_retryable' }
  if (!isRetryable(row)) return { ok: false, reason: 'text_gone' }
  const [updated] = await db
    .update(outgoingMessages)
    .set({ status: 'pending', nextAttemptAt: new Date().toISOString() })
    .where(
      and(
        eq(outgoingMessages.id, id),
        eq(outgoingMessages.attempts, row.attempts),
        inArray(outgoingMessages.status, ['dead', 'retrying']),
      ),
    )
    .returning()
  return updated ? { ok: true, message: updated } : { ok: false, reason: 'not_retryable' }
}

/** An organizer sees its own messages; the platform sees all. */
const scopeFilter = (scope: { organizerId: string } | 'platform') =>
  scope === 'platform' ? undefined : eq(outgoingMessages.organizerId, scope.organizerId)

function after(cursor: string | undefined) {
  const at = cursor?.indexOf('~') ?? -1
  if (!cursor || at < 0) return undefined
  const createdAt = cursor.slice(0, at)
  const id = cursor.slice(at + 1)
  return or(
    lt(outgoingMessages.createdAt, createdAt),
    and(eq(outgoingMessages.createdAt, createdAt), lt(outgoingMessages.id, id)),
  )
}

export interface MessageListQuery {
  status?: OutgoingMessageStatus
  /** Platform only: just the messages of no organizer (sign-in codes). */
  platformOnly?: boolean
  limit: number
  cursor?: string
}

/** The keyset cursor of a listed message: its creation time and id (fixed ids do not order by time). */
export const messageCursor = (row: Row) => `${row.createdAt}~${row.id}`

/** Newest first, `limit + 1` rows (the extra one says there is a next page). */
export async function listMessages(
  db: Database,
  scope: { organizerId: string } | 'platform',
  query: MessageListQuery,
): Promise<Row[]> {
  return db
    .select()
    .from(outgoingMessages)
    .where(
      and(
        scopeFilter(scope),
        query.platformOnly ? isNull(outgoingMessages.organizerId) : undefined,
        query.status ? eq(outgoingMessages.status, query.status) : undefined,
        after(query.cursor),
      ),
    )
    .orderBy(desc(outgoingMessages.createdAt), desc(outgoingMessages.id))
    .limit(query.limit + 1)
}
