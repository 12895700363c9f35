import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { checkinReport, visitorsReport } from '../../services/analytics/scenic-reports.ts'
import { validate } from '../../validation.ts'
import {
  checkinReport as checkinReportSchema,
  visitorsReport as visitorsReportSchema,
} from '../contracts/admin/analytics-scenic.ts'
import { json } from '../openapi.ts'
import { refuseFilters, reportFiltersOf, reportParams, reportQueryEntries } from './analytics-filters.ts'

// Visitors (home region, age band, new vs returning, cohort retention) and check-in (sold vs admitted, no-shows,
// admissions by gate and hour), read from the analytics rollups only.

const tag = 'Organizer reports'
const invalid = {
  400: {
    description:
      '`from`/`to` invalid, reversed or over 366 days apart; a filter not the organizer’s or not this report’s (code `validation`)',
  },
}

export const visitorReportRoutes = new Hono<StaffEnv>()

visitorReportRoutes.get(
  '/visitors',
  describeRoute({
    tags: [tag],
    summary: 'Visitors: home province/city and age band, new vs returning buyers, retention by cohort month',
    description:
      'Region and age band are derived from real-name ID numbers at purchase and kept only as counts, on the day ' +
      'the order was paid. `channel` filters the buyer figures (regions are not kept per channel); cohorts are ' +
      'the months of `from`..`to` by the month of each buyer’s first paid order.',
    responses: { 200: { description: 'The figures', content: json(visitorsReportSchema) }, ...invalid },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', reportParams),
  validate('query', v.strictObject(reportQueryEntries)),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const query = c.req.valid('query')
    refuseFilters(query, ['productId'], 'visitors')
    const { filters } = await reportFiltersOf(c, organizerId, query)
    return c.json(await visitorsReport(c.get('db'), filters))
  },
)

visitorReportRoutes.get(
  '/checkin',
  describeRoute({
    tags: [tag],
    summary: 'Check-in: sold vs admitted per show or visit day, no-shows, admissions by gate and hour',
    description:
      'Days are the show’s start day or the visit date. `sold` counts paid tickets still standing (refunds ' +
      'taken out); `noShows` = sold − admitted, for days before today only (null otherwise).',
    responses: { 200: { description: 'The figures', content: json(checkinReportSchema) }, ...invalid },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', reportParams),
  validate('query', v.strictObject(reportQueryEntries)),
  async (c) => {
    const { organizerId } = c.req.valid('param')
    const query = c.req.valid('query')
    refuseFilters(query, ['productId'], 'check-in')
    const { filters, today } = await reportFiltersOf(c, organizerId, query)
    return c.json(await checkinReport(c.get('db'), filters, today))
  },
)
