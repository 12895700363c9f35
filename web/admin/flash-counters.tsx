// Flash sales' live counters for the organizer: sold of units, units left and whether the sale is open, from
// the public show answer (what buyers see), polled every few seconds while the tab is visible. The show's
// actor answers it from memory, so polling costs one small read per console tab.
import { useEffect, useState } from 'preact/hooks'
import type { ShowDetail } from '../../worker/routes/contracts/shows.ts'
import { api } from '../lib/api.ts'
import { useNow } from '../lib/ui.tsx'
import { adminMessages } from './messages.ts'

const POLL_MS = 3000

/**
 * The public show, fetched again every POLL_MS (and at once when `refresh` changes) while `enabled` (the show has
 * flash sales); `show` is null when the show is not public.
 */
export function useLiveShow(showId: string, refresh: unknown, enabled = true) {
  const [state, setState] = useState<{ show: ShowDetail | null; at: number } | null>(null)
  useEffect(() => {
    if (!enabled) return
    let stopped = false
    let timer: ReturnType<typeof setTimeout> | undefined
    const load = async () => {
      if (document.visibilityState === 'visible') {
        const show = await api<ShowDetail>(`/api/shows/${encodeURIComponent(showId)}`).catch(() => null)
        if (stopped) return
        setState({ show, at: Date.now() })
      }
      timer = setTimeout(load, POLL_MS)
    }
    void load()
    return () => {
      stopped = true
      clearTimeout(timer)
    }
  }, [showId, refresh, enabled])
  return state
}

type Flash = ShowDetail['flashSales'][number]

/** Where a flash sale stands now by the clock (the answer may be a few seconds old) and its units. */
export function flashState(sale: Flash, now: number) {
  if (now < Date.parse(sale.startsAt)) return 'upcoming'
  if (now >= Date.parse(sale.endsAt)) return 'ended'
  return sale.unitsLeft === 0 ? 'soldOut' : 'active'
}

export function FlashCounters(props: {
  live: { show: ShowDetail | null; at: number } | null
  categoryName: (code: string) => string
}) {
  const t = adminMessages.useT()
  const now = useNow(1000)
  const sales = props.live?.show?.flashSales ?? []
  if (props.live && !props.live.show) return <p class="muted small">{t('flash_notPublic')}</p>
  if (sales.length === 0) return null
  return (
    <section class="card stack-tight" aria-labelledby="flash-live-heading" data-testid="flash-counters">
      <h2 id="flash-live-heading">{t('flash_live')}</h2>
      <ul class="plain-list stack-tight">
        {sales.map((sale) => {
          const sold = sale.units - sale.unitsLeft
          const state = flashState(sale, now)
          return (
            <li key={sale.id} class="stack-tight" data-testid="flash-counter" data-flash={sale.id}>
              <div class="row">
                <strong>{sale.label}</strong>
                <span class="muted">{props.categoryName(sale.category)}</span>
                <span class="badge" data-testid="flash-state" data-state={state}>
                  {t(`flash_state_${state}`)}
                </span>
              </div>
              <progress
                max={sale.units}
                value={sold}
                aria-label={t('flash_sold', { sold, units: sale.units })}
              />
              <p class="small">
                <span data-testid="flash-sold">{t('flash_sold', { sold, units: sale.units })}</span> ·{' '}
                <span data-testid="flash-left">{t('flash_left', { left: sale.unitsLeft })}</span>
              </p>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
