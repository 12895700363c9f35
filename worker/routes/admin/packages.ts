import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import * as v from 'valibot'
import { packages, scenicSites, visitProducts } from '../../db/schema.ts'
import type { StaffEnv } from '../../middleware/staff-auth.ts'
import { type FieldError, validationProblem } from '../../problem.ts'
import { packageInput, packageRecord } from '../contracts/admin/packages.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { referenced } from './references.ts'

type PackageProduct = { id: string; siteId: string; name: string; nameEn: string | null; price: number }

/** A package's references: its site and components are the organizer's, on that site, none listed twice. */
export async function checkPackage(
  c: Context<StaffEnv>,
  pkg: Pick<v.InferOutput<typeof packageInput>, 'siteId' | 'components'>,
  organizerId: string,
): Promise<PackageProduct[]> {
  await referenced(c, scenicSites, pkg.siteId, organizerId, 'siteId', 'scenic site')
  const errors: FieldError[] = []
  const seen = new Set<string>()
  const products: PackageProduct[] = []
  for (const [i, component] of pkg.components.entries()) {
    if (seen.has(component.productId))
      errors.push({ path: `json.components.${i}.productId`, message: 'listed twice' })
    seen.add(component.productId)
    const product = await referenced<PackageProduct>(
      c,
      visitProducts,
      component.productId,
      organizerId,
      `components.${i}.productId`,
      'visit product',
    )
    if (product.siteId !== pkg.siteId)
      errors.push({ path: `json.components.${i}.productId`, message: 'belongs to another site' })
    products.push(product)
  }
  if (errors.length) throw validationProblem(errors)
  return products
}

/** Several visit products sold together at one price; inventory deducts every component or none. */
export const packageRoutes = catalogueResource({
  noun: 'package',
  tag: 'Catalogue: packages',
  table: packages,
  idPrefix: 'pkg',
  schema: packageRecord,
  create: packageInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: { siteId: v.optional(v.string()) },
  where: (f) => [f.siteId ? eq(packages.siteId, f.siteId) : undefined],
  check: async (c, pkg, organizerId) => {
    await checkPackage(c, pkg, organizerId)
  },
})
