import { DurableObject } from 'cloudflare:workers'

/** Baseline: the straightforward actor — one RPC per hold, one SELECT then INSERT/UPDATE, no batching, no memory. */
export class NaiveShowInventory extends DurableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env as never)
    ctx.storage.sql.exec(`
      CREATE TABLE IF NOT EXISTS seats (id TEXT PRIMARY KEY, holder TEXT);
      CREATE TABLE IF NOT EXISTS holds (id TEXT PRIMARY KEY, holder TEXT NOT NULL, seats TEXT NOT NULL);`)
  }

  async load(seatIds: string[]) {
    this.ctx.storage.transactionSync(() => {
      for (const id of seatIds) this.ctx.storage.sql.exec('INSERT OR IGNORE INTO seats (id) VALUES (?)', id)
    })
    return seatIds.length
  }

  async hold(seatIds: string[], holder: string): Promise<boolean> {
    const marks = seatIds.map(() => '?').join(',')
    const [taken] = this.ctx.storage.sql
      .exec<{ n: number }>(
        `SELECT count(*) AS n FROM seats WHERE id IN (${marks}) AND holder IS NOT NULL`,
        ...seatIds,
      )
      .toArray()
    if ((taken?.n ?? 1) > 0) return false
    const id = crypto.randomUUID()
    this.ctx.storage.sql.exec(
      'INSERT INTO holds (id, holder, seats) VALUES (?, ?, ?)',
      id,
      holder,
      JSON.stringify(seatIds),
    )
    this.ctx.storage.sql.exec(`UPDATE seats SET holder = ? WHERE id IN (${marks})`, id, ...seatIds)
    return true
  }

  async heldSeats(): Promise<number> {
    return this.ctx.storage.sql
      .exec<{ n: number }>('SELECT count(*) AS n FROM seats WHERE holder IS NOT NULL')
      .one().n
  }
}
