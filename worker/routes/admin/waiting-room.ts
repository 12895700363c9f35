import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { scenicSites, shows } from '../../db/schema.ts'
import { dayOnSale, showOnSale } from '../../domain/admission-pass.ts'
import { roomShards, shardChangeStrands, type WaitingRoomSettings } from '../../domain/waiting-room.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { conflict, notFound } from '../../problem.ts'
import { type OnSaleScope, waitingRoomService } from '../../services/waiting-room/index.ts'
import { validate } from '../../validation.ts'
import { waitingRoomRecordSchema, waitingRoomSettingsInput } from '../contracts/waiting-room.ts'
import { json } from '../openapi.ts'
import { isoDate } from '../query.ts'

// The organizer's waiting-room switch per on-sale (issue 22): a show, or a scenic site's visit date. Scoped to the
// organizer like every admin route: another organizer's show or site is not found.

const description =
  'While `enabled`, buyers queue before they may hold: arrivals before `opensAt` get a random place at it (pre-queue), ' +
  'later ones first come first served. `admissionPerMinute` admits at that rate; null admits as admitted buyers finish ' +
  '(order, release, or their pass lapsing), keeping about 200 choosing seats at once and never more than what is left. ' +
  'Admitted buyers get a pass lasting `passMinutes` that the hold route requires (403 `admission_required` without it). ' +
  '`requireChallenge` makes buyers pass the bot challenge (Turnstile) to join. Sold out closes the queue; returned seats ' +
  're-open admission. Turning it off lets everyone hold again at once. `shards` (1–64) splits the queue over ' +
  'rooms of ~250 joins/s each; it can change only while nobody queues and the queue is not open (409 otherwise).'

const showParams = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  id: v.pipe(v.string(), v.maxLength(64)),
})
const dayParams = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  siteId: v.pipe(v.string(), v.maxLength(64)),
  date: isoDate,
})

const serviceOf = (c: Context<StaffEnv>) => waitingRoomService(c.env, c.get('db'))

async function showScope(c: Context<StaffEnv>, organizerId: string, showId: string): Promise<OnSaleScope> {
  const [show] = await c
    .get('db')
    .select({ id: shows.id })
    .from(shows)
    .where(and(eq(shows.id, showId), eq(shows.organizerId, organizerId)))
  if (!show) throw notFound(`show ${showId}`)
  return { kind: 'show', onSale: showOnSale(show.id), showId: show.id }
}

async function dayScope(c: Context<StaffEnv>, organizerId: string, siteId: string, date: string) {
  const [site] = await c
    .get('db')
    .select({ id: scenicSites.id })
    .from(scenicSites)
    .where(and(eq(scenicSites.id, siteId), eq(scenicSites.organizerId, organizerId)))
  if (!site) throw notFound(`scenic site ${siteId}`)
  return { kind: 'day', onSale: dayOnSale(site.id, date), siteId: site.id, date } satisfies OnSaleScope
}

async function record(c: Context<StaffEnv>, scope: OnSaleScope) {
  const service = serviceOf(c)
  const [stored, queue] = await Promise.all([service.settings(scope.onSale), service.summary(scope.onSale)])
  const { updatedAt: _, ...settings } = stored ?? { updatedAt: undefined }
  return { onSale: scope.onSale, settings: stored ? settings : null, queue }
}

async function save(
  c: Context<StaffEnv>,
  organizerId: string,
  scope: OnSaleScope,
  input: WaitingRoomSettings,
) {
  const settings = { ...input, opensAt: new Date(input.opensAt).toISOString() }
  const service = serviceOf(c)
  const [current, now] = await Promise.all([service.settings(scope.onSale), service.summary(scope.onSale)])
  if (shardChangeStrands(current, settings, now))
    throw conflict(
      `The queue is split over ${roomShards(current)} shards and is ${now.state === 'before_open' ? `holding ${now.waiting} buyers` : now.state}: ` +
        'changing the count now would lose buyers their places. Change it before anyone queues, or after the on-sale.',
      { reason: 'shards_fixed_while_open', shards: roomShards(current) },
    )
  const queue = (await service.save(organizerId, scope, settings)).queue
  return { onSale: scope.onSale, settings, queue }
}

const getDoc = (what: string) =>
  describeRoute({
    tags: [what === 'show' ? 'Catalogue: shows' : 'Catalogue: scenic sites'],
    summary: `The ${what}'s waiting room: settings (null until set) and the queue now`,
    responses: { 200: { description: 'Settings and queue', content: json(waitingRoomRecordSchema) } },
  })
const putDoc = (what: string) =>
  describeRoute({
    tags: [what === 'show' ? 'Catalogue: shows' : 'Catalogue: scenic sites'],
    summary: `Switch the ${what}'s waiting room on or off, or change it`,
    description,
    responses: {
      200: { description: 'Saved; the queue as it stands', content: json(waitingRoomRecordSchema) },
      400: { description: 'A bad field (`validation`)' },
      409: {
        description:
          '`conflict` with `reason: shards_fixed_while_open`: `shards` changed while the queue is open or sold ' +
          'out, or anyone waits in the pre-queue (their places would be looked for in other shards)',
      },
    },
  })

export const showWaitingRoomRoutes = new Hono<StaffEnv>()
showWaitingRoomRoutes.get(
  '/:id/waiting-room',
  getDoc('show'),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', showParams),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.json(await record(c, await showScope(c, organizerId, id)))
  },
)
showWaitingRoomRoutes.put(
  '/:id/waiting-room',
  putDoc('show'),
  requireOrganizerRole('owner', 'manager'),
  validate('param', showParams),
  validate('json', waitingRoomSettingsInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    return c.json(await save(c, organizerId, await showScope(c, organizerId, id), c.req.valid('json')))
  },
)

export const dayWaitingRoomRoutes = new Hono<StaffEnv>()
dayWaitingRoomRoutes.get(
  '/:siteId/days/:date/waiting-room',
  getDoc('visit date'),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', dayParams),
  async (c) => {
    const { organizerId, siteId, date } = c.req.valid('param')
    return c.json(await record(c, await dayScope(c, organizerId, siteId, date)))
  },
)
dayWaitingRoomRoutes.put(
  '/:siteId/days/:date/waiting-room',
  putDoc('visit date'),
  requireOrganizerRole('owner', 'manager'),
  validate('param', dayParams),
  validate('json', waitingRoomSettingsInput),
  async (c) => {
    const { organizerId, siteId, date } = c.req.valid('param')
    const scope = await dayScope(c, organizerId, siteId, date)
    return c.json(await save(c, organizerId, scope, c.req.valid('json')))
  },
)
