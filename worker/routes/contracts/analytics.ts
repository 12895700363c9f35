import * as v from 'valibot'
import { beaconKinds } from '../../domain/analytics-events.ts'

// What the shop's beacon may say: a page kind, the ids of what it shows, and where the visit came from. Nothing
// about the person: unknown fields are refused, and no source value may carry an address (`@`) or a long run of
// digits (a phone or ID number pasted into a campaign link).
const catalogueId = v.pipe(v.string(), v.regex(/^[a-z]{2,8}_[A-Za-z0-9_-]{1,60}$/, 'not a catalogue id'))
const sourceValue = v.pipe(
  v.string(),
  v.minLength(1),
  v.maxLength(100),
  v.regex(/^[^@\s<>"]+$/, 'no addresses or spaces'),
  v.check((value) => !/\d{7,}/.test(value), 'no long numbers (phone or ID numbers are never sources)'),
)

export const trafficSourceSchema = v.strictObject({
  referrerHost: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9.-]{1,253}$/, 'a host name, lower case'))),
  utmSource: v.optional(sourceValue),
  utmMedium: v.optional(sourceValue),
  utmCampaign: v.optional(sourceValue),
  ref: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,40}$/, 'a share code'))),
})

export const beaconInput = v.pipe(
  v.strictObject({
    kind: v.picklist(beaconKinds),
    showId: v.optional(catalogueId),
    siteId: v.optional(catalogueId),
    /** The day page's visit date (scenic). */
    date: v.optional(v.pipe(v.string(), v.isoDate())),
    source: v.optional(trafficSourceSchema),
  }),
  v.check(
    (b) =>
      b.kind === 'listing_view'
        ? !b.showId && !b.siteId
        : b.kind === 'day_view'
          ? !!b.siteId
          : !!b.showId || !!b.siteId,
    'a show or day page names its show (showId) or site (siteId); the listing names neither',
  ),
)
export type BeaconInput = v.InferOutput<typeof beaconInput>
