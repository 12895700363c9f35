// Downloads of reports and of the long lists (orders, attendees, OTA settlement) as CSV or XLSX, written while
// they are read (worker/services/exports/table-stream.ts). A report export answers the report route's own JSON
// turned into tables, so the file and the dashboard never disagree.
import { and, eq } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { organizers, scenicSites, shows } from '../../db/schema.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, Problem, validationProblem } from '../../problem.ts'
import { heading } from '../../services/exports/labels.ts'
import { reportTables } from '../../services/exports/report-tables.ts'
import { exportResponse } from '../../services/exports/table-stream.ts'
import { validate } from '../../validation.ts'
import { isoDate } from '../query.ts'
import {
  attendeeColumns,
  attendeePages,
  headings,
  orderColumns,
  orderPages,
  settlementColumns,
  settlementPages,
} from './export-lists.ts'

const tag = 'Organizer exports'
const dayMs = 86_400_000
const maxDays = 366
const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
const fileContent = {
  'text/csv': { schema: { type: 'string' as const } },
  [xlsxType]: { schema: { type: 'string' as const, format: 'binary' } },
}

const calendarDay = v.pipe(
  isoDate,
  v.check((s) => {
    const day = new Date(`${s}T00:00:00Z`)
    return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) === s
  }, 'must be a real calendar day'),
)
const id = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64)))
const fileQuery = {
  format: v.optional(v.picklist(['csv', 'xlsx']), 'csv'),
  lang: v.optional(v.picklist(['zh-CN', 'en']), 'zh-CN'),
}
const listQuery = v.object({
  ...fileQuery,
  from: v.optional(calendarDay),
  to: v.optional(calendarDay),
  eventId: id,
  showId: id,
  siteId: id,
  channel: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(40))),
})
const params = v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)) })

const shanghaiDay = (days = 0) =>
  new Date(Date.now() + 8 * 3_600_000 + days * dayMs).toISOString().slice(0, 10)
const dayStartUtc = (date: string) => new Date(Date.parse(`${date}T00:00:00+08:00`)).toISOString()

/** China calendar days `from`..`to` (default the last 30) as UTC instants [start, end), at most a year. */
function range(q: { from?: string | undefined; to?: string | undefined }) {
  const from = q.from ?? shanghaiDay(-29)
  const to = q.to ?? shanghaiDay(0)
  const days = (Date.parse(to) - Date.parse(from)) / dayMs
  if (days < 0) throw validationProblem([{ path: 'query.to', message: 'must not be before from' }])
  if (days >= maxDays)
    throw validationProblem([{ path: 'query.to', message: `at most ${maxDays} days after from` }])
  return {
    from,
    to,
    start: dayStartUtc(from),
    end: new Date(Date.parse(dayStartUtc(to)) + dayMs).toISOString(),
  }
}

async function currencyOf(db: StaffEnv['Variables']['db'], organizerId: string) {
  const [row] = await db
    .select({ currency: organizers.currency })
    .from(organizers)
    .where(eq(organizers.id, organizerId))
  if (!row) throw notFound(`organizer ${organizerId}`)
  return row.currency
}

type AppFetch = (
  request: Request,
  env: StaffEnv['Bindings'],
  ctx: Context['executionCtx'],
) => Promise<Response>
let wholeApp: AppFetch | null = null
/** The app that mounts these routes (set by worker/routes/index.ts: importing it here would be a cycle). */
export function answerReportsWith(fetch: AppFetch) {
  wholeApp = fetch
}

export const exportRoutes = new Hono<StaffEnv>()

/** The long lists over a date range: one route each, the same query, paging and file handling. */
const dateRangeLists = [
  {
    path: '/orders',
    file: 'orders',
    sheet: { 'zh-CN': '订单', en: 'Orders' },
    columns: orderColumns,
    pages: orderPages,
    summary: 'The orders placed in a date range (default: the last 30 days), as CSV or XLSX',
    description:
      'Streamed: rows are read from the database a page at a time while the file is being downloaded. Money in ' +
      'major units of the organizer’s currency; CSV starts with a UTF-8 byte-order mark for Excel.',
  },
  {
    path: '/settlement',
    file: 'settlement',
    // 渠道结算: what each sales channel (OTA partner) owes; 分销 is the distributor programme, a different thing.
    sheet: { 'zh-CN': '渠道结算', en: 'Settlement' },
    columns: settlementColumns,
    pages: settlementPages,
    summary: 'OTA settlement: every line partners sold in a date range, whether it was used and what is owed',
    description:
      'Lines of partner orders paid in the range; `owed` is the price of a line that was redeemed and not ' +
      'refunded. Streamed like the order export.',
  },
] as const

for (const list of dateRangeLists)
  exportRoutes.get(
    list.path,
    describeRoute({
      tags: [tag],
      summary: list.summary,
      description: list.description,
      responses: {
        200: { description: 'The file', content: fileContent },
        400: { description: '`from`/`to` invalid, reversed or more than a year apart' },
      },
    }),
    requireOrganizerRole('owner', 'manager'),
    validate('param', params),
    validate('query', listQuery),
    async (c) => {
      const { organizerId } = c.req.valid('param')
      const q = c.req.valid('query')
      const r = range(q)
      const db = c.get('db')
      const currency = await currencyOf(db, organizerId)
      const pages = list.pages(db, { organizerId, ...r, ...q })
      return exportResponse(q.format, `${list.file}-${r.from}-${r.to}`, [
        { name: list.sheet[q.lang], header: headings(list.columns, q.lang, currency), pages },
      ])
    },
  )

exportRoutes.get(
  '/attendees',
  describeRoute({
    tags: [tag],
    summary: 'The check-in list of a show (`showId`) or of a scenic site’s day (`siteId` and `date`)',
    responses: {
      200: { description: 'The file', content: fileContent },
      400: { description: 'Neither a show nor a site and day given' },
      404: { description: 'No such show or site for this organizer' },
    },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', params),
  validate('query', v.object({ ...fileQuery, showId: id, siteId: id, date: v.optional(calendarDay) })),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const q = c.req.valid('query')
    const db = c.get('db')
    let scope: { showId: string } | { siteId: string; visitDate: string }
    if (q.showId) {
      const [show] = await db
        .select({ id: shows.id })
        .from(shows)
        .where(and(eq(shows.id, q.showId), eq(shows.organizerId, organizerId)))
      if (!show) throw notFound(`show ${q.showId}`)
      scope = { showId: show.id }
    } else if (q.siteId && q.date) {
      const [site] = await db
        .select({ id: scenicSites.id })
        .from(scenicSites)
        .where(and(eq(scenicSites.id, q.siteId), eq(scenicSites.organizerId, organizerId)))
      if (!site) throw notFound(`scenic site ${q.siteId}`)
      scope = { siteId: site.id, visitDate: q.date }
    } else throw validationProblem([{ path: 'query.showId', message: 'give showId, or siteId and date' }])
    const name = q.lang === 'en' ? 'Check-in list' : '检票名单'
    return exportResponse(q.format, `attendees-${q.showId ?? `${q.siteId}-${q.date}`}`, [
      { name, header: headings(attendeeColumns, q.lang), pages: attendeePages(db, organizerId, scope) },
    ])
  },
)

const reportName = v.pipe(
  v.string(),
  v.regex(/^[a-z][a-z0-9-]*(\/[a-z0-9-]+)*$/, 'a report name'),
  v.maxLength(80),
)

exportRoutes.get(
  '/reports/:report{.+}',
  describeRoute({
    tags: [tag],
    summary: 'Any report as a file: CSV of one of its tables (`table`, default the first list), XLSX of all',
    description:
      'Takes the report’s own query (`from`, `to`, filters) and answers its JSON as tables: `summary` (the ' +
      'top-level figures) and one table per list in the report. Bad ranges answer the report’s `validation` problem.',
    responses: {
      200: { description: 'The file', content: fileContent },
      400: { description: 'The report refused the query, or no such table' },
      404: { description: 'No such report' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)), report: reportName })),
  validate('query', v.object({ ...fileQuery, table: v.optional(v.pipe(v.string(), v.maxLength(60))) })),
  async (c) => {
    const { organizerId, report } = c.req.valid('param')
    const { format, lang, table } = c.req.valid('query')
    const url = new URL(c.req.url)
    const forwarded = new URLSearchParams(url.searchParams)
    for (const key of ['format', 'lang', 'table']) forwarded.delete(key)
    url.pathname = `/api/admin/organizers/${encodeURIComponent(organizerId)}/reports/${report}`
    url.search = forwarded.toString()
    // The report route itself answers (its validation, its organizer check), through the whole app.
    if (!wholeApp) throw new Problem({ code: 'internal', detail: 'Report exports are not wired to the app' })
    const answer = await wholeApp(new Request(url, { headers: c.req.raw.headers }), c.env, c.executionCtx)
    if (!answer.ok || !answer.headers.get('content-type')?.includes('json')) return answer
    const json = (await answer.json()) as Record<string, never>
    const currency = typeof json.currency === 'string' ? json.currency : undefined
    const tables = reportTables(json)
    const lists = tables.filter((t) => t.name !== 'summary')
    const chosen = table ? tables.filter((t) => t.name === table) : lists.length ? lists : tables
    if (chosen.length === 0)
      throw validationProblem([
        { path: 'query.table', message: `one of ${tables.map((t) => t.name).join(', ')}` },
      ])
    const sheets = (format === 'csv' ? chosen.slice(0, 1) : table ? chosen : tables).map((t) => ({
      name: heading(t.name, lang),
      header: t.columns.map((column) => heading(column, lang, currency)),
      pages: (async function* () {
        yield t.rows
      })(),
    }))
    const file = `${report.replaceAll('/', '-')}${format === 'csv' ? `-${chosen[0]!.name}` : ''}`
    return exportResponse(format, file, sheets)
  },
)
