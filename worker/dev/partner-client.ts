// Example OTA partner client: signs every request to /partner/v1 and runs
// products → calendar → reservation → booking (twice: the retry answers the same order) → order query
// → redemption (核销) at a gate → the `ticket.redeemed` webhook, received on a local port and verified with
// the standardwebhooks library, against the local stack (`npm run dev`).
// Run: `npm run partner-client` (Node 22 strips the types).
//
// Credentials: PARTNER_KEY_ID + PARTNER_SECRET from the environment, or else the script signs in as the
// demo owner (DEV_OWNER_EMAIL / DEV_OWNER_PASSWORD, defaults from the README) and creates a partner on
// the demo organizer's `ctrip` channel, printing its key and secret once so you can reuse them.
import { createServer } from 'node:http'
import { Webhook } from 'standardwebhooks'
import { withCheckCharacter } from '../domain/id-number.ts'
import { signPartnerRequest } from '../domain/partner-signature.ts'

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8787'
const organizer = process.env.ORGANIZER_ID ?? 'org_demo'
const channel = process.env.PARTNER_CHANNEL ?? 'ctrip'
const gateProduct = 'prd_demo_adult'
const cableCarProduct = 'prd_demo_cablecar'
const webhookPort = Number(process.env.WEBHOOK_PORT ?? 8799)

async function expectOk(res: Response, what: string) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`)
  return res.json() as Promise<Record<string, any>>
}

type Admin = (path: string, method: string, body?: unknown) => Promise<Response>

/** The organizer's side (demo owner): creates the partner, its webhook endpoint and a gate for this demo. */
async function signInAsOrganizer(): Promise<Admin> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: process.env.DEV_OWNER_EMAIL ?? 'owner@demo.local',
      password: process.env.DEV_OWNER_PASSWORD ?? 'demo-password-2026',
    }),
  })
  await expectOk(login, 'sign in as the demo owner')
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  return (path, method, body) =>
    fetch(`${base}/api/admin/organizers/${organizer}${path}`, {
      method,
      // The Origin a browser on the site would send (the API refuses cookie requests from other sites).
      headers: { 'content-type': 'application/json', cookie, origin: base },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
}

/** Creates a partner with two products at channel prices. */
async function createPartner(admin: Admin): Promise<{ keyId: string; secret: string }> {
  const partner = await expectOk(
    await admin('/partners', 'POST', { name: `Example ${channel} client`, salesChannelCode: channel }),
    'create partner',
  )
  await expectOk(
    await admin(`/partners/${partner.id}/products`, 'PUT', {
      items: [
        { productId: gateProduct, marketPrice: 12000, salePrice: 11000, settlementPrice: 9600 },
        { productId: cableCarProduct, marketPrice: 8000, salePrice: 7600, settlementPrice: 6400 },
      ],
    }),
    'grant products',
  )
  console.log(`created partner ${partner.id} on channel ${channel}`)
  console.log(`  PARTNER_KEY_ID=${partner.keyId} PARTNER_SECRET=${partner.secret}   (shown once)`)
  return { keyId: partner.keyId, secret: partner.secret }
}

/** One signed call: method, path+query, timestamp, nonce and the body's SHA-256 go into the HMAC. */
async function call(
  credentials: { keyId: string; secret: string },
  method: string,
  path: string,
  body?: unknown,
) {
  const text = body === undefined ? '' : JSON.stringify(body)
  const headers = await signPartnerRequest({
    ...credentials,
    method,
    pathWithQuery: `/partner/v1${path}`,
    body: text,
  })
  const started = performance.now()
  const res = await fetch(`${base}/partner/v1${path}`, {
    method,
    headers: { ...headers, ...(text ? { 'content-type': 'application/json' } : {}) },
    ...(text ? { body: text } : {}),
  })
  const ms = Math.round(performance.now() - started)
  const answer = (await res.json()) as Record<string, any>
  console.log(
    `${method} ${path} → ${res.status} in ${ms} ms${res.ok ? '' : ` ${answer.code}: ${answer.detail}`}`,
  )
  if (!res.ok) throw new Error(`${answer.code}`)
  return answer
}

/** A valid (checksummed) PRC ID number for a made-up visitor. */
function sampleIdNumber(): string {
  const serial = String(Math.floor(Math.random() * 1000)).padStart(3, '0')
  return withCheckCharacter(`33010619900${1 + Math.floor(Math.random() * 9)}15${serial}`)
}

const shanghaiDate = (days: number) =>
  new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10)

/** A local receiver for the partner's webhooks: resolves with the first verified event of `type`. */
async function receiveWebhooks(admin: Admin) {
  const endpoint = await expectOk(
    await admin('/webhook-endpoints', 'POST', {
      url: `http://127.0.0.1:${webhookPort}/hooks`,
      eventTypes: ['order.confirmed', 'ticket.redeemed'],
      channel,
    }),
    'create webhook endpoint',
  )
  const verifier = new Webhook(endpoint.secret)
  const waiting = new Map<string, (event: Record<string, any>) => void>()
  const seen = new Map<string, Record<string, any>>()
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      try {
        const event = verifier.verify(body, req.headers as Record<string, string>) as Record<string, any>
        console.log(
          `  webhook ${event.type} received, signature verified (webhook-id ${req.headers['webhook-id']})`,
        )
        seen.set(event.type, event)
        waiting.get(event.type)?.(event)
        res.writeHead(204).end()
      } catch (error) {
        console.log(`  webhook refused: ${error instanceof Error ? error.message : error}`)
        res.writeHead(400).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(webhookPort, '127.0.0.1', resolve))
  console.log(`webhook endpoint ${endpoint.id} → http://127.0.0.1:${webhookPort}/hooks (channel ${channel})`)
  return {
    next: (type: string, timeoutMs = 30_000) =>
      seen.get(type) ??
      new Promise<Record<string, any>>((resolve, reject) => {
        waiting.set(type, resolve)
        setTimeout(() => reject(new Error(`no ${type} webhook within ${timeoutMs} ms`)), timeoutMs)
      }),
    // The endpoint is this run's own; delete it so a later run's receiver is not sent this one's deliveries.
    close: async () => {
      server.close()
      await admin(`/webhook-endpoints/${endpoint.id}`, 'DELETE')
    },
  }
}

async function main() {
  const admin = await signInAsOrganizer()
  const credentials =
    process.env.PARTNER_KEY_ID && process.env.PARTNER_SECRET
      ? { keyId: process.env.PARTNER_KEY_ID, secret: process.env.PARTNER_SECRET }
      : await createPartner(admin)
  const webhooks = await receiveWebhooks(admin)
  const { items } = await call(credentials, 'GET', '/products')
  for (const p of items)
    console.log(`  ${p.productId}  ${p.name}: sale ${p.salePrice} settlement ${p.settlementPrice}`)

  // Today, so the gate below can admit the ticket now (a scenic ticket is valid all its visit day).
  const date = shanghaiDate(0)
  const { days } = await call(credentials, 'GET', `/calendar?from=${date}&to=${shanghaiDate(30)}`)
  const day = days[0]
  console.log(
    `  ${days.length} days; ${date}: ${day.remaining} left for ${channel} (quota ${JSON.stringify(day.channelQuota)})`,
  )

  const visitor = { name: '张三', idNumber: sampleIdNumber(), phone: '13800138000' }
  const reservation = await call(credentials, 'POST', '/reservations', {
    date,
    lines: [
      { productId: gateProduct, slot: day.slots[0].code, visitor },
      { productId: cableCarProduct, visitor },
    ],
  })
  console.log(
    `  reservation ${reservation.reservationId}, total ${reservation.total}, expires ${reservation.expiresAt}`,
  )

  const booking = { partnerOrderId: `CT${Date.now()}`, reservationId: reservation.reservationId }
  const order = await call(credentials, 'POST', '/orders', booking)
  const retry = await call(credentials, 'POST', '/orders', booking)
  console.log(
    `  order ${order.number} ${order.status}; retry answered the same order: ${retry.orderId === order.orderId}`,
  )

  const queried = await call(credentials, 'GET', `/orders/${booking.partnerOrderId}`)
  for (const line of queried.lines) {
    console.log(`  ${line.description} — ticket ${line.ticket.ticketId}: ${line.ticket.code}`)
  }
  await webhooks.next('order.confirmed')

  // The visitor arrives: a gate enrolled by the organizer admits the gate ticket (核销) ...
  const enrollment = await expectOk(
    await admin('/gate-enrollments', 'POST', {
      gateName: 'Example gate',
      direction: 'entry',
      siteId: 'site_demo_mountain',
      fromDate: date,
      toDate: date,
    }),
    'create gate enrollment code',
  )
  const device = await expectOk(
    await fetch(`${base}/api/gate/enroll`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: enrollment.code }),
    }),
    'enroll gate',
  )
  const gateTicket =
    queried.lines.find((l: Record<string, any>) => l.productId === gateProduct) ?? queried.lines[0]
  const check = await expectOk(
    await fetch(`${base}/api/gate/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${device.deviceToken}` },
      body: JSON.stringify({ scan: gateTicket.ticket.code, nonce: `example-${Date.now()}` }),
    }),
    'gate check',
  )
  console.log(`gate: ${check.admit ? 'ADMIT' : `REFUSED (${check.reason})`}`)
  // ... and the partner hears of it through its webhook.
  const redeemed = await webhooks.next('ticket.redeemed')
  console.log(
    `  ticket ${redeemed.data.ticketId} redeemed at ${redeemed.data.gate} (${redeemed.data.redeemedAt})`,
  )
  await webhooks.close()
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
