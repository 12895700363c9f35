// "What a buyer pays on date X": the draft (saved or not) run through the same pure PriceBook the show actor
// quotes holds with, so the preview and the shop cannot disagree. Counters start empty: quantity tiers are
// shown as not yet sold out. Also a timeline per category: the price from each instant where it changes.
import { useMemo, useState } from 'preact/hooks'
import { PriceBook, type ShowPricing } from '../../worker/domain/price-schedule.ts'
import { formatDateTime, formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { isoToLocal, localToIso, TextInput } from './form.tsx'
import { adminMessages } from './messages.ts'

export function PricingPreview(props: {
  pricing: ShowPricing
  listPrices: Record<string, number>
  names: Record<string, string>
  currency: string
}) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const [at, setAt] = useState(() => isoToLocal(new Date().toISOString()))
  const book = useMemo(
    () => new PriceBook(props.pricing, props.listPrices),
    [props.pricing, props.listPrices],
  )
  const instant = at ? Date.parse(localToIso(at)) : Date.now()
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  const codes = Object.keys(props.listPrices)
  const flashAt = (code: string) =>
    book.flashSales(instant).filter((sale) => sale.category === code && sale.status === 'active')

  return (
    <section class="card stack" aria-labelledby="preview-heading" data-testid="pricing-preview">
      <h2 id="preview-heading">{t('pricing_preview')}</h2>
      <p class="muted small">{t('pricing_previewNote')}</p>
      <TextInput label={t('pricing_previewAt')} type="datetime-local" value={at} onInput={setAt} />
      <ul class="plain-list stack-tight" data-testid="preview-at">
        {codes.map((code) => {
          const now = book.current(code, instant)
          return (
            <li key={code} data-category={code}>
              <strong>{props.names[code] ?? code}</strong>: {money(now.price)} ·{' '}
              {now.tier ?? t('pricing_atList')}
              {flashAt(code).map((sale) => (
                <span key={sale.id}>
                  {' '}
                  · {sale.label} {money(sale.price)}
                </span>
              ))}
            </li>
          )
        })}
      </ul>
      <h3>{t('pricing_timeline')}</h3>
      {codes.map((code) => (
        <div key={code} class="stack-tight">
          <strong>{props.names[code] ?? code}</strong>
          <ol class="timeline" data-testid="preview-timeline" data-category={code}>
            {timeline(book, props.pricing, code).map((step) => (
              <li key={step.from}>
                {step.from === -Infinity
                  ? t('pricing_fromStart')
                  : t('pricing_from', { when: formatDateTime(new Date(step.from).toISOString(), locale) })}
                : {money(step.price)} · {step.tier ?? t('pricing_atList')}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </section>
  )
}

/** The category's price from each instant its tiers start or end, consecutive equal prices merged. */
function timeline(book: PriceBook, pricing: ShowPricing, code: string) {
  const tiers = pricing.schedules.find((schedule) => schedule.category === code)?.tiers ?? []
  const edges = [
    ...new Set(
      tiers
        .flatMap((tier) => [tier.startsAt, tier.endsAt])
        .filter((iso): iso is string => !!iso)
        .map((iso) => Date.parse(iso))
        .filter(Number.isFinite),
    ),
  ].sort((a, b) => a - b)
  const steps: { from: number; price: number; tier: string | null }[] = []
  const first = edges.length ? edges[0]! - 1 : Date.now()
  for (const from of [-Infinity, ...edges]) {
    const now = book.current(code, from === -Infinity ? first : from)
    const last = steps.at(-1)
    if (last && last.price === now.price && last.tier === now.tier) continue
    steps.push({ from, price: now.price, tier: now.tier })
  }
  return steps
}
