import * as v from 'valibot'
import { englishName, nonEmpty } from '../../query.ts'
import { recordOf } from '../common.ts'

export const channelKinds = ['own_site', 'ota', 'kiosk', 'box_office'] as const

export const salesChannelInput = v.object({
  name: nonEmpty(),
  /** Optional English name; English pages show it, falling back to `name`. */
  nameEn: englishName(),
  code: v.pipe(
    v.string(),
    v.regex(/^[a-z][a-z0-9_-]{1,31}$/, 'lowercase letters, digits, - or _; 2–32 long'),
  ),
  kind: v.picklist(channelKinds),
  active: v.optional(v.boolean(), true),
  commissionBps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000)), 0),
})

export const salesChannelRecord = recordOf({ ...salesChannelInput.entries, nameEn: v.nullable(v.string()) })

export type SalesChannelRecord = v.InferOutput<typeof salesChannelRecord>
