// The dev mailbox's sender only records, so a delivery run claims and marks its messages sent in one statement
// (issue 22: two D1 calls a message after each publisher run before); what cannot be opened still fails and dies.
import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../../worker/db/client.ts'
import { jsonLogger } from '../../../../worker/middleware/logger.ts'
import { deliverDueMessages, recordMessage } from '../../../../worker/services/messages/outbox.ts'
import { RecordingD1 } from '../../../bench/d1-recorder.ts'
import { captureLogs } from '../../../support/logs.ts'

const db = openDatabase(env.DB)
const logger = jsonLogger({ test: 'dev-delivery' })
// The test environment delivers to the dev mailbox (no MESSAGES_LOCAL_DELIVERY=live).
const settings = { ENVIRONMENT: env.ENVIRONMENT }
let n = 0

async function queued(count: number) {
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const id = `msg_dev_${Date.now()}_${n++}`
    await recordMessage(db, logger, { id, to: `buyer${n}@example.com`, subject: 'Tickets', body: 'Yours' })
    ids.push(id)
  }
  return ids
}

const rowsOf = async (ids: string[]) =>
  (
    await env.DB.prepare(
      `SELECT id, status, attempts, channel, sent_at, next_attempt_at FROM outgoing_messages
       WHERE id IN (${ids.map(() => '?').join(', ')}) ORDER BY id`,
    )
      .bind(...ids)
      .all<{ id: string; status: string; attempts: number; channel: string; sent_at: string | null }>()
  ).results

/** Delivers everything due now; answers the run's D1 calls that wrote (not the read of what is due). */
async function deliverCounting() {
  const recorder = new RecordingD1(env.DB)
  const tally = await deliverDueMessages({ db: openDatabase(recorder.asD1()), logger, settings })
  const writes = recorder.calls.filter((c) => c.kind !== 'batch' && /^update/i.test(c.statement.sql))
  return { tally, writes: writes.length }
}

describe('dev mailbox delivery', () => {
  it('claims and marks a run’s messages sent in one statement, whatever their number', async () => {
    await deliverDueMessages({ db, logger, settings }) // what earlier writes left due
    const two = await queued(2)
    const first = await deliverCounting()
    const eight = await queued(8)
    const logs = captureLogs()
    const second = await deliverCounting()
    vi.restoreAllMocks()
    // One log line for the run's messages, naming each (recipient masked), not one line each.
    const sentLines = logs.map((l) => JSON.parse(l)).filter((l) => /^messages? sent$/.test(l.message))
    expect(sentLines).toHaveLength(1)
    expect(sentLines[0]).toMatchObject({ message: 'messages sent', channel: 'dev' })
    expect(sentLines[0].messages).toHaveLength(8)
    expect(sentLines[0].messages[0]).toMatchObject({
      kind: 'notice',
      attempt: 1,
      to: expect.stringMatching(/\*\*\*@example\.com$/),
    })
    expect(first).toEqual({ tally: { sent: 2, retrying: 0, dead: 0 }, writes: 1 })
    expect(second).toEqual({ tally: { sent: 8, retrying: 0, dead: 0 }, writes: 1 })
    for (const row of await rowsOf([...two, ...eight]))
      expect(row).toMatchObject({ status: 'sent', attempts: 1, channel: 'dev', next_attempt_at: null })
    // Sent messages are not sent again.
    expect((await deliverCounting()).tally.sent).toBe(0)
  })

  it('sends each message once when runs race, and takes over a lapsed claim', async () => {
    await deliverDueMessages({ db, logger, settings })
    const ids = await queued(6)
    // One was claimed by a run that died mid-send: its lease lapsed a minute ago.
    await env.DB.prepare(
      "UPDATE outgoing_messages SET status = 'sending', attempts = 1, next_attempt_at = ? WHERE id = ?",
    )
      .bind(new Date(Date.now() - 60_000).toISOString(), ids[0])
      .run()
    const runs = await Promise.all([1, 2, 3].map(() => deliverDueMessages({ db, logger, settings })))
    expect(runs.reduce((sum, t) => sum + t.sent, 0)).toBe(6)
    const rows = await rowsOf(ids)
    expect(rows.every((r) => r.status === 'sent')).toBe(true)
    // One attempt each (two for the taken-over one): no run marked a message sent that another had.
    expect(Object.fromEntries(rows.map((r) => [r.id, r.attempts]))).toEqual(
      Object.fromEntries(ids.map((id, i) => [id, i === 0 ? 2 : 1])),
    )
  })

  it('a message whose text cannot be opened still fails on its own and dies, beside others sent', async () => {
    await deliverDueMessages({ db, logger, settings })
    const [fine] = await queued(1)
    const withheld = `msg_dev_withheld_${Date.now()}`
    // Sensitive text outside development with no secret to seal it: withheld, so it can never be sent.
    await recordMessage(
      db,
      logger,
      { id: withheld, to: 'code@example.com', subject: 'Code', body: '123456', sensitive: true },
      { environment: 'production' },
    )
    const tally = await deliverDueMessages({ db, logger, settings })
    expect(tally).toEqual({ sent: 1, retrying: 0, dead: 1 })
    const rows = Object.fromEntries((await rowsOf([fine!, withheld])).map((r) => [r.id, r]))
    expect(rows[fine!]).toMatchObject({ status: 'sent', attempts: 1 })
    expect(rows[withheld]).toMatchObject({ status: 'dead', attempts: 1, sent_at: null })
  })
})
