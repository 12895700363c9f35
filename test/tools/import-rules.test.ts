import { describe, expect, it } from 'vitest'
import {
  type ImportEdge,
  importCycles,
  importProblems,
  layerViolation,
} from '../../worker/dev/import-rules.ts'

const edge = (from: string, to: string, typeOnly = false, line = 1): ImportEdge => ({
  from,
  to,
  typeOnly,
  line,
})
const pkg = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false, line: 1, external: true })
const allowed = (e: ImportEdge) => expect(layerViolation(e), `${e.from} -> ${e.to}`).toBeNull()
const refused = (e: ImportEdge, why: RegExp) => expect(layerViolation(e), `${e.from} -> ${e.to}`).toMatch(why)

describe('layer rules', () => {
  it('keeps worker/domain pure: domain files, the id helpers and plain packages only', () => {
    allowed(edge('worker/domain/seat-chart.ts', 'worker/domain/field-errors.ts'))
    allowed(edge('worker/domain/ticket-token.ts', 'worker/ids.ts'))
    allowed(pkg('worker/domain/seat-chart.ts', 'valibot'))
    refused(edge('worker/domain/refund-policy.ts', 'worker/db/schema.ts', true), /pure/)
    refused(edge('worker/domain/seat-chart.ts', 'worker/validation.ts'), /pure/)
    refused(edge('worker/domain/x.ts', 'durable-objects/show-inventory.ts', true), /pure/)
    refused(pkg('worker/domain/x.ts', 'cloudflare:workers'), /bindings/)
    refused(pkg('worker/domain/x.ts', 'node:fs'), /Node/)
  })

  it('lets actors import domain code and their contracts, never services or routes, not even types', () => {
    allowed(edge('durable-objects/show-inventory.ts', 'worker/domain/hold-lines.ts'))
    allowed(edge('durable-objects/show-inventory.ts', 'durable-objects/live-viewers.ts'))
    allowed(edge('durable-objects/show-inventory.ts', 'worker/env.ts', true))
    refused(edge('durable-objects/group-buy.ts', 'worker/services/orders/index.ts'), /actors/)
    refused(edge('durable-objects/group-buy.ts', 'worker/services/messages.ts', true), /actors/)
    refused(edge('durable-objects/hold-gateway.ts', 'worker/routes/shows.ts'), /actors/)
  })

  it('keeps services below routes', () => {
    allowed(edge('worker/routes/shows.ts', 'worker/services/inventory-problem.ts'))
    allowed(edge('worker/services/partner-orders.ts', 'worker/services/orders/index.ts'))
    refused(edge('worker/services/partner-orders.ts', 'worker/routes/inventory-problem.ts'), /services never/)
    refused(edge('worker/services/orders/confirm.ts', 'worker/routes/orders.ts', true), /services never/)
  })

  it('lets the web apps take worker types, pure domain code, and nothing else of the worker', () => {
    allowed(edge('web/shop/types.ts', 'worker/routes/shows.ts', true))
    allowed(edge('web/gate/gate-device.ts', 'worker/domain/gate-decision.ts'))
    allowed(edge('web/build.ts', 'worker/domain/security-headers.ts'))
    allowed(edge('web/shop/main.tsx', 'web/lib/api.ts'))
    refused(edge('web/build.ts', 'worker/middleware/security-headers.ts'), /import type/)
    refused(edge('web/shop/pages/show.tsx', 'worker/routes/shows.ts'), /import type/)
  })

  it('never lets the worker import the web apps or their build', () => {
    refused(edge('worker/dev/dev.ts', 'web/build.ts'), /never imports the web/)
    refused(edge('durable-objects/show-inventory.ts', 'web/lib/format.ts', true), /never imports the web/)
  })
})

describe('import cycles', () => {
  it('finds none in a graph that only fans in', () => {
    const diamond = [edge('a.ts', 'b.ts'), edge('a.ts', 'c.ts'), edge('b.ts', 'd.ts'), edge('c.ts', 'd.ts')]
    expect(
      importCycles(diamond.map((e) => ({ ...e, from: `worker/${e.from}`, to: `worker/${e.to}` }))),
    ).toEqual([])
  })

  it('reports each tangle once, as its shortest circle from its first module', () => {
    const cycles = importCycles([
      // a tangle of four: a -> b -> c -> a, and a longer way round through d
      edge('worker/a.ts', 'worker/b.ts'),
      edge('worker/b.ts', 'worker/c.ts'),
      edge('worker/c.ts', 'worker/d.ts'),
      edge('worker/d.ts', 'worker/a.ts'),
      edge('worker/c.ts', 'worker/a.ts'),
      // a separate pair, and a module importing itself
      edge('worker/x.ts', 'worker/y.ts'),
      edge('worker/y.ts', 'worker/x.ts'),
      edge('worker/z.ts', 'worker/z.ts'),
      // hanging off the tangle without closing a circle
      edge('worker/a.ts', 'worker/leaf.ts'),
    ])
    expect(cycles).toEqual([
      { cycle: ['worker/a.ts', 'worker/b.ts', 'worker/c.ts', 'worker/a.ts'], modules: 4, typeOnlyHops: [] },
      { cycle: ['worker/x.ts', 'worker/y.ts', 'worker/x.ts'], modules: 2, typeOnlyHops: [] },
      { cycle: ['worker/z.ts', 'worker/z.ts'], modules: 1, typeOnlyHops: [] },
    ])
  })

  it('counts type imports, marking the hops made only of them', () => {
    const cycles = importCycles([
      edge('durable-objects/group-buy.ts', 'worker/services/orders/index.ts'),
      edge('worker/services/orders/index.ts', 'worker/services/group-buy-client.ts'),
      edge('worker/services/group-buy-client.ts', 'durable-objects/group-buy.ts', true),
    ])
    expect(cycles).toEqual([
      {
        cycle: [
          'durable-objects/group-buy.ts',
          'worker/services/orders/index.ts',
          'worker/services/group-buy-client.ts',
          'durable-objects/group-buy.ts',
        ],
        modules: 3,
        typeOnlyHops: [2],
      },
    ])
  })

  it('does not count type imports of worker/env.ts, which every layer reads Env from', () => {
    const envHub = [
      edge('worker/env.ts', 'durable-objects/show-inventory.ts', true),
      edge('durable-objects/show-inventory.ts', 'worker/env.ts', true),
    ]
    expect(importCycles(envHub)).toEqual([])
    // Loading env.ts at run time is a real import and closes the circle.
    expect(importCycles([envHub[0]!, { ...envHub[1]!, typeOnly: false }])).toHaveLength(1)
  })

  it('ignores packages', () => {
    expect(importCycles([pkg('worker/a.ts', 'hono'), pkg('worker/b.ts', 'hono')])).toEqual([])
  })
})

describe('the report', () => {
  it('prints one line per problem: violations by file and line, then cycles', () => {
    const lines = importProblems([
      edge('worker/services/b.ts', 'worker/routes/r.ts', false, 7),
      edge('worker/domain/a.ts', 'worker/db/schema.ts', true, 3),
      edge('worker/services/b.ts', 'worker/services/c.ts', false, 2),
      edge('worker/services/c.ts', 'worker/services/b.ts', true, 4),
    ])
    expect(lines).toEqual([
      'worker/domain/a.ts:3: imports worker/db/schema.ts: worker/domain is pure: it imports only worker/domain',
      'worker/services/b.ts:7: imports worker/routes/r.ts: services never import routes (move the shared piece down to a service or worker/domain)',
      'import cycle: worker/services/b.ts -> worker/services/c.ts -(type)-> worker/services/b.ts',
    ])
    expect(importProblems([edge('worker/routes/r.ts', 'worker/services/b.ts')])).toEqual([])
  })
})
