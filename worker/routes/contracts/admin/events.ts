import * as v from 'valibot'
import { englishName, nonEmpty } from '../../query.ts'
import { pageOf, recordOf } from '../common.ts'
import { posterSchema } from '../images.ts'

export const eventKinds = ['concert', 'theatre', 'film', 'sport', 'exhibition', 'other'] as const
export const eventStatuses = ['draft', 'published', 'cancelled'] as const

export const eventInput = v.object({
  name: nonEmpty(),
  /** Optional English name; the shop's English pages show it, falling back to `name`. */
  nameEn: englishName(),
  kind: v.picklist(eventKinds),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(5000)))),
  status: v.optional(v.picklist(eventStatuses), 'draft'),
  realNameRequired: v.optional(v.boolean(), false),
  maxTicketsPerBuyer: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)), 6),
  rotatingCode: v.optional(v.boolean(), false),
})

export const eventRecord = recordOf({
  ...eventInput.entries,
  nameEn: v.nullable(v.string()),
  description: v.nullable(v.string()),
  /** Set with PUT …/events/{id}/poster (multipart), removed with DELETE. */
  poster: v.nullable(posterSchema),
})
export const eventPage = pageOf(eventRecord)

export type EventInput = v.InferInput<typeof eventInput>
export type EventRecord = v.InferOutput<typeof eventRecord>
