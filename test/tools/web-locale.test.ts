// What the apps print for dates, counts, seats and price zones in each language (web/lib; pure functions, so they
// run here in Node rather than in a browser). Node carries the full ICU data, as browsers do.
import { describe, expect, it } from 'vitest'
import { formatDateTime, formatDay, formatTime } from '../../web/lib/format.ts'
import { defineMessages, missingMessages } from '../../web/lib/i18n.ts'
import { categoryName, seatName, seatNames } from '../../web/lib/labels.ts'

// 10:00 in Beijing on Saturday 12 December 2026.
const saturdayTen = '2026-12-12T02:00:00Z'
const sameYear = '2026-03-01T00:00:00Z'

describe('dates and times on the venue’s clock', () => {
  it('reads as on a Chinese ticket in zh-CN and as short English in en', () => {
    expect(formatDateTime(saturdayTen, 'zh-CN', 'Asia/Shanghai', sameYear)).toBe('12月12日 周六 10:00')
    expect(formatDateTime(saturdayTen, 'en', 'Asia/Shanghai', sameYear)).toBe('Sat, Dec 12, 10:00')
  })

  it('uses the venue’s zone, not the device’s, and a 24-hour clock', () => {
    expect(formatTime('2026-12-12T11:30:00Z', 'en')).toBe('19:30')
    expect(formatDateTime('2026-12-12T11:30:00Z', 'en', 'Europe/London', sameYear)).toBe('Sat, Dec 12, 11:30')
  })

  it('names the year only when it is not the current one', () => {
    expect(formatDateTime('2027-01-05T11:30:00Z', 'zh-CN', 'Asia/Shanghai', sameYear)).toBe(
      '2027年1月5日 周二 19:30',
    )
    expect(formatDay('2027-01-05', 'en', sameYear)).toBe('Tue, Jan 5, 2027')
    expect(formatDay('2026-12-12', 'zh-CN', sameYear)).toBe('12月12日 周六')
  })
})

describe('counts and plurals', () => {
  const messages = defineMessages({
    en: { hold: '{count, plural, one {Hold # ticket} other {Hold # tickets}}', left: '{count} left' },
    'zh-CN': { hold: '锁定 {count} 张票', left: '余 {count}' },
  })
  it('says "1 ticket" and "2 tickets" in English, and the count in Chinese', () => {
    expect(messages.t('hold', { count: 1 })).toBe('Hold 1 ticket')
    expect(messages.t('hold', { count: 2 })).toBe('Hold 2 tickets')
  })

  it('records a key the table lacks, so the browser walk can fail on it', () => {
    const before = missingMessages.length
    expect(messages.t('status_new' as 'left')).toBe('status_new')
    expect(missingMessages.slice(before)).toEqual([expect.stringMatching(/:status_new$/)])
  })
})

describe('seats and price zones', () => {
  const seat = { section: 'Hall', row: 'C', label: 'Hall-C-9' }
  it('builds seat names from row and number, not from the venue’s label', () => {
    expect(seatName(seat, 'zh-CN')).toBe('C排9座')
    expect(seatName(seat, 'en')).toBe('Row C, seat 9')
    expect(seatName({ section: 'Stalls', row: 'A', number: '12' }, 'zh-CN', { section: true })).toBe(
      'Stalls A排12座',
    )
    expect(seatNames([seat, { ...seat, label: 'Hall-C-10' }], 'zh-CN')).toBe('C排9座、C排10座')
  })

  it('keeps a custom label whole when it is not section-row-number', () => {
    expect(seatName({ section: 'Box', row: '1', label: 'Royal box' }, 'en')).toBe('Row 1, seat Royal box')
  })

  it('names a price zone by its name, never its code', () => {
    const categories = [{ code: 'PRM', name: '优选座' }]
    expect(categoryName('PRM', categories, 'zh-CN')).toBe('优选座')
    expect(categoryName('XYZ', categories, 'zh-CN')).toBe('票档')
  })
})
