import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { visitorForecastLimits } from '../../domain/forecast/scenic-visitors.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { scenicVisitorForecast, showSalesForecast } from '../../services/forecasts.ts'
import { validate } from '../../validation.ts'
import { scenicVisitorForecastResponse, showSalesForecastResponse } from '../contracts/admin/forecasts.ts'
import { json } from '../openapi.ts'
import { queryInteger } from '../query.ts'

// Forecasts beside the organizer's reports (mounted at …/reports/forecasts): a show's final sales and sell-out
// date, a scenic site's visitors per day. The methods are in worker/domain/forecast/ and say why they are simple.

const tag = 'Organizer reports'
const id = v.pipe(v.string(), v.minLength(1), v.maxLength(64))

export const forecastRoutes = new Hono<StaffEnv>()

forecastRoutes.get(
  '/shows/:showId',
  describeRoute({
    tags: [tag],
    summary: "A show's expected final sales and sell-out date",
    description:
      'Sales are tickets paid for and still standing, on the China day paid, on a days-before-start axis. The ' +
      'estimate adds to the tickets sold by yesterday what each past show of the same event or venue (started ' +
      'before today, not cancelled, with sales) still sold from the same number of days out, as a share of its ' +
      'capacity; `expectedFinal` is their mean and `low`/`high` their range (with the show’s own pace in the ' +
      'range when fewer than three past shows exist). Without past shows `method` is `own_pace`: tickets per day ' +
      'over the last two weeks carried on to the end of sales, with a 90% band from how much those days varied.',
    responses: {
      200: {
        description: 'The forecast, the comparables it used and the curve',
        content: json(showSalesForecastResponse),
      },
      404: { description: 'No such show for this organizer' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', v.object({ organizerId: id, showId: id })),
  async (c) => {
    const { organizerId, showId } = c.req.valid('param')
    return c.json(await showSalesForecast(c.get('db'), organizerId, showId))
  },
)

forecastRoutes.get(
  '/scenic-sites/:siteId',
  describeRoute({
    tags: [tag],
    summary: "A scenic site's expected visitors per day, with a back-test",
    description:
      'Visitors are entry tickets paid for and still standing, per visit date, over up to two years before ' +
      'today. Each day is a smoothed level × the factor of its kind of day (weekday; public holiday, per holiday; ' +
      '调休 make-up working day as a working day), from China’s holiday table (State Council notices). Under eight ' +
      'weeks of history the method is seasonal-naive (last week’s same weekday); under two weeks there is no ' +
      'forecast. `low`/`high` hold 90% of past one-day-ahead errors. `backtest` fits the same way without the ' +
      'last `holdoutWeeks` weeks and gives the mean absolute percentage error on them.',
    responses: {
      200: {
        description: 'Forecast days from today and the back-test',
        content: json(scenicVisitorForecastResponse),
      },
      400: { description: '`days` or `holdoutWeeks` not a whole number in range' },
      404: { description: 'No such scenic site for this organizer' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', v.object({ organizerId: id, siteId: id })),
  validate(
    'query',
    v.object({
      days: queryInteger(1, visitorForecastLimits.maxHorizon, 30),
      holdoutWeeks: queryInteger(1, visitorForecastLimits.maxHoldoutWeeks, 4),
    }),
  ),
  async (c) => {
    const { organizerId, siteId } = c.req.valid('param')
    const query = c.req.valid('query')
    return c.json(await scenicVisitorForecast(c.get('db'), organizerId, siteId, query))
  },
)
