// A seat as people say it, in the reader's language: "C排9座" / "Row C, seat 9", its section by name (池座 /
// Stalls) rather than by key. One wording for the shop, the console, the gate and the messages the platform sends.
import type { Locale } from './locale.ts'

export interface SeatPlace {
  /** The section's key, as in the seat's label (`Stalls` of `Stalls-A-12`). */
  section?: string | null
  /** The section as people read it (池座), and its optional English name (Stalls); without them, the key. */
  sectionName?: string | null
  sectionNameEn?: string | null
  row: string
  /** The seat's number, when the data has it apart from the label. */
  number?: string | null
  /** The venue's label for the seat; by default `section-row-number` (e.g. Hall-C-9). */
  label?: string | null
}

/** The seat's own number: given, or read from a default label `section-row-number`, else the label as it is. */
export function seatNumber(seat: SeatPlace): string {
  if (seat.number) return seat.number
  const label = seat.label ?? ''
  const prefix = seat.section ? `${seat.section}-${seat.row}-` : undefined
  if (prefix && label.startsWith(prefix)) return label.slice(prefix.length)
  const last = label.split('-').at(-1)
  return last && /^\d+$/.test(last) ? last : label
}

/** A seat's section for the reader: its name (or English name on English pages), else its key. */
export function sectionTitle(
  seat: Pick<SeatPlace, 'section' | 'sectionName' | 'sectionNameEn'>,
  locale: Locale,
): string {
  const name = seat.sectionName || seat.section || ''
  return locale === 'en' && seat.sectionNameEn ? seat.sectionNameEn : name
}

/**
 * "C排9座" (zh-CN) or "Row C, seat 9" (en); with `section: true` the section leads: "池座 C排9座" / "Stalls, row C,
 * seat 9". Venues with one section (a cinema hall) read better without it.
 */
export function seatName(seat: SeatPlace, locale: Locale, options: { section?: boolean } = {}): string {
  const number = seatNumber(seat)
  const section = options.section && seat.section ? sectionTitle(seat, locale) : undefined
  if (locale === 'zh-CN') return `${section ? `${section} ` : ''}${seat.row}排${number}座`
  return section ? `${section}, row ${seat.row}, seat ${number}` : `Row ${seat.row}, seat ${number}`
}

/** Several seats as one line: "C排9座、C排10座" / "Row C, seat 9; Row C, seat 10". */
export function seatNames(seats: SeatPlace[], locale: Locale, options: { section?: boolean } = {}): string {
  return seats.map((seat) => seatName(seat, locale, options)).join(locale === 'zh-CN' ? '、' : '; ')
}
