// Names people read on tickets and seat maps, built from structured data in the reader's language rather than
// taken from the server's English label: "C排9座" / "Row C, seat 9", price zones by name, never by code.

// The seat wording lives in a pure domain module so the worker's messages say seats the same way as the pages.
import { type SeatPlace, seatName } from '../../worker/domain/seat-names.ts'
import type { Locale } from './i18n.ts'

export {
  type SeatPlace,
  seatName,
  seatNames,
  seatNumber,
  sectionTitle,
} from '../../worker/domain/seat-names.ts'

/** A section key's names from a list of named sections (a seat map's or a gate scope's), for `seatName`. */
export function withSectionNames<T extends SeatPlace>(
  seat: T,
  sections: readonly { key: string; name: string; nameEn?: string | null }[] | null | undefined,
): T {
  const named = seat.section ? sections?.find((s) => s.key === seat.section) : undefined
  return named ? { ...seat, sectionName: named.name, sectionNameEn: named.nameEn ?? null } : seat
}

/** An organizer's name with its optional English one (event, price category, scenic product or package). */
export interface TwoLanguageName {
  name: string
  nameEn?: string | null
}

/** The name for the reader: the English one on English pages when the organizer gave one, else the main name. */
export function localName(named: TwoLanguageName, locale: Locale): string {
  return locale === 'en' && named.nameEn ? named.nameEn : named.name
}

/** A show's event name for the reader (show summaries carry `eventName` / `eventNameEn`). */
export function eventTitle(show: { eventName: string; eventNameEn?: string | null }, locale: Locale): string {
  return localName({ name: show.eventName, nameEn: show.eventNameEn }, locale)
}

/** A venue's or scenic site's city for the reader (records carry `city` / `cityEn`): 上海 / Shanghai. */
export function cityName(place: { city: string; cityEn?: string | null }, locale: Locale): string {
  return localName({ name: place.city, nameEn: place.cityEn }, locale)
}

/** A show's venue (hall) for the reader (show summaries carry `venueName` / `venueNameEn`). */
export function venueTitle(show: { venueName: string; venueNameEn?: string | null }, locale: Locale): string {
  return localName({ name: show.venueName, nameEn: show.venueNameEn }, locale)
}

export interface NamedCategory extends TwoLanguageName {
  code: string
}

/**
 * A price zone's name for its code (the show's or venue's categories); an unknown code gives a neutral word in
 * the reader's language instead of the code itself.
 */
export function categoryName(
  code: string | null | undefined,
  categories: NamedCategory[],
  locale: Locale,
): string {
  const found = categories.find((category) => category.code === code)
  if (found) return localName(found, locale)
  return locale === 'zh-CN' ? '票档' : 'Price zone'
}

/** An order line in the reader's language: the seat with its section, or the scenic product and entry slot. */
export function orderLineName(
  line: {
    place?: SeatPlace | null
    seatLabel?: string | null
    product?: string | null
    productEn?: string | null
    slot?: string | null
  },
  locale: Locale,
): string {
  if (line.place) return seatName(line.place, locale, { section: true })
  if (line.product) {
    const product = localName({ name: line.product, nameEn: line.productEn }, locale)
    return line.slot ? `${product} · ${line.slot}` : product
  }
  if (!line.seatLabel) return ''
  // A seat the map no longer knows: its label read as `section-row-number` when it has that form, else as it is.
  const parts = line.seatLabel.split('-')
  return parts.length >= 3 ? seatName({ row: parts.at(-2)!, number: parts.at(-1)! }, locale) : line.seatLabel
}

/**
 * A seat label in the venue's default form `section-row-number` (e.g. Hall-C-9, what a ticket carries) read back
 * as section, row and number, given the venue's section names; null for a label in another form.
 */
export function seatFromLabel(
  label: string,
  sections: readonly string[],
): { section: string; row: string; number: string; label: string } | null {
  // The longest matching section first, so "Stalls-East" wins over "Stalls".
  const section = [...sections].sort((a, b) => b.length - a.length).find((s) => label.startsWith(`${s}-`))
  if (!section) return null
  const rest = label.slice(section.length + 1)
  const cut = rest.lastIndexOf('-')
  if (cut <= 0 || cut === rest.length - 1) return null
  return { section, row: rest.slice(0, cut), number: rest.slice(cut + 1), label }
}
