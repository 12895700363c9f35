import { env } from 'cloudflare:workers'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../worker/db/client.ts'
import { runScheduledJobs } from '../../../worker/scheduled.ts'
import { KIOSK_SILENT_MINUTES, raiseSilentKiosks } from '../../../worker/services/kiosks/health.ts'
import { today } from '../../support/analytics.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import {
  idNumberFor,
  ok,
  type ScenicFixture,
  scenicSiteOnSale,
  shanghaiDate,
} from '../../support/catalogue.ts'
import { GateClient } from '../../support/gate.ts'
import { WebhookReceiver } from '../../support/webhook-receiver.ts'

let receiver: WebhookReceiver
beforeEach(() => {
  receiver = new WebhookReceiver().install()
})
afterEach(() => vi.unstubAllGlobals())

async function enrollKiosk(site: ScenicFixture, name = 'Kiosk East') {
  const { code } = await ok(
    site.owner.post(`${site.base}/kiosk-enrollments`, { kioskName: name, siteId: site.siteId }),
    201,
  )
  const body = await ok(new ApiClient().post('/api/kiosk/enroll', { code }), 201)
  return { code, body, client: new GateClient(body.deviceToken), id: body.kiosk.id as string }
}

const beat = (paperLevel: number, extra: Record<string, unknown> = {}) => ({
  appVersion: '1.0.0',
  printerState: 'ready',
  paperLevel,
  errors: [],
  ...extra,
})

const alertEvents = (kioskId: string) =>
  env.DB.prepare(
    "SELECT payload FROM outbox_events WHERE topic = 'kiosk.alert' AND json_extract(payload, '$.kioskId') = ?",
  )
    .bind(kioskId)
    .all<{ payload: string }>()
    .then((r) => r.results.map((row) => JSON.parse(row.payload)))

describe('kiosk enrollment', () => {
  it('enrolls once with a code, hands the catalogue of its site, and is refused once revoked', async () => {
    const site = await scenicSiteOnSale()
    const kiosk = await enrollKiosk(site)
    expect(kiosk.body.kiosk).toMatchObject({
      name: 'Kiosk East',
      siteId: site.siteId,
      organizerId: site.organizerId,
    })
    // Only stand-alone ticket types: the cable car needs a gate ticket, so it is not offered.
    const ids = kiosk.body.catalogue.products.map((p: { id: string }) => p.id)
    expect(ids).toEqual(expect.arrayContaining([site.gateProduct, site.childProduct]))
    expect(ids).not.toContain(site.cableCarProduct)
    // A code works once.
    const again = await new ApiClient().post('/api/kiosk/enroll', { code: kiosk.code })
    expect(again.status).toBe(400)
    expect((await problemOf(again)).code).toBe('enrollment_code_invalid')

    expect((await kiosk.client.post('/api/kiosk/heartbeat', beat(80))).status).toBe(200)
    expect((await site.owner.fetch(`${site.base}/kiosks/${kiosk.id}`, { method: 'DELETE' })).status).toBe(204)
    const refused = await kiosk.client.post('/api/kiosk/heartbeat', beat(80))
    expect(refused.status).toBe(401)
    expect((await problemOf(refused)).code).toBe('unauthorized')
    expect((await kiosk.client.get('/api/kiosk/catalogue')).status).toBe(401)
    // Another organizer cannot revoke (or see) this kiosk.
    const other = await scenicSiteOnSale()
    expect((await other.owner.fetch(`${other.base}/kiosks/${kiosk.id}`, { method: 'DELETE' })).status).toBe(
      404,
    )
    const list = await ok(other.owner.get(`${other.base}/kiosks`))
    expect(list.items).toEqual([])
  })

  it('a token of a gate device or a forged one is not a kiosk token', async () => {
    const forged = new GateClient('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJrZHZfeCJ9.c2lnbmF0dXJl')
    expect((await forged.post('/api/kiosk/heartbeat', beat(50))).status).toBe(401)
  })
})

describe('kiosk heartbeat and alerts', () => {
  it('records the heartbeat, names the catalogue version, and it changes when the organizer changes a price', async () => {
    const site = await scenicSiteOnSale()
    const kiosk = await enrollKiosk(site)
    const first = await ok(
      kiosk.client.post('/api/kiosk/heartbeat', beat(70, { lastSaleAt: '2026-12-05T10:00:00.000Z' })),
    )
    expect(first.catalogueVersion).toBe(kiosk.body.catalogue.version)
    const listed = await ok(site.manager.get(`${site.base}/kiosks`))
    expect(listed.items[0]).toMatchObject({
      id: kiosk.id,
      status: 'online',
      appVersion: '1.0.0',
      printerState: 'ready',
      paperLevel: 70,
      lastSaleAt: '2026-12-05T10:00:00.000Z',
      openAlerts: [],
    })
    // ETag: unchanged catalogue → 304.
    const etag = `"${first.catalogueVersion}"`
    expect(
      (await kiosk.client.fetch('/api/kiosk/catalogue', { headers: { 'if-none-match': etag } })).status,
    ).toBe(304)
    await ok(
      site.owner.fetch(`${site.base}/visit-products/${site.gateProduct}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ price: 13500 }),
      }),
    )
    const second = await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(70)))
    expect(second.catalogueVersion).not.toBe(first.catalogueVersion)
    const fresh = await kiosk.client.fetch('/api/kiosk/catalogue', { headers: { 'if-none-match': etag } })
    expect(fresh.status).toBe(200)
    const catalogue = (await fresh.json()) as { products: { id: string; price: number }[] }
    expect(catalogue.products.find((p) => p.id === site.gateProduct)!.price).toBe(13500)
  })

  it('low paper raises one alert and one kiosk.alert per episode, resolved by a refill', async () => {
    const site = await scenicSiteOnSale()
    await ok(
      site.owner.post(`${site.base}/webhook-endpoints`, {
        url: 'https://hooks.test/kiosk',
        eventTypes: ['kiosk.alert'],
      }),
      201,
    )
    const kiosk = await enrollKiosk(site)
    await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(40)))
    expect(await alertEvents(kiosk.id)).toEqual([])
    // Three low heartbeats at once and in a row: one alert.
    await Promise.all([10, 9, 8].map((level) => ok(kiosk.client.post('/api/kiosk/heartbeat', beat(level)))))
    await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(0, { printerState: 'paper_out' })))
    expect(await alertEvents(kiosk.id)).toEqual([
      expect.objectContaining({ kind: 'paper_low', kioskName: 'Kiosk East' }),
    ])
    const open = await ok(site.manager.get(`${site.base}/kiosk-alerts?open=true`))
    expect(open.items).toHaveLength(1)
    expect(open.items[0]).toMatchObject({ kioskId: kiosk.id, kind: 'paper_low', resolvedAt: null })
    // Refilled: resolved; running low again is a new episode.
    await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(100)))
    expect((await ok(site.manager.get(`${site.base}/kiosk-alerts?open=true`))).items).toEqual([])
    await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(12)))
    expect(await alertEvents(kiosk.id)).toHaveLength(2)
    await runScheduledJobs(env)
    await vi.waitFor(() => expect(receiver.to('/kiosk')).toHaveLength(2), { timeout: 5000 })
    expect(JSON.parse(receiver.to('/kiosk')[0]!.body)).toMatchObject({
      type: 'kiosk.alert',
      data: { kioskId: kiosk.id, kind: 'paper_low' },
    })
  })

  it('silence: the cron raises one alert and sends one kiosk.alert webhook; a heartbeat ends it', async () => {
    const site = await scenicSiteOnSale()
    await ok(
      site.owner.post(`${site.base}/webhook-endpoints`, {
        url: 'https://hooks.test/silent',
        eventTypes: ['kiosk.alert'],
      }),
      201,
    )
    const kiosk = await enrollKiosk(site)
    await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(90)))
    await runScheduledJobs(env) // beating: nothing
    expect(await alertEvents(kiosk.id)).toEqual([])
    const later = (minutes: number) => new Date(Date.now() + minutes * 60_000)
    // Two cron runs while silent, and one racing the second: one alert, one event, one delivery.
    await runScheduledJobs(env, later(KIOSK_SILENT_MINUTES + 1))
    await Promise.all([
      runScheduledJobs(env, later(KIOSK_SILENT_MINUTES + 2)),
      runScheduledJobs(env, later(KIOSK_SILENT_MINUTES + 2)),
    ])
    const events = await alertEvents(kiosk.id)
    expect(events).toEqual([expect.objectContaining({ kind: 'silent', kioskId: kiosk.id })])
    await vi.waitFor(() => expect(receiver.to('/silent')).toHaveLength(1), { timeout: 5000 })
    const listed = await ok(site.manager.get(`${site.base}/kiosks`))
    expect(listed.items[0].openAlerts).toEqual([expect.objectContaining({ kind: 'silent' })])
    // It beats again: resolved, and the console shows it online.
    await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(90)))
    const back = await ok(site.manager.get(`${site.base}/kiosks`))
    expect(back.items[0]).toMatchObject({ status: 'online', openAlerts: [] })
    await new Promise((r) => setTimeout(r, 200))
    expect(receiver.to('/silent')).toHaveLength(1)
  })

  it('a revoked kiosk is never reported silent, and its open alerts end with it', async () => {
    const site = await scenicSiteOnSale()
    const kiosk = await enrollKiosk(site)
    await ok(kiosk.client.post('/api/kiosk/heartbeat', beat(5)))
    expect((await ok(site.manager.get(`${site.base}/kiosk-alerts?open=true`))).items).toHaveLength(1)
    expect((await site.owner.fetch(`${site.base}/kiosks/${kiosk.id}`, { method: 'DELETE' })).status).toBe(204)
    expect((await ok(site.manager.get(`${site.base}/kiosk-alerts?open=true`))).items).toEqual([])
    await raiseSilentKiosks(openDatabase(env.DB), new Date(Date.now() + 60 * 60_000))
    expect((await alertEvents(kiosk.id)).map((e) => e.kind)).toEqual(['paper_low'])
  })
})

describe('kiosk sale', () => {
  it('sells a real-name scenic ticket on the kiosk channel, with the kiosk id; it appears in the channel report', async () => {
    const site = await scenicSiteOnSale()
    const kiosk = await enrollKiosk(site)
    const date = shanghaiDate(0)
    const day = await ok(kiosk.client.get(`/api/kiosk/days/${date}`))
    expect(day.products.map((p: { id: string }) => p.id)).toContain(site.gateProduct)
    const session = `s-${crypto.randomUUID().slice(0, 12)}`
    const hold = await ok(
      kiosk.client.post('/api/kiosk/holds', {
        session,
        date,
        lines: [
          {
            productId: site.gateProduct,
            slot: '10:00',
            visitor: { name: '王小明', idNumber: idNumberFor(7) },
          },
        ],
      }),
      201,
    )
    const key = `kiosk-${crypto.randomUUID()}`
    const order = () =>
      kiosk.client.fetch('/api/kiosk/orders', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ session, date, holdId: hold.id, phone: '13800138000' }),
      })
    const created = await ok(order(), 201)
    expect(created.checkoutUrl).toContain('/api/payments/sandbox/checkout/')
    expect((await ok(order(), 201)).orderId).toBe(created.orderId) // retried: the same order
    // Another session of the same kiosk cannot order this hold.
    const foreign = await kiosk.client.fetch('/api/kiosk/orders', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `kiosk-${crypto.randomUUID()}` },
      body: JSON.stringify({ session: 'another-session', date, holdId: hold.id }),
    })
    expect(foreign.status).toBeGreaterThanOrEqual(400)

    const pending = await ok(kiosk.client.get(`/api/kiosk/orders/${created.orderId}`))
    expect(pending).toMatchObject({ status: 'pending', tickets: [] })
    // The visitor pays on their phone (the sandbox checkout, opened by the pay link's key, not a buyer cookie).
    const link = new URL(created.checkoutUrl)
    const phone = new ApiClient()
    expect((await phone.get(link.pathname)).status).toBe(404) // without the key: not theirs
    expect((await phone.get(`${link.pathname}?k=${'0'.repeat(32)}`)).status).toBe(404) // a made-up key
    const page = await (await phone.get(`${link.pathname}${link.search}`)).text()
    // The page's buttons post to the pay link (with the page's language after it), as a phone's browser would.
    const action = /action="([^"]+)"/.exec(page)![1]!.replaceAll('&amp;', '&')
    expect(action).toBe(`${link.pathname}/complete${link.search}&lang=zh-CN`)
    const paidPage = await phone.fetch(action, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://tickets.test' },
      body: 'outcome=pay',
    })
    expect(paidPage.status).toBe(200)
    const paid = await ok(kiosk.client.get(`/api/kiosk/orders/${created.orderId}`))
    expect(paid.status).toBe('paid')
    expect(paid.tickets).toHaveLength(1)
    expect(paid.tickets[0].token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)

    const row = await env.DB.prepare('SELECT channel, buyer_id FROM orders WHERE id = ?')
      .bind(created.orderId)
      .first<{ channel: string; buyer_id: string }>()
    expect(row).toEqual({ channel: 'kiosk', buyer_id: `kiosk:${kiosk.id}:${session}` })
    const audit = await env.DB.prepare(
      'SELECT actor FROM audit_events WHERE order_id = ? ORDER BY at LIMIT 1',
    )
      .bind(created.orderId)
      .first<{ actor: string }>()
    expect(audit!.actor).toContain(kiosk.id)
    // Another kiosk cannot read it.
    const other = await enrollKiosk(site, 'Kiosk West')
    expect((await other.client.get(`/api/kiosk/orders/${created.orderId}`)).status).toBe(404)

    const listed = await ok(site.manager.get(`${site.base}/kiosks`))
    expect(listed.items.find((k: { id: string }) => k.id === kiosk.id).salesToday).toBe(1)
    await vi.waitFor(
      async () => {
        await runScheduledJobs(env)
        const r = await ok(
          site.manager.get(`${site.base}/reports/analytics/channels?from=${today()}&to=${today()}`),
        )
        expect(r.byChannel).toEqual([expect.objectContaining({ channel: 'kiosk', net: 12000, tickets: 1 })])
      },
      { timeout: 10_000, interval: 500 },
    )
  })
})
