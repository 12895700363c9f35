import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { salesChannels } from '../../db/schema.ts'
import { channelKinds, salesChannelInput, salesChannelRecord } from '../contracts/admin/sales-channels.ts'
import { queryBoolean } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'

export const salesChannelRoutes = catalogueResource({
  noun: 'sales channel',
  tag: 'Catalogue: sales channels',
  table: salesChannels,
  idPrefix: 'chn',
  schema: salesChannelRecord,
  create: salesChannelInput,
  writeRoles: ['owner'],
  filters: { kind: v.optional(v.picklist(channelKinds)), active: queryBoolean },
  where: (f) => [
    f.kind ? eq(salesChannels.kind, f.kind) : undefined,
    f.active === undefined ? undefined : eq(salesChannels.active, f.active),
  ],
})
