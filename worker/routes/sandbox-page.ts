// The sandbox provider's hosted checkout and result pages, in the buyer's language and sized for a phone: the
// shop's language comes along in the `lang` cookie (web/lib/i18n.ts), else the browser's Accept-Language; `?lang=`
// switches it on the page itself. No script: plain forms posting back, as the worker's policy allows.
import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'
import { type Locale, readerLocale } from '../domain/locale.ts'

export type PageLanguage = Locale

/** `?lang=` first, then the shop's cookie, then the first language the browser prefers; Chinese by default. */
export function pageLanguage(
  query: string | undefined,
  cookie: string | undefined,
  accept: string | undefined,
): PageLanguage {
  return readerLocale({ explicit: query, cookie, acceptLanguage: accept })
}

const texts = {
  en: {
    title: 'Test payment',
    note: 'Test mode: nothing real is charged. Choose how the payment should end.',
    order: 'Order',
    when: 'When',
    amount: 'Amount',
    heldUntil: 'Held until',
    pay: 'Pay {amount}',
    fail: 'Make the payment fail',
    payLate: 'Pay after the hold expired',
    other: '中文',
    resultPaid: 'Payment received',
    resultPaidLate: 'Paid after the hold expired: the same tickets were still free and are yours.',
    resultFailed: 'The payment failed. Nothing was charged; you can try again from your order.',
    resultLapsed: 'The hold had expired and the tickets were gone: the payment is refunded automatically.',
    status: 'Order status',
    back: 'Back to your order',
    status_pending: 'Awaiting payment',
    status_paid: 'Paid',
    status_partially_refunded: 'Partly refunded',
    status_refunded: 'Refunded',
    status_cancelled: 'Cancelled',
    status_expired: 'Expired',
  },
  'zh-CN': {
    title: '模拟支付',
    note: '测试环境，不会真实扣款。请选择本次支付的结果。',
    order: '订单',
    when: '时间',
    amount: '金额',
    heldUntil: '锁定至',
    pay: '支付 {amount}',
    fail: '模拟支付失败',
    payLate: '锁定过期后再支付',
    other: 'English',
    resultPaid: '支付成功',
    resultPaidLate: '锁定过期后才完成支付：原来的票仍未售出，已为您出票。',
    resultFailed: '支付失败，未扣款。您可以回到订单重新支付。',
    resultLapsed: '锁定已过期且票已售出：款项将自动原路退回。',
    status: '订单状态',
    back: '返回订单',
    status_pending: '待支付',
    status_paid: '已支付',
    status_partially_refunded: '部分退款',
    status_refunded: '已退款',
    status_cancelled: '已取消',
    status_expired: '已过期',
  },
} as const
type Text = keyof (typeof texts)['en']

const say = (lang: PageLanguage, key: Text, amount = '') => texts[lang][key].replace('{amount}', amount)

export function formatAmount(minor: number, currency: string, lang: PageLanguage) {
  return new Intl.NumberFormat(lang, { style: 'currency', currency, currencyDisplay: 'narrowSymbol' }).format(
    minor / 100,
  )
}

/** 12月12日 周六 10:00 / Sat, Dec 12, 10:00 on the venue's clock (China), as the shop writes it. */
function formatWhen(iso: string, lang: PageLanguage) {
  const parts = new Intl.DateTimeFormat(lang, {
    month: lang === 'en' ? 'short' : 'numeric',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Shanghai',
  }).formatToParts(new Date(iso))
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  const time = `${part('hour')}:${part('minute')}`
  return lang === 'zh-CN'
    ? `${part('month')}月${part('day')}日 ${part('weekday')} ${time}`
    : `${part('weekday')}, ${part('month')} ${part('day')}, ${time}`
}

// Phone first: one column up to 28rem, 48 px buttons, AA contrast, no fixed widths that could scroll sideways.
const style = raw(`<style>
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1d1b1a;background:#f7f4f2}
main{max-width:28rem;margin:0 auto;padding:16px}
h1{font-size:1.4rem;margin:8px 0 12px}
.card{background:#fff;border:1px solid #d9d4d2;border-radius:10px;padding:14px;margin-bottom:14px}
.what{font-weight:600;overflow-wrap:anywhere}
dl{display:grid;grid-template-columns:auto 1fr;gap:4px 12px;margin:8px 0 0}
dt{color:#5c5755}dd{margin:0;overflow-wrap:anywhere}
.amount{font-size:1.6rem;font-weight:700}
.note{color:#5c5755;font-size:.9rem}
form{margin:8px 0}
button{font:inherit;width:100%;min-height:48px;border-radius:8px;border:1px solid #8a8482;background:#fff;color:#1d1b1a;cursor:pointer}
.pay{background:#b3261e;border-color:#b3261e;color:#fff;font-weight:600}
.lang{display:inline-block;margin-top:8px;color:#8c1d18}
a{color:#8c1d18}
.back{display:block;text-align:center;padding:12px;border-radius:8px;background:#b3261e;color:#fff;text-decoration:none;font-weight:600}
</style>`)

function page(lang: PageLanguage, title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>${style}</head>
<body><main>${body}</main></body></html>`
}

export interface CheckoutPageInput {
  lang: PageLanguage
  /** The page's own address up to its query, ending in `?` or `&` (a pay link keeps its key), for the language link. */
  self: string
  action: string
  orderNumber: string
  /** What is being bought: the event or site and, for a show, when it starts. */
  subject: { name: string; startsAt?: string | null; visitDate?: string | null } | null
  amount: number
  currency: string
  expiresAt: string
}

export function checkoutPage(input: CheckoutPageInput) {
  const { lang } = input
  const amount = formatAmount(input.amount, input.currency, lang)
  const other: PageLanguage = lang === 'zh-CN' ? 'en' : 'zh-CN'
  const when = input.subject?.startsAt ? formatWhen(input.subject.startsAt, lang) : input.subject?.visitDate
  const button = (outcome: string, label: string, extra = '') =>
    html`<form method="post" action="${input.action}${input.action.includes('?') ? '&' : '?'}lang=${lang}"><input type="hidden" name="outcome" value="${outcome}"><button class="${extra}" data-testid="sandbox-${outcome}">${label}</button></form>`
  return page(
    lang,
    `${say(lang, 'title')} · ${input.orderNumber}`,
    html`<h1>${say(lang, 'title')}</h1>
<section class="card">
${input.subject ? html`<p class="what">${input.subject.name}</p>` : ''}
<dl>
${when ? html`<dt>${say(lang, 'when')}</dt><dd>${when}</dd>` : ''}
<dt>${say(lang, 'order')}</dt><dd>${input.orderNumber}</dd>
<dt>${say(lang, 'heldUntil')}</dt><dd>${formatWhen(input.expiresAt, lang)}</dd>
<dt>${say(lang, 'amount')}</dt><dd class="amount" data-testid="sandbox-amount">${amount}</dd>
</dl>
</section>
<p class="note">${say(lang, 'note')}</p>
${button('pay', say(lang, 'pay', amount), 'pay')}
${button('fail', say(lang, 'fail'))}
${button('pay_late', say(lang, 'payLate'))}
<a class="lang" href="${input.self}lang=${other}" lang="${other}" hreflang="${other}">${say(lang, 'other')}</a>`,
  )
}

export interface ResultPageInput {
  lang: PageLanguage
  outcome: 'pay' | 'fail' | 'pay_late'
  orderId: string
  orderNumber: string
  status: string
}

export function resultPage(input: ResultPageInput) {
  const { lang } = input
  const paid = input.status === 'paid'
  const headline =
    input.outcome === 'fail'
      ? say(lang, 'resultFailed')
      : paid && input.outcome === 'pay_late'
        ? say(lang, 'resultPaidLate')
        : paid
          ? say(lang, 'resultPaid')
          : say(lang, 'resultLapsed')
  const statusKey = `status_${input.status}` as Text
  const status = statusKey in texts[lang] ? say(lang, statusKey) : input.status
  return page(
    lang,
    `${say(lang, 'title')} · ${input.orderNumber}`,
    html`<h1 data-testid="sandbox-result" data-status="${input.status}">${headline}</h1>
<section class="card"><dl>
<dt>${say(lang, 'order')}</dt><dd>${input.orderNumber}</dd>
<dt>${say(lang, 'status')}</dt><dd>${status}</dd>
</dl></section>
<a class="back" href="/orders/${input.orderId}" data-testid="back-to-order">${say(lang, 'back')}</a>`,
  )
}
