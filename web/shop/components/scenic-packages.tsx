// A scenic site's packages (套票: e.g. gate ticket + cable car at one price): what each includes, its price against
// buying the parts separately on the chosen day, and choosing one. A hold is either one package or single tickets
// (the day's actor sells a package as exactly its components).
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Button } from '../../lib/ui.tsx'
import type { SiteDetail, VisitProduct } from '../types.ts'
import { scenicMessages } from './scenic-messages.ts'
import { type DayPrice, ScenicDayPrice } from './scenic-price.tsx'

export type SitePackage = SiteDetail['packages'][number]

/** The package's components as one product per ticket line, in the package's order. */
export const packageProducts = (pkg: SitePackage, products: VisitProduct[]): VisitProduct[] =>
  pkg.components.flatMap((component) => {
    const product = products.find((p) => p.id === component.productId)
    return product ? Array.from({ length: component.quantity }, () => product) : []
  })

export function ScenicPackages(props: {
  packages: SitePackage[]
  products: VisitProduct[]
  priceOf: (product: VisitProduct) => number
  /** The package's price on the chosen day (date price, tier). */
  quoteOf: (pkg: SitePackage) => DayPrice
  chosen: string | null
  onChoose: (packageId: string | null) => void
}) {
  const m = scenicMessages.useT()
  const locale = useLocale()
  const money = (minor: number) => formatMoney(minor, 'CNY', locale)
  // Only packages whose every component is on sale here can be sold.
  const sellable = props.packages.filter(
    (pkg) =>
      pkg.status === 'active' &&
      pkg.components.every((c) => props.products.some((p) => p.id === c.productId)),
  )
  if (sellable.length === 0) return null
  return (
    <section aria-labelledby="packages-heading" class="card stack" data-testid="packages">
      <div>
        <h2 id="packages-heading">{m('packages')}</h2>
        <p class="muted small">{m('packagesHelp')}</p>
      </div>
      <ul class="plain-list stack">
        {sellable.map((pkg) => {
          const parts = packageProducts(pkg, props.products)
          const separately = parts.reduce((sum, product) => sum + props.priceOf(product), 0)
          const quote = props.quoteOf(pkg)
          const saves = separately - quote.price
          const chosen = props.chosen === pkg.id
          const headingId = `package-${pkg.id}`
          return (
            <li
              key={pkg.id}
              class={`package${chosen ? ' package-chosen' : ''}`}
              data-testid="package"
              data-package-id={pkg.id}
            >
              <div class="row spread package-head">
                <strong id={headingId}>{localName(pkg, locale)}</strong>
                <strong class="package-price" data-testid="package-price">
                  <ScenicDayPrice quote={quote} />
                </strong>
              </div>
              <p class="small">
                {m('packageIncludes', {
                  items: pkg.components
                    .map((c) => {
                      const product = props.products.find((p) => p.id === c.productId)
                      const name = product ? localName(product, locale) : ''
                      return c.quantity > 1 ? `${name} ×${c.quantity}` : name
                    })
                    .join(' + '),
                })}
              </p>
              {pkg.description && <p class="muted small">{pkg.description}</p>}
              <div class="row spread">
                <span class="small">
                  {saves > 0 && (
                    <span class="badge badge-save" data-testid="package-saves">
                      {m('packageSaves', { amount: money(saves) })}
                    </span>
                  )}{' '}
                  <s class="muted">{m('packageSeparately', { amount: money(separately) })}</s>
                </span>
                <Button
                  variant={chosen ? 'primary' : 'secondary'}
                  aria-pressed={chosen}
                  aria-describedby={headingId}
                  onClick={() => props.onChoose(chosen ? null : pkg.id)}
                >
                  {chosen ? m('packageChosen') : m('choosePackage')}
                </Button>
              </div>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
