import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { deviceClasses, localDayOf } from '../../domain/analytics-events.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { channelReport as readChannels } from '../../services/analytics/reports/channels.ts'
import type { ReportFilter } from '../../services/analytics/reports/filters.ts'
import { funnelReport as readFunnel } from '../../services/analytics/reports/funnel.ts'
import { organizerSettings, showNames, ticketTypeNames } from '../../services/analytics/reports/names.ts'
import { salesProgress } from '../../services/analytics/reports/progress.ts'
import { salesReport as readSales } from '../../services/analytics/reports/sales.ts'
import { validate } from '../../validation.ts'
import {
  analyticsSalesReport,
  channelReport,
  funnelReport,
  salesProgressReport,
} from '../contracts/admin/analytics-sales.ts'
import { json } from '../openapi.ts'
import { isoDate, queryInteger } from '../query.ts'

// Organizer analytics reports read from the daily rollups (issue 23), mounted at …/reports/analytics. Days are the
// organizer's calendar days (organizers.timezone), as the rollups count them; every report takes the same filters.

const tag = 'Organizer reports'
const dayMs = 86_400_000
const maxDays = 366

const calendarDay = v.pipe(
  isoDate,
  v.check((s) => {
    const day = new Date(`${s}T00:00:00Z`)
    return Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) === s
  }, 'must be a real calendar day'),
)
const id = v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(64)))
const filters = {
  from: v.optional(calendarDay),
  to: v.optional(calendarDay),
  eventId: id,
  showId: id,
  siteId: id,
  productId: id,
  /** A show's price category code. */
  category: id,
  /** A sales channel code (web, ctrip, …). */
  channel: id,
}
const filterText =
  'Filters (all optional): `from`/`to` (inclusive days in the organizer’s time zone; default the last 30 days; at ' +
  `most ${maxDays} days), \`eventId\`, \`showId\`, \`siteId\`, \`productId\`, \`category\` (price category code), ` +
  '`channel` (sales channel code). Another organizer’s ids match nothing (empty figures). '
const bad = { description: 'A filter is malformed, or `to` is before `from` or more than a year after it' }

const params = v.object({ organizerId: v.pipe(v.string(), v.maxLength(64)) })

type Query = { from?: string | undefined; to?: string | undefined } & Omit<
  ReportFilter,
  'organizerId' | 'from' | 'to'
>

/** Resolves the organizer (404 when unknown) and the range (default: the last 30 days in its time zone). */
async function reportScope(
  c: { get(key: 'db'): StaffEnv['Variables']['db'] },
  organizerId: string,
  q: Query,
) {
  const settings = await organizerSettings(c.get('db'), organizerId)
  if (!settings) throw notFound(`organizer ${organizerId}`)
  const today = localDayOf(new Date(), settings.timezone)
  const to = q.to ?? (q.from ? localDayOf(new Date(Date.parse(q.from) + 29 * dayMs), 'UTC') : today)
  const from = q.from ?? localDayOf(new Date(Date.parse(to) - 29 * dayMs), 'UTC')
  const days = (Date.parse(to) - Date.parse(from)) / dayMs
  if (days < 0) throw validationProblem([{ path: 'query.to', message: 'must not be before from' }])
  if (days >= maxDays)
    throw validationProblem([{ path: 'query.to', message: `at most ${maxDays} days after from` }])
  const filter: ReportFilter = { ...q, organizerId, from, to }
  return { settings, filter }
}

export const analyticsSalesRoutes = new Hono<StaffEnv>()

analyticsSalesRoutes.get(
  '/sales',
  describeRoute({
    tags: [tag],
    summary: 'Revenue (gross, refunds, net), tickets, orders and average order value per day, week or month',
    description:
      'From the daily rollups of paid, refund and rebooking events, on the day each happened: a refund lowers the ' +
      'day it was made, a rebooking moves tickets to the new order and counts only the price difference. Also per ' +
      'price category (shows) or product (scenic) and the best-selling performances (`top` of them, default 10). ' +
      filterText,
    responses: {
      200: {
        description: 'The figures; series and breakdowns add up to `totals`',
        content: json(analyticsSalesReport),
      },
      400: bad,
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate(
    'query',
    v.object({
      ...filters,
      granularity: v.optional(v.picklist(['day', 'week', 'month']), 'day'),
      top: queryInteger(1, 50, 10),
    }),
  ),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { granularity, top, ...query } = c.req.valid('query')
    const { settings, filter } = await reportScope(c, organizerId, query)
    const db = c.get('db')
    const report = await readSales(db, filter, granularity, top)
    const productIds = report.byTicketType.flatMap((r) => (r.productId ? [r.productId] : []))
    const [names, showsOf] = await Promise.all([
      ticketTypeNames(db, organizerId, productIds),
      showNames(
        db,
        organizerId,
        report.topShows.map((s) => s.showId),
      ),
    ])
    return c.json({
      currency: settings.currency,
      from: filter.from,
      to: filter.to,
      granularity,
      totals: report.totals,
      series: report.series,
      byTicketType: report.byTicketType.map((r) => {
        const named = r.productId ? names.products.get(r.productId) : names.categories.get(r.category ?? '')
        return { ...r, name: named?.name ?? r.productId ?? r.category ?? '', nameEn: named?.nameEn ?? null }
      }),
      topShows: report.topShows.map((s) => {
        const show = showsOf.get(s.showId)
        return {
          ...s,
          eventId: show?.eventId ?? null,
          eventName: show?.eventName ?? s.showId,
          eventNameEn: show?.eventNameEn ?? null,
          startsAt: show?.startsAt ?? null,
        }
      }),
    })
  },
)

analyticsSalesRoutes.get(
  '/sales/progress',
  describeRoute({
    tags: [tag],
    summary: 'Sales progress of a show beside the organizer’s earlier shows of the same event or venue',
    description:
      'Cumulative tickets standing (paid, less refunds and rebookings) per day before each show’s start day, on ' +
      'one axis (`daysBefore`, descending to 0; sales on or after the start day count at 0). The show asked for ' +
      'comes first (`current`), then up to `compare` (default 5) earlier shows sharing its event or venue, latest ' +
      'first. `channel`, `productId` and `category` narrow the tickets counted.',
    responses: {
      200: { description: 'One curve per show', content: json(salesProgressReport) },
      400: bad,
      404: { description: 'No such show of this organizer' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate(
    'query',
    v.object({
      showId: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
      compare: queryInteger(0, 20, 5),
      channel: id,
      productId: id,
      category: id,
    }),
  ),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { showId, compare, ...only } = c.req.valid('query')
    const progress = await salesProgress(c.get('db'), { organizerId, ...only }, showId, compare)
    if (!progress) throw notFound(`show ${showId}`)
    return c.json(progress)
  },
)

analyticsSalesRoutes.get(
  '/channels',
  describeRoute({
    tags: [tag],
    summary: 'Each channel’s share of revenue and tickets; OTA settlement against redemption',
    description:
      'Shares are of net revenue (gross − refunds) and tickets standing, over every channel in the range. ' +
      '`settlement` lists each OTA channel (sales channel of kind `ota`): tickets it sold and the refunds among them, ' +
      'tickets of its redeemed at a gate in the range and their line prices (`redeemedAmount`). Settlement rule: a ' +
      'partner owes for tickets used, not sold; `due` = `redeemedAmount` − `commission`, where `commission` is the ' +
      'channel’s `commissionBps` of `redeemedAmount`, rounded to the minor unit. ' +
      filterText,
    responses: {
      200: { description: 'Channels, largest net revenue first', content: json(channelReport) },
      400: bad,
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('query', v.object(filters)),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { settings, filter } = await reportScope(c, organizerId, c.req.valid('query'))
    const report = await readChannels(c.get('db'), filter)
    return c.json({ currency: settings.currency, from: filter.from, to: filter.to, ...report })
  },
)

analyticsSalesRoutes.get(
  '/funnel',
  describeRoute({
    tags: [tag],
    summary: 'Funnel: views → seat-map or day opens → holds → orders → paid, per source and device',
    description:
      'Counts from the daily rollups of captured events. A show’s view is its page and its open the seat map; a ' +
      'scenic day page is both. `conversion` of a step is its count over the step before (null when that is 0); ' +
      '`overall` is paid over views. `source` and `device` narrow to one traffic source or device class. ' +
      '`productId` and `category` are refused: page views belong to a show or site, not a product. ' +
      filterText,
    responses: { 200: { description: 'Steps and conversions', content: json(funnelReport) }, 400: bad },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate(
    'query',
    v.object({
      ...filters,
      source: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(120))),
      device: v.optional(v.picklist(deviceClasses)),
    }),
  ),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const { source, device, productId, category, ...query } = c.req.valid('query')
    const errors = [
      ...(productId !== undefined
        ? [{ path: 'query.productId', message: 'the funnel is per page, not per product' }]
        : []),
      ...(category !== undefined
        ? [{ path: 'query.category', message: 'the funnel is per page, not per category' }]
        : []),
    ]
    if (errors.length) throw validationProblem(errors)
    const { filter } = await reportScope(c, organizerId, query)
    const report = await readFunnel(c.get('db'), filter, { source, device })
    return c.json({ from: filter.from, to: filter.to, ...report })
  },
)
