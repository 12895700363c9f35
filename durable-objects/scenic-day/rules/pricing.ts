import { PriceBook, type PriceSchedule, type SeatQuote } from '../../../worker/domain/price-schedule.ts'
import {
  type DatePrice,
  daysAhead,
  type PriceAudience,
  priceOnDate,
} from '../../../worker/domain/scenic-price-calendar.ts'
import type { ScenicHoldRequest } from '../contract.ts'
import type { DayConfig } from './day-config.ts'

// What a day's tickets cost: each product's (or package's) price on this date for the hold's channel
// (scenic-price-calendar.ts), then its tiers from the day's PriceBook, whose counters live here beside the
// capacity they price, so "the first 200 of a day" is exact whatever the interleaving of holds.

/** A package's tiers are counted under their own category. */
export const packageCategory = (packageId: string) => `pkg:${packageId}`

/** One line's quote, as written into the hold and charged by the order. */
export interface LineQuote {
  price: number
  /** The day's price for the channel before any tier. */
  listPrice: number
  tier: string | null
  /** The tier counter the line took a place in (a package's first line only); null otherwise. */
  key: string | null
  /** A date rule or tier naming the hold's channel set the price (an OTA partner then pays it). */
  channelPriced: boolean
}

/** The day's PriceBook for `config`, its counters taken from `taken` (tier key → places held or sold). */
export function dayPriceBook(config: DayConfig, taken = new Map<string, number>()): PriceBook {
  const schedules: PriceSchedule[] = []
  for (const product of Object.values(config.products))
    if (product.pricing?.tiers.length) schedules.push({ category: product.id, tiers: product.pricing.tiers })
  for (const [id, pkg] of Object.entries(config.packages))
    if (pkg.pricing?.tiers.length) schedules.push({ category: packageCategory(id), tiers: pkg.pricing.tiers })
  return new PriceBook({ schedules, flashSales: [] }, {}, taken)
}

const audienceOf = (request: Pick<ScenicHoldRequest, 'channel' | 'partner'>): PriceAudience => ({
  channel: request.channel,
  ...(request.partner ? { partner: true } : {}),
})

/** The date price of a product or package for a channel on the day. */
export function datePrice(config: DayConfig, category: string, audience: PriceAudience): DatePrice {
  const item = category.startsWith('pkg:') ? config.packages[category.slice(4)]! : config.products[category]!
  return priceOnDate(item.price, item.pricing?.dates, config.date, audience)
}

/** The quotes of a hold's lines at `now`, without counting them (see `countQuotes`). */
export function quoteHold(
  config: DayConfig,
  book: PriceBook,
  request: Pick<ScenicHoldRequest, 'channel' | 'partner' | 'packageId' | 'lines'>,
  now: number,
): LineQuote[] {
  const audience = audienceOf(request)
  const ahead = daysAhead(config.date, now, config.timezone)
  const named = (date: DatePrice, tiered: boolean) => date.channelNamed || (!!request.partner && tiered)
  if (request.packageId) {
    const category = packageCategory(request.packageId)
    const date = datePrice(config, category, audience)
    const [tier] =
      book.quote([category], now, undefined, {
        ...audience,
        daysAhead: ahead,
        listPrices: { [category]: date.price },
      }) ?? []
    const weights = request.lines.map((line) => config.products[line.productId]!.price)
    const prices = spread(tier?.price ?? date.price, weights)
    const lists = spread(date.price, weights)
    return prices.map((price, k) => ({
      price,
      listPrice: lists[k]!,
      tier: tier?.tier ?? null,
      key: k === 0 ? (tier?.key ?? null) : null,
      channelPriced: named(date, !!tier),
    }))
  }
  const categories = request.lines.map((line) => line.productId)
  const dates = new Map(categories.map((id) => [id, datePrice(config, id, audience)]))
  const listPrices = Object.fromEntries([...dates].map(([id, d]) => [id, d.price]))
  const tiers = book.quote(categories, now, undefined, { ...audience, daysAhead: ahead, listPrices })
  return categories.map((id, k) => {
    const date = dates.get(id)!
    const tier = tiers?.[k]
    return {
      price: tier?.price ?? date.price,
      listPrice: date.price,
      tier: tier?.tier ?? null,
      key: tier?.key ?? null,
      channelPriced: named(date, !!tier),
    }
  })
}

/** A hold's tier places taken (+1) or given back (-1) in the day's book. */
export function countQuotes(book: PriceBook, quotes: readonly { key: string | null }[], sign: 1 | -1) {
  const seats: SeatQuote[] = quotes.flatMap((q) =>
    q.key ? [{ price: 0, listPrice: 0, tier: null, key: q.key }] : [],
  )
  book.count(seats, { holderId: '', idNumbers: [] }, sign)
}

/** A total spread over lines by weight (list prices); the last line takes the rounding. */
export function spread(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1
  const shares = weights.map((w) => Math.floor((w * total) / sum))
  shares[shares.length - 1]! += total - shares.reduce((a, b) => a + b, 0)
  return shares
}

/** The price a buyer on `channel` pays now for one of each product and package (the shop's calendar). */
export function dayPrices(config: DayConfig, book: PriceBook, audience: PriceAudience, now: number) {
  const ahead = daysAhead(config.date, now, config.timezone)
  const one = (category: string) => {
    const date = datePrice(config, category, audience)
    const current = book.has(category)
      ? book.current(category, now, undefined, {
          ...audience,
          daysAhead: ahead,
          listPrices: { [category]: date.price },
        })
      : null
    return {
      price: current?.price ?? date.price,
      listPrice: date.price,
      tier: current?.tier ?? null,
      dateLabel: date.label,
    }
  }
  return {
    products: (id: string) => one(id),
    packages: Object.keys(config.packages)
      .filter((id) => config.packages[id]!.status === 'active')
      .map((id) => ({ id, ...one(packageCategory(id)) })),
  }
}
