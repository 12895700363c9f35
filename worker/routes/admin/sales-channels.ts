import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { salesChannels } from '../../db/schema.ts'
import { nonEmpty, queryBoolean } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { recordOf } from './records.ts'

const channelKinds = ['own_site', 'ota', 'kiosk', 'box_office'] as const

export const salesChannelInput = v.object({
  name: nonEmpty(),
  code: v.pipe(
    v.string(),
    v.regex(/^[a-z][a-z0-9_-]{1,31}$/, 'lowercase letters, digits, - or _; 2–32 long'),
  ),
  kind: v.picklist(channelKinds),
  active: v.optional(v.boolean(), true),
  commissionBps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000)), 0),
})

export const salesChannelRoutes = catalogueResource({
  noun: 'sales channel',
  tag: 'Catalogue: sales channels',
  table: salesChannels,
  idPrefix: 'chn',
  schema: recordOf(salesChannelInput.entries),
  create: salesChannelInput,
  writeRoles: ['owner'],
  filters: { kind: v.optional(v.picklist(channelKinds)), active: queryBoolean },
  where: (f) => [
    f.kind ? eq(salesChannels.kind, f.kind) : undefined,
    f.active === undefined ? undefined : eq(salesChannels.active, f.active),
  ],
})
