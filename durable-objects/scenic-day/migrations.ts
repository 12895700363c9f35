import { hasColumn, hasTable, type Migration, migrate } from '../shared/migrations.ts'

// The day actor's own SQLite layout, one step per change (durable-objects/shared/migrations.ts runs them).
// Steps already shipped never change; a new layout is a new step at the end.

export const DAY_MIGRATIONS: readonly Migration[] = [
  // 1: settings (meta), holds and their ticket lines.
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE IF NOT EXISTS holds (
     id TEXT PRIMARY KEY, holder_id TEXT NOT NULL, channel TEXT NOT NULL, package_id TEXT,
     status TEXT NOT NULL, expires_at INTEGER NOT NULL, order_id TEXT, created_at INTEGER NOT NULL
   );
   CREATE TABLE IF NOT EXISTS lines (
     id TEXT PRIMARY KEY, hold_id TEXT NOT NULL, product_id TEXT NOT NULL, slot TEXT, channel TEXT NOT NULL,
     id_number TEXT, phone TEXT, name TEXT, status TEXT NOT NULL, order_id TEXT,
     redeemed INTEGER NOT NULL DEFAULT 0, price INTEGER NOT NULL
   );
   CREATE INDEX IF NOT EXISTS lines_hold ON lines (hold_id);
   CREATE INDEX IF NOT EXISTS lines_order ON lines (order_id);`,
  // 2: a public hold's client network while it is active (NULL: not a public hold; '' once it ended), for the
  //    per-network caps; a child line's explicit parent line.
  `ALTER TABLE holds ADD COLUMN client_network TEXT;
   ALTER TABLE lines ADD COLUMN parent_line_id TEXT;`,
  // 3: the price quote of each line (list price, tier and its counter, whether a rule naming the channel set
  //    it), and whether a hold is an OTA partner's (its re-acquire is quoted as the partner's again).
  `ALTER TABLE lines ADD COLUMN list_price INTEGER;
   ALTER TABLE lines ADD COLUMN tier TEXT;
   ALTER TABLE lines ADD COLUMN tier_key TEXT;
   ALTER TABLE lines ADD COLUMN channel_priced INTEGER;
   ALTER TABLE holds ADD COLUMN partner INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX IF NOT EXISTS lines_tier ON lines (tier_key) WHERE tier_key IS NOT NULL;`,
]

/**
 * Storage written before the runner (the tables, and a `schema` meta row once step 2 was in): how many steps
 * it has, judged by its tables and columns.
 */
export function adoptDayStorage(sql: SqlStorage): number {
  if (!hasTable(sql, 'holds')) return 0
  return hasColumn(sql, 'holds', 'client_network') ? 2 : 1
}

/** Brings the day's storage to the latest layout (the actor does so on start). */
export function migrateDayStorage(storage: Pick<DurableObjectStorage, 'sql' | 'transactionSync'>): number {
  return migrate(storage, DAY_MIGRATIONS, { adopt: adoptDayStorage })
}
