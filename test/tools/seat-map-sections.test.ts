// The shop's loader of a big house's seat map (web/shop/seat-map/section-loader.ts) and its geometry
// (geometry.ts `outlineGeometry`): sections asked for once as they are needed, kept in the overview's order,
// kept live by deltas, and asked for again when their answer is older than the deltas already applied.
import { describe, expect, it } from 'vitest'
import { outlineGeometry, sectionsIn } from '../../web/shop/seat-map/geometry.ts'
import { SectionLoader } from '../../web/shop/seat-map/section-loader.ts'
import type { SeatMapSection } from '../../worker/routes/contracts/seat-map.ts'
import type { Seat } from '../../worker/routes/contracts/shows.ts'

const keys = ['S1', 'S2', 'S3']
const seatsOf = (section: string): Seat[] =>
  Array.from({ length: 4 }, (_, i) => ({
    id: `${section}-${i}`,
    label: `R1-${i + 1}`,
    section,
    row: 'R1',
    category: 'A',
    x: keys.indexOf(section) * 200 + i * 20,
    y: 40,
    accessible: false,
    companion: false,
    restrictedView: false,
    state: 'free',
  }))

/** A server stand-in answering sections at `version`, each when the test lets it (to order arrivals). */
function server(version = 5) {
  const asked: string[] = []
  const pending: { key: string; answer: (v?: number) => void; fail: () => void }[] = []
  const fetchSection = (key: string) =>
    new Promise<SeatMapSection>((resolve, reject) => {
      asked.push(key)
      pending.push({
        key,
        answer: (v = version) => resolve({ showId: 'shw', version: v, section: key, seats: seatsOf(key) }),
        fail: () => reject(new Error('offline')),
      })
    })
  const take = (key: string) => {
    const i = pending.findIndex((p) => p.key === key)
    return pending.splice(i, 1)[0]!
  }
  return { asked, fetchSection, take }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0))
const overview = { version: 5, areas: keys.map((key) => ({ key })) }

describe('the section loader', () => {
  it('asks for a section once however often it is needed, and keeps the overview’s order whatever arrives first', async () => {
    const api = server()
    let changes = 0
    const loader = new SectionLoader(overview, api.fetchSection, () => changes++)
    loader.need(['S3', 'S1'])
    loader.need(['S1', 'S3', 'S9'])
    expect(api.asked).toEqual(['S3', 'S1'])
    expect(loader.seats()).toEqual([])
    api.take('S3').answer()
    await settle()
    expect(loader.seats().map((s) => s.id)).toEqual(seatsOf('S3').map((s) => s.id))
    api.take('S1').answer()
    await settle()
    expect(loader.seats().map((s) => s.section)).toEqual([...Array(4).fill('S1'), ...Array(4).fill('S3')])
    expect(loader.keys()).toEqual(['S1', 'S3'])
    expect(changes).toBe(2)
    loader.need(['S1', 'S3'])
    expect(api.asked).toEqual(['S3', 'S1'])
  })

  it('applies deltas to the loaded seats and says when one names a seat of a section not loaded', async () => {
    const api = server()
    const loader = new SectionLoader(overview, api.fetchSection, () => {})
    loader.need(['S2'])
    api.take('S2').answer()
    await settle()
    const before = loader.seats()
    expect(loader.applyDelta([['S2-1', 'held']], 6)).toEqual({ outside: false })
    expect(loader.seats()).not.toBe(before)
    expect(loader.seats().find((s) => s.id === 'S2-1')!.state).toBe('held')
    expect(before.find((s) => s.id === 'S2-1')!.state).toBe('free')
    expect(loader.applyDelta([['S1-0', 'sold']], 7)).toEqual({ outside: true })
    expect(loader.version).toBe(7)
  })

  it('asks again for a section whose answer is older than the deltas applied meanwhile, and after a failure', async () => {
    const api = server()
    const loader = new SectionLoader(overview, api.fetchSection, () => {})
    loader.need(['S1'])
    loader.applyDelta([['S1-2', 'sold']], 6)
    api.take('S1').answer(5)
    await settle()
    // Version 5 missed the delta of version 6: not kept, asked again.
    expect(loader.has('S1')).toBe(false)
    expect(api.asked).toEqual(['S1', 'S1'])
    api.take('S1').answer(6)
    await settle()
    expect(loader.has('S1')).toBe(true)

    loader.need(['S2'])
    api.take('S2').fail()
    await settle()
    expect(loader.has('S2')).toBe(false)
    loader.need(['S2'])
    expect(api.asked).toEqual(['S1', 'S1', 'S2', 'S2'])
  })
})

describe('a big house’s geometry', () => {
  const outline = {
    pitch: 20,
    bounds: { x0: 0, y0: 40, x1: 460, y1: 40 },
    areas: keys.map((key, k) => ({ key, box: { x0: k * 200, y0: 40, x1: k * 200 + 60, y1: 40 } })),
  }
  it('takes the sections and bounds from the overview, and rows only from the loaded sections', () => {
    const geometry = outlineGeometry(outline, seatsOf('S2'), null)
    expect(geometry.radius).toBeCloseTo(8.8)
    expect(geometry.sections.map((s) => [s.name, s.rows.length])).toEqual([
      ['S1', 0],
      ['S2', 1],
      ['S3', 0],
    ])
    expect(geometry.sections[1]!.box.x0).toBeCloseTo(200 - 8.8 * 1.6)
    expect(geometry.bounds.x1).toBeCloseTo(460 + 8.8 * 1.3)
  })
  it('names the sections a view shows', () => {
    const geometry = outlineGeometry(outline, [], null)
    expect(sectionsIn(geometry, { x0: 150, y0: 0, x1: 300, y1: 100 }).map((s) => s.name)).toEqual(['S2'])
    expect(sectionsIn(geometry, { x0: 0, y0: 0, x1: 500, y1: 100 }).map((s) => s.name)).toEqual(keys)
  })
})
