import { inArray, type SQL, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Database } from '../../db/client.ts'
import { causedBy } from '../../db/error-causes.ts'
import { slot, statement } from '../../db/prepared.ts'
import { auditEvents, batchGuards, outboxEvents } from '../../db/schema.ts'
import { newId } from '../../ids.ts'

// D1 has no interactive transactions: a batch is the unit of atomicity. Money transitions are written as
// claims (conditional updates) followed by guards asserting the claims took exactly what was read; a guard
// that fails rolls the whole batch back, so nothing of a lost race is written.

export type Statement = BatchItem<'sqlite'>

export async function runBatch(db: Database, statements: Statement[]): Promise<unknown[]> {
  if (statements.length === 0) return []
  return db.batch(statements as [Statement, ...Statement[]])
}

/** A batch with assertions: `guard(condition)` inserts a row that fails its CHECK when the condition is false. */
export class GuardedBatch {
  private readonly statements: Statement[] = []
  private readonly guardIds: string[] = []
  private readsFrom: number | undefined
  private results: unknown[] | undefined
  constructor(private readonly db: Database) {}

  add(...statements: Statement[]) {
    this.statements.push(...statements)
    return this
  }

  /**
   * Reads that end the batch: they see its writes (D1 runs a batch in order, in one transaction) and their rows
   * come back with it (`readRows`), so what the batch wrote needs no second round trip to be answered.
   */
  read(...statements: Statement[]) {
    this.readsFrom = this.statements.length
    this.statements.push(...statements)
    return this
  }

  /** The rows of `read`'s statements, in order, once the batch was written; undefined before or without reads. */
  get readRows(): unknown[] | undefined {
    return this.readsFrom === undefined ? undefined : this.results?.slice(this.readsFrom)
  }

  /** Asserts `condition` (an SQL boolean over the state the statements before it left). */
  guard(condition: SQL) {
    return this.guardWith((id) =>
      this.db.insert(batchGuards).select(sql`SELECT ${id}, CASE WHEN ${condition} THEN 1 ELSE 0 END`),
    )
  }

  /** `guard` with a prepared guard statement: `insert(guardId)` inserts the guard's row under that id. */
  guardWith(insert: (guardId: string) => Statement) {
    const id = newId('grd')
    this.guardIds.push(id)
    this.statements.push(insert(id))
    return this
  }

  /** Statements the batch runs, its guards' clean-up included (a merged batch adds one clean-up for all). */
  get size() {
    return this.statements.length + Math.ceil(this.guardIds.length / 90)
  }

  /** Runs the batch: `true` when every guard held and everything was written, `false` when nothing was. */
  async run(): Promise<boolean> {
    try {
      await GuardedBatch.runTogether([this])
      return true
    } catch (error) {
      if (isGuardFailure(error)) return false
      throw error
    }
  }

  /**
   * Runs several batches as one D1 batch (one transaction), in order, with their guards: all are written, or
   * none and this throws (a guard that failed, a unique violation). See worker/domain/group-commit.ts.
   */
  static async runTogether(batches: GuardedBatch[]): Promise<void> {
    const db = batches[0]?.db
    if (!db) return
    const statements = batches.flatMap((batch) => batch.statements)
    const guardIds = batches.flatMap((batch) => batch.guardIds)
    // D1 binds at most 100 parameters a statement: the guards' clean-up goes 90 ids at a time.
    for (let i = 0; i < guardIds.length; i += 90)
      statements.push(db.delete(batchGuards).where(inArray(batchGuards.id, guardIds.slice(i, i + 90))))
    const results = await runBatch(db, statements)
    // Each batch keeps its own statements' results (its reads' rows among them).
    let at = 0
    for (const batch of batches) {
      batch.results = results.slice(at, at + batch.statements.length)
      at += batch.statements.length
    }
  }
}

function isGuardFailure(error: unknown): boolean {
  return causedBy(error, /batch_guards_ok/)
}

/** The audit row and outbox event inserts, prepared once per isolate (every order writes several). */
type AuditValues = {
  id: string
  orderId: string
  actor: string
  action: string
  fromStatus: string | null
  toStatus: string | null
  detail: Record<string, unknown> | null
}
const auditValues = {
  id: slot('id'),
  orderId: slot('orderId'),
  actor: slot('actor'),
  action: slot('action'),
  fromStatus: slot('fromStatus'),
  toStatus: slot('toStatus'),
  detail: slot('detail'),
}
const auditInsert = statement<AuditValues>()((db) => db.insert(auditEvents).values(auditValues))
const auditInsertOnce = statement<AuditValues>()((db) =>
  db.insert(auditEvents).values(auditValues).onConflictDoNothing(),
)
type OutboxValues = { id: string; topic: string; organizerId: string; payload: Record<string, unknown> }
const outboxValues = {
  id: slot('id'),
  topic: slot('topic'),
  organizerId: slot('organizerId'),
  payload: slot('payload'),
}
const outboxInsert = statement<OutboxValues>()((db) => db.insert(outboxEvents).values(outboxValues))
const outboxInsertOnce = statement<OutboxValues>()((db) =>
  db.insert(outboxEvents).values(outboxValues).onConflictDoNothing(),
)

type AuditEntry = {
  orderId: string
  actor: string
  action: string
  from?: string | null
  to?: string | null
  detail?: Record<string, unknown>
  id?: string
}
const auditOf = (entry: AuditEntry): AuditValues => ({
  id: entry.id ?? newId('aud'),
  orderId: entry.orderId,
  actor: entry.actor,
  action: entry.action,
  fromStatus: entry.from ?? null,
  toStatus: entry.to ?? null,
  detail: entry.detail ?? null,
})

/** An audit row: every state change of an order says who or what caused it. A fixed `id` makes it once-only. */
export function audit(db: Database, entry: AuditEntry): Statement {
  return auditInsert.in(db, auditOf(entry))
}

/** `audit` that writes nothing when its (fixed) id was written before, instead of failing the batch. */
export function auditOnce(db: Database, entry: AuditEntry & { id: string }): Statement {
  return auditInsertOnce.in(db, auditOf(entry))
}

export function outbox(
  db: Database,
  topic: string,
  organizerId: string,
  payload: Record<string, unknown>,
  id = newId('evt'),
): Statement {
  return outboxInsert.in(db, { id, topic, organizerId, payload })
}

/** `outbox` that writes nothing when its (fixed) event id was written before. */
export function outboxOnce(
  db: Database,
  topic: string,
  organizerId: string,
  payload: Record<string, unknown>,
  id: string,
): Statement {
  return outboxInsertOnce.in(db, { id, topic, organizerId, payload })
}

export function isUniqueViolation(error: unknown): boolean {
  return causedBy(error, /UNIQUE constraint failed/)
}
