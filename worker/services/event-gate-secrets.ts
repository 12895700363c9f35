import { eq } from 'drizzle-orm'
import type { Database } from '../db/client.ts'
import { eventGateSecrets } from '../db/schema.ts'
import { ticketSecret } from '../domain/rotating-code.ts'

export const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replaceAll('=', '')

/** The event's gate secret, created on first use (random 32 bytes, base64url). */
export async function eventGateSecret(db: Database, eventId: string): Promise<string> {
  await db
    .insert(eventGateSecrets)
    .values({ eventId, secret: toBase64Url(crypto.getRandomValues(new Uint8Array(32))) })
    .onConflictDoNothing()
  const [row] = await db.select().from(eventGateSecrets).where(eq(eventGateSecrets.eventId, eventId))
  return row!.secret
}

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0))

/**
 * What a ticket page needs to show the rotating code: HMAC(event secret, ticket id). It derives only this
 * ticket's codes; the event secret (which derives every ticket's) goes to enrolled gates only.
 */
export async function ticketRotatingSecret(eventSecret: string, ticketId: string): Promise<string> {
  return toBase64Url(await ticketSecret(fromBase64Url(eventSecret), ticketId))
}
