import { resolver } from 'hono-openapi'
import type * as v from 'valibot'

// Content declarations for `describeRoute` responses: every 2xx answer names its media type and schema
// (test/worker/openapi.test.ts refuses one that does not).

/** A JSON answer described by a contract schema (worker/routes/contracts). */
export const json = (schema: v.GenericSchema) => ({ 'application/json': { schema: resolver(schema) } })

/** An HTML page. */
export const htmlPage = { 'text/html': { schema: { type: 'string' as const } } }
