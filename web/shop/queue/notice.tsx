// On the show page and the scenic day: the sale goes through a waiting room. Before opening it says when and
// invites the buyer in (everyone there gets a random place at opening); while open, it sends them to queue; once
// their turn came (a pass kept for this tab), it says until when they may hold.

import type { DayDetail } from '../../../worker/routes/contracts/scenic.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { useResource } from '../../lib/ui.tsx'
import { keptPass, type OnSale, queuePagePath } from './admission.ts'
import { queueMessages } from './messages.ts'
import type { WaitingRoomSummary } from './types.ts'

export function WaitingRoomNotice(props: { sale: OnSale; waitingRoom: WaitingRoomSummary | undefined }) {
  const t = queueMessages.useT()
  const locale = useLocale()
  const room = props.waitingRoom
  if (!room || (room.state !== 'before_open' && room.state !== 'open')) return null
  const pass = keptPass(props.sale)
  if (pass)
    return (
      <p class="alert alert-info" role="status" data-testid="queue-turn">
        {t('noticeTurn', { time: formatTime(pass.expiresAt, locale) })}
      </p>
    )
  return (
    <section
      class="card stack-tight queue-notice"
      aria-labelledby="queue-notice-heading"
      data-testid="queue-notice"
    >
      <h2 id="queue-notice-heading">{t('noticeTitle')}</h2>
      <p>
        {room.state === 'before_open'
          ? t('noticeBefore', { when: formatDateTime(room.opensAt, locale) })
          : t('noticeOpen')}
      </p>
      <p>
        <Link class="button button-primary" href={queuePagePath(props.sale)} data-testid="queue-notice-go">
          {t('noticeGo')}
        </Link>
      </p>
    </section>
  )
}

/** The scenic day's notice: the day's own answer says whether its sale goes through a waiting room. */
export function DayWaitingRoomNotice(props: { siteId: string; date: string }) {
  const day = useResource(
    (signal) =>
      api<DayDetail>(`/api/scenic-sites/${encodeURIComponent(props.siteId)}/days/${props.date}`, { signal }),
    [props.siteId, props.date],
  )
  return (
    <WaitingRoomNotice
      sale={{ kind: 'day', siteId: props.siteId, date: props.date }}
      waitingRoom={day.data?.waitingRoom}
    />
  )
}
