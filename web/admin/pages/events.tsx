import { useEffect, useState } from 'preact/hooks'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type { ShowRecord } from '../../../worker/routes/contracts/admin/shows.ts'
import type { VenueRecord } from '../../../worker/routes/contracts/admin/venues.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { categoryName } from '../../lib/labels.ts'
import { Link, navigate } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import {
  CheckboxInput,
  fenToYuan,
  isoToLocal,
  localToIso,
  NameEnInput,
  SelectInput,
  TextInput,
  yuanToFen,
} from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { PosterField } from '../poster-field.tsx'
import { RefundCompensationField } from '../refund-compensation-field.tsx'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

export type { EventRecord, ShowRecord }

const eventKinds = ['concert', 'theatre', 'film', 'sport', 'exhibition', 'other']
const eventStatuses = ['draft', 'published', 'cancelled']

function EventForm(props: { initial?: EventRecord; onSaved: (event: EventRecord) => void }) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const [name, setName] = useState(props.initial?.name ?? '')
  const [nameEn, setNameEn] = useState(props.initial?.nameEn ?? '')
  const [kind, setKind] = useState<string>(props.initial?.kind ?? 'concert')
  const [status, setStatus] = useState<string>(props.initial?.status ?? 'draft')
  const [realName, setRealName] = useState(props.initial?.realNameRequired ?? false)
  const [rotating, setRotating] = useState(props.initial?.rotatingCode ?? false)
  const [max, setMax] = useState(String(props.initial?.maxTicketsPerBuyer ?? 6))
  const [error, setError] = useState<unknown>(null)
  const [saved, setSaved] = useState(false)
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setSaved(false)
    const body = {
      name,
      nameEn,
      kind,
      status,
      realNameRequired: realName,
      rotatingCode: rotating,
      maxTicketsPerBuyer: Number(max),
    }
    try {
      const result = props.initial
        ? await api<EventRecord>(`${base}/events/${props.initial.id}`, { method: 'PATCH', body })
        : await api<EventRecord>(`${base}/events`, { body })
      setSaved(true)
      props.onSaved(result)
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit}>
      <h2>{props.initial ? t('editEvent') : t('newEvent')}</h2>
      <TextInput label={t('name')} value={name} onInput={setName} required name="event-name" />
      <NameEnInput value={nameEn} onInput={setNameEn} name="event-name-en" />
      <SelectInput
        label={t('kind')}
        value={kind}
        onChange={setKind}
        options={eventKinds.map((k) => ({ value: k, label: t(`eventKind_${k}` as never) }))}
      />
      <SelectInput
        label={t('status')}
        value={status}
        onChange={setStatus}
        name="event-status"
        options={eventStatuses.map((s) => ({ value: s, label: t(`status_${s}` as never) }))}
      />
      <TextInput
        label={t('maxPerBuyer')}
        type="number"
        min="1"
        value={max}
        onInput={setMax}
        inputMode="numeric"
      />
      <CheckboxInput label={t('realNameRequired')} checked={realName} onChange={setRealName} />
      <CheckboxInput label={t('rotatingCode')} checked={rotating} onChange={setRotating} />
      <ProblemAlert error={error} />
      {saved && props.initial && (
        <p role="status" class="alert alert-info">
          {t('saved')}
        </p>
      )}
      <Button type="submit" variant="primary">
        {props.initial ? t('save') : t('create')}
      </Button>
    </form>
  )
}

export function EventsPage() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<EventRecord>>(`${base}/events`, { signal, query: { limit: 200 } }),
    [base],
  )
  return (
    <section class="stack">
      <h1>{t('navEvents')}</h1>
      {list.error ? <ProblemAlert error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <DataTable
          caption={t('navEvents')}
          rows={list.data.items}
          rowKey={(e) => e.id}
          columns={[
            { header: t('name'), cell: (e) => <Link href={`/admin/events/${e.id}`}>{e.name}</Link> },
            { header: t('kind'), cell: (e) => t(`eventKind_${e.kind}` as never) },
            {
              header: t('status'),
              cell: (e) => <span class="badge">{t(`status_${e.status}` as never)}</span>,
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <EventForm onSaved={(event) => navigate(`/admin/events/${event.id}`)} />
    </section>
  )
}

export function ShowForm(props: {
  eventId: string
  initial?: ShowRecord
  onSaved: (show: ShowRecord) => void
}) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const venues = useResource(
    (signal) => api<PageOf<VenueRecord>>(`${base}/venues`, { signal, query: { limit: 200 } }),
    [base],
  )
  const initial = props.initial
  const [venueId, setVenueId] = useState(initial?.venueId ?? '')
  const [startsAt, setStartsAt] = useState(isoToLocal(initial?.startsAt))
  const [saleStartsAt, setSaleStartsAt] = useState(isoToLocal(initial?.saleStartsAt))
  const [saleEndsAt, setSaleEndsAt] = useState(isoToLocal(initial?.saleEndsAt))
  const [holdMinutes, setHoldMinutes] = useState(String(initial?.holdMinutes ?? 15))
  const [signInToHold, setSignInToHold] = useState(initial?.signInToHold ?? false)
  const [prices, setPrices] = useState<Record<string, string>>(
    Object.fromEntries(Object.entries(initial?.prices ?? {}).map(([code, fen]) => [code, fenToYuan(fen)])),
  )
  const [saved, setSaved] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const venue = venues.data?.items.find((v) => v.id === venueId)
  useEffect(() => {
    if (!venueId && venues.data?.items[0]) setVenueId(venues.data.items[0].id)
  }, [venues.data])
  const submit = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setSaved(false)
    try {
      const show = await api<ShowRecord>(initial ? `${base}/shows/${initial.id}` : `${base}/shows`, {
        method: initial ? 'PATCH' : 'POST',
        body: {
          eventId: props.eventId,
          venueId,
          startsAt: localToIso(startsAt),
          saleStartsAt: localToIso(saleStartsAt),
          saleEndsAt: localToIso(saleEndsAt),
          holdMinutes: Number(holdMinutes),
          signInToHold,
          prices: Object.fromEntries(
            (venue?.priceCategories ?? [])
              .filter((c) => prices[c.code])
              .map((c) => [c.code, yuanToFen(prices[c.code]!)]),
          ),
        },
      })
      setSaved(true)
      props.onSaved(show)
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <form class="card stack" onSubmit={submit}>
      <h2>{initial ? t('editShow') : t('newShow')}</h2>
      <SelectInput
        label={t('venue')}
        value={venueId}
        onChange={setVenueId}
        name="show-venue"
        options={(venues.data?.items ?? []).map((v) => ({
          value: v.id,
          label: `${v.name} (${v.seatCount})`,
        }))}
      />
      <TextInput
        label={t('startsAt')}
        type="datetime-local"
        value={startsAt}
        onInput={setStartsAt}
        required
        name="show-starts"
      />
      <TextInput
        label={t('saleStartsAt')}
        type="datetime-local"
        value={saleStartsAt}
        onInput={setSaleStartsAt}
        required
        name="show-sale-starts"
      />
      <TextInput
        label={t('saleEndsAt')}
        type="datetime-local"
        value={saleEndsAt}
        onInput={setSaleEndsAt}
        required
        name="show-sale-ends"
      />
      <TextInput
        label={t('holdMinutes')}
        type="number"
        min="1"
        value={holdMinutes}
        onInput={setHoldMinutes}
        inputMode="numeric"
      />
      <div>
        <CheckboxInput label={t('signInToHold')} checked={signInToHold} onChange={setSignInToHold} />
        <p class="muted small">{t('signInToHoldHint')}</p>
      </div>
      <fieldset class="stack">
        <legend>{t('pricesYuan')}</legend>
        {(venue?.priceCategories ?? []).map((category) => (
          <TextInput
            key={category.code}
            label={category.name}
            name={`price-${category.code}`}
            type="number"
            step="0.01"
            min="0"
            inputMode="decimal"
            value={prices[category.code] ?? ''}
            onInput={(value) => setPrices({ ...prices, [category.code]: value })}
          />
        ))}
      </fieldset>
      <ProblemAlert error={error} />
      {saved && initial && (
        <p role="status" class="alert alert-info">
          {t('saved')}
        </p>
      )}
      <Button type="submit" variant="primary" disabled={!venueId}>
        {initial ? t('save') : t('createShow')}
      </Button>
    </form>
  )
}

export function EventPage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const event = useResource(
    (signal) => api<EventRecord>(`${base}/events/${encodeURIComponent(id)}`, { signal }),
    [base, id],
  )
  const shows = useResource(
    (signal) => api<PageOf<ShowRecord>>(`${base}/shows`, { signal, query: { eventId: id, limit: 200 } }),
    [base, id],
  )
  // Price zones by name, never by code: the venues' categories name each show's prices.
  const venues = useResource(
    (signal) => api<PageOf<VenueRecord>>(`${base}/venues`, { signal, query: { limit: 200 } }),
    [base],
  )
  const zoneName = (venueId: string, code: string) =>
    categoryName(code, venues.data?.items.find((v) => v.id === venueId)?.priceCategories ?? [], locale)
  if (event.error) return <ProblemAlert error={event.error} onRetry={event.reload} />
  if (!event.data) return <Loading />
  return (
    <section class="stack">
      <p>
        <Link href="/admin/events">← {t('navEvents')}</Link>
      </p>
      <h1>{event.data.name}</h1>
      <section class="stack" aria-labelledby="shows-heading">
        <h2 id="shows-heading">{t('shows')}</h2>
        {shows.error ? <ProblemAlert error={shows.error} onRetry={shows.reload} /> : null}
        {shows.data ? (
          <DataTable
            caption={t('shows')}
            rows={shows.data.items}
            rowKey={(s) => s.id}
            columns={[
              {
                header: t('startsAt'),
                cell: (s) => <Link href={`/admin/shows/${s.id}`}>{formatDateTime(s.startsAt, locale)}</Link>,
              },
              {
                header: t('saleWindow'),
                cell: (s) =>
                  `${formatDateTime(s.saleStartsAt, locale)} – ${formatDateTime(s.saleEndsAt, locale)}`,
              },
              {
                header: t('prices'),
                cell: (s) =>
                  Object.entries(s.prices)
                    .map(
                      ([code, fen]) =>
                        `${zoneName(s.venueId, code)} ${formatMoney(fen, organizer.currency, locale)}`,
                    )
                    .join(' · '),
              },
              {
                header: t('status'),
                cell: (s) => <span class="badge">{t(`status_${s.status}` as never)}</span>,
              },
            ]}
          />
        ) : (
          !shows.error && <Loading />
        )}
      </section>
      <ShowForm eventId={id} onSaved={(show) => navigate(`/admin/shows/${show.id}`)} />
      <EventForm key={event.data.id} initial={event.data} onSaved={() => event.reload()} />
      <PosterField
        key={`poster-${event.data.id}`}
        path={`${base}/events/${event.data.id}/poster`}
        poster={event.data.poster}
      />
      <RefundCompensationField path={`${base}/events/${event.data.id}/refund-compensation`} />
    </section>
  )
}
