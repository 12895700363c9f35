// Page beacons for the organizers' funnels (issue 23): a listing, show or day page seen, a seat map opened. Sent with
// `navigator.sendBeacon` (never delays the page, survives navigation) to POST /api/analytics/beacon. Where the visit
// came from (`utm_*`, a distributor's `ref`, the referring site) is read once from the landing address and kept for
// the tab's session; nothing about the person is ever sent.
import { useEffect } from 'preact/hooks'
import type { BeaconInput } from '../../worker/routes/contracts/analytics.ts'

type Source = NonNullable<BeaconInput['source']>
const STORAGE_KEY = 'visit-source'
const BEACON_URL = '/api/analytics/beacon'

/** What the server accepts as a source value; anything else is left out rather than refusing the beacon. */
const fits = (value: string | null | undefined): value is string =>
  !!value && value.length <= 100 && /^[^@\s<>"]+$/.test(value) && !/\d{7,}/.test(value)

/** Reads the landing page's source; call before anything strips `?ref=` from the address. A new source replaces the old. */
export function rememberLandingSource() {
  try {
    const params = new URLSearchParams(location.search)
    const source: Source = {}
    const utmSource = params.get('utm_source')
    const utmMedium = params.get('utm_medium')
    const utmCampaign = params.get('utm_campaign')
    const ref = params.get('ref')
    if (fits(utmSource)) source.utmSource = utmSource
    if (fits(utmMedium)) source.utmMedium = utmMedium
    if (fits(utmCampaign)) source.utmCampaign = utmCampaign
    if (ref && /^[A-Za-z0-9_-]{1,40}$/.test(ref)) source.ref = ref
    if (document.referrer) {
      const host = new URL(document.referrer).hostname.toLowerCase().replace(/^www\./, '')
      if (host && host !== location.hostname.replace(/^www\./, '') && /^[a-z0-9.-]{1,253}$/.test(host))
        source.referrerHost = host
    }
    if (Object.keys(source).length) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(source))
  } catch {
    // No storage (private mode) or a malformed referrer: the visit counts as direct.
  }
}

function landingSource(): Source | undefined {
  try {
    const stored = sessionStorage.getItem(STORAGE_KEY)
    return stored ? (JSON.parse(stored) as Source) : undefined
  } catch {
    return undefined
  }
}

export type PageBeacon = Omit<BeaconInput, 'source'>

export function sendPageBeacon(beacon: PageBeacon) {
  const source = landingSource()
  const body = JSON.stringify(source ? { ...beacon, source } : beacon)
  try {
    if (navigator.sendBeacon?.(BEACON_URL, new Blob([body], { type: 'application/json' }))) return
  } catch {
    // Fall through to fetch.
  }
  fetch(BEACON_URL, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
    keepalive: true,
    credentials: 'same-origin',
  }).catch(() => 0)
}

/** Sends `beacon` once each time `key` changes to something (null: nothing to report yet). */
export function usePageBeacon(beacon: PageBeacon | null, key: string | null) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: one beacon per distinct key, whatever the object identity
  useEffect(() => {
    if (beacon && key !== null) sendPageBeacon(beacon)
  }, [key])
}
