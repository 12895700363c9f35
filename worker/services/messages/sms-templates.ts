// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Aliyun template texts use ${name} for their variables
// SMS is sent by template: the provider (Aliyun) holds the approved text under a template code, the platform sends
// the code and the variables. `smsTemplates` says, per message kind, which variables it sends and the text to
// register for each language (zh-CN, en); the codes the provider assigns go in the `SMS_TEMPLATES` setting.
// Variables stay short (Aliyun caps a variable at 35 characters) and carry no link but an invitation's.
import type { Locale } from '../../domain/locale.ts'
import { formatDateTime, formatMoney } from '../../domain/message-format.ts'
import type { MessageKind, MessageParams } from './catalogue.ts'

type Variables = Record<string, string>

interface SmsTemplate<K extends MessageKind> {
  variables: (params: MessageParams[K], locale: Locale) => Variables
  /** The template text to register with the provider, `${name}` for each variable. */
  text: Record<Locale, string>
}

const short = (text: string, max = 20) => (text.length > max ? `${text.slice(0, max - 1)}…` : text)

export const smsTemplates: { [K in MessageKind]: SmsTemplate<K> } = {
  sign_in_code: {
    variables: ({ code, minutes }) => ({ code, minutes: String(minutes) }),
    text: {
      'zh-CN': '您的登录验证码为${code}，${minutes}分钟内有效，请勿泄露给他人。',
      en: 'Your sign-in code is ${code}, valid for ${minutes} minutes. Never share it.',
    },
  },
  staff_invitation: {
    variables: ({ organizer, link }) => ({ organizer: short(organizer), link }),
    text: {
      'zh-CN': '您受邀加入${organizer}，请打开链接接受邀请：${link}',
      en: 'You are invited to join ${organizer}. Accept here: ${link}',
    },
  },
  payment_reminder: {
    variables: ({ order, heldUntil, timeZone }, locale) => ({
      number: order.number,
      title: short(order.title),
      deadline: formatDateTime(heldUntil, locale, timeZone),
    }),
    text: {
      'zh-CN': '您的订单${number}（${title}）待付款，请于${deadline}前完成支付，逾期座位将释放。',
      en: 'Order ${number} (${title}) is unpaid: pay by ${deadline} to keep your tickets.',
    },
  },
  order_confirmed: {
    variables: ({ order }) => ({
      number: order.number,
      title: short(order.title),
      when: order.when ?? '',
    }),
    text: {
      'zh-CN': '出票成功：订单${number}，${title}，${when}。入场时请出示“我的门票”中的二维码。',
      en: 'Tickets issued: order ${number}, ${title}, ${when}. Show the QR code from My tickets at the entrance.',
    },
  },
  balance_reminder: {
    variables: ({ order, balance, currency, dueAt, timeZone }, locale) => ({
      number: order.number,
      amount: formatMoney(balance, currency),
      deadline: formatDateTime(dueAt, locale, timeZone),
    }),
    text: {
      'zh-CN': '订单${number}请于${deadline}前支付尾款${amount}，逾期座位将重新开售。',
      en: 'Order ${number}: pay the balance of ${amount} by ${deadline}, or the seats go back on sale.',
    },
  },
  balance_forfeited: {
    variables: ({ order, deposit, currency }) => ({
      number: order.number,
      amount: formatMoney(deposit, currency),
    }),
    text: {
      'zh-CN': '订单${number}尾款逾期未付，座位已释放，定金${amount}按购票时的规则处理。',
      en: 'Order ${number}: the balance was not paid, the seats are released; the deposit of ${amount} follows the terms you booked under.',
    },
  },
  refunded: {
    variables: ({ order, amount, currency }) => ({
      number: order.number,
      amount: formatMoney(amount, currency),
    }),
    text: {
      'zh-CN': '订单${number}已退款${amount}，款项将原路退回您的支付账户。',
      en: 'Order ${number}: ${amount} refunded to the account you paid with.',
    },
  },
  group_succeeded: {
    variables: ({ order }) => ({ number: order.number, title: short(order.title) }),
    text: {
      'zh-CN': '拼团成功：订单${number}（${title}）已出票，可在“我的门票”中查看。',
      en: 'Group buy succeeded: order ${number} (${title}) is issued; see My tickets.',
    },
  },
  group_ended: {
    variables: ({ order }) => ({ number: order.number, title: short(order.title) }),
    text: {
      'zh-CN': '订单${number}（${title}）的拼团已结束，所占座位已释放，如有付款将原路退回。',
      en: 'Group buy ended for order ${number} (${title}); your seats were released and any payment is refunded.',
    },
  },
}

/** The SMS variables of a message of `kind`. */
export function smsVariables<K extends MessageKind>(
  locale: Locale,
  kind: K,
  params: MessageParams[K],
): Variables {
  return (smsTemplates[kind] as SmsTemplate<K>).variables(params, locale)
}
