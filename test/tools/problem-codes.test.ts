// Every problem `code` the server can answer with is registered in worker/problem.ts and has a text in both of the
// apps' languages (web/lib/problem-messages.ts), so no error reaches a buyer as the server's English.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'
import { problemTexts } from '../../web/lib/problem-messages.ts'
import { orderStatusReasonCodes } from '../../worker/domain/order-status-reason.ts'
import { problemCodes } from '../../worker/problem.ts'

const root = join(import.meta.dirname, '..', '..')

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name))
}

// A code literal where a problem or an actor's refusal is made: `code: 'x'`, or `refuse('x'` / `refusal('x'`.
const codePatterns = [/\bcode:\s*'([a-z][a-z0-9_]*)'/g, /\b(?:refuse|refusal)\(\s*'([a-z][a-z0-9_]*)'/g]
// `code:` also names other things in a few places: sales channel codes of the demo data, and why an order is in its
// state (order-status-reason.ts, worded by web/lib/order-reasons.ts, whose table the type check keeps complete).
const notProblems = new Set<string>([
  'web',
  'ctrip',
  'meituan',
  'kiosk',
  'box_office',
  ...orderStatusReasonCodes,
])

function thrownCodes(): Map<string, string> {
  const found = new Map<string, string>()
  for (const file of [...sources('worker'), ...sources('durable-objects')]) {
    const text = readFileSync(file, 'utf8')
    for (const pattern of codePatterns)
      for (const match of text.matchAll(pattern))
        if (!notProblems.has(match[1]!) && !found.has(match[1]!)) found.set(match[1]!, relative(root, file))
  }
  return found
}

describe('problem codes', () => {
  it('registers every code the worker and the actors answer with', () => {
    const registered = new Set<string>(problemCodes)
    const unregistered = [...thrownCodes()].filter(([code]) => !registered.has(code))
    expect(unregistered.map(([code, file]) => `${code} (${file})`)).toEqual([])
  })

  it('finds the codes where they are made (the scan itself works)', () => {
    const found = thrownCodes()
    for (const code of ['seats_unavailable', 'group_full', 'enrollment_code_invalid', 'replayed_request'])
      expect(found.has(code), code).toBe(true)
  })

  it('gives every registered code a Chinese and an English text that differ', () => {
    for (const code of problemCodes) {
      const zh = problemTexts['zh-CN'][code]
      const en = problemTexts.en[code]
      expect(zh, code).toMatch(/[\u4e00-\u9fff]/)
      expect(en, code).toMatch(/^[A-Z]/)
      expect(zh, code).not.toBe(en)
    }
  })
})
