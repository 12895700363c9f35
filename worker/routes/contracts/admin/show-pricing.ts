import * as v from 'valibot'
import { amount } from '../common.ts'

// A show's price schedules and flash sales as the admin API takes and answers them. Numbers and dates are taken
// loosely here on purpose: worker/domain/price-schedule-check.ts judges them with the rest of the schedule, so
// one `validation` problem lists every bad field (a negative price beside an overlap).

const label = v.pipe(v.string(), v.trim(), v.maxLength(40))
const when = v.pipe(v.string(), v.maxLength(40), v.description('ISO-8601 timestamp with offset'))

export const priceTierInput = v.object({
  label,
  /** Minor units, at most the category's list price. */
  price: v.number(),
  startsAt: v.optional(v.nullable(when)),
  endsAt: v.optional(v.nullable(when)),
  /** Seats sold at this price before the next tier applies. */
  quantity: v.optional(v.nullable(v.number())),
})

/** A step of the list price by sell-through; whole percents, checked with the rest of the schedule. */
export const priceStepInput = v.object({
  /** Share of the category held or sold (1..99) from which the step applies, above the step before. */
  atPercentSold: v.number(),
  /** Change to the list price in whole percent (-50..200, not 0). */
  percent: v.number(),
  /** What buyers see beside the price. */
  label: v.optional(v.nullable(label)),
})

export const priceScheduleInput = v.object({
  category: v.pipe(v.string(), v.maxLength(32)),
  /** In order: a buyer is quoted the first tier whose window is open and that has places left, else the list price. */
  tiers: v.pipe(v.array(priceTierInput), v.maxLength(10)),
  /** Whether a refunded ticket gives its place in the tier back (default no). */
  reopenOnRefund: v.optional(v.boolean(), false),
  /**
   * Steps of the list price by sell-through (seats no tier prices): each seat pays the step its category had
   * reached when it was held, rounded to a whole yuan (a whole minor unit in currencies without decimals).
   */
  steps: v.optional(v.pipe(v.array(priceStepInput), v.maxLength(10))),
  /** Lowest and highest stepped price, minor units. */
  floor: v.optional(v.nullable(v.number())),
  ceiling: v.optional(v.nullable(v.number())),
})

export const flashSaleInput = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/, 'lowercase letters, digits, - and _ (1-32)')),
  label,
  category: v.pipe(v.string(), v.maxLength(32)),
  price: v.number(),
  units: v.number(),
  startsAt: when,
  endsAt: when,
  perBuyer: v.number(),
})

export const showPricingInput = v.object({
  schedules: v.pipe(v.array(priceScheduleInput), v.maxLength(20)),
  flashSales: v.pipe(v.array(flashSaleInput), v.maxLength(20)),
})

export const showPricingRecord = v.object({
  showId: v.string(),
  schedules: v.array(
    v.object({
      category: v.string(),
      tiers: v.array(
        v.object({
          label: v.string(),
          price: amount,
          startsAt: v.optional(v.nullable(v.string())),
          endsAt: v.optional(v.nullable(v.string())),
          quantity: v.optional(v.nullable(v.number())),
        }),
      ),
      reopenOnRefund: v.optional(v.boolean()),
      steps: v.optional(
        v.array(
          v.object({
            atPercentSold: v.number(),
            percent: v.number(),
            label: v.optional(v.nullable(v.string())),
          }),
        ),
      ),
      floor: v.optional(v.nullable(amount)),
      ceiling: v.optional(v.nullable(amount)),
    }),
  ),
  flashSales: v.array(
    v.object({
      id: v.string(),
      label: v.string(),
      category: v.string(),
      price: amount,
      units: v.number(),
      startsAt: v.string(),
      endsAt: v.string(),
      perBuyer: v.number(),
    }),
  ),
  updatedAt: v.nullable(v.string()),
  /** Price steps crossed by sell-through, oldest first (the show actor's log). */
  stepHistory: v.optional(
    v.array(
      v.object({
        category: v.string(),
        fromStep: v.number(),
        toStep: v.number(),
        previousPrice: amount,
        price: amount,
        taken: v.number(),
        onSale: v.number(),
        at: v.string(),
        published: v.boolean(),
      }),
    ),
  ),
})

export type ShowPricingInput = v.InferOutput<typeof showPricingInput>
export type ShowPricingRecord = v.InferOutput<typeof showPricingRecord>
