import { describe, expect, it } from 'vitest'
import { locales } from '../../../../worker/domain/locale.ts'
import type {
  MessageKind,
  MessageParams,
  OrderSubject,
} from '../../../../worker/services/messages/catalogue.ts'
import { smsTemplates, smsVariables } from '../../../../worker/services/messages/sms-templates.ts'

const order: OrderSubject = {
  number: 'ET2612050001',
  title: '星河巡回演唱会 2026 上海站 · 加场特别版本（第二季）',
  when: '2026年12月24日 19:30',
  place: '梅赛德斯奔驰文化中心',
  items: 'C排9座、C排10座',
}
const at = '2026-12-24T11:30:00.000Z'
const samples: { [K in MessageKind]: MessageParams[K] } = {
  sign_in_code: { code: '482913', minutes: 10 },
  staff_invitation: {
    inviter: '王经理',
    organizer: '海港城文化艺术中心',
    role: 'gate',
    days: 7,
    link: 'https://tickets.example.com/admin/invitation#token=abc',
  },
  payment_reminder: { order, heldUntil: at, timeZone: 'Asia/Shanghai' },
  order_confirmed: { order, paid: 76000, currency: 'CNY' },
  balance_reminder: {
    order,
    balance: 50000,
    currency: 'CNY',
    dueAt: at,
    timeZone: 'Asia/Shanghai',
    forfeit: 'refund',
  },
  balance_forfeited: { order, deposit: 10000, currency: 'CNY', refunded: false },
  refunded: { order, amount: 38050, currency: 'CNY', cause: 'requested', tickets: 1 },
  group_succeeded: { order, minSize: 3 },
  group_ended: {
    order,
    ended: 'failed',
    why: { code: 'group_left' },
    refunded: true,
    timeZone: 'Asia/Shanghai',
  },
}

describe('SMS templates', () => {
  for (const kind of Object.keys(smsTemplates) as MessageKind[]) {
    it(`${kind}: every language's text uses exactly the variables sent, each short enough for Aliyun`, () => {
      for (const locale of locales) {
        const variables = smsVariables(locale, kind, samples[kind] as never)
        const placeholders = [...smsTemplates[kind].text[locale].matchAll(/\$\{(\w+)\}/g)].map((m) => m[1])
        expect(new Set(placeholders)).toEqual(new Set(Object.keys(variables)))
        for (const [name, value] of Object.entries(variables)) {
          expect(typeof value).toBe('string')
          if (name !== 'link') expect(value.length, `${kind}.${name} = ${value}`).toBeLessThanOrEqual(35)
        }
      }
    })
  }

  it('amounts and times are written for the reader, not in minor units or UTC', () => {
    expect(smsVariables('zh-CN', 'refunded', samples.refunded)).toEqual({
      number: 'ET2612050001',
      amount: '¥380.50',
    })
    expect(smsVariables('zh-CN', 'payment_reminder', samples.payment_reminder).deadline).toContain('19:30')
    expect(smsVariables('zh-CN', 'order_confirmed', samples.order_confirmed).title).toHaveLength(20)
  })
})
