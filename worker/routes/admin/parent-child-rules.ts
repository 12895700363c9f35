import { eq } from 'drizzle-orm'
import * as v from 'valibot'
import { parentChildRules, scenicSites, visitProducts } from '../../db/schema.ts'
import { type FieldError, validationProblem } from '../../problem.ts'
import { parentChildRuleInput, parentChildRuleRecord } from '../contracts/admin/parent-child-rules.ts'
import { catalogueResource } from './catalogue-resource.ts'
import { referenced } from './references.ts'

type ProductRow = { siteId: string; kind: string }

/** 父子票: the child product (cable car, show) may only be sold to holders of the parent (gate) ticket that day. */
export const parentChildRuleRoutes = catalogueResource({
  noun: 'parent-child rule',
  tag: 'Catalogue: parent-child rules',
  table: parentChildRules,
  idPrefix: 'pcr',
  schema: parentChildRuleRecord,
  create: parentChildRuleInput,
  readRoles: ['owner', 'manager', 'gate'],
  filters: { siteId: v.optional(v.string()) },
  where: (f) => [f.siteId ? eq(parentChildRules.siteId, f.siteId) : undefined],
  check: async (c, rule, organizerId) => {
    await referenced(c, scenicSites, rule.siteId, organizerId, 'siteId', 'scenic site')
    const parent = await referenced<ProductRow>(
      c,
      visitProducts,
      rule.parentProductId,
      organizerId,
      'parentProductId',
      'visit product',
    )
    const child = await referenced<ProductRow>(
      c,
      visitProducts,
      rule.childProductId,
      organizerId,
      'childProductId',
      'visit product',
    )
    const errors: FieldError[] = []
    if (rule.parentProductId === rule.childProductId)
      errors.push({ path: 'json.childProductId', message: 'must differ from the parent' })
    if (parent.kind !== 'entry')
      errors.push({ path: 'json.parentProductId', message: 'the parent must be an entry (gate) ticket' })
    if (parent.siteId !== rule.siteId)
      errors.push({ path: 'json.parentProductId', message: 'belongs to another site' })
    if (child.siteId !== rule.siteId)
      errors.push({ path: 'json.childProductId', message: 'belongs to another site' })
    if (errors.length) throw validationProblem(errors)
  },
})
