import type { SeatChartInput } from '../domain/seat-chart.ts'

/** Fixed ids so README can name them and re-running the seed changes nothing. */
export const demoIds = {
  organizer: 'org_demo',
  owner: 'usr_demo_owner',
  manager: 'usr_demo_manager',
  gate: 'usr_demo_gate',
  boxOffice: 'usr_demo_box',
  concertHall: 'ven_demo_hall',
  cinemaHall: 'ven_demo_cinema1',
  concertEvent: 'evt_demo_symphony',
  filmEvent: 'evt_demo_film',
  concertShow: 'shw_demo_symphony',
  /** A 6,000-seat arena: a house big enough that seat maps load a section at a time. */
  arena: 'ven_demo_arena',
  arenaEvent: 'evt_demo_countdown',
  arenaShow: 'shw_demo_countdown',
  screenings: [
    'shw_demo_film_1',
    'shw_demo_film_2',
    'shw_demo_film_3',
    'shw_demo_film_4',
    'shw_demo_film_5',
    'shw_demo_film_6',
  ],
  scenicSite: 'site_demo_mountain',
  products: {
    adult: 'prd_demo_adult',
    child: 'prd_demo_child',
    student: 'prd_demo_student',
    senior: 'prd_demo_senior',
    cableCar: 'prd_demo_cablecar',
  },
  package: 'pkg_demo_gate_cablecar',
  /** 团购 on every demo screening: 3 to 8 people, STD 30.00 / PRM 45.00 instead of 45.00 / 65.00. */
  groupBuyCampaign: 'gbc_demo_film',
} as const

const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ'

/**
 * A 2,030-seat concert hall: Stalls (20 rows × 40), Circle (14 × 45) and Balcony (12 × 50), with a
 * curved aisle gap, four price zones, and wheelchair places with companion seats at the stalls' back.
 */
export function concertHallChart(): SeatChartInput {
  const section = (
    name: string,
    rows: number,
    perRow: number,
    top: number,
    zone: (row: number) => string,
  ) => ({
    name,
    rows: Array.from({ length: rows }, (_, r) => ({
      label: letters[r]!,
      category: zone(r),
      seats: Array.from({ length: perRow }, (_, s) => {
        const centre = (perRow - 1) / 2
        const aisle = s >= perRow / 2 ? 24 : 0 // a centre aisle splits every row
        const flags: ('accessible' | 'companion')[] = []
        if (name === 'Stalls' && r === rows - 1 && (s === 0 || s === perRow - 1)) flags.push('accessible')
        if (name === 'Stalls' && r === rows - 1 && (s === 1 || s === perRow - 2)) flags.push('companion')
        return {
          number: String(s + 1),
          x: Math.round(500 + (s - centre) * 22 + aisle - 12),
          y: Math.round(top + r * 26 + Math.abs(s - centre) * 0.6),
          ...(flags.length ? { flags } : {}),
        }
      }),
    })),
  })
  return {
    stage: { x: 500, y: 0 },
    categories: [
      { code: 'VIP', name: '特等', nameEn: 'VIP', color: '#b8860b' },
      { code: 'A', name: '甲等', nameEn: 'Zone A', color: '#c0392b' },
      { code: 'B', name: '乙等', nameEn: 'Zone B', color: '#2471a3' },
      { code: 'C', name: '丙等', nameEn: 'Zone C', color: '#1e8449' },
    ],
    sections: [
      section('Stalls', 20, 40, 80, (r) => (r < 5 ? 'VIP' : 'A')),
      section('Circle', 14, 45, 660, () => 'B'),
      section('Balcony', 12, 50, 1060, () => 'C'),
    ],
  }
}

/**
 * A 6,000-seat arena, big enough (5,000 seats or more) that the shop, the group-buy picker and the organizer's show
 * page load its seat map a section at a time: Floor (20 rows × 60), Lower (30 × 80) and Upper (30 × 80) tiers in
 * three price zones.
 */
export function arenaChart(): SeatChartInput {
  const tier = (name: string, rows: number, perRow: number, top: number, category: string) => ({
    name,
    rows: Array.from({ length: rows }, (_, r) => ({
      label: `${r + 1}`,
      category,
      seats: Array.from({ length: perRow }, (_, s) => ({
        number: String(s + 1),
        x: Math.round(1000 + (s - (perRow - 1) / 2) * 22),
        y: top + r * 24,
      })),
    })),
  })
  return {
    stage: { x: 1000, y: 0 },
    categories: [
      { code: 'A', name: '内场', nameEn: 'Floor', color: '#c0392b' },
      { code: 'B', name: '看台一层', nameEn: 'Lower tier', color: '#2471a3' },
      { code: 'C', name: '看台二层', nameEn: 'Upper tier', color: '#1e8449' },
    ],
    sections: [
      tier('Floor', 20, 60, 80, 'A'),
      tier('Lower', 30, 80, 620, 'B'),
      tier('Upper', 30, 80, 1400, 'C'),
    ],
  }
}

/** A 160-seat cinema hall: 10 rows of 16, the middle block of rows E–H as premium seats. */
export function cinemaHallChart(): SeatChartInput {
  return {
    stage: { x: 200, y: 0 },
    categories: [
      { code: 'STD', name: '普通座', nameEn: 'Standard', color: '#566573' },
      { code: 'PRM', name: '优选座', nameEn: 'Premium', color: '#884ea0' },
    ],
    sections: [
      {
        name: 'Hall',
        rows: Array.from({ length: 10 }, (_, r) => ({
          label: letters[r]!,
          seats: Array.from({ length: 16 }, (_, s) => ({
            number: String(s + 1),
            category: r >= 4 && r <= 7 && s >= 4 && s <= 11 ? 'PRM' : 'STD',
            x: 30 + s * 22 + (s >= 8 ? 16 : 0),
            y: 60 + r * 26,
            ...(r === 9 && (s === 0 || s === 15) ? { flags: ['accessible' as const] } : {}),
          })),
        })),
      },
    ],
  }
}

/** `YYYY-MM-DDTHH:MM:00+08:00` → UTC ISO, for demo times in Beijing time. */
export function beijing(date: Date, time: string): string {
  const day = new Date(date.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
  return new Date(`${day}T${time}:00+08:00`).toISOString()
}

/** The 15th of next month, noon Beijing time. */
export function midNextMonth(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 15, 4))
}

export const hourlySlots = Array.from({ length: 9 }, (_, i) => {
  const h = String(8 + i).padStart(2, '0')
  const end = String(9 + i).padStart(2, '0')
  return { code: `${h}:00`, start: `${h}:00`, end: `${end}:00`, capacity: 600 }
})
