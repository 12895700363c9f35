// Group-buy (团购) campaigns: which shows, the group price per category, group sizes and lifetime, and status.
import { useState } from 'preact/hooks'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type { GroupBuyCampaignRecord } from '../../../worker/routes/contracts/admin/group-buy-campaigns.ts'
import type { ShowRecord } from '../../../worker/routes/contracts/admin/shows.ts'
import type { VenueRecord } from '../../../worker/routes/contracts/admin/venues.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { categoryName, localName } from '../../lib/labels.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { CheckboxInput, NameEnInput, TextInput, yuanToFen } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

const statuses = ['active', 'paused', 'ended'] as const

export function GroupBuysPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const list = useResource(
    (signal) =>
      api<PageOf<GroupBuyCampaignRecord>>(`${base}/group-buy-campaigns`, { signal, query: { limit: 200 } }),
    [base],
  )
  const shows = useResource(
    (signal) =>
      api<PageOf<ShowRecord>>(`${base}/shows`, {
        signal,
        query: { limit: 200, from: new Date().toISOString() },
      }),
    [base],
  )
  const events = useResource(
    (signal) => api<PageOf<EventRecord>>(`${base}/events`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [name, setName] = useState('')
  const [nameEn, setNameEn] = useState('')
  const [showIds, setShowIds] = useState<Set<string>>(new Set())
  const [prices, setPrices] = useState<Record<string, string>>({})
  const [minSize, setMinSize] = useState('3')
  const [maxSize, setMaxSize] = useState('10')
  const [hours, setHours] = useState('24')
  const [perBuyer, setPerBuyer] = useState('4')
  const [autoComplete, setAutoComplete] = useState(false)
  const [error, setError] = useState<unknown>(null)
  const venues = useResource(
    (signal) => api<PageOf<VenueRecord>>(`${base}/venues`, { signal, query: { limit: 200 } }),
    [base],
  )
  const eventName = (id: string) => events.data?.items.find((e) => e.id === id)?.name ?? t('event')
  // A price zone by the name its venue gives it: the venues of the given shows, else any venue's.
  const zoneName = (code: string, showIds: readonly string[]) => {
    const venueIds = new Set(
      (shows.data?.items ?? []).filter((s) => showIds.includes(s.id)).map((s) => s.venueId),
    )
    const all = venues.data?.items ?? []
    const near = all.filter((venue) => venueIds.has(venue.id))
    return categoryName(
      code,
      (near.length > 0 ? near : all).flatMap((venue) => venue.priceCategories),
      locale,
    )
  }
  const chosen = (shows.data?.items ?? []).filter((s) => showIds.has(s.id))
  // Categories every chosen show prices; a group price must not exceed any show's regular price.
  const categories = [...new Set(chosen.flatMap((s) => Object.keys(s.prices)))]
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      await api(`${base}/group-buy-campaigns`, {
        body: {
          name,
          nameEn,
          showIds: [...showIds],
          groupPrices: Object.fromEntries(
            categories.filter((c) => prices[c]).map((c) => [c, yuanToFen(prices[c]!)]),
          ),
          minSize: Number(minSize),
          maxSize: Number(maxSize),
          lifetimeMinutes: Math.round(Number(hours) * 60),
          perBuyerLimit: Number(perBuyer),
          autoComplete,
        },
      })
      setName('')
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const setStatus = async (campaign: GroupBuyCampaignRecord, status: string) => {
    setError(null)
    try {
      await api(`${base}/group-buy-campaigns/${campaign.id}`, { method: 'PATCH', body: { status } })
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="stack">
      <h1>{t('navGroupBuys')}</h1>
      <ProblemAlert error={list.error} />
      {list.data ? (
        <DataTable
          caption={t('navGroupBuys')}
          rows={list.data.items}
          rowKey={(c) => c.id}
          columns={[
            { header: t('name'), cell: (c) => localName(c, locale) },
            { header: t('shows'), cell: (c) => c.showIds.length, numeric: true },
            {
              header: t('groupPrices'),
              cell: (c) =>
                Object.entries(c.groupPrices)
                  .map(
                    ([code, fen]) =>
                      `${zoneName(code, c.showIds)} ${formatMoney(fen, organizer.currency, locale)}`,
                  )
                  .join(' · '),
            },
            { header: t('groupSize'), cell: (c) => `${c.minSize}–${c.maxSize}` },
            {
              header: t('status'),
              cell: (c) => (
                <select
                  aria-label={`${t('status')} ${localName(c, locale)}`}
                  value={c.status}
                  onChange={(e) => setStatus(c, (e.target as HTMLSelectElement).value)}
                >
                  {statuses.map((s) => (
                    <option key={s} value={s}>
                      {t(`campaign_${s}`)}
                    </option>
                  ))}
                </select>
              ),
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newCampaign')}</h2>
        <TextInput label={t('name')} value={name} onInput={setName} required name="campaign-name" />
        <NameEnInput value={nameEn} onInput={setNameEn} name="campaign-name-en" />
        <fieldset class="stack">
          <legend>{t('shows')}</legend>
          {(shows.data?.items ?? []).length === 0 && <p class="muted">{t('empty')}</p>}
          {(shows.data?.items ?? []).map((show) => (
            <CheckboxInput
              key={show.id}
              label={`${eventName(show.eventId)} · ${formatDateTime(show.startsAt, locale)}`}
              checked={showIds.has(show.id)}
              onChange={(checked) => {
                const next = new Set(showIds)
                if (checked) next.add(show.id)
                else next.delete(show.id)
                setShowIds(next)
              }}
            />
          ))}
        </fieldset>
        {categories.length > 0 && (
          <fieldset class="stack">
            <legend>{t('groupPricesYuan')}</legend>
            {categories.map((code) => (
              <TextInput
                key={code}
                label={zoneName(code, [...showIds])}
                type="number"
                step="0.01"
                min="0"
                inputMode="decimal"
                value={prices[code] ?? ''}
                onInput={(value) => setPrices({ ...prices, [code]: value })}
              />
            ))}
          </fieldset>
        )}
        <TextInput
          label={t('minSize')}
          type="number"
          min="2"
          value={minSize}
          onInput={setMinSize}
          inputMode="numeric"
        />
        <TextInput
          label={t('maxSize')}
          type="number"
          min="2"
          value={maxSize}
          onInput={setMaxSize}
          inputMode="numeric"
        />
        <TextInput
          label={t('lifetimeHours')}
          type="number"
          min="1"
          value={hours}
          onInput={setHours}
          inputMode="numeric"
        />
        <TextInput
          label={t('maxPerBuyer')}
          type="number"
          min="1"
          value={perBuyer}
          onInput={setPerBuyer}
          inputMode="numeric"
        />
        <CheckboxInput label={t('autoComplete')} checked={autoComplete} onChange={setAutoComplete} />
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary" disabled={showIds.size === 0}>
          {t('create')}
        </Button>
      </form>
    </section>
  )
}
