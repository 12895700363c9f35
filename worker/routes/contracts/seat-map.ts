import * as v from 'valibot'
import { sectionNameView } from './section-names.ts'
import { categoryAvailabilitySchema, seatMapSchema, seatSchema } from './shows.ts'

// The shop's seat map (issue 22, big venues). A house under 5,000 seats answers whole, as it always has
// (`layout: "whole"`); a bigger one answers an overview (`layout: "sections"`): each section's box and free seats
// per price category, and the shop asks for a section's seats when the buyer opens it. Live deltas
// (`/api/shows/{showId}/live`) are the same for both.

const box = v.object({ x0: v.number(), y0: v.number(), x1: v.number(), y1: v.number() })

/** A section on the overview: where it is and what is left in it. */
export const seatMapAreaSchema = v.object({
  /** The section's key (its seats' `section`); `sections` names it. */
  key: v.string(),
  /** Seats in the section, whatever their state. */
  seats: v.number(),
  /** The box over its seats' centres, in the map's units. */
  box,
  /** Free seats per price category on sale (categories with none left are absent). */
  free: v.record(v.string(), v.number()),
})

export const seatMapWholeSchema = v.object({ layout: v.literal('whole'), ...seatMapSchema.entries })

export const seatMapOverviewSchema = v.object({
  layout: v.literal('sections'),
  showId: v.string(),
  /** Change counter: live deltas continue from it (a section's answer says its own). */
  version: v.number(),
  onSale: v.boolean(),
  currency: v.string(),
  stage: v.nullable(v.object({ x: v.number(), y: v.number() })),
  categories: v.array(categoryAvailabilitySchema),
  seatCount: v.number(),
  /** The usual distance between neighbouring seats of a row (the shop draws seats from it). */
  pitch: v.number(),
  /** The box over every seat's centre. */
  bounds: box,
  areas: v.array(seatMapAreaSchema),
  /** The sections with the names people read, in the areas' order. */
  sections: v.array(sectionNameView),
})

export const seatMapAnswerSchema = v.variant('layout', [seatMapWholeSchema, seatMapOverviewSchema])

/** One section's seats, as the whole answer has them (same order, same fields). */
export const seatMapSectionSchema = v.object({
  showId: v.string(),
  /** The change counter this answer is as of. */
  version: v.number(),
  section: v.string(),
  seats: v.array(seatSchema),
})

export type SeatMapAnswer = v.InferOutput<typeof seatMapAnswerSchema>
export type SeatMapOverview = v.InferOutput<typeof seatMapOverviewSchema>
export type SeatMapSection = v.InferOutput<typeof seatMapSectionSchema>
export type SeatMapArea = v.InferOutput<typeof seatMapAreaSchema>
