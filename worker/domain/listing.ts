// The shop home groups shows by their event (one card per film or concert) with a from-price and sold-out state,
// as cinema and concert apps do. Pure: the listing service feeds it the rows from D1 and the actors' counts.

/** What one show's actor says about its categories (price and seats left), or null when it could not be asked. */
export interface ShowCounts {
  onSale: boolean
  categories: { price: number; available: number }[]
}

export interface ListedShowRow {
  id: string
  eventId: string
  startsAt: string
  venueName: string
  /** The venue's optional English name. */
  venueNameEn: string | null
  city: string
  /** The city's optional English name. */
  cityEn: string | null
  /** The show's prices per category from the catalogue (used when its actor's counts are unknown). */
  prices: Record<string, number>
  saleStartsAt: string
  saleEndsAt: string
}

export interface ListedShow {
  id: string
  startsAt: string
  venueName: string
  venueNameEn: string | null
  onSale: boolean
  soldOut: boolean
  /** Cheapest category with seats left; when none are left, the cheapest at all (null without prices). */
  fromPrice: number | null
}

export interface EventSummary {
  venues: string[]
  /** The same venues for English pages: each one's English name, else its main name. */
  venuesEn: string[]
  cities: string[]
  /** The same cities for English pages: each one's English name, else its main name. */
  citiesEn: string[]
  firstStartsAt: string
  lastStartsAt: string
  /** Cheapest seat of the shows on sale with seats left; otherwise of any listed show. */
  fromPrice: number | null
  onSale: boolean
  /** Every listed show is sold out. */
  soldOut: boolean
  shows: ListedShow[]
}

const cheapest = (prices: number[]) => (prices.length ? Math.min(...prices) : null)

export function listedShow(row: ListedShowRow, counts: ShowCounts | null, now: number): ListedShow {
  if (!counts) {
    const onSale = Date.parse(row.saleStartsAt) <= now && now < Date.parse(row.saleEndsAt)
    return {
      id: row.id,
      startsAt: row.startsAt,
      venueName: row.venueName,
      venueNameEn: row.venueNameEn,
      onSale,
      soldOut: false,
      fromPrice: cheapest(Object.values(row.prices)),
    }
  }
  const left = counts.categories.filter((c) => c.available > 0)
  const soldOut = counts.categories.length > 0 && left.length === 0
  return {
    id: row.id,
    startsAt: row.startsAt,
    venueName: row.venueName,
    venueNameEn: row.venueNameEn,
    onSale: counts.onSale,
    soldOut,
    fromPrice: cheapest((soldOut ? counts.categories : left).map((c) => c.price)),
  }
}

/** One event's card from its listed shows (soonest first). */
export function summarizeEvent(rows: ListedShowRow[], shows: ListedShow[]): EventSummary {
  const selling = shows.filter((s) => s.onSale && !s.soldOut)
  const prices = (list: ListedShow[]) => list.flatMap((s) => (s.fromPrice === null ? [] : [s.fromPrice]))
  return {
    venues: [...new Set(rows.map((r) => r.venueName))],
    venuesEn: [...new Set(rows.map((r) => r.venueNameEn ?? r.venueName))],
    cities: [...new Set(rows.map((r) => r.city))],
    citiesEn: [...new Set(rows.map((r) => r.cityEn ?? r.city))],
    firstStartsAt: rows[0]!.startsAt,
    lastStartsAt: rows.at(-1)!.startsAt,
    fromPrice: cheapest(prices(selling)) ?? cheapest(prices(shows)),
    onSale: selling.length > 0,
    soldOut: shows.length > 0 && shows.every((s) => s.soldOut),
    shows,
  }
}
