import type { GroupBuyStatus, GroupBuyTerms, MemberStatus } from './contract.ts'
import type { GroupState, Member } from './rules.ts'

// The group's SQLite storage (layout: ./migrations.ts). The state is small (one group, at most a few dozen
// members), so every step reads it afresh with `load()` instead of keeping a copy that could drift from storage.
// Each write is guarded on the state it was decided on (`WHERE status IN (…)`): a step that awaited something
// in between finds out that another one changed the member or group meanwhile, and does nothing.

interface MemberRow {
  id: string
  buyer_id: string
  customer_id: string | null
  role: 'leader' | 'member'
  quantity: number
  status: MemberStatus
  hold_id: string | null
  order_id: string | null
  pay_by: number
  joined_at: number
  done: number
  seat_ids: string
}

const inList = (values: readonly string[]) => values.map(() => '?').join(',')

export class GroupStore {
  constructor(private readonly sql: SqlStorage) {}

  /** The group's state, or null before it started. */
  load(): GroupState | null {
    const [row] = this.sql
      .exec<{ json: string; status: string; virtual: number; outcome_recorded: number }>(
        'SELECT json, status, virtual, outcome_recorded FROM terms WHERE id = 1',
      )
      .toArray()
    if (!row) return null
    const members = this.sql
      .exec<Record<string, SqlStorageValue>>('SELECT * FROM members ORDER BY joined_at, id')
      .toArray() as unknown as MemberRow[]
    return {
      terms: JSON.parse(row.json) as GroupBuyTerms,
      status: row.status as GroupBuyStatus,
      virtual: Boolean(row.virtual),
      recorded: Boolean(row.outcome_recorded),
      members: members.map(toMember),
    }
  }

  create(terms: GroupBuyTerms) {
    this.sql.exec("INSERT INTO terms (id, json, status) VALUES (1, ?, 'forming')", JSON.stringify(terms))
  }

  /** Moves the group to `to` only if it is still in one of `from`. */
  setStatus(from: GroupBuyStatus[], to: GroupBuyStatus, virtual = false): boolean {
    return (
      this.sql.exec(
        `UPDATE terms SET status = ?, virtual = ? WHERE id = 1 AND status IN (${inList(from)})`,
        to,
        virtual ? 1 : 0,
        ...from,
      ).rowsWritten > 0
    )
  }

  markOutcomeRecorded() {
    this.sql.exec('UPDATE terms SET outcome_recorded = 1 WHERE id = 1')
  }

  addMember(m: Member) {
    this.sql.exec(
      `INSERT INTO members (id, buyer_id, customer_id, role, quantity, status, pay_by, joined_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      m.id,
      m.buyerId,
      m.customerId,
      m.role,
      m.quantity,
      m.status,
      m.payBy,
      m.joinedAt,
    )
  }

  /** Gives a place that never got its order back, as if it had never been taken. */
  removeJoining(memberId: string): boolean {
    return this.sql.exec("DELETE FROM members WHERE id = ? AND status = 'joining'", memberId).rowsWritten > 0
  }

  setHeldSeats(memberId: string, holdId: string, seatIds: string[]) {
    this.sql.exec(
      'UPDATE members SET hold_id = ?, seat_ids = ? WHERE id = ?',
      holdId,
      JSON.stringify(seatIds),
      memberId,
    )
  }

  /** The place got its order: the member now waits for their payment. */
  seat(memberId: string, orderId: string): boolean {
    return (
      this.sql.exec(
        "UPDATE members SET status = 'awaiting_payment', order_id = ? WHERE id = ? AND status = 'joining'",
        orderId,
        memberId,
      ).rowsWritten > 0
    )
  }

  /** Moves a member between statuses only if it is still in one of `from`; `done` once its settlement is over. */
  move(memberId: string, from: readonly MemberStatus[], to: MemberStatus, done = false): boolean {
    return (
      this.sql.exec(
        `UPDATE members SET status = ?, done = ? WHERE id = ? AND status IN (${inList(from)})`,
        to,
        done ? 1 : 0,
        memberId,
        ...from,
      ).rowsWritten > 0
    )
  }
}

const toMember = (row: MemberRow): Member => ({
  id: row.id,
  buyerId: row.buyer_id,
  customerId: row.customer_id,
  role: row.role,
  quantity: Number(row.quantity),
  status: row.status,
  holdId: row.hold_id,
  orderId: row.order_id,
  payBy: Number(row.pay_by),
  joinedAt: Number(row.joined_at),
  done: Boolean(row.done),
  seatIds: JSON.parse(row.seat_ids) as string[],
})
