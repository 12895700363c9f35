import * as v from 'valibot'

/** An integer query parameter with bounds and a default (query strings arrive as text). */
export const queryInteger = (min: number, max: number, fallback: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^-?\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(min),
      v.maxValue(max),
    ),
    String(fallback),
  )

export const queryBoolean = v.optional(
  v.pipe(
    v.picklist(['true', 'false']),
    v.transform((s) => s === 'true'),
  ),
)

export const pageQuery = {
  limit: queryInteger(1, 200, 50),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(64))),
}

/** Accepts any ISO-8601 timestamp with offset and stores it as UTC, so text comparison orders by time. */
export const isoDateTime = v.pipe(
  v.string(),
  v.isoTimestamp('must be an ISO-8601 timestamp with offset'),
  // The format check lets through days a month lacks (02-31) and offsets Date cannot read (+08).
  v.check((s) => {
    if (!v.ISO_TIMESTAMP_REGEX.test(s)) return true // already refused above
    const [year, month, day] = s.slice(0, 10).split('-').map(Number)
    const date = new Date(Date.UTC(year!, month! - 1, day))
    return date.getUTCDate() === day && !Number.isNaN(Date.parse(s))
  }, 'must be an ISO-8601 timestamp with offset'),
  v.transform((s) => new Date(s).toISOString()),
)
export const isoDate = v.pipe(v.string(), v.isoDate('must be a date YYYY-MM-DD'))
export const nonEmpty = (max = 200) =>
  v.pipe(v.string(), v.trim(), v.minLength(1, 'must not be empty'), v.maxLength(max))
/**
 * An optional English name beside an organizer's main (Chinese) one: English pages show it, falling back to the
 * main name. Blank clears it.
 */
export const englishName = (max = 200) =>
  v.optional(
    v.nullable(
      v.pipe(
        v.string(),
        v.trim(),
        v.maxLength(max),
        v.transform((text) => text || null),
      ),
    ),
  )
export const money = v.pipe(
  v.number(),
  v.integer('must be whole minor units (fen)'),
  v.minValue(0),
  v.maxValue(100_000_000),
)

/**
 * Keyset pagination: queries fetch `limit + 1` rows; this trims the extra one and, when it existed,
 * returns the last item's cursor so the client asks for the next page with `cursor`.
 */
export function page<T>(
  rows: T[],
  limit: number,
  cursorOf: (row: T) => string = (row) => String((row as { id: unknown }).id),
) {
  const items = rows.slice(0, limit)
  const last = items.at(-1)
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null }
}
