import { and, count, desc, eq, inArray, lt } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { couponCodes, coupons } from '../../db/schema.ts'
import {
  type CouponRules,
  type CouponRulesInput,
  couponRuleErrors,
  emptyScope,
  isPublicCode,
  normalizeCouponCode,
} from '../../domain/coupons.ts'
import { newId } from '../../ids.ts'
import { notFound, Problem, validationProblem } from '../../problem.ts'
import { isUniqueViolation, runBatch, type Statement } from '../orders/batch.ts'
import { type UseCounters, useCounters } from './uses.ts'

export type CouponRow = typeof coupons.$inferSelect

export interface CouponInput extends CouponRulesInput {
  title: string
  titleEn: string | null
  /** The coupon's public code, if it has one (SPRING2026); single-use codes come in batches. */
  code: string | null
  disabled?: boolean
}

export interface CouponRecord extends CouponRules {
  id: string
  organizerId: string
  title: string
  titleEn: string | null
  code: string | null
  disabled: boolean
  singleUseCodes: number
  counters: UseCounters & { remaining: number | null }
  createdAt: string
  updatedAt: string
}

export const rulesOf = (row: CouponRow): CouponRules => ({
  kind: row.kind,
  amountOff: row.amountOff,
  minSpend: row.minSpend,
  percentOff: row.percentOff,
  maxOff: row.maxOff,
  ticketPrice: row.ticketPrice,
  scope: { ...emptyScope(), ...row.scope },
  startsAt: row.startsAt,
  endsAt: row.endsAt,
  totalCap: row.totalCap,
  perCustomerCap: row.perCustomerCap,
  stacksWithMember: row.stacksWithMember,
  returnOnRefund: row.returnOnRefund,
})

function checked(input: CouponInput) {
  const errors = couponRuleErrors(input)
  const code = input.code ? normalizeCouponCode(input.code) : null
  if (code !== null && !isPublicCode(code))
    errors.push({ path: 'json.code', message: 'a code is 4 to 32 letters and digits' })
  if (!input.title.trim())
    errors.push({ path: 'json.title', message: 'give the coupon a title buyers will see' })
  if (errors.length) throw validationProblem(errors)
  const { scope, ...rules } = input
  return {
    code,
    values: {
      title: input.title.trim(),
      titleEn: input.titleEn?.trim() || null,
      kind: rules.kind,
      amountOff: rules.amountOff,
      minSpend: rules.minSpend,
      percentOff: rules.percentOff,
      maxOff: rules.maxOff,
      ticketPrice: rules.ticketPrice,
      scope: { ...emptyScope(), ...scope },
      startsAt: rules.startsAt ? new Date(rules.startsAt).toISOString() : null,
      endsAt: rules.endsAt ? new Date(rules.endsAt).toISOString() : null,
      totalCap: rules.totalCap,
      perCustomerCap: rules.perCustomerCap,
      stacksWithMember: rules.stacksWithMember,
      returnOnRefund: rules.returnOnRefund,
    },
  }
}

const codeTaken = (code: string) =>
  new Problem({
    code: 'validation',
    detail: 'The code is already in use',
    extensions: { errors: [{ path: 'json.code', message: `${code} is already a code of this organizer` }] },
  })

export async function createCoupon(
  db: Database,
  organizerId: string,
  input: CouponInput,
): Promise<CouponRecord> {
  const { code, values } = checked(input)
  const id = newId('cpn')
  const now = new Date().toISOString()
  try {
    await db.batch([
      db.insert(coupons).values({
        id,
        organizerId,
        ...values,
        disabledAt: input.disabled ? now : null,
        createdAt: now,
        updatedAt: now,
      }),
      ...(code
        ? [
            db
              .insert(couponCodes)
              .values({ id: newId('ccd'), couponId: id, organizerId, code, kind: 'public' }),
          ]
        : []),
    ])
  } catch (error) {
    if (code && isUniqueViolation(error)) throw codeTaken(code)
    throw error
  }
  return readCoupon(db, organizerId, id)
}

/** Replaces a coupon's rules. Uses already made keep what they took; a public code may be set or changed. */
export async function updateCoupon(
  db: Database,
  organizerId: string,
  id: string,
  input: CouponInput,
): Promise<CouponRecord> {
  const existing = await couponRow(db, organizerId, id)
  const { code, values } = checked(input)
  const now = new Date().toISOString()
  const [current] = await db
    .select({ id: couponCodes.id, code: couponCodes.code })
    .from(couponCodes)
    .where(and(eq(couponCodes.couponId, id), eq(couponCodes.kind, 'public')))
  const statements: Statement[] = [
    db
      .update(coupons)
      .set({
        ...values,
        disabledAt: input.disabled ? (existing.disabledAt ?? now) : null,
        updatedAt: now,
      })
      .where(eq(coupons.id, id)),
  ]
  if (code && current?.code !== code) {
    // A changed public code: the old one stops working (its past uses keep their rows by code id).
    if (current)
      statements.push(
        db
          .update(couponCodes)
          .set({ kind: 'retired', code: `~${current.id}` })
          .where(eq(couponCodes.id, current.id)),
      )
    statements.push(
      db.insert(couponCodes).values({ id: newId('ccd'), couponId: id, organizerId, code, kind: 'public' }),
    )
  }
  try {
    await runBatch(db, statements)
  } catch (error) {
    if (code && isUniqueViolation(error)) throw codeTaken(code)
    throw error
  }
  return readCoupon(db, organizerId, id)
}

export async function couponRow(db: Database, organizerId: string, id: string): Promise<CouponRow> {
  const [row] = await db
    .select()
    .from(coupons)
    .where(and(eq(coupons.id, id), eq(coupons.organizerId, organizerId)))
  if (!row) throw notFound(`coupon ${id}`)
  return row
}

export async function readCoupon(db: Database, organizerId: string, id: string): Promise<CouponRecord> {
  const [record] = await records(db, [await couponRow(db, organizerId, id)])
  return record!
}

/** An organizer's coupons, newest first, with their use counters (keyset pages by id). */
export async function listCoupons(
  db: Database,
  organizerId: string,
  page: { limit: number; cursor?: string },
): Promise<{ items: CouponRecord[]; nextCursor: string | null }> {
  const rows = await db
    .select()
    .from(coupons)
    .where(and(eq(coupons.organizerId, organizerId), page.cursor ? lt(coupons.id, page.cursor) : undefined))
    .orderBy(desc(coupons.id))
    .limit(page.limit + 1)
  const items = await records(db, rows.slice(0, page.limit))
  return { items, nextCursor: rows.length > page.limit ? items.at(-1)!.id : null }
}

async function records(db: Database, rows: CouponRow[]): Promise<CouponRecord[]> {
  const ids = rows.map((r) => r.id)
  const counters = await useCounters(db, ids)
  const codes = ids.length
    ? await db
        .select({
          couponId: couponCodes.couponId,
          code: couponCodes.code,
          kind: couponCodes.kind,
          n: count(),
        })
        .from(couponCodes)
        .where(and(inArray(couponCodes.couponId, ids), inArray(couponCodes.kind, ['public', 'single'])))
        .groupBy(couponCodes.couponId, couponCodes.kind)
    : []
  return rows.map((row) => {
    const c = counters.get(row.id) ?? { reserved: 0, used: 0, returned: 0 }
    return {
      id: row.id,
      organizerId: row.organizerId,
      title: row.title,
      titleEn: row.titleEn,
      ...rulesOf(row),
      code: codes.find((k) => k.couponId === row.id && k.kind === 'public')?.code ?? null,
      disabled: row.disabledAt !== null,
      singleUseCodes: codes.find((k) => k.couponId === row.id && k.kind === 'single')?.n ?? 0,
      counters: {
        ...c,
        remaining: row.totalCap === null ? null : Math.max(0, row.totalCap - c.reserved - c.used),
      },
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    }
  })
}
