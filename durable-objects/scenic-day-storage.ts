import type { LineRow, Refused, ScenicRefusal, Visitor } from './scenic-day-types.ts'

// The scenic day actor's own SQLite tables, how older actors' storage is brought up to date, and small helpers
// its modules share.

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS holds (
  id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, channel TEXT NOT NULL, package_id TEXT,
  status TEXT NOT NULL, expires_at INTEGER NOT NULL, order_id TEXT, created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS lines (
  id TEXT PRIMARY KEY, hold_id TEXT NOT NULL, product_id TEXT NOT NULL, slot TEXT, channel TEXT NOT NULL,
  id_number TEXT, phone TEXT, name TEXT, status TEXT NOT NULL, order_id TEXT, redeemed INTEGER NOT NULL DEFAULT 0,
  price INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS lines_hold ON lines (hold_id);
CREATE INDEX IF NOT EXISTS lines_order ON lines (order_id);
`

/**
 * Storage changes after SCHEMA, applied once each, in order (the `schema` meta row counts them).
 * 1: a public hold's client network while it is active (NULL: not a public hold; '' once it ended), for
 *    per-network caps; a child line's explicit parent line.
 */
const MIGRATIONS = [
  `ALTER TABLE holds ADD COLUMN client_network TEXT;
   ALTER TABLE lines ADD COLUMN parent_line_id TEXT;`,
]

/** Creates the day's tables, or brings an older actor's up to date (MIGRATIONS not yet applied). */
export function migrateDayStorage(sql: SqlStorage) {
  sql.exec(SCHEMA)
  const [row] = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'schema'").toArray()
  let version = row ? Number(row.value) : 0
  for (; version < MIGRATIONS.length; version++) sql.exec(MIGRATIONS[version]!)
  sql.exec("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)", String(version))
}

/** Lines with their hold's buyer, who owns them for parent-child rules and caps. */
export const LINES = 'SELECT l.*, h.holder_id FROM lines l JOIN holds h ON h.id = l.hold_id'
export const TAKEN = "('held', 'sold')"

/** A stored line's visitor (what was given when it was held). */
export function visitorOf(line: Pick<LineRow, 'id_number' | 'phone' | 'name'>): Visitor {
  return {
    ...(line.name ? { name: line.name } : {}),
    ...(line.id_number ? { idNumber: line.id_number } : {}),
    ...(line.phone ? { phone: line.phone } : {}),
  }
}

/** A refusal as the actor answers it. */
export function refuse(code: ScenicRefusal, detail: string, unavailable?: string[]): Refused {
  return { ok: false as const, code, detail, ...(unavailable ? { unavailable } : {}) }
}
