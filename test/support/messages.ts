import { env } from 'cloudflare:workers'
import { expect } from 'vitest'

// Messages as their reader gets them, read back from `outgoing_messages` (where the dev mailbox reads them).

export interface Sent {
  subject: string
  body: string
}

/** Everything sent to `to`, oldest first. */
export async function messagesTo(to: string): Promise<Sent[]> {
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
  for (const minor of amountsInMinorUnits) expect(all).not.toContain(String(minor))
  expect(all).not.toMatch(/\bCNY\b|minor units|\bPRM\b|T\d\d:\d\d|Z\b/)
  if (locale === 'zh-CN') expect(all).not.toMatch(/\b(Order|Your|pay|refund|tickets?|seat|Row)\b/i)
}
