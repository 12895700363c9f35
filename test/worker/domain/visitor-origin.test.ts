import { describe, expect, it } from 'vitest'
import {
  deviceClassOf,
  localDayOf,
  sourceKeyOf,
  splitInProportion,
} from '../../../worker/domain/analytics-events.ts'
import { withCheckCharacter as withCheck } from '../../../worker/domain/id-number.ts'
import { ageBandOf, provinceName, visitorOriginOf } from '../../../worker/domain/visitor-origin.ts'

describe('a visitor’s origin from a real-name ID number', () => {
  it('reads province, city and age band from the GB 11643 example numbers', () => {
    // The standard's own examples: Beijing Chaoyang, born 1949-12-31; Guangdong Shantou area, born 1880-01-01.
    expect(visitorOriginOf('11010519491231002X', '2026-12-05')).toEqual({
      province: '11',
      city: '1101',
      ageBand: '65+',
    })
    expect(visitorOriginOf('11010519491231002x', '2026-12-05').province).toBe('11')
    expect(visitorOriginOf('440524188001010014', '2026-12-05')).toEqual({
      province: '44',
      city: '4405',
      ageBand: '65+',
    })
  })

  it('counts age in whole years on the day of purchase (a birthday tomorrow is not yet had)', () => {
    // 310104 (Shanghai Xuhui), born 2001-12-06, check character computed by the standard's weights.
    const id = withCheck('31010420011206123')
    expect(visitorOriginOf(id, '2026-12-05')).toEqual({ province: '31', city: '3101', ageBand: '18-24' })
    expect(visitorOriginOf(id, '2026-12-06').ageBand).toBe('25-34')
    expect(visitorOriginOf(withCheck('33010620100301002'), '2026-12-05')).toEqual({
      province: '33',
      city: '3301',
      ageBand: '0-17',
    })
  })

  it('answers unknown for a number that fails its check character, its date or its length', () => {
    const good = withCheck('31010419900101123')
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0')
    for (const id of [bad, '310104199002301234', '3101041990010112', 'abc']) {
      expect(visitorOriginOf(id, '2026-12-05')).toEqual({
        province: 'unknown',
        city: 'unknown',
        ageBand: 'unknown',
      })
    }
    // A valid checksum on a region code that is no province (99) keeps the age but not the place.
    expect(visitorOriginOf(withCheck('99010419900101123'), '2026-12-05')).toEqual({
      province: 'unknown',
      city: 'unknown',
      ageBand: '35-44',
    })
  })

  it('names provinces in both languages, and bands ages at their edges', () => {
    expect(provinceName('31', 'zh-CN')).toBe('上海')
    expect(provinceName('31', 'en')).toBe('Shanghai')
    expect(provinceName('54', 'en')).toBe('Xizang')
    expect(provinceName('unknown', 'en')).toBe('unknown')
    expect([17, 18, 24, 25, 34, 35, 64, 65].map(ageBandOf)).toEqual([
      '0-17',
      '18-24',
      '18-24',
      '25-34',
      '25-34',
      '35-44',
      '55-64',
      '65+',
    ])
  })
})

describe('capture attributes', () => {
  it('classes devices coarsely from the User-Agent', () => {
    const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
    const ipad = 'Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15'
    const androidTablet =
      'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120 Safari/537.36'
    const androidPhone =
      'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36'
    const wechat = 'Mozilla/5.0 (Linux; Android 12) MicroMessenger/8.0.40 Mobile'
    const mac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Safari/605.1.15'
    expect([iphone, ipad, androidTablet, androidPhone, wechat, mac].map(deviceClassOf)).toEqual([
      'mobile',
      'tablet',
      'tablet',
      'mobile',
      'mobile',
      'desktop',
    ])
    expect(deviceClassOf('Googlebot/2.1')).toBe('bot')
    expect(deviceClassOf(undefined)).toBe('unknown')
  })

  it('keys a source by distributor code, then utm_source, then referring site', () => {
    expect(sourceKeyOf({ ref: 'AB12', utmSource: 'weibo' })).toBe('ref:AB12')
    expect(sourceKeyOf({ utmSource: 'WeiBo', referrerHost: 'baidu.com' })).toBe('weibo')
    expect(sourceKeyOf({ referrerHost: 'baidu.com' })).toBe('site:baidu.com')
    expect(sourceKeyOf(undefined)).toBe('direct')
  })

  it('puts an instant on the organizer’s calendar day and splits money exactly', () => {
    // 17:30 UTC is 01:30 the next day in Shanghai.
    expect(localDayOf(new Date('2026-12-05T17:30:00Z'), 'Asia/Shanghai')).toBe('2026-12-06')
    expect(localDayOf(new Date('2026-12-05T17:30:00Z'), 'Europe/London')).toBe('2026-12-05')
    expect(splitInProportion(1000, [1, 1, 1])).toEqual([333, 333, 334])
    expect(splitInProportion(8000, [12000, 8000])).toEqual([4800, 3200])
  })
})
