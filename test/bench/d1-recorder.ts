// Bench-only: a D1 binding that records every statement and batch a caller sends through it (with the step of the
// caller's work it belonged to and how long D1 took), so the same statements can be replayed against a fresh
// database as the order path's D1-only ceiling, and counted per step for the profile.

export interface RecordedStatement {
  sql: string
  params: unknown[]
}

export type RecordedCall =
  | { kind: 'all' | 'run' | 'raw' | 'first'; step: string; ms: number; statement: RecordedStatement }
  | { kind: 'batch'; step: string; ms: number; statements: RecordedStatement[] }

class RecordingStatement {
  constructor(
    readonly recorder: RecordingD1,
    readonly inner: D1PreparedStatement,
    readonly sql: string,
    readonly params: unknown[] = [],
  ) {}

  bind(...params: unknown[]) {
    return new RecordingStatement(this.recorder, this.inner.bind(...params), this.sql, params)
  }

  private timed<T>(kind: 'all' | 'run' | 'raw' | 'first', run: () => Promise<T>): Promise<T> {
    return this.recorder.timed({ kind, statement: { sql: this.sql, params: this.params } }, run)
  }

  all() {
    return this.timed('all', () => this.inner.all())
  }
  run() {
    return this.timed('run', () => this.inner.run())
  }
  first(column?: string) {
    return this.timed('first', () => (column ? this.inner.first(column) : this.inner.first()))
  }
  raw(options?: { columnNames?: boolean }) {
    return this.timed('raw', () =>
      options?.columnNames ? this.inner.raw({ columnNames: true }) : this.inner.raw(),
    )
  }
}

/** One caller's D1: its calls in order, each tagged with `step` as it stood when the call was made. */
export class RecordingD1 {
  readonly calls: RecordedCall[] = []
  step = ''
  constructor(private readonly inner: D1Database) {}

  async timed<T>(
    call:
      | { kind: 'all' | 'run' | 'raw' | 'first'; statement: RecordedStatement }
      | { kind: 'batch'; statements: RecordedStatement[] },
    run: () => Promise<T>,
  ): Promise<T> {
    const step = this.step
    const t0 = performance.now()
    try {
      return await run()
    } finally {
      this.calls.push({ ...call, step, ms: performance.now() - t0 } as RecordedCall)
    }
  }

  prepare(sql: string) {
    return new RecordingStatement(this, this.inner.prepare(sql), sql)
  }

  batch(statements: RecordingStatement[]) {
    return this.timed(
      { kind: 'batch', statements: statements.map((s) => ({ sql: s.sql, params: s.params })) },
      () => this.inner.batch(statements.map((s) => s.inner)),
    )
  }

  exec(sql: string) {
    return this.inner.exec(sql)
  }

  /** As the D1Database the code under test expects. */
  asD1(): D1Database {
    return this as unknown as D1Database
  }
}

/** Sends one recorded call to `db` as it was sent the first time; a statement that fails is counted, not thrown. */
export async function replayCall(db: D1Database, call: RecordedCall): Promise<boolean> {
  const bound = (s: RecordedStatement) => db.prepare(s.sql).bind(...s.params)
  try {
    if (call.kind === 'batch') await db.batch(call.statements.map(bound))
    else if (call.kind === 'first') await bound(call.statement).first()
    else if (call.kind === 'raw') await bound(call.statement).raw()
    else if (call.kind === 'run') await bound(call.statement).run()
    else await bound(call.statement).all()
    return true
  } catch {
    return false
  }
}
