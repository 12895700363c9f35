// The scenic part of a window sale: site, visit date, a package or a ticket type, the entry time, and child
// tickets (父子票): how many of the gate tickets carry a cable car.
import type { BoxCatalogue } from '../../worker/routes/contracts/box-office.ts'
import type { SiteDetail } from '../../worker/routes/contracts/scenic.ts'
import { useLocale } from '../lib/i18n.ts'
import { localName } from '../lib/labels.ts'
import { Field } from '../lib/ui.tsx'
import { messages } from './messages.ts'

type Product = SiteDetail['products'][number]
type SitePackage = SiteDetail['packages'][number]

/** Which site, day and tickets: a package (its components come as they are) or one ticket type. */
export function ScenicChoice(props: {
  sites: BoxCatalogue['sites']
  siteId: string
  onSite: (siteId: string) => void
  visitDate: string
  onVisitDate: (date: string) => void
  packages: SitePackage[]
  pkg: SitePackage | undefined
  onPackage: (packageId: string) => void
  products: Product[]
  product: Product | undefined
  onProduct: (productId: string) => void
  /** The site's entry times, asked for when any line is a timed ticket; `slot` is the one chosen. */
  slots: SiteDetail['timeSlots'] | undefined
  slot: string | undefined
  onSlot: (slot: string) => void
  money: (minor: number) => string
}) {
  const t = messages.useT()
  const locale = useLocale()
  const { pkg, product, money } = props
  return (
    <>
      <Field label={t('site')}>
        {({ id }) => (
          <select id={id} value={props.siteId} onChange={(e) => props.onSite(e.currentTarget.value)} required>
            {props.sites.map((s) => (
              <option key={s.id} value={s.id}>
                {localName(s, locale)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('visitDate')}>
        {({ id }) => (
          <input
            id={id}
            type="date"
            required
            value={props.visitDate}
            onInput={(e) => props.onVisitDate(e.currentTarget.value)}
          />
        )}
      </Field>
      <PackageChoice
        packages={props.packages}
        value={pkg?.id ?? ''}
        onChange={props.onPackage}
        money={money}
      />
      {!pkg && (
        <Field label={t('product')}>
          {({ id }) => (
            <select
              id={id}
              value={product?.id ?? ''}
              onChange={(e) => props.onProduct(e.currentTarget.value)}
              required
            >
              {props.products.map((p) => (
                <option key={p.id} value={p.id}>
                  {localName(p, locale)} · {money(p.price)}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {props.slots && (
        <Field label={t('slot')}>
          {({ id }) => (
            <select id={id} value={props.slot ?? ''} onChange={(e) => props.onSlot(e.currentTarget.value)}>
              {props.slots!.map((s) => (
                <option key={s.code} value={s.code}>
                  {s.start}–{s.end}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </>
  )
}

export function PackageChoice(props: {
  packages: SitePackage[]
  value: string
  onChange: (packageId: string) => void
  money: (minor: number) => string
}) {
  const t = messages.useT()
  const locale = useLocale()
  if (!props.packages.length) return null
  return (
    <Field label={t('package')}>
      {({ id }) => (
        <select id={id} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
          <option value="">{t('packageNone')}</option>
          {props.packages.map((p) => (
            <option key={p.id} value={p.id}>
              {localName(p, locale)} · {props.money(p.price)}
            </option>
          ))}
        </select>
      )}
    </Field>
  )
}

export function ChildTickets(props: {
  /** The child products the chosen gate ticket can carry. */
  products: Product[]
  /** At most one child of a product per gate ticket. */
  max: number
  counts: Record<string, number>
  onChange: (counts: Record<string, number>) => void
  money: (minor: number) => string
}) {
  const t = messages.useT()
  const locale = useLocale()
  return (
    <>
      {props.products.map((child) => (
        <Field
          key={child.id}
          label={t('childCount', { name: localName(child, locale), price: props.money(child.price) })}
          hint={t('childHint')}
        >
          {({ id, describedBy }) => (
            <input
              id={id}
              aria-describedby={describedBy}
              type="number"
              min={0}
              max={props.max}
              value={String(props.counts[child.id] ?? 0)}
              onInput={(e) =>
                props.onChange({ ...props.counts, [child.id]: Number(e.currentTarget.value) || 0 })
              }
            />
          )}
        </Field>
      ))}
    </>
  )
}
