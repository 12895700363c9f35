// Every text the platform sends, once per language: each message kind is a function of typed params that gives
// a subject and a body. Money arrives in minor units and dates as ISO instants with the zone of the venue or site,
// and are written here (worker/domain/message-format.ts); names arrive already in the reader's language.
import type { StaffRole } from '../../db/schema.ts'
import type { Locale } from '../../domain/locale.ts'
import { formatDateTime, formatMoney } from '../../domain/message-format.ts'
import type { GroupDeparture } from '../../domain/order-status-reason.ts'

/** What an order is for, worded for its reader: built by order-subject.ts. */
export interface OrderSubject {
  number: string
  /** The event or the scenic site. */
  title: string
  /** When: the show's start or the visit day, already on the venue's / site's calendar. */
  when: string | null
  /** The venue (hall) of a show; null for a visit. */
  place: string | null
  /** The seats or the products and slots, one line; null when there are none to name. */
  items: string | null
}

/** Why money went back, as the buyer needs to hear it. */
export type RefundCause =
  /** The buyer asked (shop or partner). */
  | 'requested'
  /** The organizer refunded. */
  | 'organizer'
  /** The show was cancelled: every paid order is refunded in full. */
  | 'show_cancelled'
  /** The payment arrived after the hold ran out and the tickets were gone. */
  | 'paid_late'
  /** The payment arrived after the order was cancelled. */
  | 'paid_after_cancel'
  /** A rebooking (改签) that could not happen. */
  | 'rebooking_void'
  /** A rebooking to a cheaper show: the difference goes back. */
  | 'rebook_difference'
  /** A 定金 balance that arrived after the order ended. */
  | 'balance_late'

export interface MessageParams {
  sign_in_code: { code: string; minutes: number }
  staff_invitation: { inviter: string; organizer: string; role: StaffRole; days: number; link: string }
  payment_reminder: { order: OrderSubject; heldUntil: string; timeZone: string }
  /** Tickets issued; `paid` is what this payment charged (a rebooking's difference, 0 for free tickets). */
  order_confirmed: { order: OrderSubject; paid: number; currency: string }
  balance_reminder: {
    order: OrderSubject
    balance: number
    currency: string
    dueAt: string
    timeZone: string
    forfeit: 'refund' | 'keep'
  }
  balance_forfeited: { order: OrderSubject; deposit: number; currency: string; refunded: boolean }
  refunded: { order: OrderSubject; amount: number; currency: string; cause: RefundCause; tickets: number }
  group_succeeded: { order: OrderSubject; minSize: number }
  group_ended: {
    order: OrderSubject
    ended: 'failed' | 'left'
    why: GroupDeparture
    refunded: boolean
    timeZone: string
  }
}

export type MessageKind = keyof MessageParams
export interface MessageText {
  subject: string
  body: string
}
type Catalogue = { [K in MessageKind]: (params: MessageParams[K]) => MessageText }

/** The lines that say what the order is: event, when, where, seats. */
const orderLines = (order: OrderSubject, label: { when: string; place: string; items: string }) =>
  [
    order.title,
    order.when ? `${label.when}${order.when}` : null,
    order.place ? `${label.place}${order.place}` : null,
    order.items ? `${label.items}${order.items}` : null,
  ]
    .filter((line): line is string => line !== null)
    .join('\n')

const zhOrder = (order: OrderSubject) =>
  `订单号：${order.number}\n${orderLines(order, { when: '时间：', place: '场馆：', items: '票品：' })}`
const enOrder = (order: OrderSubject) =>
  `Order ${order.number}\n${orderLines(order, { when: 'When: ', place: 'Venue: ', items: 'Tickets: ' })}`

const zhRoles: Record<StaffRole, string> = {
  owner: '所有者',
  manager: '管理员',
  gate: '检票员',
  box_office: '售票员',
}
const enRoles: Record<StaffRole, string> = {
  owner: 'owner',
  manager: 'manager',
  gate: 'gate staff',
  box_office: 'box-office clerk',
}

const zhRefundCause: Record<RefundCause, string> = {
  requested: '您的退票申请已处理。',
  organizer: '主办方为您办理了退款。',
  show_cancelled: '很抱歉，本场演出已取消，您的订单已全额退款。',
  paid_late: '您的付款在保留时间结束后才到账，所选门票已不再可售，款项已全额退回。',
  paid_after_cancel: '您的付款在订单取消后才到账，款项已全额退回。',
  rebooking_void: '您的改签未能完成，改签所付款项已全额退回。',
  rebook_difference: '改签已完成，新旧票价的差额退还给您。',
  balance_late: '您的尾款在订单结束后才到账，款项已全额退回。',
}
const enRefundCause: Record<RefundCause, string> = {
  requested: 'Your refund request has been processed.',
  organizer: 'The organizer has refunded your order.',
  show_cancelled: 'We are sorry: this show has been cancelled, and your order has been refunded in full.',
  paid_late:
    'Your payment arrived after the hold ran out and the tickets were no longer available, so it has been refunded in full.',
  paid_after_cancel: 'Your payment arrived after the order was cancelled, so it has been refunded in full.',
  rebooking_void: 'Your rebooking could not be completed; what you paid for it has been refunded in full.',
  rebook_difference: 'Your rebooking is done; the difference in price comes back to you.',
  balance_late: 'Your balance payment arrived after the order had ended, so it has been refunded in full.',
}

const zhDeparture = (why: GroupDeparture, timeZone: string): string => {
  switch (why.code) {
    case 'group_left':
      return '您已在成团前退出拼团。'
    case 'group_lapsed':
      return '您未在名额保留时间内付款。'
    case 'group_failed':
      return `拼团未能在 ${formatDateTime(why.deadline, 'zh-CN', timeZone)} 前凑满 ${why.minSize} 位已付款成员。`
    case 'group_paid_late':
      return '您的付款在退出拼团或拼团结束后才到账。'
  }
}
const enDeparture = (why: GroupDeparture, timeZone: string): string => {
  switch (why.code) {
    case 'group_left':
      return 'You left the group buy before it succeeded.'
    case 'group_lapsed':
      return 'Your place was not paid before it ran out.'
    case 'group_failed':
      return `The group did not reach ${why.minSize} paid members by ${formatDateTime(why.deadline, 'en', timeZone)}.`
    case 'group_paid_late':
      return 'Your payment arrived after you left the group buy or after it closed.'
  }
}

const zh: Catalogue = {
  sign_in_code: ({ code, minutes }) => ({
    subject: `登录验证码：${code}`,
    body: `您的验证码是 ${code}，${minutes} 分钟内有效。请勿将验证码告诉他人。`,
  }),
  staff_invitation: ({ inviter, organizer, role, days, link }) => ({
    subject: `邀请您加入 ${organizer}`,
    body:
      `${inviter} 邀请您以${zhRoles[role]}身份加入 ${organizer}。请在 ${days} 天内打开下面的链接接受邀请；` +
      `新账号由您自己设置密码，已有账号请直接登录。\n${link}`,
  }),
  payment_reminder: ({ order, heldUntil, timeZone }) => ({
    subject: `订单 ${order.number} 待付款，请于 ${formatDateTime(heldUntil, 'zh-CN', timeZone)} 前完成支付`,
    body: `${zhOrder(order)}\n\n门票为您保留至 ${formatDateTime(heldUntil, 'zh-CN', timeZone)}，请在此之前完成支付，逾期座位将释放。`,
  }),
  order_confirmed: ({ order, paid, currency }) => ({
    subject: `出票成功：订单 ${order.number}`,
    body:
      `${zhOrder(order)}\n\n${paid > 0 ? `已支付 ${formatMoney(paid, currency)}。` : ''}` +
      '门票已出，入场时请在“我的门票”中出示二维码。',
  }),
  balance_reminder: ({ order, balance, currency, dueAt, timeZone, forfeit }) => ({
    subject: `订单 ${order.number} 请于 ${formatDateTime(dueAt, 'zh-CN', timeZone)} 前支付尾款 ${formatMoney(balance, currency)}`,
    body:
      `${zhOrder(order)}\n\n定金已为您锁定座位。请在 ${formatDateTime(dueAt, 'zh-CN', timeZone)} 前支付尾款 ` +
      `${formatMoney(balance, currency)}，付清后出票。逾期未付，座位将重新开售，定金${forfeit === 'refund' ? '原路退回' : '不予退还'}。`,
  }),
  balance_forfeited: ({ order, deposit, currency, refunded }) => ({
    subject: `订单 ${order.number} 尾款逾期未付，座位已释放`,
    body:
      `${zhOrder(order)}\n\n尾款未在截止时间前支付，座位已重新开售。` +
      (refunded
        ? `定金 ${formatMoney(deposit, currency)} 已原路退回。`
        : `按购票时的定金规则，定金 ${formatMoney(deposit, currency)} 不予退还。`),
  }),
  refunded: ({ order, amount, currency, cause, tickets }) => ({
    subject: `订单 ${order.number} 已退款 ${formatMoney(amount, currency)}`,
    body:
      `${zhOrder(order)}\n\n${zhRefundCause[cause]}` +
      `${tickets > 0 ? `${tickets} 张门票已作废，` : ''}退款 ${formatMoney(amount, currency)} 将原路退回您的支付账户。`,
  }),
  group_succeeded: ({ order, minSize }) => ({
    subject: `拼团成功：订单 ${order.number}`,
    body: `${zhOrder(order)}\n\n您的拼团已凑满 ${minSize} 人，门票已出，可在“我的门票”中查看。`,
  }),
  group_ended: ({ order, ended, why, refunded, timeZone }) => ({
    subject: ended === 'failed' ? `拼团未成功：订单 ${order.number}` : `您已退出拼团：订单 ${order.number}`,
    body: `${zhOrder(order)}\n\n${zhDeparture(why, timeZone)}${refunded ? '您的付款已全额退回。' : ''}所占座位已释放。`,
  }),
}

const en: Catalogue = {
  sign_in_code: ({ code, minutes }) => ({
    subject: `Your sign-in code: ${code}`,
    body: `Your sign-in code is ${code}. It expires in ${minutes} minutes. Never share it with anyone.`,
  }),
  staff_invitation: ({ inviter, organizer, role, days, link }) => ({
    subject: `Invitation to join ${organizer}`,
    body:
      `${inviter} invites you to join ${organizer} as ${enRoles[role]}. Open this link within ${days} days to ` +
      `accept; you choose your own password, or sign in if you already have an account.\n${link}`,
  }),
  payment_reminder: ({ order, heldUntil, timeZone }) => ({
    subject: `Order ${order.number}: pay by ${formatDateTime(heldUntil, 'en', timeZone)}`,
    body: `${enOrder(order)}\n\nYour tickets are held until ${formatDateTime(heldUntil, 'en', timeZone)}. Complete the payment by then to keep them.`,
  }),
  order_confirmed: ({ order, paid, currency }) => ({
    subject: `Your tickets: order ${order.number}`,
    body:
      `${enOrder(order)}\n\n${paid > 0 ? `Paid ${formatMoney(paid, currency)}. ` : ''}` +
      'Your tickets are issued; show the QR code from My tickets at the entrance.',
  }),
  balance_reminder: ({ order, balance, currency, dueAt, timeZone, forfeit }) => ({
    subject: `Order ${order.number}: pay the balance of ${formatMoney(balance, currency)} by ${formatDateTime(dueAt, 'en', timeZone)}`,
    body:
      `${enOrder(order)}\n\nYour deposit holds your seats. Pay the balance of ${formatMoney(balance, currency)} by ` +
      `${formatDateTime(dueAt, 'en', timeZone)} to get your tickets; unpaid then, the seats go back on sale and the ` +
      `deposit is ${forfeit === 'refund' ? 'refunded' : 'kept'}.`,
  }),
  balance_forfeited: ({ order, deposit, currency, refunded }) => ({
    subject: `Order ${order.number}: balance not paid, seats released`,
    body:
      `${enOrder(order)}\n\nThe balance was not paid by its due time, so the seats are back on sale. ` +
      (refunded
        ? `Your deposit of ${formatMoney(deposit, currency)} has been refunded.`
        : `As the deposit terms said when you booked, the deposit of ${formatMoney(deposit, currency)} is kept.`),
  }),
  refunded: ({ order, amount, currency, cause, tickets }) => ({
    subject: `Order ${order.number}: ${formatMoney(amount, currency)} refunded`,
    body:
      `${enOrder(order)}\n\n${enRefundCause[cause]} ` +
      `${tickets > 0 ? `${tickets} ticket${tickets === 1 ? ' is' : 's are'} no longer valid. ` : ''}` +
      `${formatMoney(amount, currency)} goes back to the account you paid with.`,
  }),
  group_succeeded: ({ order, minSize }) => ({
    subject: `Group buy succeeded: order ${order.number}`,
    body: `${enOrder(order)}\n\nYour group reached ${minSize} members. Your tickets are issued; find them under My tickets.`,
  }),
  group_ended: ({ order, ended, why, refunded, timeZone }) => ({
    subject:
      ended === 'failed'
        ? `Group buy did not succeed: order ${order.number}`
        : `You left the group buy: order ${order.number}`,
    body: `${enOrder(order)}\n\n${enDeparture(why, timeZone)}${refunded ? ' Your payment has been refunded in full.' : ''} Your seats were released.`,
  }),
}

const catalogues: Record<Locale, Catalogue> = { 'zh-CN': zh, en }

/** The subject and body of a message of `kind` in `locale`. */
export function composeMessage<K extends MessageKind>(
  locale: Locale,
  kind: K,
  params: MessageParams[K],
): MessageText {
  return (catalogues[locale][kind] as (p: MessageParams[K]) => MessageText)(params)
}
