import { withCheckCharacter } from '../../worker/domain/id-number.ts'
import type { SeatChartInput } from '../../worker/domain/seat-chart.ts'
import { type OrganizerFixture, organizerWithStaff } from './api.ts'

const hour = 3600_000

export async function ok<T = Record<string, any>>(
  res: Response | Promise<Response>,
  status = 200,
): Promise<T> {
  const r = await res
  if (r.status !== status) throw new Error(`expected ${status}, got ${r.status}: ${await r.text()}`)
  return r.json<T>()
}

/** A rectangular chart: `rows` rows of `perRow` seats, one category per row (cycling through `categories`). */
export function gridChart(
  rows: number,
  perRow: number,
  categories = ['A'],
  opts: { aisleAfter?: number } = {},
): SeatChartInput {
  return {
    stage: { x: (perRow * 20) / 2, y: 0 },
    categories: categories.map((code, i) => ({
      code,
      name: `Zone ${code}`,
      color: `#${String(100000 + i * 111111).slice(0, 6)}`,
    })),
    sections: [
      {
        name: 'Main',
        rows: Array.from({ length: rows }, (_, r) => ({
          label: `R${r + 1}`,
          category: categories[r % categories.length]!,
          seats: Array.from({ length: perRow }, (_, s) => ({
            number: String(s + 1),
            x: s * 20 + (opts.aisleAfter !== undefined && s >= opts.aisleAfter ? 40 : 0),
            y: 40 + r * 25,
          })),
        })),
      },
    ],
  }
}

export interface ShowFixture extends OrganizerFixture {
  venueId: string
  eventId: string
  showId: string
  seatIds: string[]
}

/** An organizer with a venue, a published event and a show on sale now, all made through the admin API. */
export async function showOnSale(
  chart: SeatChartInput = gridChart(10, 20),
  opts: {
    realNameRequired?: boolean
    maxTicketsPerBuyer?: number
    holdMinutes?: number
    saleStartsInHours?: number
    startsInHours?: number
    refundTiers?: { minHoursBefore: number; feePercent: number }[]
  } = {},
): Promise<ShowFixture> {
  const org = await organizerWithStaff()
  const venue = await ok(
    org.owner.post(`${org.base}/venues`, { name: 'Hall', kind: 'concert_hall', city: 'Shanghai' }),
    201,
  )
  await ok(org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, chart))
  const event = await ok(
    org.owner.post(`${org.base}/events`, {
      name: 'Gala',
      kind: 'concert',
      status: 'published',
      realNameRequired: opts.realNameRequired ?? false,
      maxTicketsPerBuyer: opts.maxTicketsPerBuyer ?? 10,
    }),
    201,
  )
  const now = Date.now()
  const show = await ok(
    org.owner.post(`${org.base}/shows`, {
      eventId: event.id,
      venueId: venue.id,
      startsAt: new Date(now + (opts.startsInHours ?? 30 * 24) * hour).toISOString(),
      saleStartsAt: new Date(now + (opts.saleStartsInHours ?? -1) * hour).toISOString(),
      saleEndsAt: new Date(now + ((opts.startsInHours ?? 30 * 24) - 0.5) * hour).toISOString(),
      ...(opts.refundTiers ? { refundTiers: opts.refundTiers } : {}),
      prices: Object.fromEntries(chart.categories.map((c, i) => [c.code, 10000 * (i + 1)])),
      holdMinutes: opts.holdMinutes ?? 15,
    }),
    201,
  )
  const map = await ok<{ sections: { rows: { seats: { id: string }[] }[] }[] }>(
    org.owner.get(`${org.base}/venues/${venue.id}/seat-map`),
  )
  const seatIds = map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((seat) => seat.id)))
  return { ...org, venueId: venue.id, eventId: event.id, showId: show.id, seatIds }
}

export interface ScenicFixture extends OrganizerFixture {
  siteId: string
  gateProduct: string
  childProduct: string
  cableCarProduct: string
  packageId: string
  date: string
}

/** Today's date in Shanghai plus `days`. */
export function shanghaiDate(days = 1): string {
  return new Date(Date.now() + 8 * hour + days * 24 * hour).toISOString().slice(0, 10)
}

export async function scenicSiteOnSale(
  opts: {
    dailyCapacity?: number
    slotCapacity?: number
    channelQuotas?: Record<string, number>
    onParentRefund?: 'block' | 'cascade'
    cableCarCap?: number
  } = {},
): Promise<ScenicFixture> {
  const org = await organizerWithStaff()
  const daily = opts.dailyCapacity ?? 100
  const site = await ok(
    org.owner.post(`${org.base}/scenic-sites`, {
      name: 'Mountain',
      city: 'Hangzhou',
      dailyCapacity: daily,
      timeSlots: [
        { code: '09:00', start: '09:00', end: '10:00', capacity: opts.slotCapacity ?? daily },
        { code: '10:00', start: '10:00', end: '11:00', capacity: opts.slotCapacity ?? daily },
      ],
      channelQuotas: opts.channelQuotas ?? {},
    }),
    201,
  )
  const product = (body: Record<string, unknown>) =>
    ok(org.owner.post(`${org.base}/visit-products`, { siteId: site.id, ...body }), 201)
  const gate = await product({
    name: 'Gate adult',
    kind: 'entry',
    ticketType: 'adult',
    price: 12000,
    timed: true,
    maxPerIdPerDay: 1,
  })
  const child = await product({
    name: 'Gate child',
    kind: 'entry',
    ticketType: 'child',
    price: 6000,
    timed: true,
    realNameRequired: false,
  })
  const cableCar = await product({
    name: 'Cable car',
    kind: 'attraction',
    ticketType: 'general',
    price: 8000,
    maxPerIdPerDay: 2,
    ...(opts.cableCarCap !== undefined ? { dailyCapacity: opts.cableCarCap } : {}),
  })
  await ok(
    org.owner.post(`${org.base}/parent-child-rules`, {
      siteId: site.id,
      parentProductId: gate.id,
      childProductId: cableCar.id,
      onParentRefund: opts.onParentRefund ?? 'block',
    }),
    201,
  )
  const pkg = await ok(
    org.owner.post(`${org.base}/packages`, {
      siteId: site.id,
      name: 'Gate + cable car',
      price: 18000,
      components: [
        { productId: gate.id, quantity: 1 },
        { productId: cableCar.id, quantity: 1 },
      ],
    }),
    201,
  )
  return {
    ...org,
    siteId: site.id,
    gateProduct: gate.id,
    childProduct: child.id,
    cableCarProduct: cableCar.id,
    packageId: pkg.id,
    date: shanghaiDate(1),
  }
}

/** Valid PRC ID numbers (checksummed), distinct per `n`. */
export function idNumberFor(n: number): string {
  return withCheckCharacter(
    `110101199001${String(1 + (n % 28)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`,
  )
}

/** A checksummed ID number (Hangzhou Xihu, 330106) for someone born on `birth` (YYYY-MM-DD). */
export const idNumberBornOn = (birth: string, serial: number) =>
  withCheckCharacter(`330106${birth.replaceAll('-', '')}${String(serial).padStart(3, '0')}`)

/** Adds a senior gate ticket (60 and over, by the ID number's birth date) to the site; answers its product id. */
export async function addSeniorTicket(
  site: ScenicFixture,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const senior = await ok(
    site.owner.post(`${site.base}/visit-products`, {
      siteId: site.siteId,
      name: 'Gate senior',
      kind: 'entry',
      ticketType: 'senior',
      eligibility: { minAge: 60 },
      price: 6000,
      timed: true,
      ...extra,
    }),
    201,
  )
  return senior.id as string
}
