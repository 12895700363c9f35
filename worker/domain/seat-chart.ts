import Papa from 'papaparse'
import * as v from 'valibot'
import { type FieldError, issuesToFieldErrors } from './field-errors.ts'

// A seat chart is how a venue's seat map travels in and out: JSON (nested) or CSV (flat).
// Both normalize to the same flat list of seats; the import is refused whole if any seat is bad.

export const MAX_SEATS = 60_000
export const seatFlags = ['accessible', 'companion', 'restricted_view', 'blocked'] as const
type SeatFlag = (typeof seatFlags)[number]

/** A venue's price zone (seats belong to one; a show prices each code). */
export interface PriceCategory {
  code: string
  /** The main name, in the organizer's language (Chinese for the demo), e.g. 甲等. */
  name: string
  /** Optional English name beside it; English pages show it, falling back to `name`. */
  nameEn?: string
  color: string
}

export interface ChartSeat {
  section: string
  row: string
  number: string
  label: string
  category: string
  x: number
  y: number
  accessible: boolean
  companion: boolean
  restrictedView: boolean
  blocked: boolean
  /** 0-based position in its row, ordered by x. */
  ordinal: number
}

export interface NormalizedChart {
  stage: { x: number; y: number } | null
  categories: PriceCategory[]
  seats: ChartSeat[]
}

export type ChartResult = { ok: true; chart: NormalizedChart } | { ok: false; errors: FieldError[] }

const name = (max: number) => v.pipe(v.string(), v.trim(), v.minLength(1, 'is required'), v.maxLength(max))
const coordinate = v.pipe(v.number('must be a number'), v.finite(), v.minValue(-100_000), v.maxValue(100_000))

export const priceCategorySchema = v.object({
  code: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, - or _; up to 32')),
  name: name(100),
  nameEn: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(100))),
  color: v.pipe(v.string(), v.regex(/^#[0-9a-fA-F]{6}$/, 'a colour like #c0392b')),
})

const chartSeatSchema = v.object({
  number: v.pipe(v.union([v.string(), v.number()]), v.transform(String), name(16)),
  label: v.optional(name(64)),
  category: v.optional(name(32)),
  x: coordinate,
  y: coordinate,
  flags: v.optional(v.array(v.picklist(seatFlags, `flags are ${seatFlags.join(', ')}`)), []),
})

/** The documented JSON chart format (the seat-map import route in /docs). */
export const seatChartSchema = v.object({
  stage: v.optional(v.nullable(v.object({ x: coordinate, y: coordinate }))),
  categories: v.pipe(
    v.array(priceCategorySchema),
    v.minLength(1, 'at least one price category'),
    v.maxLength(50),
  ),
  sections: v.pipe(
    v.array(
      v.object({
        name: name(64),
        rows: v.array(
          v.object({
            label: v.pipe(v.union([v.string(), v.number()]), v.transform(String), name(16)),
            /** Default category for seats in the row that name none. */
            category: v.optional(name(32)),
            seats: v.array(chartSeatSchema),
          }),
        ),
      }),
    ),
    v.minLength(1, 'at least one section'),
  ),
})
export type SeatChartInput = v.InferInput<typeof seatChartSchema>

interface RawSeat {
  section: string
  row: string
  number: string
  label?: string
  category: string | undefined
  x: number
  y: number
  flags: readonly SeatFlag[]
  /** Where the seat came from, for error messages. */
  path: string
  line?: number
}

function finish(raw: RawSeat[], categories: PriceCategory[], stage: NormalizedChart['stage']): ChartResult {
  const errors: FieldError[] = []
  if (raw.length === 0) errors.push({ path: 'seats', message: 'the chart has no seats' })
  if (raw.length > MAX_SEATS) errors.push({ path: 'seats', message: `at most ${MAX_SEATS} seats per venue` })
  const known = new Set(categories.map((category) => category.code))
  const codes = new Set<string>()
  categories.forEach((category, i) => {
    if (codes.has(category.code))
      errors.push({ path: `categories.${i}.code`, message: `duplicate category ${category.code}` })
    codes.add(category.code)
  })
  const labels = new Map<string, RawSeat>()
  const seats: ChartSeat[] = []
  for (const seat of raw) {
    const at = (field: string) => ({
      path: seat.path ? `${seat.path}.${field}` : field,
      ...(seat.line ? { row: seat.line } : {}),
    })
    const label = seat.label ?? `${seat.section}-${seat.row}-${seat.number}`
    const first = labels.get(label)
    if (first) {
      errors.push({
        ...at('label'),
        message: `duplicate seat ${label} (first at ${first.line ? `line ${first.line}` : first.path})`,
      })
    } else labels.set(label, seat)
    if (!seat.category) errors.push({ ...at('category'), message: 'is required' })
    else if (!known.has(seat.category))
      errors.push({ ...at('category'), message: `unknown price category ${seat.category}` })
    seats.push({
      section: seat.section,
      row: seat.row,
      number: seat.number,
      label,
      category: seat.category ?? '',
      x: seat.x,
      y: seat.y,
      accessible: seat.flags.includes('accessible'),
      companion: seat.flags.includes('companion'),
      restrictedView: seat.flags.includes('restricted_view'),
      blocked: seat.flags.includes('blocked'),
      ordinal: 0,
    })
  }
  if (errors.length) return { ok: false, errors }
  assignOrdinals(seats)
  return { ok: true, chart: { stage, categories, seats } }
}

/** Numbers seats left to right within each row so adjacency is a matter of consecutive ordinals. */
function assignOrdinals(seats: ChartSeat[]) {
  const rows = new Map<string, ChartSeat[]>()
  for (const seat of seats) {
    const key = `${seat.section}\u0000${seat.row}`
    const row = rows.get(key)
    if (row) row.push(seat)
    else rows.set(key, [seat])
  }
  for (const row of rows.values()) {
    row.sort((a, b) => a.x - b.x)
    row.forEach((seat, i) => {
      seat.ordinal = i
    })
  }
}

export function parseJsonChart(input: unknown): ChartResult {
  const parsed = v.safeParse(seatChartSchema, input, { abortEarly: false })
  if (!parsed.success) {
    // Still check the well-formed seats (duplicates, categories), so one response lists every bad seat.
    const rest = finish(wellFormedSeats(input), categoryCodes(input), null)
    const more = rest.ok ? [] : rest.errors.filter((error) => error.path !== 'seats')
    return { ok: false, errors: [...issuesToFieldErrors(parsed.issues), ...more] }
  }
  const chart = parsed.output
  const raw: RawSeat[] = []
  chart.sections.forEach((section, s) => {
    section.rows.forEach((row, r) => {
      row.seats.forEach((seat, i) => {
        raw.push({
          section: section.name,
          row: row.label,
          number: seat.number,
          label: seat.label,
          category: seat.category ?? row.category,
          x: seat.x,
          y: seat.y,
          flags: seat.flags,
          path: `sections.${s}.rows.${r}.seats.${i}`,
        })
      })
    })
  })
  return finish(raw, chart.categories, chart.stage ?? null)
}

type Loose = Record<string, unknown> | undefined
const asList = (value: unknown): Loose[] => (Array.isArray(value) ? (value as Loose[]) : [])

/** The seats of a chart that failed validation whose own section, row and fields are valid. */
function wellFormedSeats(input: unknown): RawSeat[] {
  const raw: RawSeat[] = []
  const sectionSchema = seatChartSchema.entries.sections.pipe[0].item
  const rowSchema = sectionSchema.entries.rows.item
  asList((input as Loose)?.sections).forEach((section, s) => {
    const sectionName = v.safeParse(sectionSchema.entries.name, section?.name)
    if (!sectionName.success) return
    asList(section?.rows).forEach((row, r) => {
      const label = v.safeParse(rowSchema.entries.label, row?.label)
      const category = v.safeParse(rowSchema.entries.category, row?.category)
      if (!label.success || !category.success) return
      asList(row?.seats).forEach((entry, i) => {
        const seat = v.safeParse(chartSeatSchema, entry)
        if (!seat.success) return
        raw.push({
          section: sectionName.output,
          row: label.output,
          number: seat.output.number,
          label: seat.output.label,
          category: seat.output.category ?? category.output,
          x: seat.output.x,
          y: seat.output.y,
          flags: seat.output.flags,
          path: `sections.${s}.rows.${r}.seats.${i}`,
        })
      })
    })
  })
  return raw
}

/** Category codes of a chart that failed validation, kept at their index (a malformed entry matches nothing). */
function categoryCodes(input: unknown): PriceCategory[] {
  return asList((input as Loose)?.categories).map((category, i) => ({
    code: typeof category?.code === 'string' ? category.code : `\u0000${i}`,
    name: '',
    color: '',
  }))
}

export const csvColumns = ['section', 'row', 'seat', 'category', 'x', 'y', 'flags'] as const

/**
 * CSV: header `section,row,seat,category,x,y,flags`; flags separated by `|`, `;` or spaces.
 * Categories are the venue's existing ones. Error `row` numbers are file line numbers (header = 1).
 */
export function parseCsvChart(
  text: string,
  categories: PriceCategory[],
  stage: NormalizedChart['stage'],
): ChartResult {
  // Parsed without Papa's header mode, which drops blank lines and so loses track of file line numbers.
  const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: false })
  const linebreak = parsed.meta.linebreak || '\n'
  const lines: number[] = []
  let nextLine = 1
  for (const cells of parsed.data) {
    lines.push(nextLine)
    // A quoted cell may span several lines.
    nextLine += 1 + cells.reduce((n, cell) => n + cell.split(linebreak).length - 1, 0)
  }
  const records = parsed.data
    .map((cells, i) => ({ cells, line: lines[i]! }))
    .filter(({ cells }) => cells.some((cell) => cell.trim() !== ''))
  const errors: FieldError[] = []
  const headerLine = records[0]?.line ?? 1
  const header = (records.shift()?.cells ?? []).map((h) => h.trim().toLowerCase())
  for (const column of csvColumns) {
    if (column !== 'flags' && !header.includes(column))
      errors.push({ path: 'header', row: headerLine, message: `missing column ${column}` })
  }
  if (errors.length) return { ok: false, errors }
  const raw: RawSeat[] = []
  for (const { cells, line } of records) {
    if (cells.length !== header.length) {
      errors.push({
        path: 'csv',
        row: line,
        message: `Too ${cells.length < header.length ? 'few' : 'many'} fields: expected ${header.length} fields but parsed ${cells.length}`,
      })
    }
    const cell = (column: string) => {
      const index = header.indexOf(column)
      return index < 0 ? '' : (cells[index] ?? '').trim()
    }
    const rowErrors: FieldError[] = []
    for (const column of ['section', 'row', 'seat', 'category', 'x', 'y']) {
      if (!cell(column)) rowErrors.push({ path: column, row: line, message: 'is required' })
    }
    const number = (column: 'x' | 'y') => {
      const value = Number(cell(column))
      if (cell(column) && !Number.isFinite(value))
        rowErrors.push({ path: column, row: line, message: 'must be a number' })
      return value
    }
    const x = number('x')
    const y = number('y')
    const flags = cell('flags')
      .split(/[|;\s]+/)
      .filter(Boolean)
      .map((flag) => flag.toLowerCase().replace('-', '_'))
    for (const flag of flags) {
      if (!(seatFlags as readonly string[]).includes(flag)) {
        rowErrors.push({
          path: 'flags',
          row: line,
          message: `unknown flag ${flag}; flags are ${seatFlags.join(', ')}`,
        })
      }
    }
    if (rowErrors.length) {
      errors.push(...rowErrors)
      continue
    }
    raw.push({
      section: cell('section'),
      row: cell('row'),
      number: cell('seat'),
      category: cell('category'),
      x,
      y,
      flags: flags as SeatFlag[],
      path: '',
      line,
    })
  }
  for (const error of parsed.errors) {
    errors.push({ path: 'csv', row: lines[error.row ?? 0] ?? 1, message: error.message })
  }
  if (errors.length) {
    // Still check what did parse, so one response lists every bad row.
    const rest = finish(raw, categories, stage)
    return { ok: false, errors: [...errors, ...(rest.ok ? [] : rest.errors)] }
  }
  return finish(raw, categories, stage)
}

/** Turns stored seats back into the JSON chart format, so an export can be re-imported unchanged. */
export function toJsonChart(
  stage: NormalizedChart['stage'],
  categories: PriceCategory[],
  seats: readonly Omit<ChartSeat, 'ordinal'>[],
): SeatChartInput {
  const sections = new Map<string, Map<string, SeatChartInput['sections'][number]['rows'][number]['seats']>>()
  for (const seat of seats) {
    const rows = sections.get(seat.section) ?? new Map()
    sections.set(seat.section, rows)
    const row = rows.get(seat.row) ?? []
    rows.set(seat.row, row)
    const flags: SeatFlag[] = []
    if (seat.accessible) flags.push('accessible')
    if (seat.companion) flags.push('companion')
    if (seat.restrictedView) flags.push('restricted_view')
    if (seat.blocked) flags.push('blocked')
    const defaultLabel = `${seat.section}-${seat.row}-${seat.number}`
    row.push({
      number: seat.number,
      ...(seat.label !== defaultLabel ? { label: seat.label } : {}),
      category: seat.category,
      x: seat.x,
      y: seat.y,
      ...(flags.length ? { flags } : {}),
    })
  }
  return {
    stage,
    categories,
    sections: [...sections].map(([sectionName, rows]) => ({
      name: sectionName,
      rows: [...rows].map(([label, rowSeats]) => ({ label, seats: rowSeats })),
    })),
  }
}
