import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SeatChartInput } from '../../../../worker/domain/seat-chart.ts'
import { ApiClient, type OrganizerFixture, organizerWithStaff, problemOf } from '../../../support/api.ts'
import { gridChart, ok } from '../../../support/catalogue.ts'

type Venue = Record<string, any> & { id: string }
interface ExportedSeat {
  id: string
  number: string
  label?: string
  category: string
  x: number
  y: number
  flags?: string[]
}
interface Exported {
  venueId: string
  seatMapVersion: number
  stage: { x: number; y: number } | null
  categories: { code: string; name: string; color: string }[]
  sections: { name: string; rows: { label: string; seats: ExportedSeat[] }[] }[]
}

const HEADER = 'section,row,seat,category,x,y,flags'
const csv = (rows: string[]) => [HEADER, ...rows].join('\n')
const twoCategories = [
  { code: 'VIP', name: 'VIP', color: '#aa0000' },
  { code: 'STD', name: 'Standard', color: '#0000aa' },
]

const newVenue = (client: ApiClient, base: string, body: Record<string, unknown> = {}) =>
  ok<Venue>(
    client.post(`${base}/venues`, { name: 'Grand Theatre', kind: 'theatre', city: 'Beijing', ...body }),
    201,
  )
const mapPath = (org: OrganizerFixture, venueId: string) => `${org.base}/venues/${venueId}/seat-map`
const putCsv = (client: ApiClient, path: string, text: string, type = 'text/csv') =>
  client.fetch(path, { method: 'PUT', headers: { 'content-type': type }, body: text })
const exportMap = (org: OrganizerFixture, venueId: string) =>
  ok<Exported>(org.owner.get(mapPath(org, venueId)))

/** Every seat of an export as `section/row/number label category x,y flags`, in export order. */
const describeSeats = (map: Exported) =>
  map.sections.flatMap((section) =>
    section.rows.flatMap((row) =>
      row.seats.map(
        (seat) =>
          `${section.name}/${row.label}/${seat.number} ${seat.label ?? '-'} ${seat.category} ${seat.x},${seat.y} ${(seat.flags ?? []).join('|')}`,
      ),
    ),
  )
const seatIdsOf = (map: Exported) =>
  map.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((seat) => seat.id)))

/** The seat rows stored for a venue, straight from D1. */
async function storedSeats(venueId: string) {
  const { results } = await env.DB.prepare(
    'SELECT id, label, category, blocked, accessible FROM seats WHERE venue_id = ? ORDER BY id',
  )
    .bind(venueId)
    .all<{ id: string; label: string; category: string; blocked: number; accessible: number }>()
  return results
}

/** A venue with a 2-row, 4-seat-per-row map in categories A (row 1) and B (row 2). */
async function venueWithMap(org: OrganizerFixture) {
  const venue = await newVenue(org.owner, org.base)
  await ok(org.owner.put(mapPath(org, venue.id), gridChart(2, 4, ['A', 'B'])))
  return { venue, map: await exportMap(org, venue.id) }
}

describe('venues: happy path', () => {
  it('creates a venue; the server sets id, organizer, seat count and map version', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const venue = await newVenue(org.manager, org.base, {
      id: 'ven_chosen_by_client',
      organizerId: other.organizerId,
      seatCount: 999,
      seatMapVersion: 7,
      address: '1 Chang’an Ave',
      priceCategories: twoCategories,
    })
    expect(venue.id).toMatch(/^ven_[0-9A-Z]{26}$/)
    expect(venue).toMatchObject({
      organizerId: org.organizerId,
      name: 'Grand Theatre',
      kind: 'theatre',
      city: 'Beijing',
      address: '1 Chang’an Ave',
      priceCategories: twoCategories,
      seatCount: 0,
      seatMapVersion: 0,
    })
    expect(await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).toEqual(venue)
    expect((await other.owner.get(`${other.base}/venues/${venue.id}`)).status).toBe(404)
  })

  it('updates only the fields sent and ignores attempts to move the venue', async () => {
    const org = await organizerWithStaff()
    const other = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, { address: 'Old street' })
    const updated = await ok<Venue>(
      org.manager.patch(`${org.base}/venues/${venue.id}`, {
        city: 'Tianjin',
        organizerId: other.organizerId,
        seatCount: 50,
      }),
    )
    expect(updated).toMatchObject({
      id: venue.id,
      organizerId: org.organizerId,
      name: 'Grand Theatre',
      city: 'Tianjin',
      address: 'Old street',
      seatCount: 0,
      createdAt: venue.createdAt,
    })
    expect((await ok<Venue>(org.owner.get(`${org.base}/venues/${venue.id}`))).city).toBe('Tianjin')
    expect((await ok(other.owner.get(`${other.base}/venues`))).items).toEqual([])
  })

  it('pages with limit and nextCursor through every venue exactly once', async () => {
    const org = await organizerWithStaff()
    const created: string[] = []
    for (let i = 0; i < 7; i++)
      created.push((await newVenue(org.manager, org.base, { name: `Hall ${i}` })).id)
    const seen: string[] = []
    const pageSizes: number[] = []
    let cursor: string | null = null
    do {
      const page: { items: Venue[]; nextCursor: string | null } = await ok(
        org.manager.get(`${org.base}/venues?limit=3${cursor ? `&cursor=${cursor}` : ''}`),
      )
      pageSizes.push(page.items.length)
      seen.push(...page.items.map((v) => v.id))
      cursor = page.nextCursor
    } while (cursor && pageSizes.length < 10)
    expect(pageSizes).toEqual([3, 3, 1])
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort()).toEqual([...created].sort())
    expect(seen).toEqual([...seen].sort())
    // Exactly `limit` records left: the last full page says there is nothing more.
    const exact = await ok(org.manager.get(`${org.base}/venues?limit=7`))
    expect(exact.items).toHaveLength(7)
    expect(exact.nextCursor).toBeNull()
    const all = await ok(org.manager.get(`${org.base}/venues`))
    expect(all.items.map((v: Venue) => v.id)).toEqual(seen)
  })

  it('filters by city, kind and name search, alone, combined and while paging', async () => {
    const org = await organizerWithStaff()
    const make = (name: string, city: string, kind: string) =>
      newVenue(org.owner, org.base, { name, city, kind })
    const poly = await make('Poly Theatre', 'Shanghai', 'theatre')
    const wanda = await make('Wanda Cinema', 'Shanghai', 'cinema')
    const ncpa = await make('NCPA Opera House', 'Beijing', 'theatre')
    const workers = await make('Workers Stadium', 'Beijing', 'stadium')
    const ids = async (query: string) =>
      (await ok(org.manager.get(`${org.base}/venues?${query}`))).items.map((v: Venue) => v.id).sort()
    expect(await ids('city=Shanghai')).toEqual([poly.id, wanda.id].sort())
    expect(await ids('kind=theatre')).toEqual([poly.id, ncpa.id].sort())
    expect(await ids('city=Beijing&kind=theatre')).toEqual([ncpa.id])
    expect(await ids('q=theatre')).toEqual([poly.id])
    expect(await ids(`q=${encodeURIComponent('opera h')}`)).toEqual([ncpa.id])
    expect(await ids('q=nothing-like-this')).toEqual([])
    expect(await ids('city=Guangzhou')).toEqual([])
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: Venue[]; nextCursor: string | null } = await ok(
        org.manager.get(`${org.base}/venues?city=Beijing&limit=1${cursor ? `&cursor=${cursor}` : ''}`),
      )
      seen.push(...page.items.map((v) => v.id))
      cursor = page.nextCursor
    } while (cursor && seen.length < 10)
    expect(seen.sort()).toEqual([ncpa.id, workers.id].sort())
  })

  it('imports a JSON chart with its categories and stage, reporting seats per section', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base)
    const chart: SeatChartInput = {
      stage: { x: 100, y: -20 },
      categories: twoCategories,
      sections: [
        {
          name: 'Stalls',
          rows: [
            {
              label: 'A',
              category: 'VIP',
              seats: [
                { number: '1', x: 0, y: 0, flags: ['accessible'] },
                { number: '2', x: 20, y: 0, flags: ['companion', 'restricted_view'] },
                { number: '3', x: 40, y: 0, category: 'STD' },
              ],
            },
          ],
        },
        {
          name: 'Balcony',
          rows: [{ label: '1', seats: [{ number: 1, label: 'Box 1', category: 'STD', x: 0, y: 80 }] }],
        },
      ],
    }
    const summary = await ok(org.manager.put(mapPath(org, venue.id), chart))
    expect(summary).toEqual({
      venueId: venue.id,
      seatMapVersion: 1,
      seatCount: 4,
      sections: [
        { name: 'Stalls', seats: 3 },
        { name: 'Balcony', seats: 1 },
      ],
    })
    expect(await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).toMatchObject({
      seatCount: 4,
      seatMapVersion: 1,
      stageX: 100,
      stageY: -20,
      priceCategories: twoCategories,
    })
    const exported = await exportMap(org, venue.id)
    expect(exported).toMatchObject({ venueId: venue.id, seatMapVersion: 1, stage: { x: 100, y: -20 } })
    expect(describeSeats(exported).sort()).toEqual(
      [
        'Stalls/A/1 - VIP 0,0 accessible',
        'Stalls/A/2 - VIP 20,0 companion|restricted_view',
        'Stalls/A/3 - STD 40,0 ',
        'Balcony/1/1 Box 1 STD 0,80 ',
      ].sort(),
    )
    const ids = seatIdsOf(exported)
    expect(ids.every((id) => /^st_/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(4)
  })

  it('imports CSV against the venue’s own price categories and stage', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, {
      priceCategories: twoCategories,
      stageX: 5,
      stageY: 0,
    })
    const summary = await ok(
      putCsv(
        org.manager,
        mapPath(org, venue.id),
        csv([
          'Stalls,A,2,VIP,20,0,companion|blocked',
          'Stalls,A,1,VIP,0,0,accessible',
          'Stalls,B,1,STD,0,25,',
          'Circle,1,1,STD,0,90,restricted-view',
        ]),
        'text/csv; charset=utf-8',
      ),
    )
    expect(summary).toMatchObject({
      venueId: venue.id,
      seatCount: 4,
      seatMapVersion: 1,
      sections: [
        { name: 'Stalls', seats: 3 },
        { name: 'Circle', seats: 1 },
      ],
    })
    const exported = await exportMap(org, venue.id)
    expect(exported.categories).toEqual(twoCategories)
    expect(exported.stage).toEqual({ x: 5, y: 0 })
    const stallsA = exported.sections.find((s) => s.name === 'Stalls')!.rows.find((r) => r.label === 'A')!
    // Exported left to right (by x), whatever order the file listed them in.
    expect(stallsA.seats.map((s) => [s.number, s.flags])).toEqual([
      ['1', ['accessible']],
      ['2', ['companion', 'blocked']],
    ])
    expect(describeSeats(exported)).toContain('Circle/1/1 - STD 0,90 restricted_view')
  })

  it('exports a chart that imports back to the same seats', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base)
    const chart = gridChart(3, 8, ['A', 'B'], { aisleAfter: 4 })
    chart.sections.push({
      name: 'Boxes',
      rows: [{ label: 'L', category: 'B', seats: [{ number: '1', label: 'Royal box', x: -50, y: 10 }] }],
    })
    chart.sections[0]!.rows[0]!.seats[0]!.flags = ['accessible']
    chart.sections[0]!.rows[0]!.seats[1]!.flags = ['companion', 'restricted_view']
    chart.sections[0]!.rows[2]!.seats[7]!.flags = ['blocked']
    expect(await ok(org.owner.put(mapPath(org, venue.id), chart))).toMatchObject({
      seatCount: 25,
      seatMapVersion: 1,
    })
    const exported = await exportMap(org, venue.id)
    expect(seatIdsOf(exported)).toHaveLength(25)
    // The export (ids, venueId and version included) is accepted as it is.
    const again = await ok(org.owner.put(mapPath(org, venue.id), exported))
    expect(again).toMatchObject({ seatCount: 25, seatMapVersion: 2 })
    const reexported = await exportMap(org, venue.id)
    expect(describeSeats(reexported)).toEqual(describeSeats(exported))
    expect(reexported.categories).toEqual(exported.categories)
    expect(reexported.stage).toEqual(exported.stage)
    expect(describeSeats(exported)).toContain('Boxes/L/1 Royal box B -50,10 ')
    expect(describeSeats(exported)).toContain('Main/R3/8 - A 180,90 blocked')
  })

  it('imports a generated 2,000-seat map in one request', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, { priceCategories: twoCategories })
    const rows: string[] = []
    for (let r = 1; r <= 40; r++)
      for (let s = 1; s <= 50; s++)
        rows.push(
          `Hall,${r},${s},${r <= 10 ? 'VIP' : 'STD'},${s * 20},${r * 25},${s === 1 ? 'accessible' : ''}`,
        )
    const summary = await ok(putCsv(org.owner, mapPath(org, venue.id), csv(rows)))
    expect(summary).toEqual({
      venueId: venue.id,
      seatCount: 2000,
      seatMapVersion: 1,
      sections: [{ name: 'Hall', seats: 2000 }],
    })
    expect((await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).seatCount).toBe(2000)
    const stored = await storedSeats(venue.id)
    expect(stored).toHaveLength(2000)
    expect(stored.filter((s) => s.category === 'VIP')).toHaveLength(500)
    expect(stored.filter((s) => s.accessible)).toHaveLength(40)
    const exported = await exportMap(org, venue.id)
    expect(new Set(seatIdsOf(exported)).size).toBe(2000)
  })

  it('replaces the whole previous map on a new import', async () => {
    const org = await organizerWithStaff()
    const { venue, map } = await venueWithMap(org)
    const summary = await ok(org.owner.put(mapPath(org, venue.id), gridChart(1, 3, ['C'])))
    expect(summary).toMatchObject({ seatCount: 3, seatMapVersion: 2 })
    const stored = await storedSeats(venue.id)
    expect(stored.map((s) => s.label).sort()).toEqual(['Main-R1-1', 'Main-R1-2', 'Main-R1-3'])
    expect(stored.some((s) => seatIdsOf(map).includes(s.id))).toBe(false)
    expect((await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).priceCategories).toEqual([
      expect.objectContaining({ code: 'C' }),
    ])
  })

  it('bulk-edits category and blocked on the selected seats only', async () => {
    const org = await organizerWithStaff()
    const { venue, map } = await venueWithMap(org)
    const [first, second, third] = map.sections[0]!.rows[0]!.seats
    const edited = await ok(
      org.manager.patch(`${org.base}/venues/${venue.id}/seats`, {
        seatIds: [first!.id, second!.id, first!.id],
        category: 'B',
        blocked: true,
      }),
    )
    expect(edited).toEqual({ updated: 2, seatMapVersion: 2 })
    const after = await exportMap(org, venue.id)
    expect(after.seatMapVersion).toBe(2)
    expect(after.sections[0]!.rows[0]!.seats.slice(0, 3)).toMatchObject([
      { id: first!.id, category: 'B', flags: ['blocked'] },
      { id: second!.id, category: 'B', flags: ['blocked'] },
      { id: third!.id, category: 'A' },
    ])
    expect(after.sections[0]!.rows[0]!.seats[2]!.flags).toBeUndefined()
    // Flags not named stay as they are; unblocking only unblocks.
    await ok(
      org.owner.patch(`${org.base}/venues/${venue.id}/seats`, {
        seatIds: [first!.id],
        blocked: false,
        accessible: true,
      }),
    )
    const last = await exportMap(org, venue.id)
    expect(last.sections[0]!.rows[0]!.seats[0]).toMatchObject({ category: 'B', flags: ['accessible'] })
    expect(last.seatMapVersion).toBe(3)
    expect((await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).seatCount).toBe(8)
  })

  it('deletes an unused venue together with its seats', async () => {
    const org = await organizerWithStaff()
    const { venue } = await venueWithMap(org)
    expect(await storedSeats(venue.id)).toHaveLength(8)
    expect((await org.manager.delete(`${org.base}/venues/${venue.id}`)).status).toBe(204)
    expect((await problemOf(await org.owner.get(`${org.base}/venues/${venue.id}`))).code).toBe('not_found')
    expect((await org.owner.get(mapPath(org, venue.id))).status).toBe(404)
    expect(await storedSeats(venue.id)).toHaveLength(0)
    expect((await org.manager.delete(`${org.base}/venues/${venue.id}`)).status).toBe(404)
  })
})

describe('venues: bad input', () => {
  it('refuses bad venue fields, listing each', async () => {
    const org = await organizerWithStaff()
    const bad = await org.owner.post(`${org.base}/venues`, {
      name: '  ',
      kind: 'castle',
      priceCategories: [
        { code: 'A', name: 'A', color: 'red' },
        { code: 'has space', name: 'B', color: '#00ff00' },
      ],
    })
    expect(bad.status).toBe(400)
    const problem = await problemOf(bad)
    expect(problem.code).toBe('validation')
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'json.city',
      'json.kind',
      'json.name',
      'json.priceCategories.0.color',
      'json.priceCategories.1.code',
    ])
    const duplicateCodes = await org.owner.post(`${org.base}/venues`, {
      name: 'V',
      kind: 'theatre',
      city: 'C',
      priceCategories: [twoCategories[0], twoCategories[0]],
    })
    expect((await problemOf(duplicateCodes)).errors?.[0]?.path).toBe('json.priceCategories')
    const venue = await newVenue(org.owner, org.base)
    const badPatch = await org.owner.patch(`${org.base}/venues/${venue.id}`, { kind: 'castle', name: '' })
    expect((await problemOf(badPatch)).errors?.map((e) => e.path).sort()).toEqual(['json.kind', 'json.name'])
    expect((await ok(org.owner.get(`${org.base}/venues`))).items).toHaveLength(1)
  })

  it('lists every bad CSV row by line number, imports nothing and keeps the previous map', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, { priceCategories: twoCategories })
    await ok(putCsv(org.owner, mapPath(org, venue.id), csv(['S,1,1,VIP,0,0,', 'S,1,2,STD,20,0,'])))
    const before = await storedSeats(venue.id)
    const bad = await putCsv(
      org.owner,
      mapPath(org, venue.id),
      csv([
        'S,1,1,VIP,0,0,', // line 2
        'S,1,1,VIP,20,0,', // 3: duplicate label
        'S,1,3,GOLD,40,0,', // 4: unknown category
        'S,1,,VIP,60,0,', // 5: missing seat
        'S,1,5,VIP,abc,0,', // 6: x not a number
        'S,1,6,VIP,80,0,sparkly', // 7: unknown flag
        'S,1,7,VIP,100,0,', // 8: fine
        ',1,8,,120,0,', // 9: missing section and category
        'S,1,9,VIP,140,0,', // 10: fine
      ]),
    )
    expect(bad.status).toBe(400)
    const problem = await problemOf(bad)
    expect(problem).toMatchObject({ code: 'validation', status: 400 })
    expect(problem.detail).toMatch(/nothing was imported/)
    expect(problem.errors?.map((e) => [e.row, e.path])).toEqual(
      expect.arrayContaining([
        [3, 'label'],
        [4, 'category'],
        [5, 'seat'],
        [6, 'x'],
        [7, 'flags'],
        [9, 'section'],
        [9, 'category'],
      ]),
    )
    expect(problem.errors).toHaveLength(7)
    const byLine = new Map(problem.errors!.map((e) => [`${e.row}:${e.path}`, e.message]))
    expect(byLine.get('3:label')).toBe('duplicate seat S-1-1 (first at line 2)')
    expect(byLine.get('4:category')).toBe('unknown price category GOLD')
    expect(byLine.get('5:seat')).toBe('is required')
    expect(byLine.get('6:x')).toBe('must be a number')
    expect(byLine.get('7:flags')).toMatch(/^unknown flag sparkly/)
    // Nothing half-imported: same seats (same ids), same count and version.
    expect(await storedSeats(venue.id)).toEqual(before)
    expect(await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).toMatchObject({
      seatCount: 2,
      seatMapVersion: 1,
    })
  })

  it('numbers CSV rows by file line even after blank lines', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, { priceCategories: twoCategories })
    const text = [HEADER, 'S,1,1,VIP,0,0,', '', '', 'S,1,2,VIP,x,0,', 'S,1,3,NOPE,40,0,'].join('\r\n')
    const problem = await problemOf(await putCsv(org.owner, mapPath(org, venue.id), text))
    expect(problem.errors?.map((e) => [e.row, e.path])).toEqual([
      [5, 'x'],
      [6, 'category'],
    ])
    expect((await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).seatMapVersion).toBe(0)
  })

  it('lists every bad seat of a JSON chart by path, imports nothing and keeps the previous map', async () => {
    const org = await organizerWithStaff()
    const { venue, map } = await venueWithMap(org)
    const chart = gridChart(1, 6, ['A']) as unknown as {
      sections: { rows: { seats: Record<string, unknown>[] }[] }[]
    }
    const seats = chart.sections[0]!.rows[0]!.seats
    seats[1]!.number = '1' // duplicate of seat 0
    seats[2]!.category = 'NOPE'
    delete seats[3]!.y
    seats[4]!.x = 'abc'
    seats[5]!.flags = ['accessible', 'sparkly']
    const bad = await org.owner.put(mapPath(org, venue.id), chart)
    expect(bad.status).toBe(400)
    const problem = await problemOf(bad)
    expect(problem.code).toBe('validation')
    expect(problem.detail).toMatch(/nothing was imported/)
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'sections.0.rows.0.seats.1.label',
      'sections.0.rows.0.seats.2.category',
      'sections.0.rows.0.seats.3.y',
      'sections.0.rows.0.seats.4.x',
      'sections.0.rows.0.seats.5.flags.1',
    ])
    expect(problem.errors).toContainEqual({
      path: 'sections.0.rows.0.seats.1.label',
      message: 'duplicate seat Main-R1-1 (first at sections.0.rows.0.seats.0)',
    })
    expect(problem.errors).toContainEqual({
      path: 'sections.0.rows.0.seats.2.category',
      message: 'unknown price category NOPE',
    })
    expect(await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).toMatchObject({
      seatCount: 8,
      seatMapVersion: 1,
    })
    expect(await exportMap(org, venue.id)).toEqual(map)
  })

  it('refuses a CSV without the required columns', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, { priceCategories: twoCategories })
    const missing = await putCsv(org.owner, mapPath(org, venue.id), 'section,row,seat,x\nS,1,1,0')
    expect(missing.status).toBe(400)
    expect((await problemOf(missing)).errors).toEqual([
      { path: 'header', row: 1, message: 'missing column category' },
      { path: 'header', row: 1, message: 'missing column y' },
    ])
    const empty = await putCsv(org.owner, mapPath(org, venue.id), '')
    expect((await problemOf(empty)).code).toBe('validation')
    const headerOnly = await putCsv(org.owner, mapPath(org, venue.id), HEADER)
    expect((await problemOf(headerOnly)).errors).toEqual([
      { path: 'seats', message: 'the chart has no seats' },
    ])
    expect((await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).seatMapVersion).toBe(0)
  })

  it('refuses malformed JSON and charts without categories or seats', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base)
    const malformed = await org.owner.fetch(mapPath(org, venue.id), {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"categories": [',
    })
    expect(malformed.status).toBe(400)
    expect((await problemOf(malformed)).errors).toEqual([{ path: 'body', message: 'is not valid JSON' }])
    const shapeless = await org.owner.put(mapPath(org, venue.id), { categories: [], sections: 'no' })
    expect((await problemOf(shapeless)).errors?.map((e) => e.path)).toEqual(['categories', 'sections'])
    const noSeats = await org.owner.put(mapPath(org, venue.id), {
      categories: [{ code: 'A', name: 'A', color: '#123456' }],
      sections: [{ name: 'S', rows: [] }],
    })
    expect((await problemOf(noSeats)).errors).toEqual([{ path: 'seats', message: 'the chart has no seats' }])
    expect(await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).toMatchObject({
      seatCount: 0,
      seatMapVersion: 0,
    })
  })

  it('answers 415 for content types other than JSON and CSV', async () => {
    const org = await organizerWithStaff()
    const { venue, map } = await venueWithMap(org)
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await putCsv(org.owner, mapPath(org, venue.id), csv(['S,1,1,A,0,0,']), type)
      expect(res.status).toBe(415)
      expect((await problemOf(res)).code).toBe('unsupported_media_type')
    }
    const untyped = await org.owner.fetch(mapPath(org, venue.id), {
      method: 'PUT',
      body: new Blob([new Uint8Array([1, 2, 3])]),
    })
    expect(untyped.status).toBe(415)
    expect(await exportMap(org, venue.id)).toEqual(map)
  })

  it('refuses seat edits with an unknown or empty category, another venue’s seats, or nothing to change', async () => {
    const org = await organizerWithStaff()
    const { venue, map } = await venueWithMap(org)
    const { venue: other, map: otherMap } = await venueWithMap(org)
    const mine = seatIdsOf(map)
    const path = `${org.base}/venues/${venue.id}/seats`
    const unknownCategory = await org.owner.patch(path, { seatIds: mine.slice(0, 2), category: 'GOLD' })
    expect(unknownCategory.status).toBe(400)
    expect((await problemOf(unknownCategory)).errors).toEqual([
      { path: 'json.category', message: 'unknown price category GOLD' },
    ])
    const emptyCategory = await org.owner.patch(path, { seatIds: mine.slice(0, 2), category: '' })
    expect((await problemOf(emptyCategory)).errors?.[0]?.path).toBe('json.category')
    const foreign = await org.owner.patch(path, {
      seatIds: [mine[0], seatIdsOf(otherMap)[0], 'st_does_not_exist'],
      blocked: true,
    })
    expect(foreign.status).toBe(400)
    expect((await problemOf(foreign)).errors).toEqual([
      { path: 'json.seatIds', message: '2 seat id(s) are not in this venue' },
    ])
    const nothing = await org.owner.patch(path, { seatIds: mine.slice(0, 1) })
    expect((await problemOf(nothing)).errors?.[0]?.message).toMatch(/at least one change/)
    const noSeats = await org.owner.patch(path, { seatIds: [], blocked: true })
    expect((await problemOf(noSeats)).errors?.[0]?.path).toBe('json.seatIds')
    const badFlag = await org.owner.patch(path, { seatIds: mine.slice(0, 1), blocked: 'yes' })
    expect((await problemOf(badFlag)).errors?.[0]?.path).toBe('json.blocked')
    // None of the refused edits touched either venue.
    expect(await exportMap(org, venue.id)).toEqual(map)
    expect(await exportMap(org, other.id)).toEqual(otherMap)
  })

  it('refuses dropping a price category that seats still use', async () => {
    const org = await organizerWithStaff()
    const { venue } = await venueWithMap(org)
    const categories = (await ok<Venue>(org.owner.get(`${org.base}/venues/${venue.id}`))).priceCategories
    const drop = await org.owner.patch(`${org.base}/venues/${venue.id}`, {
      priceCategories: categories.filter((c: { code: string }) => c.code !== 'B'),
    })
    expect(drop.status).toBe(400)
    expect((await problemOf(drop)).errors?.[0]).toMatchObject({ path: 'json.priceCategories' })
    // Renaming and adding categories is fine.
    const renamed = await ok<Venue>(
      org.owner.patch(`${org.base}/venues/${venue.id}`, {
        priceCategories: [...categories.map((c: object) => ({ ...c, name: 'Renamed' })), twoCategories[0]],
      }),
    )
    expect(renamed.priceCategories.map((c: { code: string }) => c.code)).toEqual(['A', 'B', 'VIP'])
  })

  it('refuses deleting a venue a show uses, with 409 conflict', async () => {
    const org = await organizerWithStaff()
    const { venue } = await venueWithMap(org)
    const event = await ok(org.owner.post(`${org.base}/events`, { name: 'E', kind: 'concert' }), 201)
    await ok(
      org.owner.post(`${org.base}/shows`, {
        eventId: event.id,
        venueId: venue.id,
        startsAt: '2027-01-10T12:00:00Z',
        saleStartsAt: '2026-11-01T00:00:00Z',
        saleEndsAt: '2027-01-10T11:00:00Z',
        prices: { A: 100, B: 50 },
      }),
      201,
    )
    const inUse = await org.owner.delete(`${org.base}/venues/${venue.id}`)
    expect(inUse.status).toBe(409)
    expect((await problemOf(inUse)).code).toBe('conflict')
    expect((await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).seatCount).toBe(8)
    expect(await storedSeats(venue.id)).toHaveLength(8)
  })

  it('refuses bad paging and filter parameters', async () => {
    const org = await organizerWithStaff()
    for (const [query, path] of [
      ['limit=0', 'query.limit'],
      ['limit=201', 'query.limit'],
      ['limit=ten', 'query.limit'],
      ['kind=castle', 'query.kind'],
      [`q=${'x'.repeat(101)}`, 'query.q'],
    ] as const) {
      const res = await org.manager.get(`${org.base}/venues?${query}`)
      expect(res.status).toBe(400)
      expect((await problemOf(res)).errors?.map((e) => e.path)).toEqual([path])
    }
  })
})

describe('venues: security', () => {
  /** Every venue route, called by `client` under `base` for venue `id`. */
  const everyRoute = (client: ApiClient, base: string, id: string) => [
    () => client.get(`${base}/venues`),
    () => client.get(`${base}/venues/${id}`),
    () => client.post(`${base}/venues`, { name: 'x', kind: 'theatre', city: 'y' }),
    () => client.patch(`${base}/venues/${id}`, { name: 'stolen' }),
    () => client.delete(`${base}/venues/${id}`),
    () => client.get(`${base}/venues/${id}/seat-map`),
    () => client.put(`${base}/venues/${id}/seat-map`, gridChart(1, 2)),
    () => putCsv(client, `${base}/venues/${id}/seat-map`, csv(['S,1,1,A,0,0,'])),
    () => client.patch(`${base}/venues/${id}/seats`, { seatIds: ['st_x'], blocked: true }),
  ]

  it('answers 401 unauthorized to callers without a session', async () => {
    const org = await organizerWithStaff()
    const { venue, map } = await venueWithMap(org)
    for (const call of everyRoute(new ApiClient(), org.base, venue.id)) {
      const res = await call()
      expect(res.status).toBe(401)
      expect((await problemOf(res)).code).toBe('unauthorized')
    }
    expect(await exportMap(org, venue.id)).toEqual(map)
  })

  it('answers 403 forbidden to staff of another organizer on every route', async () => {
    const a = await organizerWithStaff()
    const b = await organizerWithStaff()
    const { venue, map } = await venueWithMap(a)
    for (const client of [b.owner, b.manager]) {
      for (const call of everyRoute(client, a.base, venue.id)) {
        const res = await call()
        expect(res.status).toBe(403)
        expect((await problemOf(res)).code).toBe('forbidden')
      }
    }
    expect(await ok(a.owner.get(`${a.base}/venues/${venue.id}`))).toMatchObject({
      name: 'Grand Theatre',
      seatMapVersion: 1,
    })
    expect((await ok(a.owner.get(`${a.base}/venues`))).items).toHaveLength(1)
    expect(await exportMap(a, venue.id)).toEqual(map)
  })

  it('answers 403 to gate staff for any change to venues or seat maps', async () => {
    const org = await organizerWithStaff()
    const { venue, map } = await venueWithMap(org)
    const writes = everyRoute(org.gate, org.base, venue.id).filter((_, i) => i >= 2 && i !== 5)
    for (const call of writes) {
      const res = await call()
      expect(res.status).toBe(403)
      expect((await problemOf(res)).code).toBe('forbidden')
    }
    expect((await ok(org.owner.get(`${org.base}/venues`))).items).toHaveLength(1)
    expect(await exportMap(org, venue.id)).toEqual(map)
  })

  it('finds nothing (404) when another organizer’s venue id is used under one’s own path', async () => {
    const a = await organizerWithStaff()
    const b = await organizerWithStaff()
    const { venue, map } = await venueWithMap(a)
    const calls = everyRoute(b.owner, b.base, venue.id)
    for (const call of [calls[1]!, calls[3]!, calls[4]!, calls[5]!, calls[6]!, calls[7]!, calls[8]!]) {
      const res = await call()
      expect(res.status).toBe(404)
      expect((await problemOf(res)).code).toBe('not_found')
    }
    expect((await ok(b.owner.get(`${b.base}/venues`))).items).toEqual([])
    expect(await ok(a.owner.get(`${a.base}/venues/${venue.id}`))).toMatchObject({
      name: 'Grand Theatre',
      seatCount: 8,
      seatMapVersion: 1,
    })
    expect(await exportMap(a, venue.id)).toEqual(map)
  })
})
