// A report's JSON as tables: its top-level figures (nested objects flattened to dotted fields) as a one-row
// `summary` table, and each top-level list of objects as a table of its own. The dashboard's tables and the
// export files are both this shape, so an export parses back to the rows the report's JSON gives.

import { isMoneyField, majorUnits } from './labels.ts'
import type { Cell } from './table-stream.ts'

export interface ReportTable {
  name: string
  columns: string[]
  rows: Cell[][]
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const isObject = (value: unknown): value is Record<string, Json> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function flatten(value: Record<string, Json>, prefix = '', into: Record<string, Json> = {}) {
  for (const [key, inner] of Object.entries(value)) {
    const field = prefix ? `${prefix}.${key}` : key
    if (isObject(inner)) flatten(inner, field, into)
    else into[field] = inner
  }
  return into
}

function cell(field: string, value: Json | undefined): Cell {
  if (value === undefined || value === null) return null
  if (typeof value === 'number') return isMoneyField(field) ? majorUnits(value) : value
  if (typeof value === 'boolean') return value ? 1 : 0
  if (typeof value === 'string') return value
  return JSON.stringify(value)
}

export function reportTables(report: Record<string, Json>): ReportTable[] {
  const scalars: Record<string, Json> = {}
  const tables: ReportTable[] = []
  for (const [key, value] of Object.entries(report)) {
    if (Array.isArray(value) && value.every(isObject)) {
      const items = value.map((item) => flatten(item))
      const columns = [...new Set(items.flatMap((item) => Object.keys(item)))]
      tables.push({
        name: key,
        columns,
        rows: items.map((item) => columns.map((column) => cell(column, item[column]))),
      })
    } else if (isObject(value)) Object.assign(scalars, flatten(value, key))
    else scalars[key] = value
  }
  const summaryColumns = Object.keys(scalars)
  return [
    {
      name: 'summary',
      columns: summaryColumns,
      rows: [summaryColumns.map((column) => cell(column, scalars[column]))],
    },
    ...tables,
  ]
}
