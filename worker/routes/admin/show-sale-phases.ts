import { and, asc, count, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import Papa from 'papaparse'
import * as v from 'valibot'
import { presaleCodes, showSalePhases, shows } from '../../db/schema.ts'
import {
  normalizePresaleCode,
  presaleCode,
  presaleCodeRequestErrors,
  type SalePhase,
  salePhaseErrors,
} from '../../domain/sale-phases.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { validate } from '../../validation.ts'
import {
  presaleCodeRevokedRecord,
  presaleCodesInput,
  presaleCodesRecord,
  salePhasesInput,
  salePhasesRecord,
} from '../contracts/admin/sale-phases.ts'
import { json } from '../openapi.ts'

// A show's presale phases and presale codes: phases are checked whole against the show's sale window, codes are
// made at random and stored as they are (the organizer exports them again as CSV when needed; each is the
// primary key, so unique). Both are pushed to the show's actor, which admits each hold (sale-phases.ts) and
// counts the uses of every code beside its seats.

const tag = 'Catalogue: shows'
const params = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  id: v.pipe(v.string(), v.maxLength(64)),
})
const MAX_CODES_PER_SHOW = 5000
// D1 binds at most 100 parameters per statement: 5 per code row.
const CODES_PER_INSERT = 20

type Db = StaffEnv['Variables']['db']

export const showSalePhaseRoutes = new Hono<StaffEnv>()

async function ownedShow(db: Db, organizerId: string, showId: string) {
  const [row] = await db
    .select({ id: shows.id, saleStartsAt: shows.saleStartsAt, saleEndsAt: shows.saleEndsAt })
    .from(shows)
    .where(and(eq(shows.id, showId), eq(shows.organizerId, organizerId)))
  if (!row) throw notFound(`show ${showId}`)
  return row
}

async function codeCount(db: Db, showId: string) {
  const [row] = await db.select({ n: count() }).from(presaleCodes).where(eq(presaleCodes.showId, showId))
  return row?.n ?? 0
}

async function readPhases(db: Db, showId: string) {
  const [row] = await db.select().from(showSalePhases).where(eq(showSalePhases.showId, showId))
  return {
    showId,
    phases: row?.phases ?? [],
    codeCount: await codeCount(db, showId),
    updatedAt: row?.updatedAt ?? null,
  }
}

showSalePhaseRoutes.get(
  '/:id/sale-phases',
  describeRoute({
    tags: [tag],
    summary: "The show's presale phases",
    responses: { 200: { description: 'Phases and how many codes', content: json(salePhasesRecord) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const show = await ownedShow(c.get('db'), organizerId, id)
    return c.json(await readPhases(c.get('db'), show.id))
  },
)

showSalePhaseRoutes.put(
  '/:id/sale-phases',
  describeRoute({
    tags: [tag],
    summary: "Set the show's presale phases (replaces them)",
    description:
      'Each phase is a window before the general sale (`saleStartsAt` of the show) open to holders of a presale code ' +
      '(`codes`), to customers of the given `memberTiers`, or both. Outside the general sale a buyer not admitted by an ' +
      'open phase is answered `not_on_sale` with `opensAt`, when the sale opens to them; a code holder holds with ' +
      '`presaleCode` (unknown: `presale_code_invalid`; past its uses: `presale_code_used_up`). One use is one hold; an ' +
      'expired or released hold (an unpaid order expiring or cancelled) gives its use back; an order refunded in full ' +
      'after payment gives it back only when the phase says `returnUseOnRefund`. In the general sale no code is needed. ' +
      'Every bad field comes back ' +
      'in one `validation` problem and nothing is saved.',
    responses: {
      200: { description: 'Saved and handed to the show inventory', content: json(salePhasesRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', salePhasesInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    const show = await ownedShow(db, organizerId, id)
    const phases: SalePhase[] = c.req.valid('json').phases
    const errors = salePhaseErrors(phases, show)
    if (errors.length) throw validationProblem(errors)
    const now = new Date().toISOString()
    await db
      .insert(showSalePhases)
      .values({ showId: show.id, organizerId, phases, updatedAt: now })
      .onConflictDoUpdate({ target: showSalePhases.showId, set: { phases, updatedAt: now } })
    await c.get('showInventory').pushConfig(db, show.id)
    return c.json(await readPhases(db, show.id))
  },
)

async function listCodes(db: Db, inventory: StaffEnv['Variables']['showInventory'], showId: string) {
  const rows = await db
    .select({ code: presaleCodes.code, maxUses: presaleCodes.maxUses, createdAt: presaleCodes.createdAt })
    .from(presaleCodes)
    .where(eq(presaleCodes.showId, showId))
    .orderBy(asc(presaleCodes.createdAt), asc(presaleCodes.code))
  const uses: Record<string, number> = rows.length ? await inventory.stub(showId).presaleUses(showId) : {}
  return rows.map((r) => ({ ...r, uses: uses[r.code] ?? 0 }))
}

showSalePhaseRoutes.post(
  '/:id/presale-codes',
  describeRoute({
    tags: [tag],
    summary: 'Make presale codes',
    description:
      '`count` new codes (1-1000, at most 5000 per show), each admitting `maxUses` holds during a phase open to codes. ' +
      'Codes are 12 characters of Crockford base32 (60 random bits); buyers may type them in any case, with spaces or ' +
      'dashes. Answers the new codes; `GET …/presale-codes.csv` exports all of them with their uses.',
    responses: {
      201: { description: 'The new codes', content: json(presaleCodesRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', presaleCodesInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    const show = await ownedShow(db, organizerId, id)
    const input = c.req.valid('json')
    const errors = presaleCodeRequestErrors(
      input.count,
      input.maxUses,
      MAX_CODES_PER_SHOW - (await codeCount(db, show.id)),
    )
    if (errors.length) throw validationProblem(errors)
    const now = new Date().toISOString()
    const made = new Set<string>()
    while (made.size < input.count) made.add(presaleCode(crypto.getRandomValues(new Uint8Array(12))))
    const rows = [...made].map((code) => ({
      code,
      showId: show.id,
      organizerId,
      maxUses: input.maxUses,
      createdAt: now,
    }))
    // One batch (one transaction): every code is saved, or none; the phases row moves so the actor takes them.
    const chunks = []
    for (let k = 0; k < rows.length; k += CODES_PER_INSERT)
      chunks.push(db.insert(presaleCodes).values(rows.slice(k, k + CODES_PER_INSERT)))
    await db.batch([
      db
        .insert(showSalePhases)
        .values({ showId: show.id, organizerId, phases: [], updatedAt: now })
        .onConflictDoUpdate({ target: showSalePhases.showId, set: { updatedAt: now } }),
      ...chunks,
    ])
    await c.get('showInventory').pushConfig(db, show.id)
    return c.json(
      {
        showId: show.id,
        codes: rows.map((r) => ({ code: r.code, maxUses: r.maxUses, uses: 0, createdAt: now })),
      },
      201,
    )
  },
)

showSalePhaseRoutes.get(
  '/:id/presale-codes',
  describeRoute({
    tags: [tag],
    summary: "The show's presale codes with their uses",
    responses: { 200: { description: 'Every code', content: json(presaleCodesRecord) } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const show = await ownedShow(c.get('db'), organizerId, id)
    return c.json({ showId: show.id, codes: await listCodes(c.get('db'), c.get('showInventory'), show.id) })
  },
)

showSalePhaseRoutes.get(
  '/:id/presale-codes.csv',
  describeRoute({
    tags: [tag],
    summary: "Export the show's presale codes as CSV",
    description:
      '`code,maxUses,uses,createdAt`, one code per line (UTF-8 with a byte order mark, for Excel).',
    responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } } },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const show = await ownedShow(c.get('db'), organizerId, id)
    const codes = await listCodes(c.get('db'), c.get('showInventory'), show.id)
    const csv = Papa.unparse(
      {
        fields: ['code', 'maxUses', 'uses', 'createdAt'],
        data: codes.map((r) => [r.code, r.maxUses, r.uses, r.createdAt]),
      },
      { newline: '\r\n' },
    )
    return c.body(`\uFEFF${csv}\r\n`, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="presale-codes-${show.id}.csv"`,
    })
  },
)

showSalePhaseRoutes.delete(
  '/:id/presale-codes/:code',
  describeRoute({
    tags: [tag],
    summary: 'Revoke a presale code',
    description:
      'The code admits no more holds from now on (`presale_code_invalid`); holds and orders it already admitted stay. ' +
      'The code may be given in any case, with spaces or dashes.',
    responses: {
      200: { description: 'Revoked', content: json(presaleCodeRevokedRecord) },
      404: { description: 'The show has no such code (`not_found`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', v.object({ ...params.entries, code: v.pipe(v.string(), v.maxLength(40)) })),
  async (c) => {
    const { organizerId, id, code: typed } = c.req.valid('param')
    const db = c.get('db')
    const show = await ownedShow(db, organizerId, id)
    const code = normalizePresaleCode(typed)
    const now = new Date().toISOString()
    // The phases row moves with the delete, so the actor takes the smaller set of codes.
    const [removed] = await db.batch([
      db
        .delete(presaleCodes)
        .where(and(eq(presaleCodes.showId, show.id), eq(presaleCodes.code, code)))
        .returning({ code: presaleCodes.code }),
      db.update(showSalePhases).set({ updatedAt: now }).where(eq(showSalePhases.showId, show.id)),
    ])
    if (!removed.length) throw notFound(`presale code ${code}`)
    await c.get('showInventory').pushConfig(db, show.id)
    return c.json({ showId: show.id, code, codeCount: await codeCount(db, show.id) })
  },
)
