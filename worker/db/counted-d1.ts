/**
 * A D1 binding that counts the calls made through it (a statement run, or a batch: one round trip each), for the
 * development counters of background work (`GET /api/dev/outbox-kicks`). Everything else passes through.
 */
export interface D1CallCount {
  calls: number
}

class CountedStatement {
  constructor(
    readonly count: D1CallCount,
    readonly inner: D1PreparedStatement,
  ) {}
  bind(...values: unknown[]) {
    return new CountedStatement(this.count, this.inner.bind(...values))
  }
  all<T>() {
    this.count.calls++
    return this.inner.all<T>()
  }
  run<T>() {
    this.count.calls++
    return this.inner.run<T>()
  }
  first(column?: string) {
    this.count.calls++
    return column ? this.inner.first(column) : this.inner.first()
  }
  raw(options?: { columnNames?: boolean }) {
    this.count.calls++
    return options?.columnNames ? this.inner.raw({ columnNames: true }) : this.inner.raw()
  }
}

class CountedD1 {
  constructor(
    readonly count: D1CallCount,
    readonly inner: D1Database,
  ) {}
  prepare(query: string) {
    return new CountedStatement(this.count, this.inner.prepare(query))
  }
  batch(statements: CountedStatement[]) {
    this.count.calls++
    return this.inner.batch(statements.map((s) => s.inner))
  }
  exec(query: string) {
    this.count.calls++
    return this.inner.exec(query)
  }
  dump() {
    return this.inner.dump()
  }
}

/** One counted binding per binding and count, so `openDatabase` keeps one drizzle handle for it per isolate. */
const counted = new WeakMap<D1Database, WeakMap<D1CallCount, D1Database>>()

export function countedD1(d1: D1Database, count: D1CallCount): D1Database {
  const byCount = counted.get(d1) ?? new WeakMap<D1CallCount, D1Database>()
  counted.set(d1, byCount)
  const wrapped = byCount.get(count) ?? (new CountedD1(count, d1) as unknown as D1Database)
  byCount.set(count, wrapped)
  return wrapped
}
