import * as v from 'valibot'

export const healthSchema = v.object({ ok: v.boolean() })

/** Enough of an OpenAPI 3.1 document to tell it is one; the document describes itself in full. */
export const openApiDocumentSchema = v.object({
  openapi: v.string(),
  info: v.object({ title: v.string(), version: v.string(), description: v.optional(v.string()) }),
  paths: v.record(v.string(), v.record(v.string(), v.unknown())),
  components: v.optional(v.record(v.string(), v.unknown())),
})
