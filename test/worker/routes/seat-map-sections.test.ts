import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { SeatChartInput } from '../../../worker/domain/seat-chart.ts'
import type {
  SeatMapAnswer,
  SeatMapOverview,
  SeatMapSection,
} from '../../../worker/routes/contracts/seat-map.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'

// The seat map of a big house a section at a time (issue 22): an overview with each section's box and free seats
// per category, a section's seats on request equal to the whole answer's, and a small house answered whole as
// before. The whole answer is the actor's own (`seatMap`), which the route no longer sends for a big house.

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

/** `sections` blocks of 20 rows × 50 seats side by side, rows alternating categories A and B. */
function blocksChart(sections: number): SeatChartInput {
  return {
    stage: { x: sections * 600, y: 0 },
    categories: [
      { code: 'A', name: 'Zone A', color: '#aa3333' },
      { code: 'B', name: 'Zone B', color: '#3333aa' },
    ],
    sections: Array.from({ length: sections }, (_, k) => ({
      name: `S${k + 1}`,
      rows: Array.from({ length: 20 }, (_, r) => ({
        label: `R${r + 1}`,
        category: r % 2 ? 'B' : 'A',
        seats: Array.from({ length: 50 }, (_, s) => ({
          number: String(s + 1),
          x: k * 1200 + s * 20,
          y: 40 + r * 25,
        })),
      })),
    })),
  }
}

async function bigShow() {
  const show = await showOnSale(blocksChart(8))
  const buyer = new ApiClient()
  const path = `/api/shows/${show.showId}/seat-map`
  return { show, buyer, path }
}

describe('the seat map of a big house', () => {
  it('answers an overview of 8,000 seats without a seat in it, in less than a byte a seat', async () => {
    const { show, buyer, path } = await bigShow()
    const res = await buyer.get(path)
    const text = await res.text()
    const overview = JSON.parse(text) as SeatMapAnswer
    expect(overview.layout).toBe('sections')
    if (overview.layout !== 'sections') return
    expect(overview).not.toHaveProperty('seats')
    expect(text.length).toBeLessThan(8_000)
    expect(overview.seatCount).toBe(8_000)
    expect(overview.areas.map((a) => [a.key, a.seats])).toEqual(
      Array.from({ length: 8 }, (_, k) => [`S${k + 1}`, 1_000]),
    )
    expect(overview.sections.map((s) => s.key)).toEqual(overview.areas.map((a) => a.key))
    expect(overview.areas[0]!.free).toEqual({ A: 500, B: 500 })
    expect(overview.pitch).toBe(20)
    // Each box is its section's seats' (from the whole answer), and the bounds hold them all.
    const whole = await inventory(show.showId).seatMap(show.showId)
    for (const area of overview.areas) {
      const seats = whole.seats.filter((s) => s.section === area.key)
      expect(area.box).toEqual({
        x0: Math.min(...seats.map((s) => s.x)),
        y0: Math.min(...seats.map((s) => s.y)),
        x1: Math.max(...seats.map((s) => s.x)),
        y1: Math.max(...seats.map((s) => s.y)),
      })
    }
    expect(overview.bounds).toEqual({ x0: 0, y0: 40, x1: 7 * 1200 + 49 * 20, y1: 40 + 19 * 25 })
  })

  it('answers each section as the whole answer has its seats, and both follow a hold', async () => {
    const { show, buyer, path } = await bigShow()
    const before = await inventory(show.showId).seatMap(show.showId)
    // Three seats of S3 in row R1 (category A) and one of R2 (B) held by another buyer.
    const s3 = before.seats.filter((s) => s.section === 'S3')
    const held = [s3[0]!, s3[1]!, s3[2]!, s3[50]!]
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: held.map((s) => s.id) }), 201)

    const whole = await inventory(show.showId).seatMap(show.showId)
    const overview = await ok<SeatMapOverview>(buyer.get(path))
    for (const area of overview.areas) {
      const section = await ok<SeatMapSection>(buyer.get(`${path}/sections/${encodeURIComponent(area.key)}`))
      expect(section.section).toBe(area.key)
      expect(section.version).toBe(whole.version)
      expect(section.seats).toEqual(whole.seats.filter((s) => s.section === area.key))
      // The overview's counts are the section's free seats per category.
      const free: Record<string, number> = {}
      for (const seat of section.seats)
        if (seat.state === 'free') free[seat.category] = (free[seat.category] ?? 0) + 1
      expect(area.free).toEqual(free)
    }
    expect(overview.areas[2]!.free).toEqual({ A: 497, B: 499 })
    const section3 = await ok<SeatMapSection>(buyer.get(`${path}/sections/S3`))
    expect(section3.seats.filter((s) => s.state === 'held').map((s) => s.id)).toEqual(held.map((s) => s.id))
    // The categories' availability adds up the areas'.
    const sum = (code: string) => overview.areas.reduce((n, a) => n + (a.free[code] ?? 0), 0)
    for (const category of overview.categories) expect(sum(category.code)).toBe(category.available)
  })

  it('says not_found for a section the house does not have', async () => {
    const { buyer, path } = await bigShow()
    const res = await buyer.get(`${path}/sections/S99`)
    expect(res.status).toBe(404)
    expect((await problemOf(res)).code).toBe('not_found')
  })
})

describe('the seat map of a small house', () => {
  it('answers every seat at once, as before', async () => {
    const show = await showOnSale(gridChart(10, 20))
    const answer = await ok<SeatMapAnswer>(new ApiClient().get(`/api/shows/${show.showId}/seat-map`))
    expect(answer.layout).toBe('whole')
    if (answer.layout !== 'whole') return
    expect(answer.seats).toHaveLength(200)
    expect(answer.seats).toEqual((await inventory(show.showId).seatMap(show.showId)).seats)
    expect(answer.sections.map((s) => s.key)).toEqual(['Main'])
  })
})
