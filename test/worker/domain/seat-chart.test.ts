import { describe, expect, it } from 'vitest'
import type { PriceCategory } from '../../../worker/db/schema.ts'
import {
  type ChartResult,
  type ChartSeat,
  MAX_SEATS,
  type NormalizedChart,
  parseCsvChart,
  parseJsonChart,
  type SeatChartInput,
  toJsonChart,
} from '../../../worker/domain/seat-chart.ts'

const categories: PriceCategory[] = [
  { code: 'A', name: 'Zone A', color: '#aa0000' },
  { code: 'B', name: 'Zone B', color: '#0000aa' },
]
const HEADER = 'section,row,seat,category,x,y,flags'
const csvOf = (...rows: string[]) => [HEADER, ...rows].join('\n')

function chartOf(result: ChartResult): NormalizedChart {
  if (!result.ok) throw new Error(`expected a valid chart, got ${JSON.stringify(result.errors)}`)
  return result.chart
}
function errorsOf(result: ChartResult) {
  if (result.ok) throw new Error('expected the chart to be refused')
  return result.errors
}
const byLabel = (chart: NormalizedChart) => new Map(chart.seats.map((seat) => [seat.label, seat]))

/** One section, one row per entry; each row lists its seats as [number, x]. */
function jsonChart(rows: Record<string, [string, number][]>, extra: Partial<SeatChartInput> = {}) {
  return {
    categories,
    sections: [
      {
        name: 'Stalls',
        rows: Object.entries(rows).map(([label, seats]) => ({
          label,
          category: 'A',
          seats: seats.map(([number, x]) => ({ number, x, y: 10 })),
        })),
      },
    ],
    ...extra,
  } satisfies SeatChartInput
}

describe('parseJsonChart: happy path', () => {
  it('orders ordinals by x within each row, whatever order the seats are listed in', () => {
    const chart = chartOf(
      parseJsonChart(
        jsonChart({
          A: [
            ['3', 60],
            ['1', 0],
            ['2', 30],
          ],
          B: [
            ['1', 100],
            ['2', -5],
          ],
        }),
      ),
    )
    const seats = byLabel(chart)
    expect(['Stalls-A-1', 'Stalls-A-2', 'Stalls-A-3'].map((l) => seats.get(l)?.ordinal)).toEqual([0, 1, 2])
    // Ordinals restart in every row: B-2 is further left than B-1.
    expect(seats.get('Stalls-B-2')?.ordinal).toBe(0)
    expect(seats.get('Stalls-B-1')?.ordinal).toBe(1)
    // The listed order is kept in the flat list (only ordinals are computed).
    expect(chart.seats.map((s) => s.number)).toEqual(['3', '1', '2', '1', '2'])
  })

  it('keeps rows of the same label in different sections apart', () => {
    const chart = chartOf(
      parseJsonChart({
        categories,
        sections: [
          { name: 'Left', rows: [{ label: '1', category: 'A', seats: [{ number: 1, x: 50, y: 0 }] }] },
          {
            name: 'Right',
            rows: [
              {
                label: '1',
                category: 'A',
                seats: [
                  { number: 1, x: 300, y: 0 },
                  { number: 2, x: 200, y: 0 },
                ],
              },
            ],
          },
        ],
      }),
    )
    const seats = byLabel(chart)
    expect(seats.get('Left-1-1')?.ordinal).toBe(0)
    expect(seats.get('Right-1-2')?.ordinal).toBe(0)
    expect(seats.get('Right-1-1')?.ordinal).toBe(1)
  })

  it('labels seats section-row-number unless a label is given, and turns numbers into text', () => {
    const chart = chartOf(
      parseJsonChart({
        categories,
        sections: [
          {
            name: 'Circle',
            rows: [
              {
                label: 7,
                category: 'A',
                seats: [
                  { number: 12, x: 0, y: 0 },
                  { number: '13', label: 'Box 1', x: 20, y: 0 },
                ],
              },
            ],
          },
        ],
      }),
    )
    expect(chart.seats.map((s) => [s.row, s.number, s.label])).toEqual([
      ['7', '12', 'Circle-7-12'],
      ['7', '13', 'Box 1'],
    ])
  })

  it('uses the row’s category for seats that name none, and a seat’s own category over it', () => {
    const chart = chartOf(
      parseJsonChart({
        categories,
        sections: [
          {
            name: 'S',
            rows: [
              {
                label: 'A',
                category: 'B',
                seats: [
                  { number: '1', x: 0, y: 0 },
                  { number: '2', x: 20, y: 0, category: 'A' },
                ],
              },
            ],
          },
        ],
      }),
    )
    expect(chart.seats.map((s) => s.category)).toEqual(['B', 'A'])
  })

  it('maps flags to booleans and defaults stage to null', () => {
    const chart = chartOf(
      parseJsonChart({
        categories,
        sections: [
          {
            name: 'S',
            rows: [
              {
                label: 'A',
                category: 'A',
                seats: [
                  { number: '1', x: 0, y: 0, flags: ['accessible', 'blocked'] },
                  { number: '2', x: 20, y: 0, flags: ['companion', 'restricted_view'] },
                  { number: '3', x: 40, y: 0 },
                ],
              },
            ],
          },
        ],
      }),
    )
    const pick = ({ accessible, companion, restrictedView, blocked }: ChartSeat) => ({
      accessible,
      companion,
      restrictedView,
      blocked,
    })
    expect(chart.seats.map(pick)).toEqual([
      { accessible: true, companion: false, restrictedView: false, blocked: true },
      { accessible: false, companion: true, restrictedView: true, blocked: false },
      { accessible: false, companion: false, restrictedView: false, blocked: false },
    ])
    expect(chart.stage).toBeNull()
    expect(chartOf(parseJsonChart(jsonChart({ A: [['1', 0]] }, { stage: { x: 5, y: -3 } }))).stage).toEqual({
      x: 5,
      y: -3,
    })
  })
})

describe('parseJsonChart: bad charts', () => {
  it('lists every bad seat at once: duplicates, unknown or missing categories', () => {
    const errors = errorsOf(
      parseJsonChart({
        categories,
        sections: [
          {
            name: 'S',
            rows: [
              {
                label: 'A',
                seats: [
                  { number: '1', x: 0, y: 0, category: 'A' },
                  { number: '1', x: 20, y: 0, category: 'A' },
                  { number: '3', x: 40, y: 0, category: 'Z' },
                  { number: '4', x: 60, y: 0 },
                  { number: '5', x: 80, y: 0, label: 'S-A-1', category: 'B' },
                ],
              },
            ],
          },
        ],
      }),
    )
    expect(errors).toEqual([
      {
        path: 'sections.0.rows.0.seats.1.label',
        message: 'duplicate seat S-A-1 (first at sections.0.rows.0.seats.0)',
      },
      { path: 'sections.0.rows.0.seats.2.category', message: 'unknown price category Z' },
      { path: 'sections.0.rows.0.seats.3.category', message: 'is required' },
      {
        path: 'sections.0.rows.0.seats.4.label',
        message: 'duplicate seat S-A-1 (first at sections.0.rows.0.seats.0)',
      },
    ])
  })

  it('lists every schema problem with its path: missing fields, non-numeric x, unknown flags', () => {
    const errors = errorsOf(
      parseJsonChart({
        categories: [{ code: 'A', name: 'A', color: 'red' }],
        sections: [
          {
            name: 'S',
            rows: [
              {
                label: 'A',
                seats: [
                  { x: 0, y: 0 },
                  { number: '2', x: 'abc', y: 0 },
                  { number: '3', x: 40, y: 0, flags: ['sparkly'] },
                  { number: '4', x: Number.POSITIVE_INFINITY, y: 0 },
                ],
              },
            ],
          },
        ],
      }),
    )
    const paths = errors.map((e) => e.path)
    expect(paths).toEqual(
      expect.arrayContaining([
        'categories.0.color',
        'sections.0.rows.0.seats.0.number',
        'sections.0.rows.0.seats.1.x',
        'sections.0.rows.0.seats.2.flags.0',
        'sections.0.rows.0.seats.3.x',
      ]),
    )
    expect(errors.find((e) => e.path === 'sections.0.rows.0.seats.1.x')?.message).toBe('must be a number')
  })

  it('lists malformed seats and duplicate or wrongly categorised well-formed seats in one answer', () => {
    const errors = errorsOf(
      parseJsonChart({
        categories: [
          { code: 'A', name: 'A', color: 'not-a-colour' },
          { code: 'B', name: 'B', color: '#00ff00' },
        ],
        sections: [
          {
            name: 'S',
            rows: [
              {
                label: 'A',
                category: 'A',
                seats: [
                  { number: '1', x: 0, y: 0 },
                  { number: '1', x: 20, y: 0 },
                  { number: '3', x: 'abc', y: 0 },
                  { number: '4', x: 60, y: 0, category: 'Q' },
                  { number: '5', x: 80, y: 0, category: 'B' },
                ],
              },
              // A row whose label is bad: its seats are not checked further.
              { label: '', category: 'Q', seats: [{ number: '1', x: 0, y: 0 }] },
            ],
          },
        ],
      }),
    )
    expect(errors).toEqual([
      { path: 'categories.0.color', message: 'a colour like #c0392b' },
      { path: 'sections.0.rows.0.seats.2.x', message: 'must be a number' },
      { path: 'sections.0.rows.1.label', message: 'is required' },
      {
        path: 'sections.0.rows.0.seats.1.label',
        message: 'duplicate seat S-A-1 (first at sections.0.rows.0.seats.0)',
      },
      { path: 'sections.0.rows.0.seats.3.category', message: 'unknown price category Q' },
    ])
  })

  it('refuses duplicate category codes, charts without seats and charts without sections', () => {
    expect(
      errorsOf(
        parseJsonChart({
          categories: [categories[0]!, { ...categories[1]!, code: 'A' }],
          sections: [
            { name: 'S', rows: [{ label: '1', category: 'A', seats: [{ number: 1, x: 0, y: 0 }] }] },
          ],
        }),
      ),
    ).toEqual([{ path: 'categories.1.code', message: 'duplicate category A' }])
    expect(errorsOf(parseJsonChart({ categories, sections: [{ name: 'S', rows: [] }] }))).toEqual([
      { path: 'seats', message: 'the chart has no seats' },
    ])
    expect(errorsOf(parseJsonChart({ categories: [], sections: [] })).map((e) => e.path)).toEqual([
      'categories',
      'sections',
    ])
    expect(errorsOf(parseJsonChart('not a chart'))).toHaveLength(1)
  })

  it(`refuses more than ${MAX_SEATS} seats`, () => {
    const seats = Array.from({ length: MAX_SEATS + 1 }, (_, i) => ({ number: i + 1, x: i, y: 0 }))
    const errors = errorsOf(
      parseJsonChart({ categories, sections: [{ name: 'S', rows: [{ label: '1', category: 'A', seats }] }] }),
    )
    expect(errors).toEqual([{ path: 'seats', message: `at most ${MAX_SEATS} seats per venue` }])
  })
})

describe('parseCsvChart: happy path', () => {
  it('reads seats with the given categories and stage, ordering ordinals by x', () => {
    const chart = chartOf(
      parseCsvChart(
        csvOf('Stalls,A,2,A,20,0,', 'Stalls,A,1,A,0,0,', 'Stalls,B,1,B,0,25,', 'Balcony,A,1,B,5,90,'),
        categories,
        { x: 10, y: -20 },
      ),
    )
    expect(chart.stage).toEqual({ x: 10, y: -20 })
    expect(chart.categories).toBe(categories)
    expect(chart.seats.map((s) => [s.label, s.category, s.x, s.y, s.ordinal])).toEqual([
      ['Stalls-A-2', 'A', 20, 0, 1],
      ['Stalls-A-1', 'A', 0, 0, 0],
      ['Stalls-B-1', 'B', 0, 25, 0],
      ['Balcony-A-1', 'B', 5, 90, 0],
    ])
  })

  it('accepts flags separated by |, ; or spaces, in any case, with - for _', () => {
    const chart = chartOf(
      parseCsvChart(
        csvOf(
          'S,1,1,A,0,0,accessible|companion',
          'S,1,2,A,20,0,Restricted-View;BLOCKED',
          'S,1,3,A,40,0,"companion blocked"',
        ),
        categories,
        null,
      ),
    )
    expect(chart.seats.map((s) => [s.accessible, s.companion, s.restrictedView, s.blocked])).toEqual([
      [true, true, false, false],
      [false, false, true, true],
      [false, true, false, true],
    ])
  })

  it('tolerates a BOM, CRLF line ends, header case and spacing, quoted cells and no flags column', () => {
    const text =
      '\uFEFF Section ,ROW,Seat,Category,X,Y\r\n"Stalls, left",1,1,A,0,0\r\nStalls,1,1,B,1.5,-2\r\n'
    const chart = chartOf(parseCsvChart(text, categories, null))
    expect(chart.seats.map((s) => [s.section, s.label, s.category, s.x, s.y])).toEqual([
      ['Stalls, left', 'Stalls, left-1-1', 'A', 0, 0],
      ['Stalls', 'Stalls-1-1', 'B', 1.5, -2],
    ])
  })
})

describe('parseCsvChart: bad files', () => {
  it('lists every bad row with its file line number (header is line 1)', () => {
    const errors = errorsOf(
      parseCsvChart(
        csvOf(
          'S,1,1,A,0,0,', // line 2
          'S,1,1,A,20,0,', // 3: duplicate
          'S,1,3,Z,40,0,', // 4: unknown category
          'S,1,,A,60,0,', // 5: no seat number
          'S,1,5,A,abc,0,', // 6: x not a number
          'S,1,6,A,80,0,sparkly', // 7: unknown flag
          'S,1,7,A,100,0,', // 8: fine
          ',,8,,120,zz,', // 9: several problems in one row
        ),
        categories,
        null,
      ),
    )
    expect(errors.map((e) => [e.row, e.path])).toEqual(
      expect.arrayContaining([
        [3, 'label'],
        [4, 'category'],
        [5, 'seat'],
        [6, 'x'],
        [7, 'flags'],
        [9, 'section'],
        [9, 'row'],
        [9, 'category'],
        [9, 'y'],
      ]),
    )
    expect(errors).toHaveLength(9)
    expect(errors.find((e) => e.row === 3)?.message).toBe('duplicate seat S-1-1 (first at line 2)')
    expect(errors.find((e) => e.row === 4)?.message).toBe('unknown price category Z')
    expect(errors.find((e) => e.row === 5)?.message).toBe('is required')
    expect(errors.find((e) => e.row === 6)?.message).toBe('must be a number')
    expect(errors.find((e) => e.row === 7)?.message).toMatch(/^unknown flag sparkly; flags are accessible/)
    expect(errors.some((e) => e.row === 2 || e.row === 8)).toBe(false)
  })

  it('counts blank lines and quoted line breaks when numbering rows', () => {
    const errors = errorsOf(
      parseCsvChart(
        [
          HEADER, // 1
          'S,1,1,A,0,0,', // 2
          '', // 3
          'S,1,2,A,x,0,', // 4
          '"Multi', // 5
          'line",1,1,A,0,0,', // 6
          '   ', // 7
          'S,1,4,Q,0,0,', // 8
        ].join('\n'),
        categories,
        null,
      ),
    )
    expect(errors.map((e) => [e.row, e.path])).toEqual([
      [4, 'x'],
      [8, 'category'],
    ])
  })

  it('reports short rows and an unterminated quote on their own lines', () => {
    const errors = errorsOf(
      parseCsvChart(
        [HEADER, 'S,1,1,A,0,0,', '', 'S,1,2,A,20,0', 'S,1,"3,A,40,0,'].join('\n'),
        categories,
        null,
      ),
    )
    expect(errors).toContainEqual({
      path: 'csv',
      row: 4,
      message: 'Too few fields: expected 7 fields but parsed 6',
    })
    expect(errors).toContainEqual({ path: 'csv', row: 5, message: 'Quoted field unterminated' })
    expect(errors.every((e) => e.row === 4 || e.row === 5)).toBe(true)
  })

  it('names every missing column on line 1 and reads no rows', () => {
    expect(errorsOf(parseCsvChart('section,row,seat\nS,1,1', categories, null))).toEqual([
      { path: 'header', row: 1, message: 'missing column category' },
      { path: 'header', row: 1, message: 'missing column x' },
      { path: 'header', row: 1, message: 'missing column y' },
    ])
  })

  it('refuses rows with more cells than the header, and a file with no seats', () => {
    const extra = errorsOf(parseCsvChart(csvOf('S,1,1,A,0,0,', 'S,1,2,A,20,0,,oops'), categories, null))
    expect(extra).toEqual([{ path: 'csv', row: 3, message: expect.stringMatching(/too many fields/i) }])
    expect(errorsOf(parseCsvChart(HEADER, categories, null))).toEqual([
      { path: 'seats', message: 'the chart has no seats' },
    ])
  })
})

describe('toJsonChart', () => {
  const stored = (
    section: string,
    row: string,
    number: string,
    x: number,
    extra: Partial<ChartSeat> = {},
  ): Omit<ChartSeat, 'ordinal'> => ({
    section,
    row,
    number,
    label: `${section}-${row}-${number}`,
    category: 'A',
    x,
    y: 0,
    accessible: false,
    companion: false,
    restrictedView: false,
    blocked: false,
    ...extra,
  })

  it('groups seats by section and row in the order met, omitting default labels and empty flags', () => {
    const chart = toJsonChart({ x: 1, y: 2 }, categories, [
      stored('Stalls', 'A', '1', 0, { accessible: true, blocked: true }),
      stored('Stalls', 'A', '2', 20, { label: 'Royal box', category: 'B' }),
      stored('Stalls', 'B', '1', 0, { companion: true, restrictedView: true }),
      stored('Balcony', 'A', '1', 0),
    ])
    expect(chart).toEqual({
      stage: { x: 1, y: 2 },
      categories,
      sections: [
        {
          name: 'Stalls',
          rows: [
            {
              label: 'A',
              seats: [
                { number: '1', category: 'A', x: 0, y: 0, flags: ['accessible', 'blocked'] },
                { number: '2', label: 'Royal box', category: 'B', x: 20, y: 0 },
              ],
            },
            {
              label: 'B',
              seats: [{ number: '1', category: 'A', x: 0, y: 0, flags: ['companion', 'restricted_view'] }],
            },
          ],
        },
        { name: 'Balcony', rows: [{ label: 'A', seats: [{ number: '1', category: 'A', x: 0, y: 0 }] }] },
      ],
    })
  })

  it('re-imports to the same seats it was made from', () => {
    const original = chartOf(
      parseCsvChart(
        csvOf('S,1,2,A,20,0,blocked', 'S,1,1,B,0,0,accessible|companion', 'T,9,1,A,5,50,restricted_view'),
        categories,
        { x: 0, y: -10 },
      ),
    )
    const again = chartOf(parseJsonChart(toJsonChart(original.stage, original.categories, original.seats)))
    expect(again).toEqual(original)
  })
})
