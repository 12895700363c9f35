import * as v from 'valibot'

// The waiting room (issue 22) as the buyer API, its WebSocket and the organizer's switch answer it. The shop's
// waiting-room page and the console import these types (`import type`).
//
// Paths: buyers `GET|POST /api/shows/{showId}/queue`, `GET /api/shows/{showId}/queue/live` (WebSocket), and the
// same under `/api/scenic-sites/{siteId}/days/{date}/queue`. Organizers: `GET|PUT
// /api/admin/organizers/{organizerId}/shows/{showId}/waiting-room` and
// `/api/admin/organizers/{organizerId}/scenic-sites/{siteId}/days/{date}/waiting-room` (organizer-scoped like every
// admin route; the brief's `/api/admin/shows/{showId}/waiting-room` written out in full).

export const queueStates = ['before_open', 'open', 'sold_out', 'off'] as const
export const placeStates = ['waiting', 'admitted', 'expired'] as const

export const queueAnswerSchema = v.object({
  queue: v.object({
    state: v.picklist(queueStates),
    /** When the queue opens (pre-queue arrivals are shuffled then); null when the on-sale has no waiting room. */
    opensAt: v.nullable(v.string()),
    /** Buyers waiting now. */
    waiting: v.number(),
    /** Admissions per minute observed lately. */
    admittedPerMinute: v.number(),
  }),
  place: v.nullable(
    v.object({
      state: v.picklist(placeStates),
      /** 1-based; null before opening (the order is drawn at opening) and once admitted or expired. */
      position: v.nullable(v.number()),
      /** From the position and the observed admission rate; null while there is nothing to go by. */
      estimatedWaitSeconds: v.nullable(v.number()),
      /** Admitted: send it as the `Admission-Pass` header with the hold request. */
      pass: v.optional(v.string()),
      passExpiresAt: v.optional(v.string()),
    }),
  ),
})

/** What show details and scenic days carry so the shop sends buyers to the queue first. */
export const waitingRoomSummarySchema = v.nullable(
  v.object({ opensAt: v.string(), state: v.picklist(queueStates) }),
)

export const waitingRoomSettingsInput = v.object({
  enabled: v.boolean(),
  /** ISO-8601 with offset. Arrivals before it get a random place at it; after it, first come first served. */
  opensAt: v.pipe(v.string(), v.isoTimestamp()),
  /** Buyers admitted per minute; null: follow how fast admitted buyers finish (order, release, pass lapse). */
  admissionPerMinute: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(100_000))),
  /** Joining needs a passed bot challenge (Turnstile). */
  requireChallenge: v.optional(v.boolean(), false),
  /** How long an admission pass lasts. */
  passMinutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(60)), 10),
  /**
   * Rooms the queue is split over (1–64): one room takes about 250 joins a second, so an on-sale expecting more
   * at its opening takes more. Each admits its share in its own arrival order; one place per ID still holds.
   */
  shards: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(64)), 1),
})

export const waitingRoomRecordSchema = v.object({
  onSale: v.string(),
  /** Null until the organizer first sets it. */
  settings: v.nullable(
    v.object({
      enabled: v.boolean(),
      opensAt: v.string(),
      admissionPerMinute: v.nullable(v.number()),
      requireChallenge: v.boolean(),
      passMinutes: v.number(),
      shards: v.number(),
    }),
  ),
  queue: queueAnswerSchema.entries.queue,
})

export type QueueAnswer = v.InferOutput<typeof queueAnswerSchema>
export type QueuePlace = NonNullable<QueueAnswer['place']>
export type WaitingRoomSummary = v.InferOutput<typeof waitingRoomSummarySchema>
export type WaitingRoomRecord = v.InferOutput<typeof waitingRoomRecordSchema>
export type WaitingRoomSettingsInput = v.InferInput<typeof waitingRoomSettingsInput>
