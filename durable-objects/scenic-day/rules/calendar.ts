import { venueDate } from '../../../worker/domain/scenic-price-calendar.ts'

// Dates of visits as YYYY-MM-DD in the site's time zone.

/** Today's date in a time zone, as YYYY-MM-DD (the venue's calendar, shared with the price rules). */
export const dateIn = (timezone: string, at = new Date()): string => venueDate(timezone, at)

export const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10)

/** Whether a visit on `date` can be booked `today`: not in the past, and within the booking window. */
export const bookable = (date: string, today: string, daysAhead: number) =>
  date >= today && date <= addDays(today, daysAhead)
