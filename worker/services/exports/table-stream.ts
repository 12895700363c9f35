// Exports as CSV or XLSX written while the rows are read: each sheet is an async sequence of pages (a D1 page at
// a time), and the response body is pulled page by page, so a year of orders never sits in memory at once.
// CSV: papaparse's unparse (quoting done by the library the web app already uses), a UTF-8 byte-order mark first
// so Excel opens Chinese names right. XLSX: fflate's streaming Zip (deflating each part as it is written, 8 kB,
// pure JS, runs in workerd) around SpreadsheetML parts written row by row with inline strings.
import { strToU8, Zip, ZipDeflate } from 'fflate'
import Papa from 'papaparse'

export type Cell = string | number | null
export type ExportFormat = 'csv' | 'xlsx'

export interface ExportSheet {
  /** Sheet name in the workbook (cut to Excel's 31 characters); CSV has no place for it. */
  name: string
  header: string[]
  /** Pages of rows, each page read only when the previous one has been written out. */
  pages: AsyncIterable<Cell[][]>
}

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

const escapeXml = (text: string) =>
  text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: characters XML 1.0 cannot carry at all
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')

const columnName = (index: number): string =>
  index < 26
    ? String.fromCharCode(65 + index)
    : columnName(Math.floor(index / 26) - 1) + columnName(index % 26)

function xlsxRow(cells: Cell[], rowNumber: number, bold: boolean) {
  const body = cells
    .map((cell, c) => {
      const ref = `${columnName(c)}${rowNumber}`
      if (cell === null || cell === '') return ''
      if (typeof cell === 'number')
        return `<c r="${ref}"${Number.isInteger(cell) ? '' : ' s="1"'}><v>${cell}</v></c>`
      return `<c r="${ref}" t="inlineStr"${bold ? ' s="2"' : ''}><is><t xml:space="preserve">${escapeXml(cell)}</t></is></c>`
    })
    .join('')
  return `<row r="${rowNumber}">${body}</row>`
}

const xmlHead = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
const sheetNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
const relNs = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
const pkgRelNs = 'http://schemas.openxmlformats.org/package/2006/relationships'
// Styles by index: 0 plain, 1 two decimals (built-in format 2, money in major units), 2 bold (header).
const stylesXml = `${xmlHead}<styleSheet xmlns="${sheetNs}"><fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`

function workbookParts(names: string[]) {
  const sheetName = (name: string, i: number) =>
    escapeXml(name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31) || `Sheet${i + 1}`)
  return {
    '[Content_Types].xml': `${xmlHead}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
    '_rels/.rels': `${xmlHead}<Relationships xmlns="${pkgRelNs}"><Relationship Id="rId1" Type="${relNs}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    'xl/workbook.xml': `${xmlHead}<workbook xmlns="${sheetNs}" xmlns:r="${relNs}"><sheets>${names.map((name, i) => `<sheet name="${sheetName(name, i)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${xmlHead}<Relationships xmlns="${pkgRelNs}">${names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${relNs}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('')}<Relationship Id="rId${names.length + 1}" Type="${relNs}/styles" Target="styles.xml"/></Relationships>`,
    'xl/styles.xml': stylesXml,
  }
}

/** CSV of the first sheet: BOM, header, then each page as it arrives (CRLF, as Excel writes). */
async function* csvChunks(sheet: ExportSheet): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder()
  yield encoder.encode(`\uFEFF${Papa.unparse([sheet.header], { newline: '\r\n' })}\r\n`)
  for await (const page of sheet.pages) {
    if (page.length === 0) continue
    const rows = page.map((row) => row.map((cell) => (cell === null ? '' : cell)))
    yield encoder.encode(`${Papa.unparse(rows, { newline: '\r\n' })}\r\n`)
  }
}

/** The workbook's zip bytes, each sheet's rows deflated as its pages arrive. */
async function* xlsxChunks(sheets: ExportSheet[]): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = []
  let failure: Error | null = null
  const zip = new Zip((error, chunk) => {
    if (error) failure = error
    else out.push(chunk)
  })
  const drain = function* () {
    if (failure) throw failure
    while (out.length) yield out.shift() as Uint8Array
  }
  for (const [path, xml] of Object.entries(workbookParts(sheets.map((s) => s.name)))) {
    const part = new ZipDeflate(path, { level: 6 })
    zip.add(part)
    part.push(strToU8(xml), true)
  }
  yield* drain()
  for (const [i, sheet] of sheets.entries()) {
    const part = new ZipDeflate(`xl/worksheets/sheet${i + 1}.xml`, { level: 6 })
    zip.add(part)
    part.push(
      strToU8(
        `${xmlHead}<worksheet xmlns="${sheetNs}"><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>${xlsxRow(sheet.header, 1, true)}`,
      ),
    )
    let rowNumber = 1
    for await (const page of sheet.pages) {
      const xml = page.map((row) => xlsxRow(row, ++rowNumber, false)).join('')
      if (xml) part.push(strToU8(xml))
      yield* drain()
    }
    part.push(strToU8('</sheetData></worksheet>'), true)
    yield* drain()
  }
  zip.end()
  yield* drain()
}

/** A download response whose body is produced as the client reads it (pull-driven: one page per pull at most). */
export function exportResponse(format: ExportFormat, filename: string, sheets: ExportSheet[]): Response {
  const chunks = format === 'csv' ? csvChunks(sheets[0] as ExportSheet) : xlsxChunks(sheets)
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      },
      async cancel() {
        await chunks.return(undefined)
      },
    },
    { highWaterMark: 0 },
  )
  const type = format === 'csv' ? 'text/csv; charset=utf-8' : xlsxType
  return new Response(body, {
    headers: {
      'content-type': type,
      'content-disposition': `attachment; filename="${filename}.${format}"; filename*=UTF-8''${encodeURIComponent(filename)}.${format}`,
      'cache-control': 'no-store',
    },
  })
}

/** Pages from a keyset-paged reader: `read(after)` answers up to `size` rows after the cursor (null = start). */
export async function* keysetPages<Row, Key>(
  read: (after: Key | null) => Promise<Row[]>,
  keyOf: (row: Row) => Key,
  size: number,
  toCells: (rows: Row[]) => Cell[][] | Promise<Cell[][]>,
): AsyncGenerator<Cell[][]> {
  let after: Key | null = null
  for (;;) {
    const rows = await read(after)
    if (rows.length === 0) return
    yield await toCells(rows)
    if (rows.length < size) return
    after = keyOf(rows[rows.length - 1] as Row)
  }
}
