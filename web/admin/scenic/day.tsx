// One visit date's quotas per channel and the next two weeks' prices (the Daily quotas and Prices tabs).
import { useState } from 'preact/hooks'
import type {
  ScenicSiteRecord,
  SiteDayInventory,
} from '../../../worker/routes/contracts/admin/scenic-sites.ts'
import type { SiteCalendar } from '../../../worker/routes/contracts/scenic.ts'
import { api } from '../../lib/api.ts'
import { formatDay, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { useChannelNames } from '../channels.ts'
import { chinaDay, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable } from '../table.tsx'
import { WaitingRoomPanel } from '../waiting-room.tsx'
import { waitingRoomMessages } from '../waiting-room-messages.ts'

export function DayControls({ site }: { site: ScenicSiteRecord }) {
  const t = adminMessages.useT()
  const w = waitingRoomMessages.useT()
  const locale = useLocale()
  const channelName = useChannelNames()
  const { base } = useSession()
  const [date, setDate] = useState(chinaDay(1))
  const dayPath = `${base}/scenic-sites/${site.id}/days/${date}`
  const day = useResource((signal) => api<SiteDayInventory>(`${dayPath}/inventory`, { signal }), [dayPath])
  const [quotas, setQuotas] = useState<Record<string, string>>({})
  const [newChannel, setNewChannel] = useState('')
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const current = {
    ...Object.fromEntries(Object.entries(day.data?.channels ?? {}).map(([c, q]) => [c, String(q.quota)])),
    ...quotas,
  }
  const save = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setNotice('')
    const next = { ...current, ...(newChannel ? { [newChannel]: current[newChannel] ?? '0' } : {}) }
    try {
      await api(`${dayPath}/quotas`, {
        method: 'PUT',
        body: { quotas: Object.fromEntries(Object.entries(next).map(([c, q]) => [c, Number(q)])) },
      })
      setNotice(t('saved'))
      setQuotas({})
      setNewChannel('')
      day.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <>
      <section class="card stack" aria-labelledby="day-heading">
        <h2 id="day-heading">{t('dayQuotas')}</h2>
        <TextInput label={t('visitDate')} type="date" value={date} onInput={(v) => v && setDate(v)} />
        {day.error ? <ProblemAlert error={day.error} onRetry={day.reload} /> : null}
        {day.data && (
          <>
            <p>{t('dayRemaining', { remaining: day.data.remaining, capacity: day.data.capacity })}</p>
            <DataTable
              caption={t('timeSlots')}
              rows={day.data.slots}
              rowKey={(s) => s.code}
              columns={[
                { header: t('slot'), cell: (s) => `${s.start}–${s.end}` },
                { header: t('capacity'), cell: (s) => s.capacity, numeric: true },
                { header: t('remaining'), cell: (s) => s.remaining, numeric: true },
              ]}
            />
            <form class="stack" onSubmit={save}>
              <fieldset class="stack">
                <legend>{t('channelQuotas')}</legend>
                {Object.keys(current).map((code) => (
                  <TextInput
                    key={code}
                    label={`${channelName(code)} (${t('remaining')}: ${day.data?.channels[code]?.remaining ?? '—'})`}
                    type="number"
                    min="0"
                    inputMode="numeric"
                    value={current[code] ?? ''}
                    onInput={(v) => setQuotas({ ...quotas, [code]: v })}
                  />
                ))}
                <TextInput label={t('addChannelCode')} value={newChannel} onInput={setNewChannel} />
              </fieldset>
              <ProblemAlert error={error} />
              {notice && (
                <p role="status" class="alert alert-info">
                  {notice}
                </p>
              )}
              <Button type="submit" variant="primary">
                {t('saveQuotas')}
              </Button>
            </form>
          </>
        )}
      </section>
      <WaitingRoomPanel
        key={date}
        heading={w('forDay', { date: formatDay(date, locale) })}
        settingsPath={`${dayPath}/waiting-room`}
      />
    </>
  )
}

export function PriceCalendar({ site }: { site: ScenicSiteRecord }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { organizer } = useSession()
  const from = chinaDay(0)
  const to = chinaDay(13)
  const calendar = useResource(
    (signal) =>
      api<SiteCalendar>(`/api/scenic-sites/${site.id}/calendar`, {
        signal,
        query: { from, to },
      }),
    [site.id],
  )
  const products = calendar.data?.days[0]?.products ?? []
  return (
    <section class="card stack" aria-labelledby="calendar-heading">
      <h2 id="calendar-heading">{t('priceCalendar')}</h2>
      {calendar.error ? <p class="muted">{t('calendarUnavailable')}</p> : null}
      {calendar.data && (
        <DataTable
          caption={t('priceCalendar')}
          rows={calendar.data.days}
          rowKey={(d) => d.date}
          columns={[
            { header: t('date'), cell: (d) => formatDay(d.date, locale) },
            { header: t('remaining'), cell: (d) => (d.onSale ? d.remaining : t('notOnSale')), numeric: true },
            ...products.map((p) => ({
              header: p.name,
              cell: (d: SiteCalendar['days'][number]) => {
                const product = d.products.find((x) => x.id === p.id)
                return product
                  ? `${formatMoney(product.price, organizer.currency, locale)} (${product.remaining})`
                  : '—'
              },
              numeric: true,
            })),
          ]}
        />
      )}
    </section>
  )
}
