import { and, asc, count, eq, gt, sql } from 'drizzle-orm'
import Papa from 'papaparse'
import type { Database } from '../../db/client.ts'
import { couponCodes, couponRedemptions, coupons, orders } from '../../db/schema.ts'
import { displayCode, singleUseCode } from '../../domain/coupons.ts'
import { newId } from '../../ids.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { isUniqueViolation } from '../orders/batch.ts'
import { couponRow } from './records.ts'
import { liveUse } from './uses.ts'

export const MAX_CODES_PER_BATCH = 10_000
export const MAX_CODES_PER_COUPON = 100_000
// One statement inserts a slice of codes from one JSON parameter (D1 binds at most 100 parameters a statement, so
// row-per-parameter inserts would need 500 statements for 10,000 codes); the slices go in one batch: all or none.
const CODES_PER_STATEMENT = 2_000

/** Makes `count` single-use codes for a coupon (crypto random, Crockford base32, unique per organizer). */
export async function generateCodes(
  db: Database,
  organizerId: string,
  couponId: string,
  count_: number,
): Promise<{ batchId: string; count: number }> {
  await couponRow(db, organizerId, couponId)
  const [existing] = await db
    .select({ n: count() })
    .from(couponCodes)
    .where(and(eq(couponCodes.couponId, couponId), eq(couponCodes.kind, 'single')))
  const room = MAX_CODES_PER_COUPON - (existing?.n ?? 0)
  if (!Number.isInteger(count_) || count_ < 1 || count_ > Math.min(MAX_CODES_PER_BATCH, room))
    throw validationProblem([
      {
        path: 'json.count',
        message: `must be a whole number from 1 to ${Math.min(MAX_CODES_PER_BATCH, room)}`,
      },
    ])
  // 60 random bits a code: a clash with an existing code is ~1e-8 even at 100,000 codes; then we draw again.
  for (let attempt = 0; ; attempt++) {
    const made = new Set<string>()
    while (made.size < count_) made.add(singleUseCode(crypto.getRandomValues(new Uint8Array(12))))
    const batchId = newId('ccb')
    const now = new Date().toISOString()
    const codes = [...made]
    const statements = []
    for (let k = 0; k < codes.length; k += CODES_PER_STATEMENT) {
      const slice = JSON.stringify(codes.slice(k, k + CODES_PER_STATEMENT))
      // Ids: the batch id and the code's position keep them unique and ordered by the batch.
      statements.push(
        // Every column, in the table's order (drizzle names them all for an INSERT … SELECT).
        db.insert(couponCodes).select(
          sql`SELECT ${`${batchId}_`} || printf('%05d', ${k} + key), ${couponId}, ${organizerId}, value, 'single',
            ${batchId}, NULL, NULL, NULL, ${now} FROM json_each(${slice})`,
        ),
      )
    }
    try {
      await db.batch(statements as [(typeof statements)[0], ...typeof statements])
      return { batchId, count: codes.length }
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 2) throw error
    }
  }
}

/** Every code of a coupon as CSV (`code,kind,batch,uses,createdAt`), UTF-8 with a byte order mark for Excel. */
export async function codesCsv(db: Database, organizerId: string, couponId: string): Promise<string> {
  await couponRow(db, organizerId, couponId)
  const data: (string | number)[][] = []
  // Live uses by code: at most one row per use, far fewer than the codes.
  const uses = new Map<string, number>()
  const counted = await db
    .select({ codeId: couponRedemptions.codeId, n: count() })
    .from(couponRedemptions)
    .innerJoin(orders, eq(orders.id, couponRedemptions.orderId))
    .where(and(eq(couponRedemptions.couponId, couponId), liveUse))
    .groupBy(couponRedemptions.codeId)
  for (const row of counted) uses.set(row.codeId, row.n)
  // Keyset pages of 5,000: a coupon's codes can outgrow one query's comfortable size.
  for (let after = ''; ; ) {
    const rows = await db
      .select({
        id: couponCodes.id,
        code: couponCodes.code,
        kind: couponCodes.kind,
        batchId: couponCodes.batchId,
        createdAt: couponCodes.createdAt,
      })
      .from(couponCodes)
      .where(and(eq(couponCodes.couponId, couponId), gt(couponCodes.id, after)))
      .orderBy(asc(couponCodes.id))
      .limit(5_000)
    for (const r of rows)
      if (r.kind !== 'retired')
        data.push([displayCode(r.code), r.kind, r.batchId ?? '', uses.get(r.id) ?? 0, r.createdAt])
    if (rows.length < 5_000) break
    after = rows.at(-1)!.id
  }
  const csv = Papa.unparse(
    { fields: ['code', 'kind', 'batch', 'uses', 'createdAt'], data },
    { newline: '\r\n' },
  )
  return `\uFEFF${csv}\r\n`
}

/**
 * Grants a coupon to one signed-in customer ("my coupons"): a code only they can use, once. `key` makes it
 * idempotent (e.g. `refund:<refundId>`, `referral:<orderId>`): granting again with the same key answers the same code.
 */
export async function grantCoupon(
  db: Database,
  grant: { organizerId: string; couponId: string; customerId: string; source: string; key: string },
): Promise<{ codeId: string; code: string }> {
  const [coupon] = await db
    .select({ id: coupons.id })
    .from(coupons)
    .where(and(eq(coupons.id, grant.couponId), eq(coupons.organizerId, grant.organizerId)))
  if (!coupon) throw notFound(`coupon ${grant.couponId}`)
  const code = singleUseCode(crypto.getRandomValues(new Uint8Array(12)))
  await db
    .insert(couponCodes)
    .values({
      id: newId('ccd'),
      couponId: grant.couponId,
      organizerId: grant.organizerId,
      code,
      kind: 'grant',
      customerId: grant.customerId,
      grantSource: grant.source,
      grantKey: grant.key,
    })
    .onConflictDoNothing({ target: couponCodes.grantKey })
  const [row] = await db
    .select({ codeId: couponCodes.id, code: couponCodes.code })
    .from(couponCodes)
    .where(eq(couponCodes.grantKey, grant.key))
  return row!
}
