import { csrf } from 'hono/csrf'
import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../env.ts'
import { Problem } from '../problem.ts'

// Cross-site request forgery: a page on another site can make a browser send a form-like request (form
// fields, text/plain, or no body) with our cookies, and no CORS preflight stops it. Hono's csrf refuses such
// a state-changing request unless its Origin is this site or the browser marks it Sec-Fetch-Site:
// same-origin. JSON bodies need a preflight, which the API's CORS policy never grants with credentials.
// Callers that do not authenticate with a browser cookie are not checked: the partner API (HMAC-signed),
// payment provider notifications (signed), enrolled gate devices (bearer tokens) and the development-only
// routes (no sign-in; 404 outside development).

const notCookieAuthenticated = [
  /^\/partner\//,
  /^\/api\/gate(\/|$)/,
  /^\/api\/payments\/(stripe\/webhook|sandbox\/notify)$/,
  /^\/api\/dev\//,
]

const sameOrigin = csrf()

export const refuseCrossSiteRequests = createMiddleware<AppEnv>(async (c, next) => {
  if (notCookieAuthenticated.some((path) => path.test(c.req.path))) return next()
  // Only the check runs inside Hono's middleware; it throws a bare 403 when it refuses.
  await sameOrigin(c, async () => {}).catch(() => {
    throw new Problem({
      code: 'csrf_rejected',
      status: 403,
      title: 'Cross-site request refused',
      detail: 'State-changing requests must come from this site (Origin or Sec-Fetch-Site: same-origin)',
    })
  })
  await next()
})
