// Reading what analytics captured (test/worker/services/analytics/), and a browser that keeps every cookie.
import { env } from 'cloudflare:workers'
import { vi } from 'vitest'
import { localDayOf } from '../../worker/domain/analytics-events.ts'
import { ApiClient } from './api.ts'

export const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
export const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15'
export const today = () => localDayOf(new Date(), 'Asia/Shanghai')

/** A browser: every cookie the site sets (buyer, visit source) goes back, with its own User-Agent. */
export class Browser extends ApiClient {
  readonly jar = new Map<string, string>()
  constructor(
    readonly userAgent = IPHONE,
    readonly address?: string,
  ) {
    super()
  }
  override async fetch(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    headers.set('user-agent', this.userAgent)
    if (this.address) headers.set('cf-connecting-ip', this.address)
    this.cookie = [...this.jar].map(([name, value]) => `${name}=${value}`).join('; ') || undefined
    const res = await super.fetch(path, { ...init, headers })
    for (const set of res.headers.getSetCookie()) {
      const pair = set.split(';')[0]!
      const at = pair.indexOf('=')
      this.jar.set(pair.slice(0, at), pair.slice(at + 1))
    }
    return res
  }
  beacon = (body: Record<string, unknown>) => this.post('/api/analytics/beacon', body)
}

export type RollupRow = {
  kind: string
  day: string
  event_id: string
  show_id: string
  site_id: string
  product_id: string
  category: string
  channel: string
  source: string
  device: string
  buyer_type: string
  events: number
  orders: number
  tickets: number
  amount: number
}

export async function rollups(organizerId: string) {
  const { results } = await env.DB.prepare(
    'SELECT * FROM analytics_daily WHERE organizer_id = ? ORDER BY kind, product_id, category, buyer_type',
  )
    .bind(organizerId)
    .all<RollupRow>()
  return results
}

export const byKind = (rows: RollupRow[], kind: string) => rows.filter((r) => r.kind === kind)

/** Waits (polling D1) until the queue consumer and the order-event subscribers have stored what `check` expects. */
export const eventually = (check: () => Promise<void>) =>
  vi.waitFor(check, { timeout: 25_000, interval: 250 })

export async function allAnalyticsText(): Promise<string> {
  const tables = [
    'analytics_events',
    'analytics_daily',
    'analytics_pending_visitors',
    'analytics_visitor_daily',
    'analytics_buyers',
    'analytics_buyer_months',
    'analytics_sales_daily',
    'analytics_sales_monthly',
    'analytics_traffic_daily',
    'analytics_traffic_monthly',
    'analytics_buyer_type_daily',
    'analytics_buyer_type_monthly',
    'analytics_visitor_monthly',
    'analytics_cohort_counts',
  ]
  const dumps = await Promise.all(tables.map((t) => env.DB.prepare(`SELECT * FROM ${t}`).all()))
  return JSON.stringify(dumps.map((d) => d.results))
}

export async function sha256Hex(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}
