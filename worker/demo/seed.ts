import { eq } from 'drizzle-orm'
import { openDatabase } from '../db/client.ts'
import {
  events,
  groupBuyCampaigns,
  memberships,
  organizers,
  packages,
  parentChildRules,
  salesChannels,
  scenicSites,
  showDeposits,
  shows,
  staffUsers,
  venues,
  visitProducts,
} from '../db/schema.ts'
import { parseJsonChart, type SeatChartInput } from '../domain/seat-chart.ts'
import type { SectionName } from '../domain/section-names.ts'
import { hashPassword } from '../services/password.ts'
import { replaceSeatMap } from '../services/seat-map-store.ts'
import {
  arenaChart,
  beijing,
  cinemaHallChart,
  concertHallChart,
  hourlySlots,
  demoIds as ids,
  midNextMonth,
} from './demo-data.ts'
import { seedDemoKiosk } from './kiosk.ts'
import { seedDemoPosters } from './posters.ts'
import { seedDemoPresale } from './presale.ts'
import { seedDemoWaitingRoom } from './waiting-room.ts'

export interface DemoSettings {
  ownerEmail: string
  password: string
  now?: Date
  /** Where the demo posters go (the IMAGES bucket); without it the demo has none. */
  images?: R2Bucket
}

export interface DemoSummary {
  created: boolean
  organizerId: string
  accounts: { email: string; role: string }[]
  seats: { venueId: string; seatCount: number }[]
}

const day = 24 * 3600_000

/**
 * Loads the demo catalogue. Every row has a fixed id and is inserted only when missing, so running it
 * again (every `npm run dev`) leaves existing data, including anything edited by hand, as it is.
 */
export async function loadDemo(d1: D1Database, settings: DemoSettings): Promise<DemoSummary> {
  const db = openDatabase(d1)
  const now = settings.now ?? new Date()
  const [existing] = await db
    .select({ id: organizers.id })
    .from(organizers)
    .where(eq(organizers.id, ids.organizer))
  const passwordHash = await hashPassword(settings.password)
  const emailDomain = settings.ownerEmail.split('@')[1] ?? 'demo.local'
  const accounts = [
    {
      id: ids.owner,
      email: settings.ownerEmail.toLowerCase(),
      name: 'Demo Owner',
      role: 'owner' as const,
      platformAdmin: true,
    },
    {
      id: ids.manager,
      email: `manager@${emailDomain}`,
      name: 'Demo Manager',
      role: 'manager' as const,
      platformAdmin: false,
    },
    {
      id: ids.gate,
      email: `gate@${emailDomain}`,
      name: 'Demo Gate',
      role: 'gate' as const,
      platformAdmin: false,
    },
    {
      id: ids.boxOffice,
      email: `box@${emailDomain}`,
      name: 'Demo Box Office',
      role: 'box_office' as const,
      platformAdmin: false,
    },
  ]

  await db
    .insert(organizers)
    .values({
      id: ids.organizer,
      name: 'Harbour City Arts & Parks',
      slug: 'harbour-city',
      contactEmail: settings.ownerEmail,
    })
    .onConflictDoNothing()
  for (const account of accounts) {
    await db
      .insert(staffUsers)
      .values({
        id: account.id,
        email: account.email,
        name: account.name,
        passwordHash,
        platformAdmin: account.platformAdmin,
      })
      .onConflictDoNothing()
    await db
      .insert(memberships)
      .values({ userId: account.id, organizerId: ids.organizer, role: account.role })
      .onConflictDoNothing()
  }

  const org = ids.organizer
  await db
    .insert(salesChannels)
    .values([
      {
        id: 'chn_demo_web',
        organizerId: org,
        name: '官网',
        nameEn: 'Own website',
        code: 'web',
        kind: 'own_site',
      },
      {
        id: 'chn_demo_ctrip',
        organizerId: org,
        name: '携程',
        nameEn: 'Ctrip',
        code: 'ctrip',
        kind: 'ota',
        commissionBps: 1000,
      },
      {
        id: 'chn_demo_meituan',
        organizerId: org,
        name: '美团',
        nameEn: 'Meituan',
        code: 'meituan',
        kind: 'ota',
        commissionBps: 800,
      },
      {
        id: 'chn_demo_kiosk',
        organizerId: org,
        name: '自助机',
        nameEn: 'Gate kiosks',
        code: 'kiosk',
        kind: 'kiosk',
      },
      {
        id: 'chn_demo_box_office',
        organizerId: org,
        name: '售票窗口',
        nameEn: 'Box office',
        code: 'box_office',
        kind: 'box_office',
      },
    ])
    .onConflictDoNothing()

  const seatCounts: DemoSummary['seats'] = []
  const venue = async (
    id: string,
    [name, nameEn]: [string, string],
    kind: 'concert_hall' | 'cinema' | 'stadium',
    chart: SeatChartInput,
    sectionNames: SectionName[],
  ) => {
    await db
      .insert(venues)
      .values({
        id,
        organizerId: org,
        name,
        nameEn,
        kind,
        city: '上海',
        cityEn: 'Shanghai',
        sectionNames,
        priceCategories: chart.categories,
      })
      .onConflictDoNothing()
    const [row] = await db.select({ seatCount: venues.seatCount }).from(venues).where(eq(venues.id, id))
    if (row?.seatCount === 0) {
      const parsed = parseJsonChart(chart)
      if (!parsed.ok)
        throw new Error(`demo chart for ${id} is invalid: ${JSON.stringify(parsed.errors.slice(0, 3))}`)
      await replaceSeatMap(d1, id, parsed.chart)
    }
    const [after] = await db.select({ seatCount: venues.seatCount }).from(venues).where(eq(venues.id, id))
    seatCounts.push({ venueId: id, seatCount: after?.seatCount ?? 0 })
  }
  await venue(ids.concertHall, ['港湾音乐厅', 'Harbour Concert Hall'], 'concert_hall', concertHallChart(), [
    { key: 'Stalls', name: '池座', nameEn: 'Stalls' },
    { key: 'Circle', name: '二层楼座', nameEn: 'Circle' },
    { key: 'Balcony', name: '三层楼座', nameEn: 'Balcony' },
  ])
  await venue(ids.cinemaHall, ['星光影城 1号厅', 'Starlight Cinema — Hall 1'], 'cinema', cinemaHallChart(), [
    { key: 'Hall', name: '影厅', nameEn: 'Hall' },
  ])
  await venue(ids.arena, ['滨江体育馆', 'Riverside Arena'], 'stadium', arenaChart(), [
    { key: 'Floor', name: '内场', nameEn: 'Floor' },
    { key: 'Lower', name: '看台一层', nameEn: 'Lower tier' },
    { key: 'Upper', name: '看台二层', nameEn: 'Upper tier' },
  ])

  await db
    .insert(events)
    .values([
      {
        id: ids.concertEvent,
        organizerId: org,
        name: '新年交响音乐会',
        nameEn: 'New Year Symphony Gala',
        kind: 'concert',
        status: 'published',
        realNameRequired: true,
        maxTicketsPerBuyer: 4,
        rotatingCode: true,
        description: 'The Harbour Philharmonic plays Dvořák 9 and Strauss waltzes.',
      },
      {
        id: ids.filmEvent,
        organizerId: org,
        name: '星际远航',
        nameEn: 'Voyage Beyond',
        kind: 'film',
        status: 'published',
        maxTicketsPerBuyer: 8,
        description: 'Science-fiction feature, 2h 15m.',
      },
      {
        id: ids.arenaEvent,
        organizerId: org,
        name: '城市之光跨年演唱会',
        nameEn: 'City Lights Countdown Live',
        kind: 'concert',
        status: 'published',
        maxTicketsPerBuyer: 4,
        description: 'A 6,000-seat arena: its seat map opens a section at a time.',
      },
    ])
    .onConflictDoNothing()

  const concertDay = midNextMonth(now)
  await db
    .insert(shows)
    .values({
      id: ids.concertShow,
      organizerId: org,
      eventId: ids.concertEvent,
      venueId: ids.concertHall,
      startsAt: beijing(concertDay, '19:30'),
      endsAt: beijing(concertDay, '21:45'),
      saleStartsAt: new Date(now.getTime() - day).toISOString(),
      saleEndsAt: beijing(concertDay, '19:00'),
      prices: { VIP: 128000, A: 88000, B: 58000, C: 28000 },
      refundTiers: [
        { minHoursBefore: 72, feePercent: 0 },
        { minHoursBefore: 24, feePercent: 20 },
      ],
    })
    .onConflictDoNothing()
  const arenaDay = new Date(concertDay.getTime() + 7 * day)
  await db
    .insert(shows)
    .values({
      id: ids.arenaShow,
      organizerId: org,
      eventId: ids.arenaEvent,
      venueId: ids.arena,
      startsAt: beijing(arenaDay, '19:30'),
      endsAt: beijing(arenaDay, '22:30'),
      saleStartsAt: new Date(now.getTime() - day).toISOString(),
      saleEndsAt: beijing(arenaDay, '19:00'),
      prices: { A: 168000, B: 98000, C: 48000 },
      refundTiers: [{ minHoursBefore: 72, feePercent: 0 }],
    })
    .onConflictDoNothing()
  await seedDemoPresale(db, now)
  await seedDemoWaitingRoom(db, now)
  // 定金: VIP seats of the concert sell with a deposit of 200.00 each, the balance payable from now until three days
  // before the concert (unpaid then, the seats go back on sale and the deposit is kept).
  await db
    .insert(showDeposits)
    .values({
      showId: ids.concertShow,
      organizerId: org,
      terms: {
        amount: 20000,
        categories: ['VIP'],
        balanceOpensAt: now.toISOString(),
        balanceDueAt: new Date(concertDay.getTime() - 3 * day).toISOString(),
        reminderLeadMinutes: 24 * 60,
        forfeit: 'keep',
      },
    })
    .onConflictDoNothing()
  const screeningTimes = ['14:00', '19:40']
  await db
    .insert(shows)
    .values(
      ids.screenings.map((id, i) => {
        const date = new Date(now.getTime() + (1 + Math.floor(i / 2)) * day)
        const startsAt = beijing(date, screeningTimes[i % 2]!)
        return {
          id,
          organizerId: org,
          eventId: ids.filmEvent,
          venueId: ids.cinemaHall,
          startsAt,
          endsAt: new Date(Date.parse(startsAt) + 135 * 60_000).toISOString(),
          saleStartsAt: new Date(now.getTime() - day).toISOString(),
          saleEndsAt: new Date(Date.parse(startsAt) + 15 * 60_000).toISOString(),
          prices: { STD: 4500, PRM: 6500 },
          holdMinutes: 10,
          refundTiers: [{ minHoursBefore: 2, feePercent: 0 }],
        }
      }),
    )
    .onConflictDoNothing()

  await db
    .insert(scenicSites)
    .values({
      id: ids.scenicSite,
      organizerId: org,
      name: '云雾山景区',
      nameEn: 'Misty Mountain Scenic Area',
      city: '杭州',
      cityEn: 'Hangzhou',
      description: 'Tea terraces, a waterfall trail and a cable car to the summit.',
      opensAt: '08:00',
      closesAt: '18:00',
      dailyCapacity: 5000,
      timeSlots: hourlySlots,
      bookingDaysAhead: 60,
      channelQuotas: { ctrip: 500, meituan: 300 },
    })
    .onConflictDoNothing()
  const p = ids.products
  const gate = {
    organizerId: org,
    siteId: ids.scenicSite,
    kind: 'entry' as const,
    timed: true,
    realNameRequired: true,
  }
  await db
    .insert(visitProducts)
    .values([
      {
        ...gate,
        id: p.adult,
        name: '成人票',
        nameEn: 'Gate ticket — adult',
        ticketType: 'adult',
        // Age rules are enforced from the ID number: a full-price ticket has none, so no one is refused it.
        eligibility: { note: 'Full price, any age' },
        price: 12000,
        // Weekends and public holidays cost more, Spring Festival more again (the console's price calendar).
        pricing: {
          dates: [
            { weekdays: [0, 6], holidays: ['2027-01-01'], price: 15000, label: '周末价' },
            { from: '2027-02-05', to: '2027-02-11', price: 16000, label: '春节' },
          ],
          tiers: [],
        },
      },
      {
        ...gate,
        id: p.child,
        name: '儿童票',
        nameEn: 'Gate ticket — child',
        ticketType: 'child',
        eligibility: { minHeightCm: 120, maxHeightCm: 150, note: 'Under 120 cm free with an adult' },
        price: 6000,
      },
      {
        ...gate,
        id: p.student,
        name: '学生票',
        nameEn: 'Gate ticket — student',
        ticketType: 'student',
        eligibility: { proof: 'student_card' },
        price: 6000,
      },
      {
        ...gate,
        id: p.senior,
        name: '老人票',
        nameEn: 'Gate ticket — senior',
        ticketType: 'senior',
        eligibility: { minAge: 60 },
        price: 6000,
      },
      {
        organizerId: org,
        siteId: ids.scenicSite,
        id: p.cableCar,
        name: '索道票',
        nameEn: 'Summit cable car',
        kind: 'attraction',
        ticketType: 'general',
        eligibility: { note: 'Only with a gate ticket for the same day' },
        price: 8000,
        dailyCapacity: 2000,
        realNameRequired: true,
        maxPerIdPerDay: 2,
      },
    ])
    .onConflictDoNothing()
  await db
    .insert(parentChildRules)
    .values(
      (['adult', 'child', 'student', 'senior'] as const).map((type) => ({
        id: `pcr_demo_${type}_cablecar`,
        organizerId: org,
        siteId: ids.scenicSite,
        parentProductId: p[type],
        childProductId: p.cableCar,
        matchBy: 'phone_or_id_number' as const,
        onParentRefund: 'block' as const,
      })),
    )
    .onConflictDoNothing()
  await db
    .insert(packages)
    .values({
      id: ids.package,
      organizerId: org,
      siteId: ids.scenicSite,
      name: '门票+索道套票',
      nameEn: 'Gate + cable car',
      price: 18000,
      components: [
        { productId: p.adult, quantity: 1 },
        { productId: p.cableCar, quantity: 1 },
      ],
    })
    .onConflictDoNothing()

  await db
    .insert(groupBuyCampaigns)
    .values({
      id: ids.groupBuyCampaign,
      organizerId: org,
      name: '星际远航 · 三人成团',
      nameEn: 'Voyage Beyond · groups of three',
      description:
        '3 人及以上成团，每人享团购价，发起人再减 5 元。Three friends or more: everyone pays the group price; the one who starts the group saves 5.00 more.',
      showIds: [...ids.screenings],
      groupPrices: { STD: 3000, PRM: 4500 },
      minSize: 3,
      maxSize: 8,
      lifetimeMinutes: 12 * 60,
      perBuyerLimit: 4,
      leaderDiscount: 500,
    })
    .onConflictDoNothing()
  await seedDemoKiosk(db, now)
  if (settings.images) await seedDemoPosters(db, settings.images)

  return {
    created: !existing,
    organizerId: org,
    accounts: accounts.map(({ email, role }) => ({ email, role })),
    seats: seatCounts,
  }
}
