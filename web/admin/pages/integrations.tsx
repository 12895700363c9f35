// OTA partners (their signing secret is shown once, at creation or rotation) and webhook endpoints with
// their deliveries (each attempt, replay on demand).
import { useState } from 'preact/hooks'
import type { Partner, PartnerCredentials } from '../../../worker/routes/contracts/admin/partners.ts'
import type { SalesChannelRecord } from '../../../worker/routes/contracts/admin/sales-channels.ts'
import type {
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEndpointWithSecret,
} from '../../../worker/routes/contracts/admin/webhook-endpoints.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { CheckboxInput, SelectInput, TextInput } from '../form.tsx'
import { disabledText } from '../labels.ts'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

/** A secret the server shows only once: the page keeps it on screen until dismissed. */
function SecretOnce({
  title,
  values,
  onDone,
}: {
  title: string
  values: [string, string][]
  onDone: () => void
}) {
  const t = adminMessages.useT()
  return (
    <div class="alert alert-info" role="status" data-testid="secret-once">
      <strong>{title}</strong>
      <p>{t('secretOnceHint')}</p>
      <dl class="secret-list">
        {values.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>
              <code>{value}</code>
            </dd>
          </div>
        ))}
      </dl>
      <Button onClick={onDone}>{t('secretStored')}</Button>
    </div>
  )
}

export function PartnersPage() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<Partner>>(`${base}/partners`, { signal, query: { limit: 200 } }),
    [base],
  )
  const channels = useResource(
    (signal) =>
      api<PageOf<SalesChannelRecord>>(`${base}/sales-channels`, {
        signal,
        query: { limit: 200 },
      }),
    [base],
  )
  const [name, setName] = useState('')
  const [channel, setChannel] = useState('')
  const [secret, setSecret] = useState<PartnerCredentials | null>(null)
  const [error, setError] = useState<unknown>(null)
  const run = async (call: () => Promise<void>) => {
    setError(null)
    try {
      await call()
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const create = (event: Event) => {
    event.preventDefault()
    run(async () => {
      // The select shows what is sent: nothing is picked for the organizer behind a blank select.
      setSecret(
        await api<PartnerCredentials>(`${base}/partners`, {
          body: { name, salesChannelCode: channel },
        }),
      )
      setName('')
    })
  }
  return (
    <section class="stack">
      <h1>{t('navPartners')}</h1>
      {secret && (
        <SecretOnce
          title={t('partnerCreated', { name: secret.name })}
          values={[
            [t('keyId'), secret.keyId],
            [t('signingSecret'), secret.secret],
          ]}
          onDone={() => setSecret(null)}
        />
      )}
      <ProblemAlert error={error ?? list.error} />
      {list.data ? (
        <DataTable
          caption={t('navPartners')}
          rows={list.data.items}
          rowKey={(p) => p.id}
          columns={[
            { header: t('name'), cell: (p) => p.name },
            {
              header: t('channel'),
              cell: (p) => channels.data?.items.find((c) => c.code === p.channel)?.name ?? p.channel,
            },
            { header: t('keyId'), cell: (p) => <code>{p.keyId}</code> },
            { header: t('status'), cell: (p) => t(p.status === 'active' ? 'active' : 'disabledState') },
            {
              header: t('actions'),
              cell: (p) => (
                <div class="row">
                  <Button
                    aria-label={`${t('rotateSecret')} ${p.name}`}
                    onClick={() =>
                      run(async () =>
                        setSecret(
                          await api<PartnerCredentials>(`${base}/partners/${p.id}/rotate-secret`, {
                            method: 'POST',
                          }),
                        ),
                      )
                    }
                  >
                    {t('rotateSecret')}
                  </Button>
                  <Button
                    aria-label={`${p.status === 'active' ? t('deactivate') : t('activate')} ${p.name}`}
                    onClick={() =>
                      run(async () => {
                        await api(
                          `${base}/partners/${p.id}/${p.status === 'active' ? 'disable' : 'enable'}`,
                          { method: 'POST' },
                        )
                      })
                    }
                  >
                    {p.status === 'active' ? t('deactivate') : t('activate')}
                  </Button>
                </div>
              ),
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newPartner')}</h2>
        <TextInput label={t('name')} value={name} onInput={setName} required name="partner-name" />
        <SelectInput
          label={t('channel')}
          value={channel}
          onChange={setChannel}
          required
          name="partner-channel"
          options={[
            { value: '', label: t('chooseChannel') },
            ...(channels.data?.items ?? []).map((c) => ({ value: c.code, label: c.name })),
          ]}
        />
        <Button type="submit" variant="primary">
          {t('create')}
        </Button>
      </form>
    </section>
  )
}

/** Webhook event types are API names (`order.paid`), shown as code in every language. */
const EventTypes = (props: { types: readonly string[] }) => <code>{props.types.join(', ')}</code>

const eventTypes = [
  'order.confirmed',
  'order.cancelled',
  'order.refunded',
  'order.rebooked',
  'order.deposit_paid',
  'order.forfeited',
  'refund.rejected',
  'ticket.redeemed',
  'availability.changed',
  'price.changed',
  'kiosk.alert',
]

export function WebhooksPage() {
  const t = adminMessages.useT()
  const { base } = useSession()
  const list = useResource(
    (signal) => api<PageOf<WebhookEndpoint>>(`${base}/webhook-endpoints`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [url, setUrl] = useState('')
  const [types, setTypes] = useState<Set<string>>(new Set(['order.confirmed', 'order.refunded']))
  const [secret, setSecret] = useState<WebhookEndpointWithSecret | null>(null)
  const [error, setError] = useState<unknown>(null)
  const create = async (event: Event) => {
    event.preventDefault()
    setError(null)
    try {
      setSecret(
        await api<WebhookEndpointWithSecret>(`${base}/webhook-endpoints`, {
          body: { url, eventTypes: [...types] },
        }),
      )
      setUrl('')
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="stack">
      <h1>{t('navWebhooks')}</h1>
      {secret && (
        <SecretOnce
          title={t('endpointCreated', { url: secret.url })}
          values={[[t('signingSecret'), secret.secret]]}
          onDone={() => setSecret(null)}
        />
      )}
      <ProblemAlert error={list.error} />
      {list.data ? (
        <DataTable
          caption={t('navWebhooks')}
          rows={list.data.items}
          rowKey={(e) => e.id}
          columns={[
            { header: t('url'), cell: (e) => <Link href={`/admin/webhooks/${e.id}`}>{e.url}</Link> },
            { header: t('eventTypes'), cell: (e) => <EventTypes types={e.eventTypes} /> },
            {
              header: t('status'),
              cell: (e) => (e.enabled ? t('active') : disabledText(t, e.disabledReason)),
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={create}>
        <h2>{t('newEndpoint')}</h2>
        <TextInput label={t('url')} type="url" value={url} onInput={setUrl} required name="endpoint-url" />
        <fieldset class="stack">
          <legend>{t('eventTypes')}</legend>
          {eventTypes.map((type) => (
            <CheckboxInput
              key={type}
              label={<code>{type}</code>}
              checked={types.has(type)}
              onChange={(checked) => {
                const next = new Set(types)
                if (checked) next.add(type)
                else next.delete(type)
                setTypes(next)
              }}
            />
          ))}
        </fieldset>
        <ProblemAlert error={error} />
        <Button type="submit" variant="primary">
          {t('create')}
        </Button>
      </form>
    </section>
  )
}

export function WebhookPage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const path = `${base}/webhook-endpoints/${encodeURIComponent(id)}`
  const endpoint = useResource((signal) => api<WebhookEndpoint>(path, { signal }), [path])
  const deliveries = useResource(
    (signal) => api<PageOf<WebhookDelivery>>(`${path}/deliveries`, { signal, query: { limit: 50 } }),
    [path],
  )
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const act = async (call: () => Promise<unknown>, done: string) => {
    setError(null)
    setNotice('')
    try {
      await call()
      setNotice(done)
      endpoint.reload()
      deliveries.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  if (endpoint.error) return <ProblemAlert error={endpoint.error} onRetry={endpoint.reload} />
  if (!endpoint.data) return <Loading />
  const e = endpoint.data
  return (
    <section class="stack">
      <p>
        <Link href="/admin/webhooks">← {t('navWebhooks')}</Link>
      </p>
      <h1>{e.url}</h1>
      <p class="muted">
        <EventTypes types={e.eventTypes} /> · {e.enabled ? t('active') : disabledText(t, e.disabledReason)}
      </p>
      <div class="row">
        <Button
          onClick={() =>
            act(() => api(`${path}/${e.enabled ? 'disable' : 'enable'}`, { method: 'POST' }), t('saved'))
          }
        >
          {e.enabled ? t('deactivate') : t('activate')}
        </Button>
      </div>
      {notice && (
        <p role="status" class="alert alert-info">
          {notice}
        </p>
      )}
      <ProblemAlert error={error ?? deliveries.error} />
      <h2>{t('deliveries')}</h2>
      {deliveries.data ? (
        <DataTable
          caption={t('deliveries')}
          rows={deliveries.data.items}
          rowKey={(d) => d.id}
          columns={[
            { header: t('created'), cell: (d) => formatDateTime(d.createdAt, locale) },
            { header: t('eventType'), cell: (d) => <EventTypes types={[d.eventType]} /> },
            { header: t('status'), cell: (d) => t(`deliveryState_${d.state}`) },
            {
              header: t('attempts'),
              cell: (d) =>
                d.attempts
                  .map(
                    (a) =>
                      `#${a.attempt} ${a.statusCode ?? a.error ?? '—'}${a.latencyMs != null ? ` ${a.latencyMs} ms` : ''}`,
                  )
                  .join(' · ') || '—',
            },
            {
              header: t('actions'),
              cell: (d) => (
                <Button
                  aria-label={`${t('replay')} ${d.eventType} ${d.id}`}
                  onClick={() =>
                    act(() => api(`${path}/deliveries/${d.id}/replay`, { method: 'POST' }), t('replayQueued'))
                  }
                >
                  {t('replay')}
                </Button>
              ),
            },
          ]}
        />
      ) : (
        !deliveries.error && <Loading />
      )}
    </section>
  )
}
