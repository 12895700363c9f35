// China's public holidays (days off) and 调休 make-up working days, as data, for the visitor forecast.
//
// Source: the State Council General Office's yearly notices 《国务院办公厅关于20XX年部分节假日安排的通知》:
//   2024: 国办发明电〔2023〕7号 (2023-10-25); 2025: 国办发明电〔2024〕12号 (2024-11-12);
//   2026: notice of 2025-11-04 (Xinhua). Each lists the days off of every holiday and the weekend days worked instead.
// 2027: no notice is in this table yet (the State Council publishes it in the autumn before). Until it is added,
//   2027 lists only the statutory days themselves under the 2024 revision of 《全国年节及纪念日放假办法》
//   (元旦 1 day, 春节 除夕 to 初三, 清明 1, 劳动节 2, 端午 1, 中秋 1, 国庆 3; lunar dates from the calendar) and
//   no make-up days; `provisionalYears` says so and the forecast answer carries it.

export const holidayKeys = [
  'new_year',
  'spring_festival',
  'qingming',
  'labour_day',
  'dragon_boat',
  'mid_autumn',
  'national_day',
] as const
export type HolidayKey = (typeof holidayKeys)[number]

/** What people call each holiday, for pages in either language. */
export const holidayNames: Record<HolidayKey, { zh: string; en: string }> = {
  new_year: { zh: '元旦', en: "New Year's Day" },
  spring_festival: { zh: '春节', en: 'Spring Festival' },
  qingming: { zh: '清明节', en: 'Qingming Festival' },
  labour_day: { zh: '劳动节', en: 'Labour Day' },
  dragon_boat: { zh: '端午节', en: 'Dragon Boat Festival' },
  mid_autumn: { zh: '中秋节', en: 'Mid-Autumn Festival' },
  national_day: { zh: '国庆节', en: 'National Day' },
}

export interface HolidayPeriod {
  key: HolidayKey
  /** First and last day off, inclusive (weekends inside the period count as days off of the holiday). */
  from: string
  to: string
  /** Weekend days that are working days instead (调休上班). */
  workdays: string[]
}

export const holidayPeriods: readonly HolidayPeriod[] = [
  // 2024
  { key: 'new_year', from: '2024-01-01', to: '2024-01-01', workdays: [] },
  { key: 'spring_festival', from: '2024-02-10', to: '2024-02-17', workdays: ['2024-02-04', '2024-02-18'] },
  { key: 'qingming', from: '2024-04-04', to: '2024-04-06', workdays: ['2024-04-07'] },
  { key: 'labour_day', from: '2024-05-01', to: '2024-05-05', workdays: ['2024-04-28', '2024-05-11'] },
  { key: 'dragon_boat', from: '2024-06-08', to: '2024-06-10', workdays: [] },
  { key: 'mid_autumn', from: '2024-09-15', to: '2024-09-17', workdays: ['2024-09-14'] },
  { key: 'national_day', from: '2024-10-01', to: '2024-10-07', workdays: ['2024-09-29', '2024-10-12'] },
  // 2025
  { key: 'new_year', from: '2025-01-01', to: '2025-01-01', workdays: [] },
  { key: 'spring_festival', from: '2025-01-28', to: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'] },
  { key: 'qingming', from: '2025-04-04', to: '2025-04-06', workdays: [] },
  { key: 'labour_day', from: '2025-05-01', to: '2025-05-05', workdays: ['2025-04-27'] },
  { key: 'dragon_boat', from: '2025-05-31', to: '2025-06-02', workdays: [] },
  // National Day and Mid-Autumn (10-06) ran together as one eight-day break.
  { key: 'national_day', from: '2025-10-01', to: '2025-10-08', workdays: ['2025-09-28', '2025-10-11'] },
  // 2026
  { key: 'new_year', from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
  { key: 'spring_festival', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
  { key: 'qingming', from: '2026-04-04', to: '2026-04-06', workdays: [] },
  { key: 'labour_day', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
  { key: 'dragon_boat', from: '2026-06-19', to: '2026-06-21', workdays: [] },
  { key: 'mid_autumn', from: '2026-09-25', to: '2026-09-27', workdays: [] },
  { key: 'national_day', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
  // 2027, provisional (statutory days only, see above): 除夕 is 02-05, 清明 04-05, 端午 06-09, 中秋 09-15.
  { key: 'new_year', from: '2027-01-01', to: '2027-01-01', workdays: [] },
  { key: 'spring_festival', from: '2027-02-05', to: '2027-02-08', workdays: [] },
  { key: 'qingming', from: '2027-04-05', to: '2027-04-05', workdays: [] },
  { key: 'labour_day', from: '2027-05-01', to: '2027-05-02', workdays: [] },
  { key: 'dragon_boat', from: '2027-06-09', to: '2027-06-09', workdays: [] },
  { key: 'mid_autumn', from: '2027-09-15', to: '2027-09-15', workdays: [] },
  { key: 'national_day', from: '2027-10-01', to: '2027-10-03', workdays: [] },
]

/** Years the table covers, and those whose 调休 is not published in it yet. */
export const holidayYears = { from: 2024, to: 2027 } as const
export const provisionalYears: readonly number[] = [2027]

const dayMs = 86_400_000

const holidayOn = new Map<string, HolidayKey>()
const workdayOn = new Set<string>()
for (const period of holidayPeriods) {
  for (let t = Date.parse(`${period.from}T00:00:00Z`); t <= Date.parse(`${period.to}T00:00:00Z`); t += dayMs)
    holidayOn.set(new Date(t).toISOString().slice(0, 10), period.key)
  for (const day of period.workdays) workdayOn.add(day)
}

/** How a calendar day (YYYY-MM-DD) stands in China's public calendar. */
export interface ChinaDay {
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number
  /** The holiday this day is off for, or null. */
  holiday: HolidayKey | null
  /** A Saturday or Sunday worked in exchange for a holiday (调休上班). */
  makeupWorkday: boolean
  /** Whether the table only has the statutory days for this year (no published notice yet). */
  provisional: boolean
}

export function chinaDay(date: string): ChinaDay {
  const year = Number(date.slice(0, 4))
  return {
    weekday: new Date(`${date}T00:00:00Z`).getUTCDay(),
    holiday: holidayOn.get(date) ?? null,
    makeupWorkday: workdayOn.has(date),
    provisional: provisionalYears.includes(year) || year < holidayYears.from || year > holidayYears.to,
  }
}
