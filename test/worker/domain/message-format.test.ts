import { describe, expect, it } from 'vitest'
import { readerLocale } from '../../../worker/domain/locale.ts'
import { formatDateTime, formatDay, formatMoney } from '../../../worker/domain/message-format.ts'

describe('money in messages', () => {
  it('writes yuan from fen without rounding: whole amounts bare, others with both digits, thousands grouped', () => {
    expect(formatMoney(4500, 'CNY')).toBe('¥45')
    expect(formatMoney(4550, 'CNY')).toBe('¥45.50')
    expect(formatMoney(4505, 'CNY')).toBe('¥45.05')
    expect(formatMoney(1, 'CNY')).toBe('¥0.01')
    expect(formatMoney(0, 'CNY')).toBe('¥0')
    expect(formatMoney(128_000_00, 'CNY')).toBe('¥128,000')
    expect(formatMoney(9_007_199_254_740_991, 'CNY')).toBe('¥90,071,992,547,409.91')
  })

  it('knows currencies without minor digits and refuses what is not an amount in minor units', () => {
    expect(formatMoney(1200, 'JPY')).toBe('¥1,200')
    expect(formatMoney(1999, 'USD')).toBe('$19.99')
    expect(() => formatMoney(45.5, 'CNY')).toThrow(RangeError)
  })
})

describe('times in messages', () => {
  it('tells an instant on the venue’s clock in the reader’s language, with the year', () => {
    // 11:30 UTC is 19:30 in Shanghai, a Saturday.
    expect(formatDateTime('2026-12-12T11:30:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('2026年12月12日 周六 19:30')
    expect(formatDateTime('2026-12-12T11:30:00Z', 'en', 'Asia/Shanghai')).toBe('Sat, Dec 12, 2026, 19:30')
    // Past midnight in Shanghai is the next day there.
    expect(formatDateTime('2026-12-12T16:05:00Z', 'zh-CN', 'Asia/Shanghai')).toBe('2026年12月13日 周日 00:05')
  })

  it('tells a visit day as that calendar day', () => {
    expect(formatDay('2026-12-12', 'zh-CN')).toBe('2026年12月12日 周六')
    expect(formatDay('2026-12-12', 'en')).toBe('Sat, Dec 12, 2026')
  })
})

describe('the reader’s language', () => {
  it('prefers what the page says, then the cookie, then Accept-Language, else Chinese', () => {
    expect(readerLocale({ explicit: 'en', cookie: 'lang=zh-CN' })).toBe('en')
    expect(readerLocale({ cookie: 'a=1; lang=en', acceptLanguage: 'zh-CN' })).toBe('en')
    expect(readerLocale({ acceptLanguage: 'de-DE, zh-TW;q=0.8, en;q=0.5' })).toBe('zh-CN')
    expect(readerLocale({ explicit: 'fr', acceptLanguage: 'ja' })).toBe('zh-CN')
  })
})
