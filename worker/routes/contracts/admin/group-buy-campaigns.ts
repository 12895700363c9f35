import * as v from 'valibot'
import { groupBuyCampaignStatuses } from '../../../db/schema.ts'
import { englishName, money, nonEmpty } from '../../query.ts'
import { recordOf } from '../common.ts'

const count = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max))

export const groupBuyCampaignInput = v.object({
  name: nonEmpty(),
  /** Optional English name; English pages show it, falling back to `name`. */
  nameEn: englishName(),
  description: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(2000)))),
  showIds: v.pipe(v.array(v.pipe(v.string(), v.maxLength(64))), v.minLength(1), v.maxLength(50)),
  /** Group price per price category (minor units). */
  groupPrices: v.pipe(
    v.record(v.pipe(v.string(), v.minLength(1), v.maxLength(32)), money),
    v.check((prices) => Object.keys(prices).length > 0, 'give a group price for at least one category'),
  ),
  minSize: count(2, 100),
  maxSize: count(2, 200),
  /** How long a group stays open (minutes, up to 30 days); never past the show's sale end. */
  lifetimeMinutes: v.optional(count(5, 30 * 24 * 60), 24 * 60),
  perBuyerLimit: v.optional(count(1, 10), 4),
  leaderDiscount: v.optional(money, 0),
  /** 虚拟成团: organizer-funded completion at the deadline. Off unless the organizer opts in. */
  autoComplete: v.optional(v.boolean(), false),
  status: v.optional(v.picklist(groupBuyCampaignStatuses), 'active'),
})

export const groupBuyCampaignRecord = recordOf({
  ...groupBuyCampaignInput.entries,
  nameEn: v.nullable(v.string()),
  description: v.nullable(v.string()),
})

export type GroupBuyCampaignRecord = v.InferOutput<typeof groupBuyCampaignRecord>
