import { and, count, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { outboxEvents, seats, showPricing, shows } from '../../db/schema.ts'
import { type CategoryFacts, pricingErrors } from '../../domain/price-schedule-check.ts'
import { newId } from '../../ids.ts'
import { requireOrganizerRole, type StaffEnv } from '../../middleware/staff-auth.ts'
import { notFound, validationProblem } from '../../problem.ts'
import { validate } from '../../validation.ts'
import { showPricingInput, showPricingRecord } from '../contracts/admin/show-pricing.ts'
import { json } from '../openapi.ts'

// A show's price schedules (early bird, …) and flash sales, set as one document: checked whole against the
// show's list prices and its venue's seats, stored in D1, then pushed to the show's actor, which quotes every
// hold from them (worker/domain/price-schedule.ts).

const tag = 'Catalogue: shows'
const params = v.object({
  organizerId: v.pipe(v.string(), v.maxLength(64)),
  id: v.pipe(v.string(), v.maxLength(64)),
})
export const showPricingRoutes = new Hono<StaffEnv>()

async function ownedShow(db: StaffEnv['Variables']['db'], organizerId: string, showId: string) {
  const [row] = await db
    .select({ id: shows.id, venueId: shows.venueId, prices: shows.prices })
    .from(shows)
    .where(and(eq(shows.id, showId), eq(shows.organizerId, organizerId)))
  if (!row) throw notFound(`show ${showId}`)
  return row
}

async function readPricing(db: StaffEnv['Variables']['db'], showId: string) {
  const [row] = await db.select().from(showPricing).where(eq(showPricing.showId, showId))
  return {
    showId,
    schedules: row?.schedules ?? [],
    flashSales: row?.flashSales ?? [],
    updatedAt: row?.updatedAt ?? null,
  }
}

showPricingRoutes.get(
  '/:id/pricing',
  describeRoute({
    tags: [tag],
    summary: "The show's price schedules and flash sales, with the price steps crossed so far",
    responses: { 200: { description: 'Schedules and flash sales', content: json(showPricingRecord) } },
  }),
  requireOrganizerRole('owner', 'manager', 'gate'),
  validate('param', params),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const show = await ownedShow(c.get('db'), organizerId, id)
    const [pricing, stepHistory] = await Promise.all([
      readPricing(c.get('db'), show.id),
      c.get('showInventory').stub(show.id).priceStepHistory(show.id),
    ])
    return c.json({ ...pricing, stepHistory })
  },
)

showPricingRoutes.put(
  '/:id/pricing',
  describeRoute({
    tags: [tag],
    summary: "Set the show's price schedules and flash sales (replaces both)",
    description:
      'Per price category, ordered tiers: each has a price at most the list price and ends when its window ' +
      '(`startsAt`/`endsAt`) ends or its `quantity` is sold; then the next applies, then the list price. Tiers count ' +
      'held and sold seats; `reopenOnRefund` gives a refunded ticket its place back. A flash sale sells `units` seats of one ' +
      'category at `price` between `startsAt` and `endsAt`, at most `perBuyer` per buyer and per real-name ID; buyers hold ' +
      'with `flashSaleId`. `steps` raise (or lower) the list price of seats no tier prices once a share of the category ' +
      'is held or sold (`atPercentSold`, ascending, 1..99; `percent`, -50..200), rounded half up to a whole yuan (a whole ' +
      'minor unit in currencies without decimals) and kept within `floor` and `ceiling`; each crossing is logged and ' +
      'published as `price.changed`. A save that changes the document writes a `price.changed` outbox event in the ' +
      'same D1 batch. A hold is quoted when it is made and its order charges that quote. Every bad field (overlapping ' +
      'windows, a price above list, quantities beyond the seats of the category, negative or fractional money) comes back ' +
      'in one `validation` problem and nothing is saved.',
    responses: {
      200: { description: 'Saved and handed to the show inventory', content: json(showPricingRecord) },
      400: { description: 'Every bad field (`validation`)' },
    },
  }),
  requireOrganizerRole('owner', 'manager'),
  validate('param', params),
  validate('json', showPricingInput),
  async (c) => {
    const { organizerId, id } = c.req.valid('param')
    const db = c.get('db')
    const show = await ownedShow(db, organizerId, id)
    const input = c.req.valid('json')
    const perCategory = await db
      .select({ category: seats.category, seats: count() })
      .from(seats)
      .where(eq(seats.venueId, show.venueId))
      .groupBy(seats.category)
    const facts: Record<string, CategoryFacts> = {}
    for (const [code, listPrice] of Object.entries(show.prices))
      facts[code] = { listPrice, capacity: perCategory.find((p) => p.category === code)?.seats ?? 0 }
    const errors = pricingErrors(input, facts)
    if (errors.length) throw validationProblem(errors)
    const now = new Date().toISOString()
    const before = await readPricing(db, show.id)
    const changed =
      JSON.stringify([before.schedules, before.flashSales]) !==
      JSON.stringify([input.schedules, input.flashSales])
    const save = db
      .insert(showPricing)
      .values({ showId: show.id, organizerId, ...input, updatedAt: now })
      .onConflictDoUpdate({
        target: showPricing.showId,
        set: { schedules: input.schedules, flashSales: input.flashSales, updatedAt: now },
      })
    // Subscribers learn that what buyers are quoted may have changed, in the same batch as the save.
    const event = db.insert(outboxEvents).values({
      id: newId('evt'),
      organizerId,
      topic: 'price.changed',
      payload: {
        // No `eventId` here: webhook `data.eventId` is the outbox event's own id (the payload would override it).
        showId: show.id,
        reason: 'schedule',
        prices: show.prices,
        schedules: input.schedules.map((s) => s.category),
        flashSales: input.flashSales.map((f) => f.id),
      },
    })
    if (changed) await db.batch([save, event])
    else await save
    await c.get('showInventory').pushConfig(db, show.id)
    return c.json(await readPricing(db, show.id))
  },
)
