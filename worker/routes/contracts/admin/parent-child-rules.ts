import * as v from 'valibot'
import { recordOf } from '../common.ts'

export const parentChildRuleInput = v.object({
  siteId: v.string(),
  parentProductId: v.string(),
  childProductId: v.string(),
  matchBy: v.optional(v.picklist(['phone', 'id_number', 'phone_or_id_number']), 'phone_or_id_number'),
  onParentRefund: v.optional(v.picklist(['block', 'cascade']), 'block'),
})

export const parentChildRuleRecord = recordOf(parentChildRuleInput.entries)

export type ParentChildRuleRecord = v.InferOutput<typeof parentChildRuleRecord>
