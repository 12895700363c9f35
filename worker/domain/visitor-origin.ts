// A visitor's home region and age band, read from a real-name ID number at purchase (issue 23). Only these derived,
// coarse facts ever reach the analytics tables: never the number, nor a hash of it. An ID number that fails its
// checksum (or its birth date) yields `unknown` for both, so nothing is read from a typo.
import { birthDateOfIdNumber, isValidPrcIdNumber, normalizeIdNumber } from './id-number.ts'

/** Provincial-level divisions by the first two digits of the administrative division code (GB/T 2260). */
export const provinces: Readonly<Record<string, { zh: string; en: string }>> = {
  '11': { zh: '北京', en: 'Beijing' },
  '12': { zh: '天津', en: 'Tianjin' },
  '13': { zh: '河北', en: 'Hebei' },
  '14': { zh: '山西', en: 'Shanxi' },
  '15': { zh: '内蒙古', en: 'Inner Mongolia' },
  '21': { zh: '辽宁', en: 'Liaoning' },
  '22': { zh: '吉林', en: 'Jilin' },
  '23': { zh: '黑龙江', en: 'Heilongjiang' },
  '31': { zh: '上海', en: 'Shanghai' },
  '32': { zh: '江苏', en: 'Jiangsu' },
  '33': { zh: '浙江', en: 'Zhejiang' },
  '34': { zh: '安徽', en: 'Anhui' },
  '35': { zh: '福建', en: 'Fujian' },
  '36': { zh: '江西', en: 'Jiangxi' },
  '37': { zh: '山东', en: 'Shandong' },
  '41': { zh: '河南', en: 'Henan' },
  '42': { zh: '湖北', en: 'Hubei' },
  '43': { zh: '湖南', en: 'Hunan' },
  '44': { zh: '广东', en: 'Guangdong' },
  '45': { zh: '广西', en: 'Guangxi' },
  '46': { zh: '海南', en: 'Hainan' },
  '50': { zh: '重庆', en: 'Chongqing' },
  '51': { zh: '四川', en: 'Sichuan' },
  '52': { zh: '贵州', en: 'Guizhou' },
  '53': { zh: '云南', en: 'Yunnan' },
  '54': { zh: '西藏', en: 'Xizang' },
  '61': { zh: '陕西', en: 'Shaanxi' },
  '62': { zh: '甘肃', en: 'Gansu' },
  '63': { zh: '青海', en: 'Qinghai' },
  '64': { zh: '宁夏', en: 'Ningxia' },
  '65': { zh: '新疆', en: 'Xinjiang' },
  '71': { zh: '台湾', en: 'Taiwan' },
  '81': { zh: '香港', en: 'Hong Kong' },
  '82': { zh: '澳门', en: 'Macao' },
}

export const ageBands = ['0-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'] as const
export type AgeBand = (typeof ageBands)[number] | 'unknown'

/** What analytics keeps of one visitor: codes `unknown` when the number could not be trusted. */
export interface VisitorOrigin {
  /** Two-digit province code (`31`), or `unknown`. */
  province: string
  /** Four-digit prefecture-level code (`3101`), or `unknown`. */
  city: string
  ageBand: AgeBand
}

export const unknownOrigin: VisitorOrigin = { province: 'unknown', city: 'unknown', ageBand: 'unknown' }

/** Whole years between a birth date (YYYY-MM-DD) and a day (YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number]
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0)
}

export function ageBandOf(age: number): AgeBand {
  if (age < 0) return 'unknown'
  if (age < 18) return '0-17'
  if (age < 25) return '18-24'
  if (age < 35) return '25-34'
  if (age < 45) return '35-44'
  if (age < 55) return '45-54'
  if (age < 65) return '55-64'
  return '65+'
}

/** Region and age band of the holder of `idNumber` on `day` (YYYY-MM-DD); `unknown` for a number that fails its checks. */
export function visitorOriginOf(idNumber: string, day: string): VisitorOrigin {
  if (!isValidPrcIdNumber(idNumber)) return unknownOrigin
  const id = normalizeIdNumber(idNumber)
  const provinceCode = id.slice(0, 2)
  const known = provinceCode in provinces
  const birth = birthDateOfIdNumber(id)!
  return {
    province: known ? provinceCode : 'unknown',
    city: known ? id.slice(0, 4) : 'unknown',
    ageBand: ageBandOf(ageOn(birth, day)),
  }
}

/** A province's name for a report, in the page's language; the code itself when it is not one. */
export function provinceName(code: string, locale: 'zh-CN' | 'en'): string {
  const p = provinces[code]
  if (!p) return code
  return locale === 'en' ? p.en : p.zh
}
