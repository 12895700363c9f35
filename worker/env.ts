import type { Database } from './db/client.ts'
import type { Logger } from './middleware/logger.ts'
import type { StaffSession } from './services/staff-session.ts'

/** Bindings and secrets the worker receives from wrangler.toml and Worker secrets. */
export interface Bindings {
  DB: D1Database
  ASSETS: Fetcher
  ENVIRONMENT: string
  /** HMAC key for staff session cookies (Worker secret; `.dev.vars` locally). */
  SESSION_SECRET: string
  /** First owner account, created by the dev seed only. */
  DEV_OWNER_EMAIL?: string
  DEV_OWNER_PASSWORD?: string
}

/** Per-request values set by middleware, read by handlers through `c.get`. */
export interface Variables {
  requestId: string
  logger: Logger
  db: Database
  staff: StaffSession | undefined
}

export interface AppEnv {
  Bindings: Bindings
  Variables: Variables
}
