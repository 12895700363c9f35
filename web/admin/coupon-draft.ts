// A coupon as the console's form edits it: text fields in yuan and China time, turned into the admin API's body
// (worker/routes/contracts/admin/coupons.ts), and the server's field errors said in the page's language.
import type { CouponRecordView } from '../../worker/routes/contracts/admin/coupons.ts'
import { fenToYuan, isoToLocal, localToIso, yuanToFen } from './form.tsx'
import type { adminMessages } from './messages.ts'

export const kinds = ['amount_off', 'percent_off', 'ticket_free', 'ticket_price'] as const
export type Kind = (typeof kinds)[number]

export interface Draft {
  id: string | null
  title: string
  titleEn: string
  kind: Kind
  amountOff: string
  minSpend: string
  percentOff: string
  maxOff: string
  ticketPrice: string
  code: string
  startsAt: string
  endsAt: string
  totalCap: string
  perCustomerCap: string
  stacksWithMember: boolean
  returnOnRefund: boolean
  disabled: boolean
  eventIds: string[]
}

export const blank = (): Draft => ({
  id: null,
  title: '',
  titleEn: '',
  kind: 'amount_off',
  amountOff: '',
  minSpend: '',
  percentOff: '',
  maxOff: '',
  ticketPrice: '',
  code: '',
  startsAt: '',
  endsAt: '',
  totalCap: '',
  perCustomerCap: '',
  stacksWithMember: false,
  returnOnRefund: false,
  disabled: false,
  eventIds: [],
})

export const draftOf = (c: CouponRecordView): Draft => ({
  id: c.id,
  title: c.title,
  titleEn: c.titleEn ?? '',
  kind: c.kind,
  amountOff: fenToYuan(c.amountOff),
  minSpend: c.minSpend ? fenToYuan(c.minSpend) : '',
  percentOff: c.percentOff == null ? '' : String(c.percentOff),
  maxOff: fenToYuan(c.maxOff),
  ticketPrice: fenToYuan(c.ticketPrice),
  code: c.code ?? '',
  startsAt: isoToLocal(c.startsAt),
  endsAt: isoToLocal(c.endsAt),
  totalCap: c.totalCap == null ? '' : String(c.totalCap),
  perCustomerCap: c.perCustomerCap == null ? '' : String(c.perCustomerCap),
  stacksWithMember: c.stacksWithMember,
  returnOnRefund: c.returnOnRefund,
  disabled: c.disabled,
  eventIds: c.scope.eventIds,
})

// Empty means "none"; anything typed goes to the server as typed, so it judges every field at once.
const money = (text: string) => (text.trim() === '' ? null : yuanToFen(text))
const whole = (text: string) => (text.trim() === '' ? null : Number(text))

export const bodyOf = (d: Draft) => ({
  title: d.title,
  titleEn: d.titleEn || null,
  kind: d.kind,
  amountOff: d.kind === 'amount_off' ? money(d.amountOff) : null,
  minSpend: money(d.minSpend) ?? 0,
  percentOff: d.kind === 'percent_off' ? whole(d.percentOff) : null,
  maxOff: d.kind === 'percent_off' ? money(d.maxOff) : null,
  ticketPrice: d.kind === 'ticket_price' ? money(d.ticketPrice) : null,
  code: d.code || null,
  startsAt: d.startsAt ? localToIso(d.startsAt) : null,
  endsAt: d.endsAt ? localToIso(d.endsAt) : null,
  totalCap: whole(d.totalCap),
  perCustomerCap: whole(d.perCustomerCap),
  stacksWithMember: d.stacksWithMember,
  returnOnRefund: d.returnOnRefund,
  disabled: d.disabled,
  scope: { eventIds: d.eventIds },
})

/** The server's English field messages said in the page's language, by field. */
export function fieldMessage(path: string, t: ReturnType<typeof adminMessages.useT>) {
  const field = path.replace(/^json\./, '')
  if (field === 'percentOff') return t('coupon_err_percent')
  if (field === 'totalCap' || field === 'perCustomerCap') return t('coupon_err_cap')
  if (field === 'code') return t('coupon_err_code')
  if (field === 'title') return t('coupon_err_title')
  if (field === 'endsAt' || field === 'startsAt') return t('coupon_err_window')
  return t('coupon_err_money')
}
