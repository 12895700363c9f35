import * as v from 'valibot'
import { money, nonEmpty } from '../../query.ts'
import { recordOf } from '../common.ts'
import { productStatuses } from './visit-products.ts'

export const packageInput = v.object({
  siteId: v.string(),
  name: nonEmpty(),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(5000)))),
  price: money,
  components: v.pipe(
    v.array(
      v.object({
        productId: v.string(),
        quantity: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(20)),
      }),
    ),
    v.minLength(1, 'a package needs at least one product'),
    v.maxLength(20),
  ),
  status: v.optional(v.picklist(productStatuses), 'active'),
})

export const packageRecord = recordOf({ ...packageInput.entries, description: v.nullable(v.string()) })

export type PackageRecord = v.InferOutput<typeof packageRecord>
