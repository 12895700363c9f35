import { api } from '../../lib/api.ts'
import { Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { shopMessages } from '../messages.ts'

export function HomePage() {
  const t = shopMessages.useT()
  const shows = useResource(
    (signal) => api<{ items: { id: string; eventName: string }[] }>('/api/shows', { signal }),
    [],
  )
  return (
    <section>
      <h1>{t('homeTitle')}</h1>
      <h2>{t('shows')}</h2>
      {shows.loading && <Loading />}
      <ProblemAlert error={shows.error} onRetry={shows.reload} />
      <ul>
        {shows.data?.items.map((show) => (
          <li key={show.id}>{show.eventName}</li>
        ))}
      </ul>
    </section>
  )
}
