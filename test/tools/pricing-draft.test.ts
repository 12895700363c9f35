import { describe, expect, it } from 'vitest'
import { draftOf, errorsByField, inputOf, previewPricing } from '../../web/admin/pricing-draft.ts'

// The console's pricing form edits price steps by sell-through beside the tiers: a save must send back what was
// loaded (or an organizer editing an early bird would silently turn the steps off), send typed steps in the API's
// units, and place the server's messages about steps at their fields.

const record = (schedules: Parameters<typeof draftOf>[0]['schedules']) => ({
  showId: 'shw_1',
  schedules,
  flashSales: [],
  updatedAt: null,
})

describe('console pricing draft', () => {
  it('keeps a category price steps and bounds through a save, also for a category without tiers', () => {
    const steps = [{ atPercentSold: 70, percent: 10, label: '热销' }]
    const draft = draftOf(
      record([
        { category: 'A', tiers: [{ label: '早鸟', price: 38000, quantity: 10 }], steps, ceiling: 60000 },
        { category: 'B', tiers: [], steps, floor: 10000 },
      ]),
      ['A', 'B', 'C'],
    )
    const { input, sentCategories } = inputOf(draft)
    expect(sentCategories).toEqual(['A', 'B'])
    expect(input.schedules[0]).toMatchObject({ category: 'A', steps, ceiling: 60000, floor: null })
    expect(input.schedules[0]!.tiers).toHaveLength(1)
    expect(input.schedules[1]).toMatchObject({ category: 'B', tiers: [], steps, floor: 10000, ceiling: null })
  })

  it('sends typed steps as whole percents and bounds in fen; removing every step and bound sends none', () => {
    const draft = draftOf(record([]), ['A', 'B'])
    draft.steps.A = {
      rows: [
        { atPercentSold: '50', percent: '+10', label: ' 热销 ' },
        { atPercentSold: '80', percent: '-5', label: '' },
      ],
      floor: '',
      ceiling: '520.5',
    }
    const { input, sentCategories } = inputOf(draft)
    expect(sentCategories).toEqual(['A'])
    expect(input.schedules[0]).toMatchObject({
      category: 'A',
      tiers: [],
      steps: [
        { atPercentSold: 50, percent: 10, label: '热销' },
        { atPercentSold: 80, percent: -5, label: null },
      ],
      floor: null,
      ceiling: 52050,
    })
    // The preview prices by date alone, so it leaves the steps out.
    expect(previewPricing(draft).schedules[0]).not.toHaveProperty('steps')
    draft.steps.A = { rows: [], floor: '', ceiling: '' }
    expect(inputOf(draft).sentCategories).toEqual([])
  })

  it('places the server messages about steps and bounds at their category fields', () => {
    const byField = errorsByField(
      [
        {
          path: 'json.schedules.1.steps.0.percent',
          message: 'must be a whole percent from -50 to 200, not 0',
        },
        { path: 'json.schedules.1.ceiling', message: 'must be at least the floor 50000' },
        { path: 'json.schedules.0.steps', message: 'at most 10 steps' },
        { path: 'json.schedules.0.tiers.0.price', message: 'above the list price 48000' },
      ],
      ['A', 'B'],
    )
    expect(byField).toEqual({
      'steps.B.0.percent': 'must be a whole percent from -50 to 200, not 0',
      'steps.B.ceiling': 'must be at least the floor 50000',
      'steps.A.all': 'at most 10 steps',
      'tiers.A.0.price': 'above the list price 48000',
    })
  })
})
