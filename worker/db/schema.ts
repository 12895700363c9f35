// The D1 schema (drizzle), one file per area under ./schema/. Code imports tables and their types from this
// barrel; drizzle-kit reads the area files themselves to generate migrations (worker/db/drizzle.config.ts).
export * from './schema/analytics.ts'
export * from './schema/analytics-scenic.ts'
export * from './schema/catalogue.ts'
export * from './schema/coupons.ts'
export * from './schema/distribution.ts'
export * from './schema/gates.ts'
export * from './schema/group-buys.ts'
export * from './schema/members.ts'
export * from './schema/orders.ts'
export * from './schema/partners.ts'
export * from './schema/staff.ts'
export * from './schema/webhooks.ts'
