import { describe, expect, it } from 'vitest'
import { importsOf, readImportGraph } from '../../worker/dev/check-imports.ts'

describe('reading imports', () => {
  it('tells type-only imports from imports that load the module', () => {
    const source = [
      "import type { Env } from '../env.ts'",
      "import { type Database } from '../db/client.ts'", // still loads the module (verbatimModuleSyntax)
      "import { orders } from '../db/schema.ts'",
      "import './side-effect.ts'",
      "export type { Refund } from './refunds.ts'",
      "export { confirm } from './confirm.ts'",
      "export * from './all.ts'",
      "const later = () => import('./lazy.tsx')",
      "type Stub = import('../../durable-objects/group-buy.ts').GroupBuy",
      'const text = "import nothing from \'./in-a-string.ts\'"',
      "// import { commented } from './comment.ts'",
    ].join('\n')
    expect(importsOf('worker/services/x.ts', source)).toEqual([
      { specifier: '../env.ts', typeOnly: true, line: 1 },
      { specifier: '../db/client.ts', typeOnly: false, line: 2 },
      { specifier: '../db/schema.ts', typeOnly: false, line: 3 },
      { specifier: './side-effect.ts', typeOnly: false, line: 4 },
      { specifier: './refunds.ts', typeOnly: true, line: 5 },
      { specifier: './confirm.ts', typeOnly: false, line: 6 },
      { specifier: './all.ts', typeOnly: false, line: 7 },
      { specifier: './lazy.tsx', typeOnly: false, line: 8 },
      { specifier: '../../durable-objects/group-buy.ts', typeOnly: true, line: 9 },
    ])
  })

  it('reads JSX files', () => {
    const source = "import { h } from 'preact'\nexport const A = () => <div>{import.meta.url}</div>\n"
    expect(importsOf('web/a.tsx', source)).toEqual([{ specifier: 'preact', typeOnly: false, line: 1 }])
  })

  it('resolves every relative import of the repository to a file', () => {
    const { files, edges, unresolved } = readImportGraph()
    expect(unresolved).toEqual([])
    expect(files).toContain('worker/index.ts')
    expect(files).toContain('web/shop/main.tsx')
    expect(files.some((file) => file.startsWith('web/dist/'))).toBe(false)
    const schemaImport = edges.find(
      (e) => e.from === 'worker/db/schema.ts' && e.to === 'worker/db/schema/orders.ts',
    )
    expect(schemaImport).toMatchObject({ typeOnly: false, line: expect.any(Number) })
    expect(edges.find((e) => e.from === 'worker/app.ts' && e.to === 'hono')).toMatchObject({ external: true })
  }, 60_000) // parses every source file of the repository
})
