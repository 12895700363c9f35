// The ticket lines of a scenic sale at the window: a package's components, or N tickets of one type, plus child
// tickets (父子票: the cable car) each attached to a gate line of the same sale; the server gives a child its
// parent's visitor, so only lines without a parent ask for one.
import type { SiteDetail } from '../../worker/routes/contracts/scenic.ts'

type Product = SiteDetail['products'][number]
type SitePackage = SiteDetail['packages'][number]
export type ScenicLine = { product: Product; parent?: number }

/** Child products a line of `parent` can carry (the cable car for a gate ticket). */
export const childrenOf = (products: Product[], parent: Product | undefined) =>
  parent ? products.filter((p) => p.requiresParent.includes(parent.id)) : []

/** Packages the window can sell: active, with every component on sale at the site. */
export const sellablePackages = (site: SiteDetail | null | undefined) =>
  (site?.packages ?? []).filter(
    (pkg) =>
      pkg.status === 'active' &&
      pkg.components.every((c) => site!.products.some((p) => p.id === c.productId)),
  )

/** Each child line goes with the next parent line that no child of the same product has taken yet. */
function attach(lines: ScenicLine[]): ScenicLine[] {
  const taken = new Set<string>()
  return lines.map((line) => {
    if (!line.product.requiresParent.length) return line
    const parent = lines.findIndex(
      (other, i) =>
        !taken.has(`${line.product.id}:${i}`) && line.product.requiresParent.includes(other.product.id),
    )
    if (parent < 0) return line
    taken.add(`${line.product.id}:${parent}`)
    return { ...line, parent }
  })
}

export function scenicLines(
  products: Product[],
  choice: { pkg?: SitePackage; product?: Product; count: number; children: Record<string, number> },
): ScenicLine[] {
  if (choice.pkg)
    return attach(
      choice.pkg.components.flatMap((c) => {
        const product = products.find((p) => p.id === c.productId)
        return product ? Array.from({ length: c.quantity }, () => ({ product })) : []
      }),
    )
  if (!choice.product) return []
  const parents = Array.from({ length: choice.count }, () => ({ product: choice.product! }))
  const children = childrenOf(products, choice.product).flatMap((child) =>
    Array.from({ length: Math.min(choice.count, choice.children[child.id] ?? 0) }, () => ({
      product: child,
    })),
  )
  return attach([...parents, ...children])
}
