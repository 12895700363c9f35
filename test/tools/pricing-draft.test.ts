import { describe, expect, it } from 'vitest'
import { draftOf, inputOf } from '../../web/admin/pricing-draft.ts'

// The console's pricing form does not edit price steps (they are set through the API): a save from it must send
// them back as they are, or an organizer editing an early bird would silently turn the steps off.

describe('console pricing draft', () => {
  it('keeps a category price steps and bounds through a save, also for a category without tiers', () => {
    const steps = [{ atPercentSold: 70, percent: 10, label: '热销' }]
    const draft = draftOf(
      {
        showId: 'shw_1',
        schedules: [
          { category: 'A', tiers: [{ label: '早鸟', price: 38000, quantity: 10 }], steps, ceiling: 60000 },
          { category: 'B', tiers: [], steps, floor: 10000 },
        ],
        flashSales: [],
        updatedAt: null,
      },
      ['A', 'B', 'C'],
    )
    const { input, sentCategories } = inputOf(draft)
    expect(sentCategories).toEqual(['A', 'B'])
    expect(input.schedules[0]).toMatchObject({ category: 'A', steps, ceiling: 60000 })
    expect(input.schedules[0]!.tiers).toHaveLength(1)
    expect(input.schedules[1]).toMatchObject({ category: 'B', tiers: [], steps, floor: 10000 })
  })
})
