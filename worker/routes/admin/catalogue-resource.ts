import { and, asc, eq, gt, like, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTableWithColumns } from 'drizzle-orm/sqlite-core'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { outboxEvents, type StaffRole } from '../../db/schema.ts'
import { newId } from '../../ids.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound } from '../../problem.ts'
import { validate } from '../../validation.ts'
import { pageOf } from '../contracts/common.ts'
import { json } from '../openapi.ts'
import { page, pageQuery } from '../query.ts'

export type CatalogueTable = SQLiteTableWithColumns<any> & {
  id: SQLiteColumn
  organizerId: SQLiteColumn
  name?: SQLiteColumn
}
type Row = Record<string, unknown>
type AnySchema = v.GenericSchema<unknown, Row>
type AnyObjectSchema = v.ObjectSchema<v.ObjectEntries, undefined>

export interface CatalogueResource<Create extends AnyObjectSchema, Filters extends v.ObjectEntries> {
  /** Singular noun for messages and docs, e.g. `venue`. */
  noun: string
  tag: string
  table: CatalogueTable
  idPrefix: string
  /** Response body of one record. */
  schema: AnySchema
  create: Create
  /** Query filters beyond pagination and `q` (name search). */
  filters?: Filters
  where?: (filters: v.InferOutput<v.ObjectSchema<Filters, undefined>>) => (SQL | undefined)[]
  /** Cross-record checks (references in the same organizer, consistent values); throws a Problem. */
  check?: (c: Context<StaffEnv>, record: v.InferOutput<Create>, organizerId: string) => Promise<void>
  /** Runs after an update succeeded, e.g. to tell a live inventory actor its settings changed. */
  afterUpdate?: (c: Context<StaffEnv>, record: Row) => Promise<void>
  /** Outbox events an update causes (e.g. `price.changed`), written in the same D1 batch as the update. */
  eventsOnUpdate?: (before: Row, after: Row) => { topic: string; payload: Record<string, unknown> }[]
  /** Refuses a delete (throws a Problem) while records the database cannot see through foreign keys still use it. */
  beforeDelete?: (c: Context<StaffEnv>, record: Row) => Promise<void>
  readRoles?: StaffRole[]
  writeRoles?: StaffRole[]
}

const problemResponses = {
  400: { description: 'Validation failed (problem+json, code `validation`)' },
  401: { description: 'Not signed in (code `unauthorized`)' },
  403: { description: 'Role does not allow this (code `forbidden`)' },
}

/** List/create/read/update/delete routes for one organizer-owned catalogue record type. */
export function catalogueResource<
  Create extends AnyObjectSchema,
  Filters extends v.ObjectEntries = Record<never, never>,
>(spec: CatalogueResource<Create, Filters>) {
  const { table, noun, tag } = spec
  const readRoles = spec.readRoles ?? ['owner', 'manager']
  const writeRoles = spec.writeRoles ?? ['owner', 'manager']
  const listQuery = v.object({
    ...pageQuery,
    q: v.optional(v.pipe(v.string(), v.maxLength(100))),
    ...(spec.filters ?? {}),
  })
  const update = v.partial(spec.create)
  const idParams = v.object({ organizerId: v.string(), id: v.string() })
  const app = new Hono<StaffEnv>()

  const load = async (c: Context<StaffEnv>, organizerId: string, id: string) => {
    const [row] = await c
      .get('db')
      .select()
      .from(table)
      .where(and(eq(table.id, id), eq(table.organizerId, organizerId)))
      .limit(1)
    if (!row) throw notFound(`${noun} ${id}`)
    return row as Row
  }

  app.get(
    '/',
    describeRoute({
      tags: [tag],
      summary: `List ${noun}s`,
      description: 'Keyset pagination: pass `nextCursor` back as `cursor`. `q` matches the name.',
      responses: {
        200: { description: `A page of ${noun}s`, content: json(pageOf(spec.schema)) },
        ...problemResponses,
      },
    }),
    requireOrganizerRole(...readRoles),
    validate('query', listQuery),
    async (c) => {
      const organizerId = c.req.param('organizerId')!
      const query = c.req.valid('query' as never) as Record<string, unknown> & {
        limit: number
        cursor?: string
        q?: string
      }
      const conditions: (SQL | undefined)[] = [eq(table.organizerId, organizerId)]
      if (query.cursor) conditions.push(gt(table.id, query.cursor))
      if (query.q && table.name) conditions.push(like(table.name, `%${query.q.replace(/[%_]/g, '')}%`))
      if (spec.where) conditions.push(...spec.where(query as never))
      const rows = (await c
        .get('db')
        .select()
        .from(table)
        .where(and(...conditions))
        .orderBy(asc(table.id))
        .limit(query.limit + 1)) as Row[]
      return c.json(page(rows, query.limit))
    },
  )

  app.post(
    '/',
    describeRoute({
      tags: [tag],
      summary: `Create a ${noun}`,
      responses: {
        201: { description: `The new ${noun}`, content: json(spec.schema) },
        ...problemResponses,
        409: { description: 'Conflicts with an existing record (code `conflict`)' },
      },
    }),
    requireOrganizerRole(...writeRoles),
    validate('json', spec.create),
    async (c) => {
      const organizerId = c.req.param('organizerId')!
      const input = c.req.valid('json' as never) as v.InferOutput<Create>
      await spec.check?.(c, input, organizerId)
      const [row] = await c
        .get('db')
        .insert(table)
        .values({ ...input, id: newId(spec.idPrefix), organizerId })
        .returning()
      return c.json(row as Row, 201)
    },
  )

  app.get(
    '/:id',
    describeRoute({
      tags: [tag],
      summary: `Get a ${noun}`,
      responses: {
        200: { description: `The ${noun}`, content: json(spec.schema) },
        ...problemResponses,
        404: { description: 'Not found' },
      },
    }),
    requireOrganizerRole(...readRoles),
    validate('param', idParams),
    async (c) => c.json(await load(c, c.req.param('organizerId')!, c.req.param('id')!)),
  )

  app.patch(
    '/:id',
    describeRoute({
      tags: [tag],
      summary: `Update a ${noun}`,
      description: 'Only the fields sent are changed.',
      responses: {
        200: { description: `The updated ${noun}`, content: json(spec.schema) },
        ...problemResponses,
        404: { description: 'Not found' },
      },
    }),
    requireOrganizerRole(...writeRoles),
    validate('param', idParams),
    validate('json', update),
    async (c) => {
      const organizerId = c.req.param('organizerId')!
      const id = c.req.param('id')!
      const existing = await load(c, organizerId, id)
      const changes = c.req.valid('json' as never) as Row
      await spec.check?.(c, { ...existing, ...changes } as v.InferOutput<Create>, organizerId)
      const values: Row = { ...changes }
      if ('updatedAt' in table) values.updatedAt = new Date().toISOString()
      const db = c.get('db')
      const events = spec.eventsOnUpdate?.(existing, { ...existing, ...values }) ?? []
      const [rows] = await db.batch([
        db
          .update(table)
          .set(values)
          .where(and(eq(table.id, id), eq(table.organizerId, organizerId)))
          .returning(),
        ...events.map((e) =>
          db
            .insert(outboxEvents)
            .values({ id: newId('evt'), organizerId, topic: e.topic, payload: e.payload }),
        ),
      ])
      const [row] = rows as Row[]
      await spec.afterUpdate?.(c, row as Row)
      return c.json(row as Row)
    },
  )

  app.delete(
    '/:id',
    describeRoute({
      tags: [tag],
      summary: `Delete a ${noun}`,
      description: 'Refused with `conflict` while other records still use it.',
      responses: {
        204: { description: 'Deleted' },
        ...problemResponses,
        404: { description: 'Not found' },
        409: { description: 'In use' },
      },
    }),
    requireOrganizerRole(...writeRoles),
    validate('param', idParams),
    async (c) => {
      const organizerId = c.req.param('organizerId')!
      const id = c.req.param('id')!
      // Load first: a missing or foreign record is a 404 whether or not the resource has a delete check.
      const existing = await load(c, organizerId, id)
      await spec.beforeDelete?.(c, existing)
      await c
        .get('db')
        .delete(table)
        .where(and(eq(table.id, id), eq(table.organizerId, organizerId)))
      return c.body(null, 204)
    },
  )

  return app
}
