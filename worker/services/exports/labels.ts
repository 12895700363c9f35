// Column headings of exports in the reader's language. Report exports take their columns from the report's JSON
// field names; a field without a heading here keeps its name (the JSON contract is the reference for those).

export type ExportLocale = 'zh-CN' | 'en'

const headings: Record<string, [zh: string, en: string]> = {
  date: ['日期', 'Date'],
  week: ['周', 'Week'],
  month: ['月份', 'Month'],
  period: ['期间', 'Period'],
  orders: ['订单数', 'Orders'],
  tickets: ['票数', 'Tickets'],
  amount: ['金额', 'Amount'],
  gross: ['销售总额', 'Gross sales'],
  net: ['净收入', 'Net sales'],
  refunded: ['退款', 'Refunds'],
  refundedTickets: ['退票数', 'Refunded tickets'],
  ordersWithTickets: ['有效订单数', 'Orders with tickets'],
  averageOrderValue: ['客单价', 'Average order value'],
  currency: ['币种', 'Currency'],
  kind: ['类型', 'Kind'],
  key: ['代码', 'Code'],
  name: ['名称', 'Name'],
  nameEn: ['英文名称', 'English name'],
  channel: ['渠道', 'Channel'],
  share: ['占比', 'Share'],
  showId: ['场次编号', 'Show id'],
  eventId: ['项目编号', 'Event id'],
  eventName: ['项目', 'Event'],
  eventNameEn: ['项目英文名', 'Event (English)'],
  startsAt: ['开演时间', 'Starts at'],
  status: ['状态', 'Status'],
  capacity: ['座位数', 'Capacity'],
  number: ['订单号', 'Order number'],
  createdAt: ['下单时间', 'Placed at'],
  paidAt: ['支付时间', 'Paid at'],
  visitDate: ['游玩日期', 'Visit date'],
  site: ['景区', 'Site'],
  show: ['场次', 'Show'],
  total: ['订单金额', 'Order total'],
  refundedTotal: ['已退金额', 'Refunded'],
  email: ['邮箱', 'Email'],
  phone: ['手机号', 'Phone'],
  seat: ['座位', 'Seat'],
  category: ['票档', 'Price category'],
  holder: ['观演人', 'Holder'],
  contact: ['联系方式', 'Contact'],
  admittedAt: ['入场时间', 'Admitted at'],
  gate: ['检票口', 'Gate'],
  ticket: ['票号', 'Ticket'],
  partner: ['分销商', 'Partner'],
  partnerOrderId: ['分销商订单号', 'Partner order'],
  description: ['票品', 'Item'],
  price: ['票价', 'Price'],
  redeemedAt: ['核销时间', 'Redeemed at'],
  owed: ['应结算', 'Owed'],
  section: ['分表', 'Section'],
  summary: ['汇总', 'Summary'],
  totals: ['合计', 'Totals'],
  byDay: ['按日', 'By day'],
  byWeek: ['按周', 'By week'],
  byMonth: ['按月', 'By month'],
  byTicketType: ['按票种', 'By ticket type'],
  byChannel: ['按渠道', 'By channel'],
  shows: ['场次', 'Shows'],
}

/** Fields that hold money in minor units: exports write them in major units (two decimals). */
const moneyFields = new Set([
  'amount',
  'gross',
  'net',
  'refunded',
  'averageOrderValue',
  'total',
  'refundedTotal',
  'price',
  'owed',
  'revenue',
  'settlement',
  'redeemedAmount',
  'soldAmount',
])

export const isMoneyField = (field: string) =>
  moneyFields.has(field.split('.').at(-1) ?? field) || /(Amount|Revenue|Owed)$/.test(field)

/** The heading of `field` (dotted for nested values: `totals.orders` → 合计 · 订单数). */
export function heading(field: string, locale: ExportLocale, currency?: string) {
  const parts = field.split('.')
  const words = parts.map((part) => headings[part]?.[locale === 'en' ? 1 : 0] ?? part).join(' · ')
  return currency && isMoneyField(field) ? `${words} (${currency})` : words
}

/** Minor units to a major-unit number (2 decimals; every currency the platform sells in has two). */
export const majorUnits = (minor: number) => Math.round(minor) / 100
