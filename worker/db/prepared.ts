import { is, Param, Placeholder, sql } from 'drizzle-orm'
import type { Database } from './client.ts'

// Statements of the order path built once per isolate instead of once per order. drizzle writes the SQL and maps the
// rows exactly as it does for a query built each time (its own prepared query, values in named placeholders); only
// the building is skipped, which was ~17% of the isolate's CPU on the order path (session 10's profile).

/** A named value of a prepared statement, filled on each use. */
export const slot = (name: string) => sql.placeholder(name)

/**
 * The statement's parameters with these values, encoded as a built query encodes them: through the column's
 * encoder (JSON columns, booleans), except null, which stays SQL NULL (drizzle's own `fillPlaceholders` would
 * encode a null JSON value as the text 'null').
 */
function fill(params: unknown[], values: Record<string, unknown>): unknown[] {
  return params.map((param) => {
    const named = is(param, Placeholder)
      ? param
      : is(param, Param) && is(param.value, Placeholder)
        ? param.value
        : null
    if (!named) return param
    const value = values[named.name]
    if (value === undefined) throw new Error(`No value for ${named.name} (null, if none)`)
    return value === null || !is(param, Param) ? value : param.encoder.mapToDriverValue(value)
  })
}

/** What drizzle's prepared query gives and its D1 batch asks of an item (see drizzle-orm/d1/session.js `batch`). */
interface DrizzlePrepared {
  getQuery(): { sql: string; params: unknown[] }
  stmt: D1PreparedStatement
  mapResult(result: unknown, isFromBatch?: boolean): unknown
}

interface Buildable {
  prepare(): unknown
}

/**
 * A statement prepared once per drizzle handle (one per D1 binding per isolate). `in(db, values)` is that statement
 * with these values, typed as the builder it came from, for `db.batch([...])` beside built queries; `all` and `run`
 * execute it alone.
 */
export function prepared<Builder extends Buildable, Values extends Record<string, unknown>>(
  build: (db: Database) => Builder,
) {
  const byHandle = new WeakMap<Database, DrizzlePrepared>()
  const of = (db: Database) => {
    let query = byHandle.get(db)
    if (!query) {
      query = build(db).prepare() as DrizzlePrepared
      byHandle.set(db, query)
    }
    return query
  }
  return {
    /** For `db.batch`: what drizzle's batch asks of a query builder, from the prepared query and these values. */
    in(db: Database, values: Values): Builder {
      const query = of(db)
      const { sql: text, params } = query.getQuery()
      const filled = fill(params, values)
      const item = {
        toSQL: () => ({ sql: text, params: filled }),
        _prepare: () => ({
          getQuery: () => ({ sql: text, params: filled }),
          stmt: query.stmt,
          mapResult: (result: unknown, isFromBatch?: boolean) => query.mapResult(result, isFromBatch),
        }),
      }
      return item as unknown as Builder
    },
    /** A select alone: its rows, mapped as the builder's would be. */
    async all(db: Database, values: Values): Promise<Awaited<Builder>> {
      const query = of(db)
      const result = await query.stmt.bind(...fill(query.getQuery().params, values)).all()
      return query.mapResult(result, true) as Awaited<Builder>
    },
    /** A write alone. */
    run(db: Database, values: Values): Promise<D1Result> {
      const query = of(db)
      return query.stmt.bind(...fill(query.getQuery().params, values)).run()
    },
  }
}

/** `prepared` with its values' type named first: `statement<{ orderId: string }>()((db) => db.select()…)`. */
export const statement =
  <Values extends Record<string, unknown>>() =>
  <Builder extends Buildable>(build: (db: Database) => Builder) =>
    prepared<Builder, Values>(build)
