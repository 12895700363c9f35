// The door list of a show: every ticket with seat, holder and contact, whether a gate admitted it, and the
// admitted count against the valid tickets (what pretix shows as its check-in list).
import { useState } from 'preact/hooks'
import type { Attendee, AttendeeList } from '../../../worker/routes/contracts/admin/orders.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName, seatName } from '../../lib/labels.ts'
import { Link } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { DataTable } from '../table.tsx'

const pageSize = 100

export function AttendeeSection({ showPath }: { showPath: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const list = useResource((signal) => api<AttendeeList>(`${showPath}/attendees`, { signal }), [showPath])
  const [filter, setFilter] = useState('')
  const [shown, setShown] = useState(pageSize)
  const needle = filter.trim().toLowerCase()
  // The seat as people read it (池座 A排12座 / Stalls, row A, seat 12), else its label.
  const seatText = (a: Attendee) => (a.place ? seatName(a.place, locale, { section: true }) : a.seat)
  const rows = (list.data?.items ?? []).filter(
    (a) =>
      !needle ||
      [seatText(a), a.seat, a.holder, a.contact, a.orderNumber].some((v) =>
        v?.toLowerCase().includes(needle),
      ),
  )
  return (
    <section class="card stack" aria-labelledby="attendees-heading">
      <h2 id="attendees-heading">{t('attendees')}</h2>
      {list.error ? <ProblemAlert error={list.error} onRetry={list.reload} /> : null}
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <>
          <p class="admitted-count" data-testid="admitted-count">
            {t('admittedOf', { admitted: list.data.admitted, valid: list.data.valid })}
          </p>
          <div class="attendee-tools">
            <TextInput
              label={t('attendeeFilter')}
              value={filter}
              onInput={setFilter}
              name="attendee-filter"
            />
            <Button onClick={list.reload}>{t('refresh')}</Button>
          </div>
          <DataTable
            caption={t('attendees')}
            rows={rows.slice(0, shown)}
            rowKey={(a) => a.ticketId}
            columns={[
              { header: t('seat'), cell: (a) => seatText(a) ?? '—' },
              {
                header: t('category'),
                cell: (a) =>
                  a.category ? localName({ name: a.category, nameEn: a.categoryEn }, locale) : '—',
              },
              { header: t('holder'), cell: (a) => a.holder ?? '—' },
              { header: t('contact'), cell: (a) => a.contact ?? '—' },
              {
                header: t('orderNumber'),
                cell: (a) => <Link href={`/admin/orders/${a.orderId}`}>{a.orderNumber}</Link>,
              },
              {
                header: t('checkIn'),
                cell: (a) =>
                  a.status === 'revoked' ? (
                    <span class="badge">{t('ticket_revoked')}</span>
                  ) : a.admittedAt ? (
                    <span class="badge badge-ok">
                      {t('admittedAt', { when: formatDateTime(a.admittedAt, locale) })}
                    </span>
                  ) : (
                    <span class="muted">{t('notAdmitted')}</span>
                  ),
              },
            ]}
          />
          {rows.length > shown && (
            <Button onClick={() => setShown(shown + pageSize)}>
              {t('showMore', { n: rows.length - shown })}
            </Button>
          )}
        </>
      )}
    </section>
  )
}
