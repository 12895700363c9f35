// The outgoing messages of the organizer (or, for a platform admin, of the whole platform): status, attempts and
// the last error of each, and "send again" for a dead one (worker/routes/admin/messages.ts).
import { useState } from 'preact/hooks'
import type { outgoingMessage } from '../../../worker/routes/contracts/admin/messages.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { SelectInput } from '../form.tsx'
import { outboxMessages } from '../outbox-messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

type OutgoingMessage = import('valibot').InferOutput<typeof outgoingMessage>
const statuses = ['pending', 'sending', 'retrying', 'sent', 'dead'] as const
type Key = Parameters<ReturnType<typeof outboxMessages.useT>>[0]

export function MessagesPage() {
  const t = outboxMessages.useT()
  const locale = useLocale()
  const { base, me } = useSession()
  const [scope, setScope] = useState<'organizer' | 'platform'>('organizer')
  const [status, setStatus] = useState('')
  const [notice, setNotice] = useState<string | null>(null)
  const [error, setError] = useState<unknown>(null)
  const path = scope === 'platform' ? '/api/admin/messages' : `${base}/messages`
  const list = useResource(
    (signal) =>
      api<PageOf<OutgoingMessage>>(path, {
        signal,
        query: { limit: 200, ...(status ? { status } : {}) },
      }),
    [path, status],
  )
  const retry = async (message: OutgoingMessage) => {
    setError(null)
    setNotice(null)
    try {
      const retryPath =
        scope === 'platform'
          ? `/api/admin/messages/${message.id}/retry`
          : `${base}/messages/${message.id}/retry`
      await api(retryPath, { method: 'POST', body: {} })
      setNotice(t('retried'))
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const kindLabel = (kind: string) => t(`kind_${kind}` as Key) ?? kind
  return (
    <section class="stack">
      <h1>{t('heading')}</h1>
      <p class="muted">{t('hint')}</p>
      <div class="attendee-tools">
        {me.platformAdmin && (
          <SelectInput
            label={t('scope')}
            name="message-scope"
            value={scope}
            onChange={(value) => setScope(value === 'platform' ? 'platform' : 'organizer')}
            options={[
              { value: 'organizer', label: t('scopeOrganizer') },
              { value: 'platform', label: t('scopePlatform') },
            ]}
          />
        )}
        <SelectInput
          label={t('status')}
          name="message-status"
          value={status}
          onChange={setStatus}
          options={[
            { value: '', label: t('statusAll') },
            ...statuses.map((s) => ({ value: s, label: t(`status_${s}`) })),
          ]}
        />
      </div>
      {notice && (
        <p role="status" class="notice">
          {notice}
        </p>
      )}
      <ProblemAlert error={error ?? list.error} />
      {!list.data && !list.error && <Loading />}
      {list.data && (
        <DataTable
          caption={t('heading')}
          rows={list.data.items}
          rowKey={(m) => m.id}
          columns={[
            { header: t('created'), cell: (m) => formatDateTime(m.createdAt, locale) },
            { header: t('to'), cell: (m) => m.to },
            { header: t('kind'), cell: (m) => kindLabel(m.kind) },
            { header: t('channel'), cell: (m) => (m.channel ? t(`channel_${m.channel}`) : '—') },
            {
              header: t('status'),
              cell: (m) => (
                <span class={`badge ${m.status === 'sent' ? 'badge-ok' : ''}`} data-status={m.status}>
                  {t(`status_${m.status}`)}
                  {m.nextAttemptAt && m.status === 'retrying'
                    ? ` · ${t('nextAttempt', { when: formatDateTime(m.nextAttemptAt, locale) })}`
                    : ''}
                </span>
              ),
            },
            { header: t('attempts'), cell: (m) => m.attempts, numeric: true },
            { header: t('lastError'), cell: (m) => m.lastError ?? '—' },
            {
              header: t('retry'),
              cell: (m) =>
                m.retryable ? (
                  <Button onClick={() => retry(m)} aria-label={`${t('retry')}: ${m.to}`}>
                    {t('retry')}
                  </Button>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      )}
    </section>
  )
}
