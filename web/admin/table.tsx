// A labelled, horizontally scrollable data table (phones scroll it; keyboard users can focus the region).
import type { ComponentChildren } from 'preact'
import type { Page } from '../../worker/routes/contracts/common.ts'
import { adminMessages } from './messages.ts'

export interface Column<T> {
  header: ComponentChildren
  cell: (row: T) => ComponentChildren
  numeric?: boolean
}

export function DataTable<T>(props: {
  caption: string
  columns: Column<T>[]
  rows: T[]
  rowKey: (row: T) => string
}) {
  const t = adminMessages.useT()
  if (props.rows.length === 0) return <p class="muted">{t('empty')}</p>
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls, so keyboard users must reach it
    <section class="table-scroll" aria-label={props.caption} tabIndex={0}>
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column, index) => (
              <th key={index} scope="col" class={column.numeric ? 'numeric' : undefined}>
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={props.rowKey(row)}>
              {props.columns.map((column, index) => (
                <td key={index} class={column.numeric ? 'numeric' : undefined}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

export type PageOf<T> = Page<T>
