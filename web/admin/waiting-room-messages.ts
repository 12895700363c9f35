// The console's waiting-room panel (issue 22), in a catalogue of its own for merges.
import { defineMessages } from '../lib/i18n.ts'

const en = {
  heading: 'Waiting room',
  hint: 'For a busy on-sale: buyers queue and take turns to choose seats. Those who arrive before opening get a random place at opening; after it, first come first served.',
  enabled: 'Use a waiting room for this sale',
  opensAt: 'Queue opens (Beijing time)',
  opensAtHint: 'Usually the sale’s start. Buyers may wait from any time before it.',
  pace: 'Admission',
  paceFollow: 'Follow buyers’ pace (let the next in as admitted buyers finish)',
  paceFixed: 'A fixed number per minute',
  perMinute: 'Buyers let in per minute',
  requireChallenge: 'Ask buyers to pass a bot check before queueing',
  passMinutes: 'Minutes an admitted buyer has to hold tickets',
  shards: 'Queue rooms (shards)',
  shardsHint:
    'One room takes about {perShard} buyers joining per second. Set the joins per second you expect at opening divided by {perShard}, rounded up (100,000 fans in the first minute ≈ 1,700 a second: 7 rooms); 1 for most sales, at most {max}. It cannot change while the queue is open or anyone waits.',
  shardsInvalid: 'Enter a whole number from 1 to {max}.',
  shardsFixed:
    'The number of queue rooms cannot change now: the queue is open or buyers are already waiting, and they would lose their places. Keep the current number, or change it before anyone queues.',
  save: 'Save waiting room',
  saved: 'Waiting room saved.',
  liveHeading: 'Now',
  state_before_open: 'Not open yet',
  state_open: 'Queue open',
  state_sold_out: 'Sold out, queue closed',
  state_off: 'Off',
  waiting: 'Waiting',
  admittedPerMinute: 'Let in per minute',
  forDay: 'Waiting room for {date}',
} as const

const zh: Record<keyof typeof en, string> = {
  heading: '排队购票',
  hint: '适用于热门开售：购票人排队，依次进入选座。开售前到达的购票人在开售时随机排序，开售后按先到先得排队。',
  enabled: '本场开售启用排队',
  opensAt: '排队开始时间（北京时间）',
  opensAtHint: '通常与开售时间相同。购票人可在此之前随时进入等候。',
  pace: '放行方式',
  paceFollow: '跟随购票节奏（有人完成购票后放行下一位）',
  paceFixed: '每分钟固定人数',
  perMinute: '每分钟放行人数',
  requireChallenge: '排队前需通过人机验证',
  passMinutes: '放行后锁定门票的时限（分钟）',
  shards: '排队分区数',
  shardsHint:
    '每个分区每秒约可接纳 {perShard} 人进入排队。按开售时预计每秒进入人数除以 {perShard} 向上取整设置（开售第一分钟 10 万人 ≈ 每秒 1,700 人：7 个分区）；一般开售填 1，最多 {max}。排队开始后或已有人等候时不能更改。',
  shardsInvalid: '请输入 1 到 {max} 之间的整数。',
  shardsFixed:
    '现在不能更改排队分区数：排队已开始或已有购票人在等候，更改会让他们失去位置。请保留当前分区数，或在有人排队前更改。',
  save: '保存排队设置',
  saved: '排队设置已保存。',
  liveHeading: '当前',
  state_before_open: '尚未开始',
  state_open: '排队中',
  state_sold_out: '已售罄，排队已结束',
  state_off: '未启用',
  waiting: '正在等候',
  admittedPerMinute: '每分钟放行',
  forDay: '{date} 排队购票',
}

export const waitingRoomMessages = defineMessages({ en, 'zh-CN': zh })
