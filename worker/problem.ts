import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { FieldError } from './domain/field-errors.ts'

/** Stable machine-readable error codes; clients branch on these, so never rename one. */
export const problemStatus = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  inventory_busy: 503,
  misconfigured: 503,
} as const satisfies Record<string, ContentfulStatusCode>

/**
 * Every `code` a problem+json answer can carry, from the routes, the services and the inventory actors. The web
 * apps keep a text for each in both languages (web/lib/problem-messages.ts), so an error reads in the page's
 * language; test/tools/problem-codes.test.ts fails when a code is thrown anywhere that is not listed here.
 */
export const problemCodes = [
  ...(Object.keys(problemStatus) as (keyof typeof problemStatus)[]),
  // inventory (show and scenic-day actors)
  'seats_unavailable',
  'seats_not_together',
  'seats_not_priced',
  'sold_out',
  'buyer_limit',
  'hold_limit',
  'viewer_limit',
  'sign_in_required',
  'not_on_sale',
  'presale_code_invalid',
  'presale_code_used_up',
  'parent_ticket_required',
  'not_eligible',
  'hold_not_found',
  'hold_expired',
  'children_unused',
  'order_mismatch',
  'invalid_request',
  // orders, refunds, rebooking, group buys
  'refund_not_allowed',
  'refund_rejected',
  'rebook_pending',
  'price_missing',
  'not_in_group_buy',
  'already_member',
  'group_closed',
  'group_full',
  'group_succeeded',
  // 定金 deposit presale
  'deposit_not_offered',
  'balance_window_closed',
  // promotions: coupons, points, member discounts (issue 21)
  'coupon_invalid',
  'coupon_not_applicable',
  'coupon_expired',
  'coupon_exhausted',
  'coupon_limit_reached',
  'discount_not_combinable',
  'points_insufficient',
  'compensation_not_offered',
  // staff, gates, request hygiene
  'enrollment_code_invalid',
  'invitation_invalid',
  'already_redeemed',
  'csrf_rejected',
  'idempotency_key_reused',
  // partner API
  'bad_signature',
  'unknown_key',
  'partner_disabled',
  'replayed_request',
  'stale_request',
  'partner_order_id_reused',
  'product_not_available',
  'reservation_already_booked',
  'reservation_expired',
  // waiting room (issue 22)
  'admission_required',
  'challenge_failed',
  'queue_id_taken',
  'queue_off',
  // box office (issue 24)
  'shift_open',
  'shift_required',
  'payment_declined',
  'payment_code_unsupported',
  'tender_short',
  'ticket_not_reprintable',
] as const
export type KnownProblemCode = (typeof problemCodes)[number]

export type ProblemCode = keyof typeof problemStatus | (string & {})

export interface ProblemInit {
  code: ProblemCode
  detail?: string
  status?: ContentfulStatusCode
  title?: string
  /** Extension members (RFC 9457 §3.2), e.g. `errors` for validation or `unavailable` for conflicts. */
  extensions?: Record<string, unknown>
  headers?: Record<string, string>
}

const titles: Record<string, string> = {
  validation: 'Request is not valid',
  unauthorized: 'Sign-in required',
  forbidden: 'Not allowed',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  conflict: 'Conflicts with the current state',
  payload_too_large: 'Request body too large',
  unsupported_media_type: 'Unsupported media type',
  rate_limited: 'Too many requests',
  internal: 'Internal error',
  inventory_busy: 'Inventory busy',
  misconfigured: 'Deployment misconfigured',
}

/** An error that becomes an RFC 9457 problem+json response in the app's error handler. */
export class Problem extends Error {
  readonly code: ProblemCode
  readonly status: ContentfulStatusCode
  readonly title: string
  readonly extensions: Record<string, unknown>
  readonly headers: Record<string, string>

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title ?? String(init.code))
    this.code = init.code
    this.status = init.status ?? (problemStatus as Record<string, ContentfulStatusCode>)[init.code] ?? 400
    this.title = init.title ?? titles[init.code] ?? String(init.code)
    this.extensions = init.extensions ?? {}
    this.headers = init.headers ?? {}
  }

  body(instance?: string, requestId?: string) {
    return {
      type: `https://errors.edge-ticketing.dev/${this.code}`,
      title: this.title,
      status: this.status,
      code: this.code,
      detail: this.message,
      ...(instance ? { instance } : {}),
      ...(requestId ? { requestId } : {}),
      ...this.extensions,
    }
  }
}

export const notFound = (what: string) => new Problem({ code: 'not_found', detail: `${what} was not found` })
export const conflict = (detail: string, extensions?: Record<string, unknown>) =>
  new Problem({ code: 'conflict', detail, extensions })
export const forbidden = (detail = 'Your role does not allow this') =>
  new Problem({ code: 'forbidden', detail })

export type { FieldError }

export const validationProblem = (errors: FieldError[], detail?: string) =>
  new Problem({
    code: 'validation',
    detail: detail ?? `${errors.length} field${errors.length === 1 ? '' : 's'} failed validation`,
    extensions: { errors },
  })
