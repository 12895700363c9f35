// The security headers every answer carries and the Content-Security-Policies, as plain data: the worker applies
// them to its own answers (worker/middleware/security-headers.ts) and web/build.ts writes them into
// web/dist/_headers for the static web apps, which the worker never sees.

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

/** Cloudflare Turnstile, the waiting room's bot check: its script and its widget's frame (loaded only when a site key is set). */
const turnstileOrigin = 'https://challenges.cloudflare.com'

/**
 * What the web apps may load: their own scripts plus the one inline boot script (by hash), their own styles,
 * images (QR codes as data: URLs), API and live-seat WebSocket, service worker and manifest; and Turnstile.
 */
export function pageCsp(bootScriptSha256: string): CspDirectives {
  return [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'", `'sha256-${bootScriptSha256}'`, turnstileOrigin]],
    ['frame-src', [turnstileOrigin]],
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
