import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { scenicSites } from '../../db/schema.ts'
import { type FieldError, validationProblem } from '../../problem.ts'
import { nonEmpty } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { recordOf } from './records.ts'

const clock = v.pipe(v.string(), v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time HH:MM'))
const capacity = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(1_000_000))

export const timeSlotSchema = v.object({
  code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9:_-]{1,16}$/, 'letters, digits, : _ -; up to 16')),
  start: clock,
  end: clock,
  capacity,
})

export const scenicSiteInput = v.object({
  name: nonEmpty(),
  city: nonEmpty(100),
  address: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(500)))),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(5000)))),
  timezone: v.optional(v.pipe(v.string(), v.maxLength(64)), 'Asia/Shanghai'),
  opensAt: v.optional(clock, '08:00'),
  closesAt: v.optional(clock, '18:00'),
  dailyCapacity: capacity,
  timeSlots: v.optional(v.pipe(v.array(timeSlotSchema), v.maxLength(48)), []),
  bookingDaysAhead: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(365)), 30),
  channelQuotas: v.optional(
    v.record(v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_-]{1,31}$/, 'a sales channel code')), capacity),
    {},
  ),
})

export const scenicSiteRoutes = catalogueResource({
  noun: 'scenic site',
  tag: 'Catalogue: scenic sites',
  table: scenicSites,
  idPrefix: 'site',
  schema: recordOf(scenicSiteInput.entries),
  create: scenicSiteInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: { city: v.optional(v.string()) },
  where: (f) => [f.city ? eq(scenicSites.city, f.city) : undefined],
  check: async (_c, site) => {
    const errors: FieldError[] = []
    if (site.closesAt <= site.opensAt)
      errors.push({ path: 'json.closesAt', message: 'must be after opensAt' })
    const codes = new Set<string>()
    site.timeSlots.forEach((slot, i) => {
      if (codes.has(slot.code))
        errors.push({ path: `json.timeSlots.${i}.code`, message: `duplicate slot ${slot.code}` })
      codes.add(slot.code)
      if (slot.end <= slot.start)
        errors.push({ path: `json.timeSlots.${i}.end`, message: 'must be after start' })
      if (slot.capacity > site.dailyCapacity) {
        errors.push({ path: `json.timeSlots.${i}.capacity`, message: 'cannot exceed the daily capacity' })
      }
    })
    const reserved = Object.values(site.channelQuotas).reduce((sum, n) => sum + n, 0)
    if (reserved > site.dailyCapacity) {
      errors.push({
        path: 'json.channelQuotas',
        message: `channel quotas (${reserved}) exceed the daily capacity`,
      })
    }
    if (errors.length) throw validationProblem(errors)
  },
})
