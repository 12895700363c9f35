import { hasTable, type Migration } from '../shared/migrations.ts'

// The group's own SQLite layout as numbered steps, run by the shared runner (durable-objects/shared/migrations.ts)
// before the actor takes its first request. A later layout is a new step at the end; shipped steps never change.

export const GROUP_BUY_MIGRATIONS: readonly Migration[] = [
  // 1: the group's terms and state (one row), and its members.
  `CREATE TABLE terms (
     id INTEGER PRIMARY KEY CHECK (id = 1), json TEXT NOT NULL, status TEXT NOT NULL,
     virtual INTEGER NOT NULL DEFAULT 0, outcome_recorded INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE members (
     id TEXT PRIMARY KEY, buyer_id TEXT NOT NULL, customer_id TEXT, role TEXT NOT NULL, quantity INTEGER NOT NULL,
     status TEXT NOT NULL, hold_id TEXT, order_id TEXT UNIQUE, pay_by INTEGER NOT NULL, joined_at INTEGER NOT NULL,
     done INTEGER NOT NULL DEFAULT 0, seat_ids TEXT NOT NULL DEFAULT '[]'
   );
   CREATE INDEX members_buyer ON members (buyer_id);`,
]

/** Groups started before the runner have exactly step 1's tables. */
export const adoptGroupStorage = (sql: SqlStorage): number => (hasTable(sql, 'terms') ? 1 : 0)
