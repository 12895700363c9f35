// Readers for the organizer's export files, so tests compare what a spreadsheet would show with the JSON.
import { strFromU8, unzipSync } from 'fflate'
import Papa from 'papaparse'

/** A CSV download as rows of text (its byte-order mark checked and dropped). */
export function csvRows(bytes: Uint8Array): string[][] {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)
  if (!text.startsWith('\uFEFF')) throw new Error('CSV export lacks the UTF-8 byte-order mark Excel needs')
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true })
  return parsed.data
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')

const columnIndex = (ref: string) =>
  [...ref.replace(/\d+$/, '')].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1

/** An XLSX download as sheets (by name) of rows of cell text, the way a spreadsheet shows them. */
export function xlsxSheets(bytes: Uint8Array): Map<string, string[][]> {
  const files = unzipSync(bytes)
  const workbook = strFromU8(files['xl/workbook.xml']!)
  const sheets = new Map<string, string[][]>()
  const names = [...workbook.matchAll(/<sheet name="([^"]*)" sheetId="(\d+)"/g)]
  for (const [, name, sheetId] of names) {
    const xml = strFromU8(files[`xl/worksheets/sheet${sheetId}.xml`]!)
    const rows: string[][] = []
    for (const [, rowXml] of xml.matchAll(/<row r="\d+">(.*?)<\/row>/g)) {
      const row: string[] = []
      for (const [, ref, body] of rowXml!.matchAll(/<c r="([A-Z]+\d+)"[^>]*>(.*?)<\/c>/g)) {
        const text = body!.match(/<t[^>]*>(.*?)<\/t>/)?.[1] ?? body!.match(/<v>(.*?)<\/v>/)?.[1] ?? ''
        row[columnIndex(ref!)] = unescapeXml(text)
      }
      rows.push(Array.from(row, (cell) => cell ?? ''))
    }
    sheets.set(unescapeXml(name!), rows)
  }
  return sheets
}
