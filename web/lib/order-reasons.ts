// Why an order is in its state, in the reader's language, from the stable code and params the order APIs return
// (worker/domain/order-status-reason.ts). The table is typed by the code list, so a new server code fails the type
// check here; the server's English `statusReason` is never shown.
import type { OrderStatusReasonCode } from '../../worker/domain/order-status-reason.ts'
import { formatDateTime } from './format.ts'
import type { Locale } from './i18n.ts'

type Params = Record<string, string | number | boolean> | null | undefined
type Text = (params: Record<string, string | number | boolean>, locale: Locale) => string

const refundedEn = (p: Record<string, unknown>) => (p.refunded ? ' Your payment was refunded in full.' : '')
const refundedZh = (p: Record<string, unknown>) => (p.refunded ? '已全额退款。' : '')

const en: Record<OrderStatusReasonCode, Text> = {
  hold_expired: () => 'Not paid before the hold expired.',
  paid_late_tickets_kept: () =>
    'Paid after the hold expired; the same tickets were still free and are yours.',
  paid_late_refunded: () =>
    'The payment arrived after the hold expired and the tickets were gone. It was refunded in full.',
  paid_late_offer_gone: () =>
    'The payment arrived after the hold expired and the coupon had been used up meanwhile. It was refunded in full.',
  paid_after_cancel_refunded: () =>
    'The order was cancelled before the payment arrived. It was refunded in full.',
  rebook_replaced_gone_refunded: () =>
    'The tickets this rebooking replaces were refunded or moved before the payment arrived. It was refunded in full.',
  rebook_lines_refunded: () => 'The tickets to be rebooked were refunded by the organizer.',
  rebooked_to: (p) => `Rebooked to order ${p.order}.`,
  group_left: (p) => `You left the group buy before it succeeded.${refundedEn(p)}`,
  group_lapsed: (p) => `Not paid before your place in the group ran out.${refundedEn(p)}`,
  group_failed: (p, locale) =>
    `The group did not reach ${p.minSize} paid members by ${formatDateTime(String(p.deadline), locale)}.${refundedEn(p)}`,
  group_paid_late: (p) => `Paid after leaving the group buy or after it closed.${refundedEn(p)}`,
  group_join_failed: () => 'The group buy could not record your membership.',
  group_closed_while_joining: () => 'The group closed while you were joining.',
  deposit_late_refunded: () =>
    'The deposit arrived after the hold expired and the seats were gone. It was refunded in full.',
  balance_unpaid_forfeited: (p) =>
    `The balance was not paid by its due time, so the seats went back on sale. ${p.refunded ? 'The deposit was refunded.' : 'The deposit is not returned.'}`,
}

const zh: Record<OrderStatusReasonCode, Text> = {
  hold_expired: () => '未在锁座时限内付款，订单已过期。',
  paid_late_tickets_kept: () => '付款晚于锁座时限，但原票仍未售出，已为您保留。',
  paid_late_refunded: () => '付款晚于锁座时限，所选票已售出，款项已全额退回。',
  paid_late_offer_gone: () => '付款晚于锁座时限，所用优惠券已被领完，款项已全额退回。',
  paid_after_cancel_refunded: () => '付款到账前订单已取消，款项已全额退回。',
  rebook_replaced_gone_refunded: () => '付款到账前，待改签的原票已退款或改签，款项已全额退回。',
  rebook_lines_refunded: () => '待改签的原票已由主办方退款。',
  rebooked_to: (p) => `已改签至订单 ${p.order}。`,
  group_left: (p) => `您在拼团成功前退出了拼团。${refundedZh(p)}`,
  group_lapsed: (p) => `未在拼团名额保留时限内付款。${refundedZh(p)}`,
  group_failed: (p, locale) =>
    `拼团未能在 ${formatDateTime(String(p.deadline), locale)} 前凑满 ${p.minSize} 人付款。${refundedZh(p)}`,
  group_paid_late: (p) => `付款时您已退出拼团或拼团已结束。${refundedZh(p)}`,
  group_join_failed: () => '未能记录您的拼团成员身份。',
  group_closed_while_joining: () => '您加入时拼团已结束。',
  deposit_late_refunded: () => '定金晚于锁座时限到账，座位已售出，定金已全额退回。',
  balance_unpaid_forfeited: (p) =>
    `尾款未在截止前支付，座位已重新开售，${p.refunded ? '定金已原路退回。' : '定金不予退还。'}`,
}

const texts: Record<Locale, Record<OrderStatusReasonCode, Text>> = { en, 'zh-CN': zh }

/** The reason in the reader's language, or null when the order has none (or a code this app does not know yet). */
export function orderReasonText(
  order: { statusReasonCode?: string | null; statusReasonParams?: Params },
  locale: Locale,
): string | null {
  const code = order.statusReasonCode as OrderStatusReasonCode | null | undefined
  const text = code ? texts[locale][code] : undefined
  return text ? text(order.statusReasonParams ?? {}, locale) : null
}
