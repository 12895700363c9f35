import { desc, eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { html } from 'hono/html'
import { describeRoute } from 'hono-openapi'
import { outgoingMessages } from '../db/schema.ts'
import { loadDemo } from '../demo/seed.ts'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'

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
    responses: { 200: { description: 'What the demo contains' }, 404: { description: 'Not in development' } },
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
    return c.json(await loadDemo(c.env.DB, { ownerEmail, password }))
  },
)

devRoutes.get(
  '/mailbox',
  describeRoute({
    tags: ['Development'],
    summary: 'Messages the platform sent (sign-in codes, reminders), newest first (development only)',
    responses: { 200: { description: 'Messages' } },
  }),
  async (c) => {
    const to = c.req.query('to')
    const rows = await c
      .get('db')
      .select()
      .from(outgoingMessages)
      .where(to ? eq(outgoingMessages.to, to.trim().toLowerCase()) : undefined)
      .orderBy(desc(outgoingMessages.createdAt))
      .limit(100)
    return c.json({ items: rows })
  },
)

devRoutes.get(
  '/mailbox/page',
  describeRoute({
    tags: ['Development'],
    summary: 'The dev mailbox as a page',
    responses: { 200: { description: 'HTML' } },
  }),
  async (c) => {
    const rows = await c
      .get('db')
      .select()
      .from(outgoingMessages)
      .orderBy(desc(outgoingMessages.createdAt))
      .limit(100)
    return c.html(html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>Dev mailbox</title>
<style>body{font:15px system-ui;max-width:50rem;margin:1rem auto}article{border-bottom:1px solid #ddd;padding:.5rem 0}</style></head>
<body><h1>Dev mailbox</h1>${rows.map((m) => html`<article><strong>${m.subject}</strong><br><small>to ${m.to} · ${m.createdAt}</small><p>${m.body}</p></article>`)}</body></html>`)
  },
)
