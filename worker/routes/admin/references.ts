import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import type { StaffEnv } from '../../middleware/staff-auth.ts'
import { validationProblem } from '../../problem.ts'
import type { CatalogueTable } from './catalogue-resource.ts'

/** Loads a record a request body refers to; a missing or foreign one is a validation error on that field. */
export async function referenced<T extends Record<string, unknown>>(
  c: Context<StaffEnv>,
  table: CatalogueTable,
  id: string,
  organizerId: string,
  field: string,
  noun: string,
): Promise<T> {
  const [row] = await c
    .get('db')
    .select()
    .from(table)
    .where(and(eq(table.id, id), eq(table.organizerId, organizerId)))
    .limit(1)
  if (!row)
    throw validationProblem([{ path: `json.${field}`, message: `no ${noun} ${id} in this organizer` }])
  return row as T
}
