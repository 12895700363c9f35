// A sale in as few keys as possible: the show (or site, date, type) is chosen, the zone and quantity typed, the
// tender picked, Enter charges. Best available seats for shows; real-name visitors per scenic ticket when required.
// The fields live beside it: show-fields.tsx, scenic-fields.tsx, visitor-fields.tsx, tender-fields.tsx.
import { useState } from 'preact/hooks'
import type { BoxCatalogue, BoxSale } from '../../worker/routes/contracts/box-office.ts'
import type { SiteDetail } from '../../worker/routes/contracts/scenic.ts'
import type { ShowDetail } from '../../worker/routes/contracts/shows.ts'
import { ApiError, api, newIdempotencyKey } from '../lib/api.ts'
import { formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { localName, seatNames } from '../lib/labels.ts'
import { Button, Field, ProblemAlert, useResource } from '../lib/ui.tsx'
import { messages } from './messages.ts'
import { ChildTickets, ScenicChoice } from './scenic-fields.tsx'
import { childrenOf, scenicLines, sellablePackages } from './scenic-lines.ts'
import { afterRefusal, type PickedSeat } from './seat-rows.ts'
import { ShowFields } from './show-fields.tsx'
import { noTender, TenderFields, type TenderInput, tenderBody } from './tender-fields.tsx'
import { VisitorFields, type VisitorInput } from './visitor-fields.tsx'

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)

export function SalePanel(props: { base: string; catalogue: BoxCatalogue; onSold: (sale: BoxSale) => void }) {
  const t = messages.useT()
  const locale = useLocale()
  const { catalogue } = props
  const [kind, setKind] = useState<'show' | 'scenic'>(
    catalogue.shows.length || !catalogue.sites.length ? 'show' : 'scenic',
  )
  const [showId, setShowId] = useState(catalogue.shows[0]?.id ?? '')
  const [category, setCategory] = useState('')
  const [quantity, setQuantity] = useState('1')
  const [siteId, setSiteId] = useState(catalogue.sites[0]?.id ?? '')
  const [visitDate, setVisitDate] = useState(chinaToday())
  const [productId, setProductId] = useState('')
  const [packageId, setPackageId] = useState('')
  // Best available unless the clerk ticks "pick seats". A sale refused for seats taken meanwhile says which, reads
  // the list again and keeps the other picks (the inventory found them free).
  const [pickSeats, setPickSeats] = useState(false)
  const [picked, setPicked] = useState<PickedSeat[]>([])
  const [refused, setRefused] = useState<{ taken: PickedSeat[]; kept: number } | null>(null)
  const [seatsVersion, setSeatsVersion] = useState(0)
  const [seatsMissing, setSeatsMissing] = useState(false)
  /** Child tickets (cable car) by product: how many of the gate tickets carry one. */
  const [childCounts, setChildCounts] = useState<Record<string, number>>({})
  const [slot, setSlot] = useState('')
  const [visitors, setVisitors] = useState<VisitorInput[]>([])
  const [tender, setTender] = useState<TenderInput>(noTender)
  const [error, setError] = useState<unknown>(null)
  const [busy, setBusy] = useState(false)
  // One key per sale attempt: a retry after a lost answer replays the sale; a refused one (4xx: short cash, a
  // declined code) is corrected and sent as a new attempt.
  const [key, setKey] = useState(newIdempotencyKey)
  const show = useResource(
    (signal) =>
      kind === 'show' && showId ? api<ShowDetail>(`/api/shows/${showId}`, { signal }) : Promise.resolve(null),
    [kind, showId],
  )
  const site = useResource(
    (signal) =>
      kind === 'scenic' && siteId
        ? api<SiteDetail>(`/api/scenic-sites/${siteId}`, { signal })
        : Promise.resolve(null),
    [kind, siteId],
  )
  const money = (minor: number) => formatMoney(minor, catalogue.currency, locale)
  const count = Math.max(1, Math.min(20, Number(quantity) || 1))
  // The zones of the show chosen (not of the one before while its detail is on the way).
  const shown = show.data?.id === showId ? show.data : undefined
  const zone = shown?.categories.find((c) => c.code === category) ?? shown?.categories[0]
  const product = site.data?.products.find((p) => p.id === productId) ?? site.data?.products[0]
  const packages = sellablePackages(site.data)
  const pkg = packages.find((p) => p.id === packageId)
  const products = site.data?.products ?? []
  const children = pkg ? [] : childrenOf(products, product)
  const lines = scenicLines(products, { pkg, product, count, children: childCounts })
  // Who needs a name and ID: each show ticket when the event is real-name; each scenic line without a parent
  // (a child line travels with its gate ticket's visitor).
  const visitorLines =
    kind === 'show'
      ? shown?.realNameRequired
        ? Array.from({ length: pickSeats ? picked.length : count }, (_, i) => i)
        : []
      : lines.flatMap((line, i) => (line.product.realNameRequired && line.parent === undefined ? [i] : []))
  const firstSlot = slot || site.data?.timeSlots[0]?.code
  const visitorAt = (i: number) => visitors[i] ?? { name: '', idNumber: '' }
  const setVisitor = (i: number, patch: Partial<VisitorInput>) =>
    setVisitors((all) => {
      const next = [...all]
      next[i] = { ...visitorAt(i), ...patch }
      return next
    })
  const dropSeats = () => {
    setPicked([])
    setRefused(null)
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    setRefused(null)
    if (kind === 'show' && pickSeats && !picked.length) {
      setSeatsMissing(true)
      return
    }
    setSeatsMissing(false)
    setBusy(true)
    setError(null)
    const people = visitorLines.map((i) => visitorAt(i))
    const items =
      kind === 'show'
        ? {
            kind,
            showId,
            ...(pickSeats
              ? { seatIds: picked.map((seat) => seat.id) }
              : { best: { category: zone?.code ?? '', quantity: count } }),
            ...(people.length
              ? { holderNames: people.map((p) => p.name), idNumbers: people.map((p) => p.idNumber) }
              : {}),
          }
        : {
            kind,
            siteId,
            visitDate,
            ...(pkg ? { packageId: pkg.id } : {}),
            lines: lines.map((line, i) => ({
              productId: line.product.id,
              ...(line.product.timed && firstSlot ? { slot: firstSlot } : {}),
              ...(line.parent !== undefined
                ? { parent: { line: line.parent } }
                : visitorLines.includes(i)
                  ? { visitor: { name: visitorAt(i).name, idNumber: visitorAt(i).idNumber } }
                  : {}),
            })),
          }
    try {
      props.onSold(
        await api<BoxSale>(`${props.base}/sales`, {
          body: { items, tender: tenderBody(tender) },
          idempotencyKey: key,
        }),
      )
    } catch (failure) {
      setError(failure)
      if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500)
        setKey(newIdempotencyKey())
      if (kind === 'show' && failure instanceof ApiError && failure.status === 409 && pickSeats) {
        const { taken, kept } = afterRefusal(picked, failure)
        setPicked(kept)
        // The seat list and the zones' counts are read again.
        setSeatsVersion((n) => n + 1)
        show.reload()
        if (taken.length) {
          setRefused({ taken, kept: kept.length })
          setError(null)
        }
      }
    } finally {
      setBusy(false)
    }
  }
  return (
    <section class="box-card box-sale" aria-labelledby="sale-heading">
      <h2 id="sale-heading">{t('sell')}</h2>
      <div role="radiogroup" aria-label={t('sell')} class="box-tabs">
        {(['show', 'scenic'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="sale-kind" checked={kind === k} onChange={() => setKind(k)} />
            {k === 'show' ? t('sellShow') : t('sellScenic')}
          </label>
        ))}
      </div>
      <form class="stack" onSubmit={submit}>
        {kind === 'show' ? (
          <ShowFields
            shows={catalogue.shows}
            showId={showId}
            onShow={(id) => {
              setShowId(id)
              dropSeats()
            }}
            categories={shown?.categories ?? []}
            zone={zone}
            onCategory={(code) => {
              setCategory(code)
              dropSeats()
            }}
            pickSeats={pickSeats}
            onPickSeats={(pick) => {
              setPickSeats(pick)
              dropSeats()
            }}
            picked={picked}
            onSeats={setPicked}
            taken={refused?.taken ?? []}
            seatsVersion={seatsVersion}
            money={money}
          />
        ) : (
          <ScenicChoice
            sites={catalogue.sites}
            siteId={siteId}
            onSite={setSiteId}
            visitDate={visitDate}
            onVisitDate={setVisitDate}
            packages={packages}
            pkg={pkg}
            onPackage={setPackageId}
            products={products}
            product={product}
            onProduct={setProductId}
            slots={lines.some((line) => line.product.timed) ? (site.data?.timeSlots ?? []) : undefined}
            slot={firstSlot}
            onSlot={setSlot}
            money={money}
          />
        )}
        {!(kind === 'scenic' && pkg) && !(kind === 'show' && pickSeats) && (
          <Field label={t('quantity')}>
            {({ id }) => (
              <input
                id={id}
                type="number"
                min={1}
                max={20}
                required
                value={quantity}
                onInput={(e) => setQuantity(e.currentTarget.value)}
              />
            )}
          </Field>
        )}
        {kind === 'scenic' && (
          <ChildTickets
            products={children}
            max={count}
            counts={childCounts}
            onChange={setChildCounts}
            money={money}
          />
        )}
        {kind === 'scenic' && pkg && (
          <p class="muted" data-testid="package-lines">
            {lines.map((line) => localName(line.product, locale)).join(' + ')}
          </p>
        )}
        <VisitorFields kind={kind} lines={visitorLines} visitorAt={visitorAt} onChange={setVisitor} />
        <TenderFields value={tender} onChange={(patch) => setTender((now) => ({ ...now, ...patch }))} />
        {seatsMissing && (
          <p class="alert alert-error" role="alert">
            {t('seatsRequired')}
          </p>
        )}
        {refused && (
          <div class="alert alert-error" role="alert" data-testid="seats-taken">
            <strong>{t('seatsTaken', { seats: seatNames(refused.taken, locale, { section: true }) })}</strong>
            <p>{refused.kept ? t('seatsKept', { count: refused.kept }) : t('seatsKeptNone')}</p>
          </div>
        )}
        <ProblemAlert error={error} />
        <ProblemAlert error={show.error ?? site.error} />
        <Button type="submit" variant="primary" disabled={busy} data-testid="charge">
          {busy ? t('selling') : t('chargeNow')}
        </Button>
      </form>
    </section>
  )
}
