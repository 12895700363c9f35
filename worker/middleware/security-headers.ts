import { secureHeaders } from 'hono/secure-headers'

// Security headers. The worker's own answers (the API, and its few HTML pages: the API reference, the sandbox
// checkout and the dev mailbox, which use inline styles and forms posting to themselves, no scripts) get them
// from `securityHeaders` below. The web apps are static assets the worker never sees: web/build.ts writes the
// same headers, with a policy for scripts the apps need, into web/dist/_headers, which Workers static assets
// (and `wrangler dev`) apply.

/** Sent on every response, worker and static alike (header name → value). */
export const commonSecurityHeaders = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Same-origin requests keep the full address (the API checks Origin); other sites learn only the origin.
  'Referrer-Policy': 'strict-origin-when-cross-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // The gate scanner reads tickets with the camera; nothing else needs a device.
  'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
} as const

/** Content-Security-Policy directives as `[name, sources]`, serialised by `cspText`. */
export type CspDirectives = [string, string[]][]

export const cspText = (directives: CspDirectives) =>
  directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ')

/** What the worker's HTML may load: no script at all, inline styles, its own images and forms. */
export const workerCsp: CspDirectives = [
  ['default-src', ["'none'"]],
  ['style-src', ["'unsafe-inline'"]],
  ['img-src', ["'self'", 'data:']],
  ['form-action', ["'self'"]],
  ['base-uri', ["'none'"]],
  ['frame-ancestors', ["'none'"]],
]

/**
 * What the web apps may load: their own scripts plus the one inline boot script (by hash), their own styles,
 * images (QR codes as data: URLs), API and live-seat WebSocket, service worker and manifest.
 */
export function pageCsp(bootScriptSha256: string): CspDirectives {
  return [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", `'sha256-${bootScriptSha256}'`]],
    ['style-src', ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['connect-src', ["'self'"]],
    ['worker-src', ["'self'"]],
    ['manifest-src', ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'self'"]],
    ['frame-ancestors', ["'none'"]],
  ]
}

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
