// Points (积分) and member tiers: the pure rules. The ledger is append-only; a member's balance and debt are the
// sums of its rows, and which points expire when comes from replaying the rows oldest first (FIFO by expiry).
//
// Rounding (integers only, documented here once):
// - earning: floor(paid minor units × earnPerYuan / 100) points; a fraction of a point is never earned;
// - redeeming: N points are worth floor(N × 100 / pointsPerYuan) minor units; the buyer is charged the fewest
//   points that buy that amount, ceil(amount × pointsPerYuan / 100), never more than they asked for;
// - the cap: at most floor(remaining total × maxRedeemPercent / 100) minor units of an order are paid in points;
// - refunds: after refunds totalling C of an order paid T, floor(earned × C / T) points are reversed and
//   floor(redeemed × C / T) points given back, in all; each refund takes the difference to what came before, so
//   a full refund reverses and returns exactly what the order earned and spent.

export const pointsEntryKinds = [
  'earn',
  'redeem',
  'redeem_returned',
  'reverse',
  'debt_settled',
  'expire',
  'adjust',
] as const
export type PointsEntryKind = (typeof pointsEntryKinds)[number]

export interface PointsRules {
  earnPerYuan: number
  pointsPerYuan: number
  maxRedeemPercent: number
  /** Points expire at the end of the Nth calendar year after the year they came in (Beijing time); 0: never. */
  expiryYears: number
}

export interface PointsEntry {
  id: string
  seq: number
  kind: PointsEntryKind
  /** Change of the balance. */
  points: number
  /** Change of the debt (a reversal larger than the balance). */
  debt: number
  /** When what is left of a row that added points expires; null never. */
  expiresAt: string | null
}

export interface PointsState {
  balance: number
  debt: number
  /** Points still held, by the row they came in with, soonest to expire first. */
  lots: { id: string; left: number; expiresAt: string | null }[]
}

export const pointsEarned = (paid: number, rules: PointsRules | null): number =>
  rules ? Math.floor((paid * rules.earnPerYuan) / 100) : 0

export const pointsValue = (points: number, rules: PointsRules): number =>
  Math.floor((points * 100) / rules.pointsPerYuan)

export const pointsFor = (amount: number, rules: PointsRules): number =>
  Math.ceil((amount * rules.pointsPerYuan) / 100)

/** The most an order whose lines still cost `remaining` lets points pay, minor units. */
export const redeemCap = (remaining: number, rules: PointsRules): number =>
  Math.floor((remaining * rules.maxRedeemPercent) / 100)

/**
 * What a buyer asking to redeem `requested` points gets off an order still costing `remaining`: the points taken
 * and the amount, or `insufficient` when they ask for more than they hold. Asking for more than the cap gets the cap.
 */
export function redemption(
  requested: number,
  balance: number,
  remaining: number,
  rules: PointsRules,
): { points: number; amount: number } | 'insufficient' {
  if (requested > balance) return 'insufficient'
  const amount = Math.min(pointsValue(requested, rules), redeemCap(remaining, rules))
  if (amount <= 0) return { points: 0, amount: 0 }
  return { points: pointsFor(amount, rules), amount }
}

/** The largest number of points worth redeeming on an order still costing `remaining` (the shop's toggle). */
export function usablePoints(balance: number, remaining: number, rules: PointsRules): number {
  const amount = Math.min(pointsValue(balance, rules), redeemCap(remaining, rules))
  return amount > 0 ? pointsFor(amount, rules) : 0
}

/** A cumulative proportional share: floor(whole × part / of), bounded to [0, whole]. */
export function shareOf(whole: number, part: number, of: number): number {
  if (of <= 0 || whole <= 0) return 0
  return Math.max(0, Math.min(whole, Math.floor((whole * Math.min(part, of)) / of)))
}

/** 00:00 Beijing time on 1 January of the year after the Nth year following `at`'s (Beijing) year; null: never. */
export function pointsExpiry(at: Date, years: number): string | null {
  if (years <= 0) return null
  const beijingYear = new Date(at.getTime() + 8 * 3600_000).getUTCFullYear()
  return new Date(Date.UTC(beijingYear + years + 1, 0, 1) - 8 * 3600_000).toISOString()
}

/** Replays a member's rows in `seq` order: points in make lots, points out take from the lot that expires first. */
export function ledgerState(entries: readonly PointsEntry[]): PointsState {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq)
  const lots: PointsState['lots'] = []
  let balance = 0
  let debt = 0
  for (const entry of sorted) {
    balance += entry.points
    debt += entry.debt
    if (balance < 0 || debt < 0) throw new RangeError(`points ledger below zero at ${entry.id}`)
    if (entry.points > 0) {
      lots.push({ id: entry.id, left: entry.points, expiresAt: entry.expiresAt })
      lots.sort(byExpiry)
    } else {
      let out = -entry.points
      for (const lot of lots) {
        if (out === 0) break
        const take = Math.min(lot.left, out)
        lot.left -= take
        out -= take
      }
    }
  }
  return { balance, debt, lots: lots.filter((lot) => lot.left > 0) }
}

/** Points whose expiry has passed at `now` and that are still held. */
export function expiredPoints(state: PointsState, now: Date): number {
  const at = now.toISOString()
  return state.lots.reduce((sum, lot) => sum + (lot.expiresAt && lot.expiresAt <= at ? lot.left : 0), 0)
}

/** Points still held that expire by `until` (the member page's "expiring soon"). */
export function expiringBy(state: PointsState, until: Date): { points: number; at: string | null } {
  const limit = until.toISOString()
  const due = state.lots.filter((lot) => lot.expiresAt && lot.expiresAt <= limit)
  return { points: due.reduce((sum, lot) => sum + lot.left, 0), at: due[0]?.expiresAt ?? null }
}

function byExpiry(a: { expiresAt: string | null }, b: { expiresAt: string | null }) {
  if (a.expiresAt === b.expiresAt) return 0
  if (a.expiresAt === null) return 1
  if (b.expiresAt === null) return -1
  return a.expiresAt < b.expiresAt ? -1 : 1
}

export interface TierRule {
  id: string
  minSpend: number | null
  minPoints: number | null
}

/**
 * The member's tier: of the tiers whose spend or points threshold the last 12 months reach, the one with the
 * highest threshold (tiers are listed lowest first); a tier with neither threshold is everybody's.
 */
export function tierFor<T extends TierRule>(
  tiers: readonly T[],
  last12Months: { spend: number; points: number },
): T | null {
  let best: T | null = null
  for (const tier of tiers) {
    const bySpend = tier.minSpend !== null && last12Months.spend >= tier.minSpend
    const byPoints = tier.minPoints !== null && last12Months.points >= tier.minPoints
    const open = tier.minSpend === null && tier.minPoints === null
    if (open || bySpend || byPoints) best = tier
  }
  return best
}

/** The next tier up and what is still missing to reach it by spend and by points. */
export function nextTier<T extends TierRule>(
  tiers: readonly T[],
  current: T | null,
  last12Months: { spend: number; points: number },
): { tier: T; spendToGo: number | null; pointsToGo: number | null } | null {
  const at = current ? tiers.indexOf(current) : -1
  const tier = tiers[at + 1]
  if (!tier) return null
  return {
    tier,
    spendToGo: tier.minSpend === null ? null : Math.max(0, tier.minSpend - last12Months.spend),
    pointsToGo: tier.minPoints === null ? null : Math.max(0, tier.minPoints - last12Months.points),
  }
}

/** Field errors for an organizer's tiers (listed lowest first): codes unique, thresholds rising. */
export function tierErrors(
  tiers: readonly {
    code: string
    name: string
    minSpend: number | null
    minPoints: number | null
    discountPercent: number
  }[],
): { path: string; message: string }[] {
  const errors: { path: string; message: string }[] = []
  const codes = new Set<string>()
  tiers.forEach((tier, i) => {
    if (codes.has(tier.code))
      errors.push({ path: `tiers.${i}.code`, message: 'each tier needs its own code' })
    codes.add(tier.code)
    if (!tier.name.trim()) errors.push({ path: `tiers.${i}.name`, message: 'name the tier' })
    const before = tiers[i - 1]
    if (before && tier.minSpend !== null && before.minSpend !== null && tier.minSpend <= before.minSpend)
      errors.push({
        path: `tiers.${i}.minSpend`,
        message: 'a higher tier needs a higher spend than the one below',
      })
    if (before && tier.minPoints !== null && before.minPoints !== null && tier.minPoints <= before.minPoints)
      errors.push({
        path: `tiers.${i}.minPoints`,
        message: 'a higher tier needs more points than the one below',
      })
  })
  return errors
}
