// What the platform captures for its reports (issue 23): the kinds of event, where a buyer came from and on what
// kind of device, and the organizer's calendar day an event falls on. Pure: the worker, the queue consumer and the
// shop share it.

/** Browser-side kinds (the beacon) and server-side kinds (routes and order-event subscribers). */
export const beaconKinds = ['listing_view', 'show_view', 'day_view', 'seat_map_open'] as const
export const serverKinds = ['hold', 'order', 'paid', 'refund', 'rebook', 'redemption'] as const
export const analyticsKinds = [...beaconKinds, ...serverKinds] as const
export type BeaconKind = (typeof beaconKinds)[number]
export type AnalyticsKind = (typeof analyticsKinds)[number]

export const deviceClasses = ['mobile', 'tablet', 'desktop', 'bot', 'unknown'] as const
export type DeviceClass = (typeof deviceClasses)[number]

/** Where a visit came from, as the landing page's address and referrer told it. Never a person. */
export interface TrafficSource {
  referrerHost?: string
  utmSource?: string
  utmMedium?: string
  utmCampaign?: string
  /** A distributor's share code (`?ref=`). */
  ref?: string
}

/** Device class from a User-Agent: coarse on purpose (no model, no version). */
export function deviceClassOf(userAgent: string | undefined | null): DeviceClass {
  if (!userAgent) return 'unknown'
  const ua = userAgent.toLowerCase()
  if (/bot|crawl|spider|slurp|headless|curl\/|wget\/|python-requests|httpclient/.test(ua)) return 'bot'
  if (/ipad|tablet|kindle|silk\/|playbook|(android(?!.*mobile))/.test(ua)) return 'tablet'
  if (/mobi|iphone|ipod|android|micromessenger|harmonyos|windows phone/.test(ua)) return 'mobile'
  if (/windows nt|macintosh|x11|cros|linux/.test(ua)) return 'desktop'
  return 'unknown'
}

/** The host of a referrer URL, lower-case without `www.`; null for none, a bad URL, or this site itself. */
export function referrerHostOf(referrer: string | undefined | null, ownHost?: string): string | null {
  if (!referrer) return null
  try {
    const host = new URL(referrer).hostname.toLowerCase().replace(/^www\./, '')
    if (!host || (ownHost && host === ownHost.toLowerCase().replace(/^www\./, ''))) return null
    return host
  } catch {
    return null
  }
}

/**
 * The one source key rollups are grouped by: a distributor's code first (`ref:CODE`), then `utm_source`, then the
 * referring site (`site:host`), else `direct`. The detail (medium, campaign) stays in the raw event.
 */
export function sourceKeyOf(source: TrafficSource | undefined): string {
  if (source?.ref) return `ref:${source.ref}`
  if (source?.utmSource) return source.utmSource.toLowerCase()
  if (source?.referrerHost) return `site:${source.referrerHost}`
  return 'direct'
}

const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone (the organizer's, e.g. Asia/Shanghai). */
export function localDayOf(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone)
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-CA', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      })
    } catch {
      format = new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Asia/Shanghai',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      })
    }
    dayFormats.set(timeZone, format)
  }
  return format.format(at)
}

/** Splits `total` over `weights` in proportion, exactly (the remainder goes to the last share). */
export function splitInProportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0)
  if (weights.length === 0) return []
  if (sum <= 0) return weights.map((_, i) => (i === weights.length - 1 ? total : 0))
  let given = 0
  return weights.map((w, i) => {
    if (i === weights.length - 1) return total - given
    const share = Math.floor((total * w) / sum)
    given += share
    return share
  })
}
