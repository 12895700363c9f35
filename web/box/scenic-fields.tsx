// The scenic sale's package choice and its child tickets (父子票): how many of the gate tickets carry a cable car.
import type { SiteDetail } from '../../worker/routes/contracts/scenic.ts'
import { useLocale } from '../lib/i18n.ts'
import { localName } from '../lib/labels.ts'
import { Field } from '../lib/ui.tsx'
import { messages } from './messages.ts'

type Product = SiteDetail['products'][number]
type SitePackage = SiteDetail['packages'][number]

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
