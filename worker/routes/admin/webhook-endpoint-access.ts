// What the webhook endpoint and delivery routes share: the endpoint in the path, looked up within the organizer.
import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import * as v from 'valibot'
import { webhookEndpoints } from '../../db/schema.ts'
import type { StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound } from '../../problem.ts'

export type Endpoint = typeof webhookEndpoints.$inferSelect

export const endpointParams = v.object({
  organizerId: v.string(),
  endpointId: v.pipe(v.string(), v.maxLength(64)),
})

/** The organizer's endpoint, or 404 (another organizer's endpoint is not found either). */
export async function ownedEndpoint(c: Context<StaffEnv>, organizerId: string, endpointId: string) {
  const [row] = await c
    .get('db')
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.organizerId, organizerId)))
  if (!row) throw notFound(`webhook endpoint ${endpointId}`)
  return row
}
