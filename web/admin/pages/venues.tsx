import { useState } from 'preact/hooks'
import type {
  SeatChartExport,
  SeatMapImported,
  SeatsEdited,
  VenueRecord,
} from '../../../worker/routes/contracts/admin/venues.ts'
import { api } from '../../lib/api.ts'
import { useLocale } from '../../lib/i18n.ts'
import { cityName, localName } from '../../lib/labels.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { NameEnInput, SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { type MapCategory, type MapSeat, SeatMap } from '../seat-map.tsx'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'
import { VenueNamesForm } from '../venue-names.tsx'

export type Venue = VenueRecord

const venueKinds = ['concert_hall', 'theatre', 'cinema', 'stadium', 'other']

/** `VIP,贵宾,#b8860b,VIP seats` per line (the English name optional) → price categories. */
function parseCategories(text: string): MapCategory[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [code = '', name, color, nameEn] = line.split(',').map((part) => part.trim())
      return { code, name: name || code, color: color || '#777777', ...(nameEn ? { nameEn } : {}) }
    })
}

export function VenuesPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<VenueRecord>>(`${base}/venues`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [name, setName] = useState('')
  const [nameEn, setNameEn] = useState('')
  const [city, setCity] = useState('')
  const [kind, setKind] = useState('concert_hall')
  const [categories, setCategories] = useState('')
  const [error, setError] = useState<unknown>(null)
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      const venue = await api<VenueRecord>(`${base}/venues`, {
        body: { name, nameEn, city, kind, priceCategories: parseCategories(categories) },
      })
      navigate(`/admin/venues/${venue.id}`)
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="stack">
      <h1>{t('navVenues')}</h1>
      {list.error ? <ProblemAlert error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <DataTable
          caption={t('navVenues')}
          rows={list.data.items}
          rowKey={(v) => v.id}
          columns={[
            {
              header: t('name'),
              cell: (v) => <Link href={`/admin/venues/${v.id}`}>{localName(v, locale)}</Link>,
            },
            { header: t('city'), cell: (v) => cityName(v, locale) },
            { header: t('kind'), cell: (v) => t(`venueKind_${v.kind}` as never) },
            { header: t('seats'), cell: (v) => v.seatCount, numeric: true },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newVenue')}</h2>
        <TextInput label={t('name')} value={name} onInput={setName} required name="venue-name" />
        <NameEnInput value={nameEn} onInput={setNameEn} name="venue-name-en" />
        <TextInput label={t('city')} value={city} onInput={setCity} required name="venue-city" />
        <SelectInput
          label={t('kind')}
          value={kind}
          onChange={setKind}
          options={venueKinds.map((k) => ({ value: k, label: t(`venueKind_${k}` as never) }))}
        />
        <div class="field">
          <label for="venue-categories">{t('priceCategories')}</label>
          <textarea
            id="venue-categories"
            rows={3}
            value={categories}
            aria-describedby="venue-categories-hint"
            onInput={(e) => setCategories((e.target as HTMLTextAreaElement).value)}
          />
          <small id="venue-categories-hint" class="muted">
            {t('priceCategoriesHint')}
          </small>
        </div>
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary">
          {t('create')}
        </Button>
      </form>
    </section>
  )
}

function flatten(chart: SeatChartExport): MapSeat[] {
  return chart.sections.flatMap((section) =>
    section.rows.flatMap((row) =>
      row.seats.map((seat) => ({
        id: seat.id,
        label: seat.label ?? `${section.name}-${row.label}-${seat.number}`,
        section: section.name,
        row: row.label,
        category: seat.category,
        x: seat.x,
        y: seat.y,
        accessible: seat.flags?.includes('accessible'),
        companion: seat.flags?.includes('companion'),
        restrictedView: seat.flags?.includes('restricted_view'),
        blocked: seat.flags?.includes('blocked'),
      })),
    ),
  )
}

const flagNames = ['blocked', 'accessible', 'companion', 'restrictedView'] as const

export function VenuePage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const venuePath = `${base}/venues/${encodeURIComponent(id)}`
  const venue = useResource((signal) => api<VenueRecord>(venuePath, { signal }), [venuePath])
  const chart = useResource(
    (signal) => api<SeatChartExport>(`${venuePath}/seat-map`, { signal }),
    [venuePath],
  )
  const [file, setFile] = useState<File | null>(null)
  const [importError, setImportError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [selected, setSelected] = useState<Set<string>>(new Set())
  const [category, setCategory] = useState('')
  const [flag, setFlag] = useState<(typeof flagNames)[number]>('blocked')
  const [editError, setEditError] = useState<unknown>(null)

  const reload = () => {
    venue.reload()
    chart.reload()
  }
  const importChart = async (event: Event) => {
    event.preventDefault()
    if (!file) return
    setImportError(null)
    setNotice('')
    const text = await file.text()
    const csv = file.name.toLowerCase().endsWith('.csv') || file.type === 'text/csv'
    try {
      const result = await api<SeatMapImported>(`${venuePath}/seat-map`, {
        method: 'PUT',
        body: text,
        headers: { 'content-type': csv ? 'text/csv' : 'application/json' },
      })
      setNotice(t('imported', { n: result.seatCount }))
      setSelected(new Set())
      reload()
    } catch (failure) {
      setImportError(failure)
    }
  }
  const edit = async (changes: Record<string, unknown>) => {
    setEditError(null)
    setNotice('')
    try {
      const result = await api<SeatsEdited>(`${venuePath}/seats`, {
        method: 'PATCH',
        body: { seatIds: [...selected], ...changes },
      })
      setNotice(t('seatsUpdated', { n: result.updated }))
      chart.reload()
    } catch (failure) {
      setEditError(failure)
    }
  }

  if (venue.error) return <ProblemAlert error={venue.error} onRetry={venue.reload} />
  if (!venue.data) return <Loading />
  const categories = chart.data?.categories ?? venue.data.priceCategories
  const seats = chart.data ? flatten(chart.data) : []
  return (
    <section class="stack">
      <p>
        <Link href="/admin/venues">← {t('navVenues')}</Link>
      </p>
      <h1>{localName(venue.data, locale)}</h1>
      <p class="muted">
        {cityName(venue.data, locale)} · {t('seatCountIs', { n: venue.data.seatCount })} ·{' '}
        {t('version', { n: venue.data.seatMapVersion })}
      </p>
      {notice && (
        <p class="alert alert-info" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      <form class="card stack" onSubmit={importChart}>
        <h2>{t('importChart')}</h2>
        <p class="muted small">{t('importHint')}</p>
        <div class="field">
          <label for="chart-file">{t('chartFile')}</label>
          <input
            id="chart-file"
            type="file"
            accept=".json,.csv,application/json,text/csv"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0] ?? null)}
          />
        </div>
        <ProblemAlert error={importError} />
        <Button type="submit" variant="primary" disabled={!file}>
          {t('import')}
        </Button>
      </form>
      {chart.data || chart.error ? (
        <VenueNamesForm
          key={`${venue.data.id}:${chart.data?.seatMapVersion ?? ''}`}
          venue={venue.data}
          sectionKeys={chart.data?.sections.map((section) => section.name) ?? []}
          path={venuePath}
          onSaved={venue.reload}
        />
      ) : null}
      <section class="card stack" aria-labelledby="editor-heading">
        <h2 id="editor-heading">{t('seatMap')}</h2>
        {chart.error ? <ProblemAlert error={chart.error} onRetry={chart.reload} /> : null}
        {seats.length === 0 ? (
          <p class="muted">{t('noSeats')}</p>
        ) : (
          <>
            <p class="muted small">{t('selectHint')}</p>
            <SeatMap
              seats={seats}
              categories={categories}
              stage={chart.data?.stage}
              selected={selected}
              onSelect={setSelected}
              title={localName(venue.data, locale)}
              sections={venue.data.sectionNames}
            />
            <div class="seat-edit">
              <SelectInput
                label={t('category')}
                value={category}
                onChange={setCategory}
                options={[
                  { value: '', label: '—' },
                  ...categories.map((c) => ({ value: c.code, label: localName(c, locale) })),
                ]}
              />
              <Button disabled={!category || selected.size === 0} onClick={() => edit({ category })}>
                {t('changeCategory')}
              </Button>
              <SelectInput
                label={t('flag')}
                value={flag}
                onChange={(value) => setFlag(value as (typeof flagNames)[number])}
                options={flagNames.map((name) => ({ value: name, label: t(`flag_${name}`) }))}
              />
              <Button disabled={selected.size === 0} onClick={() => edit({ [flag]: true })}>
                {t('setFlag')}
              </Button>
              <Button disabled={selected.size === 0} onClick={() => edit({ [flag]: false })}>
                {t('clearFlag')}
              </Button>
            </div>
            <ProblemAlert error={editError} />
          </>
        )}
      </section>
    </section>
  )
}
