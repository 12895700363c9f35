// A scenic site: month calendar (availability and price per day), entry time, ticket types with eligibility,
// real-name visitors (ID validated as typed), and child products (cable car) that stay disabled until the buyer
// holds or owns a gate ticket for that day; a child goes with one of the buyer's own gate tickets, picked from
// this order's lines or the tickets already bought, and takes its visitor from it (nothing typed twice).
import { useState } from 'preact/hooks'
import { isValidPrcIdNumber } from '../../../worker/domain/id-number.ts'
import { api } from '../../lib/api.ts'
import { formatDay, formatMoney } from '../../lib/format.ts'
import { type Locale, useLocale } from '../../lib/i18n.ts'
import { navigate } from '../../lib/router.tsx'
import { Button, Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { releaseCurrentHold, setCurrentHold } from '../hold-store.ts'
import { shopMessages, useProblemMessages } from '../messages.ts'
import type {
  DayAvailability,
  Eligibility,
  OrderRecord,
  OrderView,
  Page,
  ScenicHold,
  SiteDetail,
  VisitProduct,
} from '../types.ts'
import { IdNumberField } from './show.tsx'

/** Today in China (the sites' zone), as YYYY-MM-DD. */
const todayInChina = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)

function monthDays(month: string): string[] {
  const [year, index] = month.split('-').map(Number) as [number, number]
  const count = new Date(Date.UTC(year, index, 0)).getUTCDate()
  return Array.from({ length: count }, (_, day) => `${month}-${String(day + 1).padStart(2, '0')}`)
}

function shiftMonth(month: string, by: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number]
  const date = new Date(Date.UTC(year, index - 1 + by, 1))
  return date.toISOString().slice(0, 7)
}

interface VisitorInput {
  name: string
  idNumber: string
}

/** A gate ticket this buyer already bought for the chosen day. */
interface OwnedTicket {
  /** The ticket's line in the day's inventory (what a child line names as its parent). */
  inventoryRef: string
  productId: string
  name: string | null
  idMasked: string | null
}

/** A gate ticket a child line can go with: a line of this order (by position) or one already bought. */
interface ParentChoice {
  key: string
  label: string
  ref: { line: number } | { lineId: string }
}

/** Whether a product's tickets need the visitor's name and ID number (real-name, or an age rule checked from the ID). */
const needsVisitor = (product: VisitProduct) =>
  product.realNameRequired ||
  product.eligibility.minAge !== undefined ||
  product.eligibility.maxAge !== undefined

export function ScenicPage({ siteId }: { siteId: string }) {
  const t = shopMessages.useT()
  const locale = useLocale()
  const problems = useProblemMessages()
  const today = todayInChina()
  const [month, setMonth] = useState(today.slice(0, 7))
  const [date, setDate] = useState<string | null>(null)
  const [slot, setSlot] = useState<string | null>(null)
  const [counts, setCounts] = useState<Record<string, number>>({})
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
  // Tickets this buyer already owns for the chosen day (paid scenic orders of this site and date).
  const owned = useResource(
    async (signal): Promise<OwnedTicket[]> => {
      if (!date) return []
      const orders = await api<Page<OrderRecord>>('/api/orders', { signal, query: { limit: 100 } })
      const mine = orders.items.filter(
        (order) =>
          order.kind === 'scenic' &&
          order.siteId === siteId &&
          order.visitDate === date &&
          order.status.includes('paid'),
      )
      const details = await Promise.all(
        mine.map((order) => api<OrderView>(`/api/orders/${order.id}`, { signal })),
      )
      return details.flatMap((order) =>
        (order.lines ?? [])
          .filter((line) => line.status === 'active' && line.productId)
          .map((line) => ({
            inventoryRef: line.inventoryRef,
            productId: line.productId!,
            name: line.visitorName,
            idMasked: line.visitorIdMasked,
          })),
      )
    },
    [siteId, date],
  )

  if (site.error) return <ProblemAlert error={site.error} onRetry={site.reload} />
  if (!site.data) return <Loading />
  const detail = site.data
  const byDate = new Map((calendar.data?.days ?? []).map((day) => [day.date, day]))
  const day = date ? byDate.get(date) : undefined
  const products = detail.products.filter((product) => product.status === 'active')
  const priceOf = (product: VisitProduct) =>
    day?.products.find((p) => p.id === product.id)?.price ?? product.price
  const money = (minor: number) => formatMoney(minor, 'CNY', locale)
  const ownedProducts = new Set((owned.data ?? []).map((ticket) => ticket.productId))
  const hasParent = (product: VisitProduct) =>
    product.requiresParent.some((parent) => (counts[parent] ?? 0) > 0 || ownedProducts.has(parent))
  const ownsGate = products.some((p) => p.kind === 'entry' && ownedProducts.has(p.id))

  // One line per ticket, in product order; visitors are keyed by product and position.
  const lines = products.flatMap((product) =>
    Array.from({ length: counts[product.id] ?? 0 }, (_, index) => ({
      product,
      key: `${product.id}:${index}`,
    })),
  )
  const needsSlot = lines.some((line) => line.product.timed)
  // The gate tickets each child line may go with: this order's parent lines, then those already bought.
  const parentChoices = (product: VisitProduct): ParentChoice[] => [
    ...lines.flatMap((line, index) =>
      product.requiresParent.includes(line.product.id)
        ? [
            {
              key: `line:${index}`,
              label: visitors[line.key]?.name.trim()
                ? t('parentInOrder', { name: visitors[line.key]!.name.trim() })
                : t('parentVisitorN', { n: index + 1 }),
              ref: { line: index },
            },
          ]
        : [],
    ),
    ...(owned.data ?? [])
      .filter((ticket) => product.requiresParent.includes(ticket.productId))
      .map((ticket) => ({
        key: `owned:${ticket.inventoryRef}`,
        label: t('parentBought', { name: ticket.name ?? '', id: ticket.idMasked ?? '' }),
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
  const total = lines.reduce((sum, line) => sum + priceOf(line.product), 0)

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
    setBusy(true)
    setError(null)
    try {
      await releaseCurrentHold()
      const created = await api<ScenicHold>(
        `/api/scenic-sites/${encodeURIComponent(siteId)}/days/${date}/holds`,
        {
          body: {
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
        },
      )
      setCurrentHold({ kind: 'scenic', hold: created, title: detail.name })
      navigate('/checkout')
    } catch (failure) {
      setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const days = monthDays(month)
  const firstWeekday = new Date(`${days[0]}T00:00:00Z`).getUTCDay()
  const weekdays = Array.from({ length: 7 }, (_, i) =>
    new Intl.DateTimeFormat(locale, { weekday: 'narrow', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 7 + i)),
    ),
  )
  const monthTitle = new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'long',
    timeZone: 'UTC',
  }).format(new Date(`${month}-01T00:00:00Z`))

  return (
    <article class="stack">
      <header>
        <h1>{detail.name}</h1>
        <p class="muted">
          {detail.city} · {t('open', { from: detail.opensAt, to: detail.closesAt })}
        </p>
        {detail.description && <p>{detail.description}</p>}
      </header>

      <section aria-labelledby="calendar-heading" class="card">
        <div class="row spread">
          <h2 id="calendar-heading">{t('chooseDate')}</h2>
          <div class="row">
            <Button
              onClick={() => setMonth(shiftMonth(month, -1))}
              disabled={month <= today.slice(0, 7)}
              aria-label={t('prevMonth')}
            >
              ‹
            </Button>
            <strong aria-live="polite">{monthTitle}</strong>
            <Button onClick={() => setMonth(shiftMonth(month, 1))} aria-label={t('nextMonth')}>
              ›
            </Button>
          </div>
        </div>
        {calendar.error && <ProblemAlert error={calendar.error} onRetry={calendar.reload} />}
        <div class="calendar" data-testid="calendar">
          {weekdays.map((name, i) => (
            <span key={`w${i}`} class="calendar-weekday" aria-hidden="true">
              {name}
            </span>
          ))}
          {Array.from({ length: firstWeekday }, (_, i) => (
            <span key={`pad${i}`} aria-hidden="true" />
          ))}
          {days.map((iso) => {
            const info = byDate.get(iso)
            const entryPrices = info?.products.filter((p) => p.kind === 'entry').map((p) => p.price) ?? []
            const from = entryPrices.length ? Math.min(...entryPrices) : null
            const available = Boolean(info?.onSale && info.remaining > 0)
            return (
              <button
                key={iso}
                type="button"
                class={`calendar-day${iso === date ? ' calendar-day-selected' : ''}`}
                disabled={!available}
                aria-pressed={iso === date}
                data-date={iso}
                onClick={() => {
                  setDate(iso)
                  setSlot(null)
                }}
              >
                <span class="visually-hidden">{formatDay(iso, locale)}</span>
                <span class="calendar-date" aria-hidden="true">
                  {Number(iso.slice(8))}
                </span>
                {info && available && from !== null && (
                  <span class="calendar-price">{t('fromPrice', { price: money(from) })}</span>
                )}
                {info && available && (
                  <span class="visually-hidden">, {t('remaining', { count: info.remaining })}</span>
                )}
                {info && !available && <span class="calendar-price">{t('soldOut')}</span>}
              </button>
            )
          })}
        </div>
        {calendar.loading && <Loading />}
      </section>

      {day && (
        <>
          <section aria-labelledby="slot-heading" class="card">
            <h2 id="slot-heading">{t('timeSlot')}</h2>
            <fieldset class="slots">
              <legend class="visually-hidden">{t('timeSlot')}</legend>
              {day.slots.map((s) => (
                <label key={s.code} class={`slot${s.remaining === 0 ? ' slot-full' : ''}`}>
                  <input
                    type="radio"
                    name="slot"
                    value={s.code}
                    checked={slot === s.code}
                    disabled={s.remaining === 0}
                    onChange={() => setSlot(s.code)}
                  />
                  {s.start}–{s.end} <span class="muted small">{t('remaining', { count: s.remaining })}</span>
                </label>
              ))}
            </fieldset>
          </section>

          <section aria-labelledby="types-heading" class="card">
            <h2 id="types-heading">{t('ticketTypes')}</h2>
            {ownsGate && <p class="alert alert-info">{t('ownedGateTicket')}</p>}
            <ul class="plain-list stack" data-testid="products">
              {products.map((product) => {
                const blocked = product.requiresParent.length > 0 && !hasParent(product)
                const count = counts[product.id] ?? 0
                const hintId = `needs-${product.id}`
                return (
                  <li key={product.id} class="product row spread" data-product-id={product.id}>
                    <span>
                      <strong>{product.name}</strong> · {money(priceOf(product))}
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
                        aria-label={t('remove', { name: product.name })}
                        disabled={count === 0}
                        onClick={() => setCount(product, count - 1)}
                      >
                        −
                      </Button>
                      <output aria-live="polite" data-testid={`count-${product.id}`}>
                        {count}
                      </output>
                      <Button
                        aria-label={t('add', { name: product.name })}
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
          </section>

          {lines.some((line) => needsVisitor(line.product) || line.product.requiresParent.length > 0) && (
            <section aria-labelledby="visitors-heading" class="card">
              <h2 id="visitors-heading">{t('visitors')}</h2>
              {lines.map(({ product, key }, index) => {
                const choices = product.requiresParent.length ? parentChoices(product) : []
                if (choices.length) {
                  return (
                    <fieldset key={key} class="visitor" data-testid="visitor">
                      <legend>{t('visitorN', { n: index + 1, product: product.name })}</legend>
                      <Field label={t('goesWith')} hint={t('goesWithHint')}>
                        {({ id, describedBy }) => (
                          <select
                            id={id}
                            aria-describedby={describedBy}
                            value={parentOf(product, key)?.key}
                            onChange={(e) =>
                              setParents({ ...parents, [key]: (e.target as HTMLSelectElement).value })
                            }
                          >
                            {choices.map((choice) => (
                              <option key={choice.key} value={choice.key}>
                                {choice.label}
                              </option>
                            ))}
                          </select>
                        )}
                      </Field>
                    </fieldset>
                  )
                }
                return needsVisitor(product) ? (
                  <fieldset key={key} class="visitor" data-testid="visitor">
                    <legend>{t('visitorN', { n: index + 1, product: product.name })}</legend>
                    <Field label={t('name')}>
                      {({ id }) => (
                        <input
                          id={id}
                          autoComplete="name"
                          value={visitors[key]?.name ?? ''}
                          onInput={(e) =>
                            setVisitors({
                              ...visitors,
                              [key]: {
                                idNumber: '',
                                ...visitors[key],
                                name: (e.target as HTMLInputElement).value,
                              },
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
                ) : null
              })}
            </section>
          )}

          <section class="card stack">
            <p class="row spread">
              <strong>
                {t('visitDate', { date: formatDay(day.date, locale) })}
                {slot && ` · ${slot}`}
              </strong>
              <strong>
                {t('total')}: {money(total)}
              </strong>
            </p>
            {lines.length === 0 && <p class="muted">{t('pickTickets')}</p>}
            {lines.length > 0 && !visitorsComplete && <p class="muted">{t('fillVisitors')}</p>}
            <ProblemAlert error={error} messages={problems} />
            <Button
              variant="primary"
              disabled={busy || lines.length === 0 || !visitorsComplete || (needsSlot && !slot)}
              onClick={hold}
            >
              {t('holdTickets', { count: lines.length })}
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
