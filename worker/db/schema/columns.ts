import { sql } from 'drizzle-orm'
import { text } from 'drizzle-orm/sqlite-core'

// Money is stored in minor units (fen for CNY) as integers; times are ISO-8601 UTC strings.
export const createdAt = () => text().notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
export const updatedAt = () => text().notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ','now'))`)
