// The `meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)` table each inventory actor keeps beside its own
// tables (its first migration creates it): the catalogue settings it works from, its change counter, …

/** The value stored under `key`, or undefined. */
export function readMeta(sql: SqlStorage, key: string): string | undefined {
  const [row] = sql.exec<{ value: string }>('SELECT value FROM meta WHERE key = ?', key).toArray()
  return row?.value
}

export function writeMeta(sql: SqlStorage, key: string, value: string): void {
  sql.exec('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)', key, value)
}
