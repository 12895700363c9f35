// Texts of the scenic (景区) booking page added for the walk-through of issue 19: the calendar's today/tomorrow
// marks, compact entry-time chips, packages (套票), picking a visitor already entered, and ticket (never seat)
// wording for holds. Kept beside the shop's own messages so both catalogues merge cleanly.
import { defineMessages } from '../../lib/i18n.ts'

const en = {
  today: 'Today',
  tomorrow: 'Tomorrow',
  dayFrom: '{price}',
  dayFromLong: 'from {price}, {count} left',
  dayFull: 'Sold out',
  dayClosed: 'Closed',
  slotLeft: '{count} left',
  slotFull: 'Full',
  slotChip: '{start}–{end}, {count} left',
  slotChipFull: '{start}–{end}, full',
  packages: 'Packages',
  packagesHelp: 'Several tickets at one price for one visitor.',
  packageIncludes: 'Includes {items}',
  packageSaves: 'Save {amount}',
  packageSeparately: '{amount} separately',
  choosePackage: 'Choose',
  packageChosen: 'Chosen',
  packageChosenNote: 'Your order is the package {name}. To buy single tickets instead, drop the package.',
  dropPackage: 'Buy single tickets instead',
  pickVisitor: 'Who rides?',
  pickVisitorHint: 'Pick a visitor already entered: nothing is typed twice.',
  visitorInOrder: '{name} · {product}',
  visitorUnnamed: 'Visitor {n} · {product}',
  visitorBought: '{name} {id} · bought earlier',
  sameVisitorAsGate: 'For {name}, the visitor of the gate ticket in this package.',
  sameVisitorUnnamed: 'For the visitor of the gate ticket in this package.',
  holdOne: 'Reserve 1 ticket',
  holdCount: 'Reserve {count} tickets',
  holdPackage: 'Reserve the package',
  pickSlot: 'Pick an entry time.',
  holdWillKeep: 'Tickets are kept for you for a few minutes while you pay.',
  problem_hold_limit:
    'You, or your network, already hold as many tickets for this day as one may at once. Finish or release a hold first, or try again later.',
  problem_sold_out: 'No tickets left for that day or entry time. Pick another.',
  problem_buyer_limit: 'That visitor already has as many of these tickets for the day as one may.',
  problem_invalid_request: 'Those tickets cannot be reserved together. Check the tickets and try again.',
} as const

export type ScenicMessage = keyof typeof en

export const scenicMessages = defineMessages<ScenicMessage>({
  en,
  'zh-CN': {
    today: '今天',
    tomorrow: '明天',
    dayFrom: '{price}起',
    dayFromLong: '{price}起，余 {count}',
    dayFull: '售罄',
    dayClosed: '不可订',
    slotLeft: '余 {count}',
    slotFull: '约满',
    slotChip: '{start}–{end}，余 {count}',
    slotChipFull: '{start}–{end}，约满',
    packages: '套票',
    packagesHelp: '一位游客的多张票，一口价。',
    packageIncludes: '含 {items}',
    packageSaves: '省 {amount}',
    packageSeparately: '单买 {amount}',
    choosePackage: '选择',
    packageChosen: '已选',
    packageChosenNote: '本订单为套票「{name}」。如需单独购票，请取消套票。',
    dropPackage: '改为单独购票',
    pickVisitor: '乘坐游客',
    pickVisitorHint: '从已填写的游客中选择，无需重复填写。',
    visitorInOrder: '{name} · {product}',
    visitorUnnamed: '游客 {n} · {product}',
    visitorBought: '{name} {id} · 已购',
    sameVisitorAsGate: '游客：{name}（与套票中的门票相同）。',
    sameVisitorUnnamed: '游客与套票中的门票相同。',
    holdOne: '预订 1 张票',
    holdCount: '预订 {count} 张票',
    holdPackage: '预订套票',
    pickSlot: '请选择入园时段。',
    holdWillKeep: '支付期间为您保留门票几分钟。',
    problem_hold_limit: '您或您所在的网络当天锁定的门票已达上限。请先完成或释放已有的锁定，或稍后再试。',
    problem_sold_out: '该日期或入园时段的票已售完，请另选。',
    problem_buyer_limit: '该游客当天的此类门票已达上限。',
    problem_invalid_request: '这些门票不能一起预订，请检查后重试。',
  },
})

/** Per-code texts for <ProblemAlert messages={…}> on the scenic page: tickets and visitors, never seats. */
export function useScenicProblemMessages(): Record<string, string> {
  const t = scenicMessages.useT()
  const codes = ['hold_limit', 'sold_out', 'buyer_limit', 'invalid_request'] as const
  return Object.fromEntries(codes.map((code) => [code, t(`problem_${code}`)]))
}
