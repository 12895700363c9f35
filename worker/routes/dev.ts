import { desc, inArray } from 'drizzle-orm'
import { type Context, Hono } from 'hono'
import { html } from 'hono/html'
import { describeRoute } from 'hono-openapi'
import { outgoingMessages } from '../db/schema.ts'
import { loadDemo } from '../demo/seed.ts'
import { readerLocale } from '../domain/locale.ts'
import { formatDateTime } from '../domain/message-format.ts'
import type { AppEnv } from '../env.ts'
import { outboxKickCounts } from '../middleware/outbox-kick.ts'
import { Problem } from '../problem.ts'
import { normalizeContact } from '../services/customer-codes.ts'
import { orderCommitCounts } from '../services/orders/group-commits.ts'
import { dayGatewayName } from '../services/scenic-day.ts'
import { GATEWAY_SHARDS, showGatewayName } from '../services/show-inventory.ts'
import {
  demoSummarySchema,
  holdBatchingSchema,
  mailboxSchema,
  orderCommitsSchema,
  outboxKicksSchema,
} from './contracts/dev.ts'
import { htmlPage, json } from './openapi.ts'

/** Local-development helpers; they answer `not_found` unless ENVIRONMENT is `development`. */
export const devRoutes = new Hono<AppEnv>()

devRoutes.use('*', async (c, next) => {
  if (c.env.ENVIRONMENT !== 'development')
    throw new Problem({ code: 'not_found', detail: 'Not available here' })
  await next()
})

devRoutes.post(
  '/seed',
  describeRoute({
    tags: ['Development'],
    summary: 'Load the demo data (development only; idempotent)',
    responses: {
      200: { description: 'What the demo contains', content: json(demoSummarySchema) },
      404: { description: 'Not in development' },
    },
  }),
  async (c) => {
    const ownerEmail = c.env.DEV_OWNER_EMAIL
    const password = c.env.DEV_OWNER_PASSWORD
    if (!ownerEmail || !password) {
      throw new Problem({
        code: 'validation',
        detail: 'Set DEV_OWNER_EMAIL and DEV_OWNER_PASSWORD in .dev.vars',
      })
    }
    return c.json(await loadDemo(c.env.DB, { ownerEmail, password, images: c.env.IMAGES }))
  },
)

/** The dev mailbox page's own words; the messages on it are in their reader's language already. */
const mailboxTexts = {
  'zh-CN': { title: '开发邮箱', empty: '还没有消息。', to: '收件人' },
  en: { title: 'Dev mailbox', empty: 'No messages yet.', to: 'to' },
} as const

/** Newest first, optionally only those sent to one contact (normalised as at sign-in). */
function mailbox(c: Context<AppEnv>) {
  const to = c.req.query('to')
  let addresses: string[] | undefined
  if (to?.trim()) {
    const contact = normalizeContact(to)
    // An unencoded `+` in a query string arrives as a space, so a bare number also matches its `+` form.
    addresses = /^[0-9]+$/.test(contact) ? [contact, `+${contact}`] : [contact]
  }
  return c
    .get('db')
    .select()
    .from(outgoingMessages)
    .where(addresses ? inArray(outgoingMessages.to, addresses) : undefined)
    .orderBy(desc(outgoingMessages.createdAt), desc(outgoingMessages.id))
    .limit(100)
}

devRoutes.get(
  '/mailbox',
  describeRoute({
    tags: ['Development'],
    summary: 'Messages the platform sent (sign-in codes, reminders), newest first (development only)',
    parameters: [
      { name: 'to', in: 'query', required: false, schema: { type: 'string' }, description: 'Email or phone' },
    ],
    responses: {
      200: { description: 'Messages', content: json(mailboxSchema) },
      404: { description: 'Not in development' },
    },
  }),
  async (c) => c.json({ items: await mailbox(c) }),
)

devRoutes.get(
  '/mailbox/page',
  describeRoute({
    tags: ['Development'],
    summary:
      'The dev mailbox as an HTML page (development only; `?to=` filters as above; `?lang=zh-CN|en`, else the `lang` cookie or Accept-Language)',
    responses: {
      200: { description: 'HTML', content: htmlPage },
      404: { description: 'Not in development' },
    },
  }),
  async (c) => {
    const rows = await mailbox(c)
    const locale = readerLocale({
      explicit: c.req.query('lang'),
      cookie: c.req.header('cookie'),
      acceptLanguage: c.req.header('accept-language'),
    })
    const say = mailboxTexts[locale]
    // hono/html escapes every interpolated value, so message text cannot inject markup.
    return c.html(html`<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${say.title}</title>
<style>body{font:15px system-ui;max-width:50rem;margin:1rem auto;padding:0 1rem}article{border-bottom:1px solid #ddd;padding:.5rem 0}p{white-space:pre-wrap;overflow-wrap:anywhere}</style></head>
<body><h1>${say.title}</h1>${rows.length === 0 ? html`<p>${say.empty}</p>` : ''}${rows.map((m) => html`<article><strong>${m.subject}</strong><br><small>${say.to} ${m.to} · ${formatDateTime(m.createdAt, locale, 'Asia/Shanghai')}</small><p>${m.body}</p></article>`)}</body></html>`)
  },
)

devRoutes.get(
  '/hold-batching',
  describeRoute({
    tags: ['Development'],
    summary:
      'How holds were coalesced for `?showId=` or `?siteId=&date=`: calls the gateways received, batches they sent (development only)',
    parameters: [
      { name: 'showId', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'siteId', in: 'query', required: false, schema: { type: 'string' } },
      { name: 'date', in: 'query', required: false, schema: { type: 'string', format: 'date' } },
    ],
    responses: {
      200: { description: 'Counts since the gateways started', content: json(holdBatchingSchema) },
      404: { description: 'Not in development' },
    },
  }),
  async (c) => {
    const { showId, siteId, date } = c.req.query()
    if (!showId && !(siteId && date))
      throw new Problem({ code: 'validation', detail: 'Give showId, or siteId and date' })
    const gateways = c.env.HOLD_GATEWAY
    let gatewayCalls = 0
    let actorBatches = 0
    for (let shard = 0; shard < GATEWAY_SHARDS; shard++) {
      if (showId) {
        const gateway = gateways.get(gateways.idFromName(showGatewayName(showId, shard)))
        gatewayCalls += await gateway.callsReceived(showId)
        actorBatches += await gateway.batchesSent(showId)
      } else {
        const gateway = gateways.get(gateways.idFromName(dayGatewayName(siteId!, date!, shard)))
        gatewayCalls += await gateway.dayCallsReceived(siteId!, date!)
        actorBatches += await gateway.dayBatchesSent(siteId!, date!)
      }
    }
    return c.json({ gatewayCalls, actorBatches })
  },
)

devRoutes.get(
  '/order-commits',
  describeRoute({
    tags: ['Development'],
    summary:
      'How order batches (creations, confirmations) were group-committed in this isolate: merged batches, fallbacks (development only)',
    responses: {
      200: { description: 'Counts since the isolate started', content: json(orderCommitsSchema) },
      404: { description: 'Not in development' },
    },
  }),
  (c) => c.json({ ...orderCommitCounts }),
)

devRoutes.get(
  '/outbox-kicks',
  describeRoute({
    tags: ['Development'],
    summary:
      'What the outbox publisher runs kicked by writes did in this isolate: runs, events, deliveries, D1 calls (development only)',
    responses: {
      200: { description: 'Counts since the isolate started', content: json(outboxKicksSchema) },
      404: { description: 'Not in development' },
    },
  }),
  (c) => c.json({ ...outboxKickCounts }),
)
