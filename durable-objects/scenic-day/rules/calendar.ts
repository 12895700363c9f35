// Dates of visits as YYYY-MM-DD in the site's time zone.

/** Formatters by time zone: building one costs far more than using it, and a hold path asks for today often. */
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** Today's date in a time zone, as YYYY-MM-DD. */
export function dateIn(timezone: string, at = new Date()): string {
  let format = dayFormats.get(timezone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    })
    dayFormats.set(timezone, format)
  }
  return format.format(at)
}

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** Whether a visit on `date` can be booked `today`: not in the past, and within the booking window. */
export const bookable = (date: string, today: string, daysAhead: number) =>
  date >= today && date <= addDays(today, daysAhead)
