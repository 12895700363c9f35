import * as v from 'valibot'
import { englishName, money, nonEmpty } from '../../query.ts'
import { recordOf } from '../common.ts'
import { productStatuses } from './visit-products.ts'

export const packageInput = v.object({
  siteId: v.string(),
  name: nonEmpty(),
  /** Optional English name; the shop's English pages show it, falling back to `name`. */
  nameEn: englishName(),
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

export const packageRecord = recordOf({
  ...packageInput.entries,
  nameEn: v.nullable(v.string()),
  description: v.nullable(v.string()),
})

export type PackageRecord = v.InferOutput<typeof packageRecord>
