// Stored codes as people read them: audit actions, who acted, payment and refund states. Unknown codes read as a
// generic label in the page's language (the code stays in a tooltip for support).
import type { RefundReasonCode } from '../../worker/domain/refund-reason.ts'
import type { Locale, Translate } from '../lib/i18n.ts'
import { orderReasonText } from '../lib/order-reasons.ts'
import type { AdminKey } from './messages.ts'

const auditActions = [
  'order.created',
  'order.paid',
  'order.confirmed',
  'order.cancelled',
  'order.expired',
  'order.rebooked',
  'order.refunded',
  'order.deposit_paid',
  'order.forfeited',
  'payment.succeeded',
  'payment.failed',
  'payment.refunded_automatically',
  'refund.requested',
  'refund.rejected',
  'refund.price_difference',
  'ticket.redeemed',
  'group_buy.started',
  'group_buy.joined',
  'group_buy.left',
  'group_buy.paid',
  'group_buy.open',
  'group_buy.succeeded',
  'group_buy.failed',
] as const

const auditKey = (action: string) => `audit_${action.replace('.', '_')}` as AdminKey

export function auditActionLabel(t: Translate<AdminKey>, action: string): string {
  return (auditActions as readonly string[]).includes(action) ? t(auditKey(action)) : t('auditOther')
}

/** `buyer:…`, `staff:…`, `system:expiry`, `provider:sandbox`, `partner:…`, `GroupBuy`. */
export function actorLabel(t: Translate<AdminKey>, actor: string, staffNames: Map<string, string>): string {
  const [kind, rest = ''] = actor.split(/:(.*)/s)
  switch (kind) {
    case 'buyer':
      return t('actorBuyer')
    case 'staff':
      return staffNames.get(rest) ?? t('actorStaff')
    case 'system':
      return rest === 'expiry' ? t('actorSystemExpiry') : t('actorSystem')
    case 'provider':
      return t('actorProvider')
    case 'partner':
      return t('actorPartner')
    case 'GroupBuy':
      return t('actorGroupBuy')
    default:
      return t('actorSystem')
  }
}

const orderStatuses = [
  'pending',
  'paid',
  'partially_refunded',
  'refunded',
  'cancelled',
  'expired',
  'deposit_paid',
  'forfeited',
]
export const orderStatusLabel = (t: Translate<AdminKey>, status: string | null) =>
  status == null ? '—' : orderStatuses.includes(status) ? t(`order_${status}` as AdminKey) : t('auditOther')

const paymentStatuses = ['created', 'succeeded', 'failed', 'refunded', 'partially_refunded']
export const paymentStatusLabel = (t: Translate<AdminKey>, status: string) =>
  paymentStatuses.includes(status) ? t(`payment_${status}` as AdminKey) : status

const refundStatuses = ['pending', 'succeeded', 'failed']
export const refundStatusLabel = (t: Translate<AdminKey>, status: string) =>
  refundStatuses.includes(status) ? t(`refundState_${status}` as AdminKey) : status

export const providerLabel = (t: Translate<AdminKey>, provider: string) =>
  provider === 'sandbox' ? t('provider_sandbox') : provider === 'stripe' ? 'Stripe' : t('provider_partner')

/** Why a webhook endpoint is off, as one phrase ("Disabled by ann@…", "Disabled: the receiver answered 410 Gone"). */
/**
 * Why a refund was made, in the console's language, from its code (`reasonCode` / `reasonParams`); refunds of
 * orders that could not be fulfilled say the order's own reason, staff's words read as typed.
 */
export function refundReasonLabel(
  t: Translate<AdminKey>,
  refund: { reason: string; reasonCode?: RefundReasonCode; reasonParams?: Record<string, string> },
  order: {
    statusReasonCode?: string | null
    statusReasonParams?: Record<string, string | number | boolean> | null
  },
  locale: Locale,
): string {
  const params = refund.reasonParams ?? {}
  switch (refund.reasonCode) {
    case 'order_status':
      return orderReasonText(order, locale) ?? refund.reason
    case 'note':
    case undefined:
      return params.note ?? refund.reason
    default:
      return t(`s7names_refund_${refund.reasonCode}`, params)
  }
}

export function disabledText(t: Translate<AdminKey>, reason: string | null): string {
  if (!reason) return t('disabledState')
  const by = reason.match(/^disabled by (.+)$/i)
  if (by) return t('disabledBy', { who: by[1]! })
  if (/410/.test(reason)) return t('disabledGone')
  return t('disabledState')
}
