import { secureHeaders } from 'hono/secure-headers'
import { commonSecurityHeaders, workerCsp } from '../domain/security-headers.ts'

// Security headers (their values: worker/domain/security-headers.ts). The worker's own answers (the API, and its
// few HTML pages: the API reference, the sandbox checkout and the dev mailbox, which use inline styles and forms
// posting to themselves, no scripts) get them from `securityHeaders` below. The web apps are static assets the
// worker never sees: web/build.ts writes the same headers, with a policy for scripts the apps need, into
// web/dist/_headers, which Workers static assets (and `wrangler dev`) apply.

const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

/** Hono's secureHeaders with the values above, for everything the worker answers. */
export const securityHeaders = secureHeaders({
  contentSecurityPolicy: Object.fromEntries(workerCsp.map(([name, sources]) => [camel(name), sources])),
  strictTransportSecurity: commonSecurityHeaders['Strict-Transport-Security'],
  xContentTypeOptions: commonSecurityHeaders['X-Content-Type-Options'],
  xFrameOptions: commonSecurityHeaders['X-Frame-Options'],
  referrerPolicy: commonSecurityHeaders['Referrer-Policy'],
  crossOriginOpenerPolicy: commonSecurityHeaders['Cross-Origin-Opener-Policy'],
  permissionsPolicy: {
    camera: ['self'],
    microphone: [],
    geolocation: [],
    payment: [],
    usb: [],
  },
})
