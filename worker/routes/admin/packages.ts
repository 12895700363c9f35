import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { packages, scenicSites, visitProducts } from '../../db/schema.ts'
import { type FieldError, validationProblem } from '../../problem.ts'
import { money, nonEmpty } from '../query.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { recordOf } from './records.ts'
import { referenced } from './references.ts'

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
  status: v.optional(v.picklist(['active', 'inactive']), 'active'),
})

/** Several visit products sold together at one price; inventory deducts every component or none. */
export const packageRoutes = catalogueResource({
  noun: 'package',
  tag: 'Catalogue: packages',
  table: packages,
  idPrefix: 'pkg',
  schema: recordOf(packageInput.entries),
  create: packageInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: { siteId: v.optional(v.string()) },
  where: (f) => [f.siteId ? eq(packages.siteId, f.siteId) : undefined],
  check: async (c, pkg, organizerId) => {
    await referenced(c, scenicSites, pkg.siteId, organizerId, 'siteId', 'scenic site')
    const errors: FieldError[] = []
    const seen = new Set<string>()
    for (const [i, component] of pkg.components.entries()) {
      if (seen.has(component.productId))
        errors.push({ path: `json.components.${i}.productId`, message: 'listed twice' })
      seen.add(component.productId)
      const product = await referenced<{ siteId: string }>(
        c,
        visitProducts,
        component.productId,
        organizerId,
        `components.${i}.productId`,
        'visit product',
      )
      if (product.siteId !== pkg.siteId)
        errors.push({ path: `json.components.${i}.productId`, message: 'belongs to another site' })
    }
    if (errors.length) throw validationProblem(errors)
  },
})
