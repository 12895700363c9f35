import { describe, expect, it } from 'vitest'
import type { SeatChartInput } from '../../../../worker/domain/seat-chart.ts'
import { ApiClient, organizerWithStaff, problemOf } from '../../../support/api.ts'
import { gridChart, ok } from '../../../support/catalogue.ts'

const newVenue = (client: ApiClient, base: string, body: Record<string, unknown> = {}) =>
  ok(client.post(`${base}/venues`, { name: 'Grand Theatre', kind: 'theatre', city: 'Beijing', ...body }), 201)

const csv = (rows: string[]) => ['section,row,seat,category,x,y,flags', ...rows].join('\n')
const putCsv = (client: ApiClient, path: string, text: string) =>
  client.fetch(path, { method: 'PUT', headers: { 'content-type': 'text/csv' }, body: text })

describe('venues: happy path', () => {
  it('creates, reads, updates, lists with filters and pages through every venue once', async () => {
    const org = await organizerWithStaff()
    const created: Record<string, any>[] = []
    for (let i = 0; i < 5; i++) {
      created.push(
        await newVenue(org.manager, org.base, {
          name: `Hall ${i}`,
          city: i % 2 ? 'Shanghai' : 'Beijing',
          kind: i === 4 ? 'cinema' : 'theatre',
        }),
      )
    }
    expect(created[0]).toMatchObject({ organizerId: org.organizerId, seatCount: 0, seatMapVersion: 0 })
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = await ok(
        org.manager.get(`${org.base}/venues?limit=2${cursor ? `&cursor=${cursor}` : ''}`),
      )
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((v) => v.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(created.map((v) => v.id))
    expect((await ok(org.manager.get(`${org.base}/venues?city=Shanghai`))).items).toHaveLength(2)
    expect(
      (await ok(org.manager.get(`${org.base}/venues?kind=cinema`))).items.map((v: { id: string }) => v.id),
    ).toEqual([created[4]!.id])
    expect((await ok(org.manager.get(`${org.base}/venues?q=Hall 3`))).items).toHaveLength(1)
    const updated = await ok(org.manager.patch(`${org.base}/venues/${created[0]!.id}`, { name: 'Renamed' }))
    expect(updated).toMatchObject({ name: 'Renamed', city: 'Beijing' })
    expect(updated.updatedAt > created[0]!.updatedAt).toBe(true)
    expect((await org.owner.delete(`${org.base}/venues/${created[1]!.id}`)).status).toBe(204)
    expect((await org.owner.get(`${org.base}/venues/${created[1]!.id}`)).status).toBe(404)
  })

  it('imports a JSON chart, exports it in the same format and re-imports it unchanged', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base)
    const chart = gridChart(3, 8, ['A', 'B'], { aisleAfter: 4 })
    chart.sections[0]!.rows[0]!.seats[0]!.flags = ['accessible']
    chart.sections[0]!.rows[0]!.seats[1]!.flags = ['companion', 'restricted_view']
    const imported = await ok(org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, chart))
    expect(imported).toMatchObject({
      seatCount: 24,
      seatMapVersion: 1,
      sections: [{ name: 'Main', seats: 24 }],
    })
    const exported = await ok(org.owner.get(`${org.base}/venues/${venue.id}/seat-map`))
    expect(exported.categories.map((c: { code: string }) => c.code)).toEqual(['A', 'B'])
    const firstRow = exported.sections[0].rows[0]
    expect(firstRow.seats[0]).toMatchObject({ number: '1', category: 'A', flags: ['accessible'] })
    expect(firstRow.seats[1].flags).toEqual(['companion', 'restricted_view'])
    expect(firstRow.seats[0].id).toMatch(/^st_/)
    const again = await ok(org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, exported))
    expect(again).toMatchObject({ seatCount: 24, seatMapVersion: 2 })
    const reexported = await ok(org.owner.get(`${org.base}/venues/${venue.id}/seat-map`))
    const labels = (m: SeatChartInput) =>
      m.sections.flatMap((s) =>
        s.rows.flatMap((r) => r.seats.map((x) => `${s.name}-${r.label}-${x.number}:${x.category}`)),
      )
    expect(labels(reexported as SeatChartInput)).toEqual(labels(exported as SeatChartInput))
  })

  it('imports CSV with the venue’s categories, and a 2,000-seat map in one go', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, {
      priceCategories: [
        { code: 'VIP', name: 'VIP', color: '#aa0000' },
        { code: 'STD', name: 'Standard', color: '#0000aa' },
      ],
    })
    const small = await ok(
      putCsv(
        org.owner,
        `${org.base}/venues/${venue.id}/seat-map`,
        csv([
          'Stalls,A,1,VIP,0,0,accessible',
          'Stalls,A,2,VIP,20,0,companion|blocked',
          'Stalls,B,1,STD,0,25,',
        ]),
      ),
    )
    expect(small.seatCount).toBe(3)
    const rows: string[] = []
    for (let r = 0; r < 40; r++)
      for (let s = 1; s <= 50; s++)
        rows.push(`Hall,${r + 1},${s},${r < 10 ? 'VIP' : 'STD'},${s * 20},${r * 25},`)
    const big = await ok(putCsv(org.owner, `${org.base}/venues/${venue.id}/seat-map`, csv(rows)))
    expect(big).toMatchObject({ seatCount: 2000, seatMapVersion: 2 })
    const fetched = await ok(org.owner.get(`${org.base}/venues/${venue.id}`))
    expect(fetched.seatCount).toBe(2000)
  })

  it('edits categories and flags of selected seats', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base)
    await ok(org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, gridChart(2, 5, ['A', 'B'])))
    const map = await ok(org.owner.get(`${org.base}/venues/${venue.id}/seat-map`))
    const ids = map.sections[0].rows[0].seats.slice(0, 2).map((s: { id: string }) => s.id)
    expect(
      await ok(
        org.manager.patch(`${org.base}/venues/${venue.id}/seats`, {
          seatIds: ids,
          category: 'B',
          blocked: true,
        }),
      ),
    ).toEqual({
      updated: 2,
      seatMapVersion: 2,
    })
    const after = await ok(org.owner.get(`${org.base}/venues/${venue.id}/seat-map`))
    expect(after.sections[0].rows[0].seats.slice(0, 2)).toMatchObject([
      { category: 'B', flags: ['blocked'] },
      { category: 'B', flags: ['blocked'] },
    ])
  })
})

describe('venues: bad input', () => {
  it('lists every bad row of a CSV import and imports nothing', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base, {
      priceCategories: [{ code: 'A', name: 'A', color: '#aa0000' }],
    })
    await ok(
      putCsv(org.owner, `${org.base}/venues/${venue.id}/seat-map`, csv(['S,1,1,A,0,0,', 'S,1,2,A,20,0,'])),
    )
    const bad = await putCsv(
      org.owner,
      `${org.base}/venues/${venue.id}/seat-map`,
      csv([
        'S,1,1,A,0,0,',
        'S,1,1,A,20,0,',
        'S,1,3,Z,40,0,',
        'S,1,,A,60,0,',
        'S,1,5,A,abc,0,',
        'S,1,6,A,80,0,sparkly',
        'S,1,7,A,100,0,',
      ]),
    )
    expect(bad.status).toBe(400)
    const problem = await problemOf(bad)
    expect(problem.code).toBe('validation')
    const byLine = new Map(problem.errors!.map((e) => [e.row, e]))
    expect(byLine.get(3)?.message).toMatch(/duplicate seat S-1-1 \(first at line 2\)/)
    expect(byLine.get(4)?.message).toMatch(/unknown price category Z/)
    expect(byLine.get(5)).toMatchObject({ path: 'seat', message: 'is required' })
    expect(byLine.get(6)).toMatchObject({ path: 'x', message: 'must be a number' })
    expect(byLine.get(7)?.message).toMatch(/unknown flag sparkly/)
    expect(byLine.has(8)).toBe(false)
    const after = await ok(org.owner.get(`${org.base}/venues/${venue.id}`))
    expect(after).toMatchObject({ seatCount: 2, seatMapVersion: 1 })
    const missing = await putCsv(
      org.owner,
      `${org.base}/venues/${venue.id}/seat-map`,
      'section,row,seat\nS,1,1',
    )
    expect((await problemOf(missing)).errors?.map((e) => e.message)).toEqual([
      'missing column category',
      'missing column x',
      'missing column y',
    ])
  })

  it('lists every bad seat of a JSON chart by path', async () => {
    const org = await organizerWithStaff()
    const venue = await newVenue(org.owner, org.base)
    const chart = gridChart(1, 3) as unknown as {
      sections: { rows: { seats: Record<string, unknown>[] }[] }[]
    }
    chart.sections[0]!.rows[0]!.seats[1]!.category = 'NOPE'
    chart.sections[0]!.rows[0]!.seats[2]!.number = '1'
    const bad = await org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, chart)
    const problem = await problemOf(bad)
    expect(problem.errors?.map((e) => e.path).sort()).toEqual([
      'sections.0.rows.0.seats.1.category',
      'sections.0.rows.0.seats.2.label',
    ])
    const malformed = await org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, {
      categories: [],
      sections: 'no',
    })
    expect((await problemOf(malformed)).errors?.map((e) => e.path)).toEqual(
      expect.arrayContaining(['categories', 'sections']),
    )
    const wrongType = await org.owner.fetch(`${org.base}/venues/${venue.id}/seat-map`, {
      method: 'PUT',
      headers: { 'content-type': 'text/plain' },
      body: 'x',
    })
    expect(wrongType.status).toBe(415)
    expect((await ok(org.owner.get(`${org.base}/venues/${venue.id}`))).seatCount).toBe(0)
  })

  it('rejects bad venue fields, unknown seat edits and deleting a venue in use', async () => {
    const org = await organizerWithStaff()
    const bad = await org.owner.post(`${org.base}/venues`, {
      name: '',
      kind: 'castle',
      priceCategories: [{ code: 'A', name: 'A', color: 'red' }],
    })
    expect((await problemOf(bad)).errors?.map((e) => e.path).sort()).toEqual([
      'json.city',
      'json.kind',
      'json.name',
      'json.priceCategories.0.color',
    ])
    const venue = await newVenue(org.owner, org.base)
    await ok(org.owner.put(`${org.base}/venues/${venue.id}/seat-map`, gridChart(1, 5)))
    const other = await newVenue(org.owner, org.base)
    await ok(org.owner.put(`${org.base}/venues/${other.id}/seat-map`, gridChart(1, 5)))
    const foreignSeat = (await ok(org.owner.get(`${org.base}/venues/${other.id}/seat-map`))).sections[0]
      .rows[0].seats[0].id
    const edit = await org.owner.patch(`${org.base}/venues/${venue.id}/seats`, {
      seatIds: [foreignSeat],
      blocked: true,
    })
    expect((await problemOf(edit)).errors?.[0]).toMatchObject({ path: 'json.seatIds' })
    const unknownCategory = await org.owner.patch(`${org.base}/venues/${venue.id}/seats`, {
      seatIds: [foreignSeat],
      category: 'Q',
    })
    expect((await problemOf(unknownCategory)).errors?.[0]?.path).toBe('json.category')
    const event = await ok(org.owner.post(`${org.base}/events`, { name: 'E', kind: 'concert' }), 201)
    await ok(
      org.owner.post(`${org.base}/shows`, {
        eventId: event.id,
        venueId: venue.id,
        startsAt: '2027-01-10T12:00:00Z',
        saleStartsAt: '2026-11-01T00:00:00Z',
        saleEndsAt: '2027-01-10T11:00:00Z',
        prices: { A: 100 },
      }),
      201,
    )
    const inUse = await org.owner.delete(`${org.base}/venues/${venue.id}`)
    expect(inUse.status).toBe(409)
    expect((await problemOf(inUse)).code).toBe('conflict')
  })
})

describe('venues: security', () => {
  it('needs a session, the right organizer and the right role', async () => {
    const a = await organizerWithStaff()
    const b = await organizerWithStaff()
    const venue = await newVenue(a.owner, a.base)
    expect((await problemOf(await new ApiClient().get(`${a.base}/venues`))).code).toBe('unauthorized')
    for (const res of [
      await b.manager.get(`${a.base}/venues`),
      await b.manager.get(`${a.base}/venues/${venue.id}`),
      await b.manager.post(`${a.base}/venues`, { name: 'x', kind: 'theatre', city: 'y' }),
      await b.owner.put(`${a.base}/venues/${venue.id}/seat-map`, gridChart(1, 2)),
      await a.gate.post(`${a.base}/venues`, { name: 'x', kind: 'theatre', city: 'y' }),
      await a.gate.get(`${a.base}/venues/${venue.id}/seat-map`),
    ]) {
      expect(res.status).toBe(403)
      expect((await problemOf(res)).code).toBe('forbidden')
    }
    // B's own path with A's venue id finds nothing.
    expect((await b.owner.get(`${b.base}/venues/${venue.id}`)).status).toBe(404)
    expect((await b.owner.patch(`${b.base}/venues/${venue.id}`, { name: 'stolen' })).status).toBe(404)
    expect((await ok(a.owner.get(`${a.base}/venues/${venue.id}`))).name).toBe('Grand Theatre')
  })
})
