import { env } from 'cloudflare:workers'
import { expect } from 'vitest'
import { openDatabase } from '../../worker/db/client.ts'
import { publishOutbox } from '../../worker/services/webhooks/outbox-publisher.ts'

// Messages as their reader gets them, read back from `outgoing_messages` (where the dev mailbox reads them).

export interface Sent {
  subject: string
  body: string
}

/**
 * Everything sent to `to`, oldest first, once the outbox is published (a confirmation is sent by the outbox's
 * subscriber, right after the request in production or by the minute cron; here, before reading).
 */
export async function messagesTo(to: string): Promise<Sent[]> {
  for (let run = 0; run < 20; run++)
    if ((await publishOutbox(openDatabase(env.DB), env.WEBHOOK_QUEUE)).events === 0) break
  const { results } = await env.DB.prepare(
    'SELECT subject, body FROM outgoing_messages WHERE "to" = ? ORDER BY created_at, id',
  )
    .bind(to)
    .all<Sent>()
  return results
}

export const text = (m: Sent) => `${m.subject}\n${m.body}`

let n = 0
/** A fresh address (lower case, as contacts are stored). */
export const inbox = (tag: string) => `${tag.toLowerCase()}.${Date.now()}.${n++}@buyers.test`

/** Nothing a buyer should never read: amounts in minor units, currency codes, the zone's code, English on zh. */
export function expectReadable(message: Sent, amountsInMinorUnits: number[], locale: 'zh-CN' | 'en') {
  const all = text(message)
  // An amount left in minor units would stand as a number of its own; the same digits inside an order number
  // (ET2612050…, on a 5 December) are not an amount.
  for (const minor of amountsInMinorUnits)
    expect(all).not.toMatch(new RegExp(`(?<![0-9A-Za-z])${minor}(?![0-9A-Za-z])`))
  expect(all).not.toMatch(/\bCNY\b|minor units|\bPRM\b|T\d\d:\d\d|Z\b/)
  if (locale === 'zh-CN') expect(all).not.toMatch(/\b(Order|Your|pay|refund|tickets?|seat|Row)\b/i)
}
