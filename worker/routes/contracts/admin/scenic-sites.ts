import * as v from 'valibot'
import { englishName, nonEmpty } from '../../query.ts'
import { recordOf } from '../common.ts'
import { posterSchema } from '../images.ts'

const clock = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM'))
export const capacity = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))
export const channelCode = v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]{1,31}$/, 'a sales channel code'))

export const timeSlotSchema = v.object({
  code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9:_-]{1,16}$/, 'letters, digits, : _ -; up to 16')),
  start: clock,
  end: clock,
  capacity,
})

export const scenicSiteInput = v.object({
  name: nonEmpty(),
  /** Optional English name; English pages show it, falling back to `name`. */
  nameEn: englishName(),
  city: nonEmpty(100),
  /** Optional English name of the city; English pages show it, falling back to `city`. */
  cityEn: englishName(100),
  address: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(500)))),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(5000)))),
  timezone: v.optional(v.pipe(v.string(), v.maxLength(64)), 'Asia/Shanghai'),
  opensAt: v.optional(clock, '08:00'),
  closesAt: v.optional(clock, '18:00'),
  dailyCapacity: capacity,
  timeSlots: v.optional(v.pipe(v.array(timeSlotSchema), v.maxLength(48)), []),
  bookingDaysAhead: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365)), 30),
  channelQuotas: v.optional(v.record(channelCode, capacity), {}),
})

export const scenicSiteRecord = recordOf({
  ...scenicSiteInput.entries,
  nameEn: v.nullable(v.string()),
  cityEn: v.nullable(v.string()),
  address: v.nullable(v.string()),
  description: v.nullable(v.string()),
  /** Set with PUT …/scenic-sites/{id}/poster (multipart), removed with DELETE. */
  poster: v.nullable(posterSchema),
})

/** One visit date as the organizer sees it: every channel's allocation and what it has left. */
export const siteDayInventory = v.object({
  siteId: v.string(),
  date: v.string(),
  onSale: v.boolean(),
  capacity: v.number(),
  remaining: v.number(),
  channels: v.record(v.string(), v.object({ quota: v.number(), remaining: v.number() })),
  slots: v.array(
    v.object({
      code: v.string(),
      start: v.string(),
      end: v.string(),
      capacity: v.number(),
      remaining: v.number(),
    }),
  ),
  products: v.array(
    v.object({
      id: v.string(),
      name: v.string(),
      kind: v.string(),
      ticketType: v.string(),
      price: v.number(),
      timed: v.boolean(),
      remaining: v.number(),
    }),
  ),
})

export const siteDayQuotas = v.object({ ok: v.literal(true), quotas: v.record(v.string(), v.number()) })

export type TimeSlot = v.InferOutput<typeof timeSlotSchema>
export type ScenicSiteRecord = v.InferOutput<typeof scenicSiteRecord>
export type SiteDayInventory = v.InferOutput<typeof siteDayInventory>
