// A scenic site: month calendar (today and tomorrow marked, price or sold out per day), entry-time chips, ticket
// types with eligibility, packages (套票) from the catalogue, real-name visitors (ID validated as typed), and child
// products (cable car) that stay disabled until the buyer holds or owns a gate ticket for that day; a child goes
// with one of the buyer's own gate tickets, picked from the visitors entered on this order or the tickets already
// bought, and takes its visitor from it (nothing typed twice).
import { useState } from 'preact/hooks'
import { isValidPrcIdNumber } from '../../../worker/domain/id-number.ts'
import { usePageBeacon } from '../../lib/analytics.ts'
import { api } from '../../lib/api.ts'
import { formatDay, formatMoney } from '../../lib/format.ts'
import { type Locale, useLocale } from '../../lib/i18n.ts'
import { cityName, localName } from '../../lib/labels.ts'
import { navigate } from '../../lib/router.tsx'
import { Button, Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { monthDays, ScenicCalendar, todayInChina } from '../components/scenic-calendar.tsx'
import { ScenicDepositNote, scenicHoldDeposit } from '../components/scenic-deposit.tsx'
import { scenicMessages, useScenicProblemMessages } from '../components/scenic-messages.ts'
import { useOwnedTickets } from '../components/scenic-owned.ts'
import { packageProducts, ScenicPackages, type SitePackage } from '../components/scenic-packages.tsx'
import { type DayPrice, ScenicDayPrice } from '../components/scenic-price.tsx'
import { ScenicSlots } from '../components/scenic-slots.tsx'
import { type ParentChoice, VisitorPick } from '../components/scenic-visitor-pick.tsx'
import { releaseCurrentHold, setCurrentHold } from '../hold-store.ts'
import { shopMessages, useProblemMessages } from '../messages.ts'
import { admissionHeaders, sendToQueueIfRequired } from '../queue/admission.ts'
import { DayWaitingRoomNotice } from '../queue/notice.tsx'
import type { DayAvailability, Eligibility, ScenicHold, SiteDetail, VisitProduct } from '../types.ts'
import { IdNumberField } from './show.tsx'

interface VisitorInput {
  name: string
  idNumber: string
}

/** Whether a product's tickets need the visitor's name and ID number (real-name, or an age rule checked from the ID). */
const needsVisitor = (product: VisitProduct) =>
  product.realNameRequired ||
  product.eligibility.minAge !== undefined ||
  product.eligibility.maxAge !== undefined

export function ScenicPage({ siteId }: { siteId: string }) {
  const t = shopMessages.useT()
  const m = scenicMessages.useT()
  const locale = useLocale()
  // Ticket wording for the scenic page's refusals, over the shop's general texts.
  const problems = { ...useProblemMessages(), ...useScenicProblemMessages() }
  const today = todayInChina()
  // `?date=` picks the day (the waiting room hands an admitted buyer back to it).
  const [date, setDate] = useState<string | null>(() => {
    const asked = new URLSearchParams(location.search).get('date') ?? ''
    return /^\d{4}-\d{2}-\d{2}$/.test(asked) && asked >= today ? asked : null
  })
  const [month, setMonth] = useState((date ?? today).slice(0, 7))
  const [slot, setSlot] = useState<string | null>(null)
  const [counts, setCounts] = useState<Record<string, number>>({})
  /** A package (套票) chosen instead of single tickets. */
  const [packageId, setPackageId] = useState<string | null>(null)
  const [visitors, setVisitors] = useState<Record<string, VisitorInput>>({})
  /** For each child line (by key), the parent choice picked; the first choice until the buyer picks another. */
  const [parents, setParents] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)

  const site = useResource(
    (signal) => api<SiteDetail>(`/api/scenic-sites/${encodeURIComponent(siteId)}`, { signal }),
    [siteId],
  )
  const calendar = useResource(() => {
    const days = monthDays(month).filter((day) => day >= today)
    if (!days.length) return Promise.resolve({ days: [] as DayAvailability[] })
    return api<{ days: DayAvailability[] }>(`/api/scenic-sites/${encodeURIComponent(siteId)}/calendar`, {
      query: { from: days[0], to: days[days.length - 1] },
    })
  }, [siteId, month])
  const owned = useOwnedTickets(siteId, date)
  usePageBeacon(date ? { kind: 'day_view', siteId, date } : null, date)

  if (site.error) return <ProblemAlert error={site.error} onRetry={site.reload} />
  if (!site.data) return <Loading />
  const detail = site.data
  const byDate = new Map((calendar.data?.days ?? []).map((day) => [day.date, day]))
  const day = date ? byDate.get(date) : undefined
  const products = detail.products.filter((product) => product.status === 'active')
  /** A product's quote on the chosen day (date price, tier), or its base price before a day is picked. */
  const quoteOf = (product: VisitProduct): DayPrice =>
    day?.products.find((p) => p.id === product.id) ?? {
      price: product.price,
      listPrice: product.price,
      tier: null,
      dateLabel: null,
    }
  const priceOf = (product: VisitProduct) => quoteOf(product).price
  const packageQuoteOf = (pkg: SitePackage): DayPrice =>
    day?.packages.find((p) => p.id === pkg.id) ?? {
      price: pkg.price,
      listPrice: pkg.price,
      tier: null,
      dateLabel: null,
    }
  const money = (minor: number) => formatMoney(minor, 'CNY', locale)
  const chosenPackage = detail.packages.find((pkg) => pkg.id === packageId)
  const ownedProducts = new Set((owned.data ?? []).map((ticket) => ticket.productId))
  const hasParent = (product: VisitProduct) =>
    product.requiresParent.some((parent) => (counts[parent] ?? 0) > 0 || ownedProducts.has(parent))
  const ownsGate = products.some((p) => p.kind === 'entry' && ownedProducts.has(p.id))

  // One line per ticket: the package's components, or single tickets in product order; keyed by product and position.
  const lines = chosenPackage
    ? packageProducts(chosenPackage, products).map((product, index) => ({
        product,
        key: `pkg:${product.id}:${index}`,
      }))
    : products.flatMap((product) =>
        Array.from({ length: counts[product.id] ?? 0 }, (_, index) => ({
          product,
          key: `${product.id}:${index}`,
        })),
      )
  const needsSlot = lines.some((line) => line.product.timed)
  // The gate tickets each child line may go with: this order's parent lines (by their visitor), then those bought.
  const parentChoices = (product: VisitProduct): ParentChoice[] => [
    ...lines.flatMap((line, index) => {
      if (!product.requiresParent.includes(line.product.id)) return []
      const name = visitors[line.key]?.name.trim()
      return [
        {
          key: `line:${index}`,
          label: name
            ? m('visitorInOrder', { name, product: localName(line.product, locale) })
            : m('visitorUnnamed', { n: index + 1, product: localName(line.product, locale) }),
          ref: { line: index },
        },
      ]
    }),
    ...(chosenPackage ? [] : (owned.data ?? []))
      .filter((ticket) => product.requiresParent.includes(ticket.productId))
      .map((ticket) => ({
        key: `owned:${ticket.inventoryRef}`,
        label: m('visitorBought', { name: ticket.name ?? '', id: ticket.idMasked ?? '' }),
        ref: { lineId: ticket.inventoryRef },
      })),
  ]
  const parentOf = (product: VisitProduct, key: string) => {
    const choices = parentChoices(product)
    return choices.find((choice) => choice.key === parents[key]) ?? choices[0]
  }
  const visitorsComplete = lines.every(({ product, key }) => {
    if (product.requiresParent.length && parentOf(product, key)) return true
    if (!needsVisitor(product)) return true
    const visitor = visitors[key]
    return Boolean(visitor?.name.trim()) && isValidPrcIdNumber(visitor?.idNumber ?? '')
  })
  const total = chosenPackage
    ? packageQuoteOf(chosenPackage).price
    : lines.reduce((sum, line) => sum + priceOf(line.product), 0)

  const setCount = (product: VisitProduct, count: number) => {
    const next = { ...counts, [product.id]: Math.max(0, Math.min(10, count)) }
    // Removing the last gate ticket takes the cable cars that depended on it along.
    for (const child of products) {
      if (
        child.requiresParent.length &&
        !child.requiresParent.some((p) => (next[p] ?? 0) > 0 || ownedProducts.has(p))
      ) {
        next[child.id] = 0
      }
    }
    setCounts(next)
  }

  const hold = async () => {
    if (!date) return
    const sale = { kind: 'day', siteId, date } as const
    setBusy(true)
    setError(null)
    try {
      await releaseCurrentHold()
      const created = await api<ScenicHold>(
        `/api/scenic-sites/${encodeURIComponent(siteId)}/days/${date}/holds`,
        {
          body: {
            ...(chosenPackage ? { packageId: chosenPackage.id } : {}),
            lines: lines.map(({ product, key }) => {
              // A child line names its gate ticket; the server gives it that ticket's visitor.
              const parent = product.requiresParent.length ? parentOf(product, key) : undefined
              return {
                productId: product.id,
                ...(product.timed && slot ? { slot } : {}),
                ...(parent
                  ? { parent: parent.ref }
                  : needsVisitor(product)
                    ? {
                        visitor: {
                          name: visitors[key]!.name.trim(),
                          idNumber: visitors[key]!.idNumber.trim(),
                        },
                      }
                    : {}),
              }
            }),
          },
          headers: admissionHeaders(sale),
        },
      )
      setCurrentHold({
        kind: 'scenic',
        hold: created,
        title: localName(detail, locale),
        productNames: Object.fromEntries(detail.products.map((p) => [p.id, localName(p, locale)])),
        deposit: scenicHoldDeposit(created, detail.products, detail.timezone),
      })
      navigate('/checkout')
    } catch (failure) {
      if (!sendToQueueIfRequired(failure, sale)) setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const visitorField = (line: (typeof lines)[number], index: number) => {
    const { product, key } = line
    const legend = t('visitorN', { n: index + 1, product: localName(product, locale) })
    const choices = product.requiresParent.length ? parentChoices(product) : []
    if (chosenPackage && choices.length) {
      // In a package the ride goes with the package's own gate ticket: nothing to pick.
      const parent = parentOf(product, key)
      const gateLine = parent && 'line' in parent.ref ? lines[parent.ref.line] : undefined
      const name = gateLine ? visitors[gateLine.key]?.name.trim() : ''
      return (
        <fieldset key={key} class="visitor" data-testid="visitor">
          <legend>{legend}</legend>
          <p class="small" data-testid="package-rider">
            {name ? m('sameVisitorAsGate', { name }) : m('sameVisitorUnnamed')}
          </p>
        </fieldset>
      )
    }
    if (choices.length) {
      return (
        <VisitorPick
          key={key}
          legend={legend}
          name={`rider-${key.replace(/[^a-z0-9]/gi, '-')}`}
          choices={choices}
          value={parentOf(product, key)?.key}
          onPick={(choice) => setParents({ ...parents, [key]: choice })}
        />
      )
    }
    if (!needsVisitor(product)) return null
    return (
      <fieldset key={key} class="visitor" data-testid="visitor">
        <legend>{legend}</legend>
        <Field label={t('name')}>
          {({ id }) => (
            <input
              id={id}
              autoComplete="name"
              value={visitors[key]?.name ?? ''}
              onInput={(e) =>
                setVisitors({
                  ...visitors,
                  [key]: { idNumber: '', ...visitors[key], name: (e.target as HTMLInputElement).value },
                })
              }
            />
          )}
        </Field>
        <IdNumberField
          label={t('idNumber')}
          value={visitors[key]?.idNumber ?? ''}
          onInput={(value) =>
            setVisitors({ ...visitors, [key]: { name: '', ...visitors[key], idNumber: value } })
          }
        />
      </fieldset>
    )
  }

  return (
    <article class="stack">
      <header>
        <h1>{localName(detail, locale)}</h1>
        <p class="muted">
          {cityName(detail, locale)} · {t('open', { from: detail.opensAt, to: detail.closesAt })}
        </p>
        {detail.description && <p>{detail.description}</p>}
      </header>

      <ScenicCalendar
        month={month}
        today={today}
        days={calendar.data?.days ?? []}
        loading={calendar.loading}
        error={calendar.error}
        onRetry={calendar.reload}
        selected={date}
        onMonth={setMonth}
        onPick={(picked) => {
          setDate(picked)
          setSlot(null)
        }}
      />

      {day && (
        <>
          <DayWaitingRoomNotice siteId={siteId} date={day.date} />
          <ScenicSlots slots={day.slots} selected={slot} onPick={setSlot} />

          <ScenicPackages
            packages={detail.packages}
            products={products}
            priceOf={priceOf}
            quoteOf={packageQuoteOf}
            chosen={packageId}
            onChoose={setPackageId}
          />

          <section aria-labelledby="types-heading" class="card">
            <h2 id="types-heading">{t('ticketTypes')}</h2>
            {ownsGate && <p class="alert alert-info">{t('ownedGateTicket')}</p>}
            {chosenPackage ? (
              <div class="stack" data-testid="package-chosen">
                <p>{m('packageChosenNote', { name: localName(chosenPackage, locale) })}</p>
                <Button onClick={() => setPackageId(null)}>{m('dropPackage')}</Button>
              </div>
            ) : (
              <ul class="plain-list stack" data-testid="products">
                {products.map((product) => {
                  const blocked = product.requiresParent.length > 0 && !hasParent(product)
                  const count = counts[product.id] ?? 0
                  const hintId = `needs-${product.id}`
                  return (
                    <li key={product.id} class="product row spread" data-product-id={product.id}>
                      <span>
                        <strong>{localName(product, locale)}</strong>{' '}
                        <ScenicDayPrice quote={quoteOf(product)} />
                        <ScenicDepositNote product={product} date={date} timezone={detail.timezone} />
                        <br />
                        <span class="muted small">{eligibilityText(product.eligibility, t, locale)}</span>
                        {(product.eligibility.minAge !== undefined ||
                          product.eligibility.maxAge !== undefined) && (
                          <span class="muted small">
                            <br />
                            {t('ageFromId')}
                          </span>
                        )}
                        {blocked && (
                          <span id={hintId} class="needs-parent small" data-testid="needs-parent">
                            <br />
                            {t('needsGateTicket')}
                          </span>
                        )}
                      </span>
                      <span class="stepper row">
                        <Button
                          aria-label={t('remove', { name: localName(product, locale) })}
                          disabled={count === 0}
                          onClick={() => setCount(product, count - 1)}
                        >
                          −
                        </Button>
                        <output aria-live="polite" data-testid={`count-${product.id}`}>
                          {count}
                        </output>
                        <Button
                          aria-label={t('add', { name: localName(product, locale) })}
                          aria-describedby={blocked ? hintId : undefined}
                          disabled={blocked}
                          onClick={() => setCount(product, count + 1)}
                        >
                          +
                        </Button>
                      </span>
                    </li>
                  )
                })}
              </ul>
            )}
          </section>

          {lines.some((line) => needsVisitor(line.product) || line.product.requiresParent.length > 0) && (
            <section aria-labelledby="visitors-heading" class="card">
              <h2 id="visitors-heading">{t('visitors')}</h2>
              {lines.map(visitorField)}
            </section>
          )}

          <section class="card stack">
            <p class="row spread">
              <strong>
                {t('visitDate', { date: formatDay(day.date, locale) })}
                {slot && ` · ${slot}`}
              </strong>
              <strong data-testid="scenic-total">
                {t('total')}: {money(total)}
              </strong>
            </p>
            {lines.length === 0 && <p class="muted">{t('pickTickets')}</p>}
            {lines.length > 0 && !visitorsComplete && <p class="muted">{t('fillVisitors')}</p>}
            {lines.length > 0 && needsSlot && !slot && <p class="muted">{m('pickSlot')}</p>}
            {lines.length > 0 && <p class="muted small">{m('holdWillKeep')}</p>}
            <ProblemAlert error={error} messages={problems} />
            <Button
              variant="primary"
              disabled={busy || lines.length === 0 || !visitorsComplete || (needsSlot && !slot)}
              onClick={hold}
            >
              {chosenPackage
                ? m('holdPackage')
                : lines.length === 1
                  ? m('holdOne')
                  : m('holdCount', { count: lines.length })}
            </Button>
          </section>
        </>
      )}
    </article>
  )
}

function eligibilityText(
  rule: Eligibility,
  t: ReturnType<typeof shopMessages.useT>,
  _locale: Locale,
): string {
  const parts: string[] = []
  if (rule.minAge !== undefined && rule.maxAge !== undefined)
    parts.push(t('eligibility_age', { min: rule.minAge, max: rule.maxAge }))
  else if (rule.minAge !== undefined) parts.push(t('eligibility_minAge', { min: rule.minAge }))
  else if (rule.maxAge !== undefined) parts.push(t('eligibility_maxAge', { max: rule.maxAge }))
  if (rule.minHeightCm !== undefined && rule.maxHeightCm !== undefined)
    parts.push(t('eligibility_height', { min: rule.minHeightCm, max: rule.maxHeightCm }))
  if (rule.proof) parts.push(t('eligibility_proof'))
  if (rule.note) parts.push(rule.note)
  return parts.join(' · ')
}
