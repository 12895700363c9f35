import { describe, expect, it } from 'vitest'
import { type DaySales, forecastShowSales } from '../../../../worker/domain/forecast/show-sales.ts'

// A show's final sales from its curve so far against past shows on the days-before-start axis, scaled by
// capacity. The past show below (2,000 seats) sells slowly from 60 days out and fast in the last two weeks.

const startDay = '2026-12-31'
const today = '2026-12-11' // 20 days before the start day

/** Tickets per day for a 2,000-seat hall: a slow start, a rush at the end; 1,400 in all. */
const pastCurve: DaySales[] = Array.from({ length: 61 }, (_, i) => {
  const daysBefore = 60 - i
  return { daysBefore, tickets: daysBefore > 14 ? 10 : daysBefore > 0 ? 60 : 100 }
})
const pastFinal = pastCurve.reduce((t, s) => t + s.tickets, 0)
const scaled = (curve: DaySales[], by: number, fromDaysBefore: number) =>
  curve.filter((s) => s.daysBefore >= fromDaysBefore).map((s) => ({ ...s, tickets: s.tickets * by }))

describe('forecastShowSales', () => {
  it("predicts a past show's final (scaled by capacity) when this show has sold like it so far", () => {
    // 1,000 seats: half the past hall, half its sales per day up to yesterday (21 days out).
    const sales = scaled(pastCurve, 0.5, 21)
    const forecast = forecastShowSales({
      capacity: 1000,
      startDay,
      today,
      sales,
      comparables: [{ showId: 'shw_past', capacity: 2000, sales: pastCurve }],
    })
    expect(pastFinal).toBe(1400)
    expect(forecast.method).toBe('comparable_shows')
    expect(forecast.sold).toBe(200)
    // Within 1% of the past show's final share (70% of 1,000).
    expect(Math.abs(forecast.expectedFinal - 700)).toBeLessThanOrEqual(7)
    expect(forecast.expectedSellThrough).toBeCloseTo(0.7, 2)
    expect(forecast.comparables).toEqual([
      expect.objectContaining({
        showId: 'shw_past',
        capacity: 2000,
        finalTickets: 1400,
        soldByThen: 400,
        estimate: 700,
      }),
    ])
    // The past show's progress on the same axis, for charting beside this one: 60 days out to the start day.
    const progress = forecast.comparables[0]!.progress
    expect(progress).toHaveLength(61)
    expect(progress[0]).toEqual({ daysBefore: 60, sold: 10, share: 0.005 })
    expect(progress.find((p) => p.daysBefore === 21)).toEqual({ daysBefore: 21, sold: 400, share: 0.2 })
    expect(progress.at(-1)).toEqual({ daysBefore: 0, sold: 1400, share: 0.7 })
    // One past show only: the show's own pace (5 a day) joins the range, so the low end is well below.
    expect(forecast.pace).toEqual({ ticketsPerDay: 5, days: 14 })
    expect(forecast.low).toBe(200 + 5 * 21)
    expect(forecast.high).toBe(700)
    expect(forecast.sellOutDate).toBeNull()
    // The curve: sold up to today, expected from today to the start day.
    const last = forecast.curve.at(-1)!
    expect(last).toMatchObject({ daysBefore: 0, date: startDay, sold: null, expected: 700 })
    expect(forecast.curve.find((p) => p.daysBefore === 20)).toMatchObject({ date: today, sold: 200 })
  })

  it('averages several past shows and dates the sell-out when the estimate reaches capacity', () => {
    const sales = scaled(pastCurve, 0.5, 21)
    const busier = pastCurve.map((s) => ({ ...s, tickets: s.daysBefore <= 20 ? s.tickets * 2 : s.tickets }))
    const forecast = forecastShowSales({
      capacity: 800,
      startDay,
      today,
      sales: sales.map((s) => ({ ...s, tickets: s.tickets * 0.8 })),
      comparables: [
        { showId: 'a', capacity: 2000, sales: pastCurve },
        { showId: 'b', capacity: 2000, sales: busier },
        { showId: 'c', capacity: 2000, sales: busier },
      ],
    })
    const estimates = forecast.comparables.map((c) => c.estimate)
    expect(forecast.low).toBe(Math.min(...estimates))
    expect(forecast.high).toBe(Math.max(...estimates))
    // Sold by yesterday: 160; a adds its later 1,000 of 2,000 seats as 400 of 800, b and c twice that (960,
    // capped at 800): the mean (827) reaches the 800 seats.
    expect(forecast.sold).toBe(160)
    expect(estimates).toEqual([560, 800, 800])
    expect(forecast.high).toBe(800)
    expect(forecast.expectedFinal).toBe(800)
    const firstFull = forecast.curve.find((p) => p.expected === 800)!
    expect(forecast.sellOutDate).toBe(firstFull.date)
    expect(forecast.sellOutDate! > today).toBe(true)
    expect(forecast.sellOutDate! <= startDay).toBe(true)
  })

  it('without past shows says so and carries its own pace on to the end of sales', () => {
    // 10 tickets a day for the last 30 days, 3 so far today.
    const sales = [
      ...Array.from({ length: 30 }, (_, i) => ({ daysBefore: 21 + i, tickets: 10 })),
      { daysBefore: 20, tickets: 3 },
    ]
    const forecast = forecastShowSales({
      capacity: 1000,
      startDay,
      today,
      lastSaleDay: '2026-12-30',
      sales,
      comparables: [],
    })
    expect(forecast.method).toBe('own_pace')
    expect(forecast.pace).toEqual({ ticketsPerDay: 10, days: 14 })
    // 300 by yesterday plus 10 a day from today to the last sale day (20 days).
    expect(forecast.expectedFinal).toBe(500)
    // Every day sold exactly 10: no spread, so the band is the expectation.
    expect([forecast.low, forecast.high]).toEqual([500, 500])
    expect(forecast.sellOutDate).toBeNull()
  })

  it('reports a sold-out show on the day it sold out, and a started show as final', () => {
    const sales = [
      { daysBefore: 30, tickets: 60 },
      { daysBefore: 25, tickets: 40 },
    ]
    const soldOut = forecastShowSales({ capacity: 100, startDay, today, sales, comparables: [] })
    expect(soldOut).toMatchObject({ soldOut: true, sellOutDate: '2026-12-06', expectedFinal: 100 })
    const started = forecastShowSales({
      capacity: 200,
      startDay: '2026-12-01',
      today,
      sales,
      comparables: [],
    })
    expect(started).toMatchObject({
      method: 'final',
      expectedFinal: 100,
      low: 100,
      high: 100,
      sellOutDate: null,
    })
  })
})
