// The window's scenic lines: each cable car goes with its own gate line (never two on one gate ticket, never more
// than the gate tickets), a package is exactly its components with the child attached, and only lines without a
// parent ask for a visitor's name.
import { describe, expect, test } from 'vitest'
import { childrenOf, scenicLines, sellablePackages } from '../../web/box/scenic-lines.ts'
import type { SiteDetail } from '../../worker/routes/contracts/scenic.ts'

type Product = SiteDetail['products'][number]
const product = (id: string, requiresParent: string[] = []) => ({ id, requiresParent }) as unknown as Product
const adult = product('adult')
const child = product('child')
const cable = product('cable', ['adult', 'child'])
const show = product('show', ['adult'])
const products = [adult, child, cable, show]

describe('box office scenic lines', () => {
  test('children attach to distinct gate lines, clamped to the gate count', () => {
    const lines = scenicLines(products, { product: adult, count: 2, children: { cable: 5, show: 1 } })
    expect(lines.map((l) => [l.product.id, l.parent])).toEqual([
      ['adult', undefined],
      ['adult', undefined],
      ['cable', 0],
      ['cable', 1],
      ['show', 0],
    ])
    expect(childrenOf(products, adult).map((p) => p.id)).toEqual(['cable', 'show'])
    expect(childrenOf(products, cable)).toEqual([])
  })

  test('a package is its components, the child on the package gate line', () => {
    const pkg = {
      id: 'pkg',
      status: 'active',
      components: [
        { productId: 'adult', quantity: 1 },
        { productId: 'cable', quantity: 1 },
      ],
    } as unknown as SiteDetail['packages'][number]
    const lines = scenicLines(products, { pkg, count: 3, children: { cable: 3 } })
    expect(lines.map((l) => [l.product.id, l.parent])).toEqual([
      ['adult', undefined],
      ['cable', 0],
    ])
    const site = {
      products,
      packages: [pkg, { ...pkg, id: 'gone', components: [{ productId: 'x', quantity: 1 }] }],
    }
    expect(sellablePackages(site as unknown as SiteDetail).map((p) => p.id)).toEqual(['pkg'])
  })

  test('a child sold alone has no parent line (the server refuses it as parent_required)', () => {
    expect(scenicLines(products, { product: cable, count: 1, children: {} })).toEqual([{ product: cable }])
  })
})
