import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
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
