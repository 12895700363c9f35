import { useState } from 'preact/hooks'
import type { OrderRecord, StaffOrderView, StaffRefunded } from '../../../worker/routes/contracts/orders.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link, navigate, useLocation } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { CheckboxInput, SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

const searchKinds = ['number', 'phone', 'idTail', 'email'] as const

export function OrdersPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const { query } = useLocation()
  const initialKind = searchKinds.find((k) => query.has(k)) ?? 'number'
  const [kind, setKind] = useState<string>(initialKind)
  const [text, setText] = useState(query.get(initialKind) ?? '')
  const search = Object.fromEntries(searchKinds.filter((k) => query.get(k)).map((k) => [k, query.get(k)!]))
  const key = JSON.stringify(search)
  const list = useResource(
    (signal) => api<PageOf<OrderRecord>>(`${base}/orders`, { signal, query: { ...search, limit: 50 } }),
    [base, key],
  )
  const submit = (event: Event) => {
    event.preventDefault()
    navigate(text.trim() ? `/admin/orders?${kind}=${encodeURIComponent(text.trim())}` : '/admin/orders')
  }
  return (
    <section class="stack">
      <h1>{t('navOrders')}</h1>
      <form class="card search-form" onSubmit={submit}>
        <SelectInput
          label={t('searchBy')}
          value={kind}
          onChange={setKind}
          options={searchKinds.map((k) => ({ value: k, label: t(`search_${k}`) }))}
        />
        <TextInput label={t('searchFor')} value={text} onInput={setText} name="order-search" />
        <Button type="submit" variant="primary">
          {t('search')}
        </Button>
      </form>
      {list.error ? <ProblemAlert error={list.error} onRetry={list.reload} /> : null}
      {list.data ? (
        <DataTable
          caption={t('navOrders')}
          rows={list.data.items}
          rowKey={(o) => o.id}
          columns={[
            { header: t('orderNumber'), cell: (o) => <Link href={`/admin/orders/${o.id}`}>{o.number}</Link> },
            {
              header: t('status'),
              cell: (o) => <span class="badge">{t(`order_${o.status}` as never)}</span>,
            },
            { header: t('buyer'), cell: (o) => o.email ?? o.phone ?? '—' },
            { header: t('channel'), cell: (o) => o.channel },
            { header: t('total'), cell: (o) => formatMoney(o.total, o.currency, locale), numeric: true },
            { header: t('created'), cell: (o) => formatDateTime(o.createdAt, locale) },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
    </section>
  )
}

export function OrderPage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const path = `${base}/orders/${encodeURIComponent(id)}`
  const order = useResource((signal) => api<StaffOrderView>(path, { signal }), [path])
  const [lineIds, setLineIds] = useState<Set<string>>(new Set())
  const [reason, setReason] = useState('')
  const [waiveFee, setWaiveFee] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  if (order.error) return <ProblemAlert error={order.error} onRetry={order.reload} />
  if (!order.data) return <Loading />
  const o = order.data
  const money = (fen: number) => formatMoney(fen, o.currency, locale)
  const refundable = o.lines.filter((line) => line.status === 'active')
  const refund = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setNotice('')
    try {
      const result = await api<StaffRefunded>(`${path}/refunds`, {
        body: { reason, waiveFee, ...(lineIds.size ? { lineIds: [...lineIds] } : {}) },
        idempotencyKey: crypto.randomUUID(),
      })
      setNotice(t('refunded', { amount: money(result.refund.amount) }))
      setLineIds(new Set())
      order.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  return (
    <section class="stack">
      <p>
        <Link href="/admin/orders">← {t('navOrders')}</Link>
      </p>
      <h1>{t('orderTitle', { number: o.number })}</h1>
      <dl class="figures">
        <div>
          <dt>{t('status')}</dt>
          <dd>{t(`order_${o.status}` as never)}</dd>
        </div>
        <div>
          <dt>{t('total')}</dt>
          <dd>{money(o.total)}</dd>
        </div>
        <div>
          <dt>{t('refundedTotal')}</dt>
          <dd>{money(o.refundedTotal)}</dd>
        </div>
        <div>
          <dt>{t('channel')}</dt>
          <dd>{o.channel}</dd>
        </div>
        <div>
          <dt>{t('buyer')}</dt>
          <dd>{o.email ?? o.phone ?? '—'}</dd>
        </div>
      </dl>
      {o.statusReason && <p class="muted">{o.statusReason}</p>}
      {notice && (
        <p class="alert alert-info" role="status">
          {notice}
        </p>
      )}
      <h2>{t('lines')}</h2>
      <DataTable
        caption={t('lines')}
        rows={o.lines}
        rowKey={(l) => l.id}
        columns={[
          { header: t('item'), cell: (l) => l.seatLabel ?? l.description },
          {
            header: t('visitor'),
            cell: (l) => [l.visitorName, l.visitorIdMasked].filter(Boolean).join(' · ') || '—',
          },
          { header: t('price'), cell: (l) => money(l.price), numeric: true },
          { header: t('status'), cell: (l) => t(`line_${l.status}` as never) },
          { header: t('ticket'), cell: (l) => (l.ticket ? t(`ticket_${l.ticket.status}` as never) : '—') },
        ]}
      />
      {refundable.length > 0 && (
        <form class="card stack" onSubmit={refund}>
          <h2>{t('refund')}</h2>
          <fieldset class="stack">
            <legend>{t('refundLines')}</legend>
            {refundable.map((line) => (
              <CheckboxInput
                key={line.id}
                label={`${line.seatLabel ?? line.description} · ${money(line.price)}`}
                checked={lineIds.has(line.id)}
                onChange={(checked) => {
                  const next = new Set(lineIds)
                  if (checked) next.add(line.id)
                  else next.delete(line.id)
                  setLineIds(next)
                }}
              />
            ))}
          </fieldset>
          <TextInput label={t('reason')} value={reason} onInput={setReason} required />
          <CheckboxInput label={t('waiveFee')} checked={waiveFee} onChange={setWaiveFee} />
          <ProblemAlert error={error} />
          <Button type="submit" variant="danger">
            {lineIds.size ? t('refundSelected', { n: lineIds.size }) : t('refundAll')}
          </Button>
        </form>
      )}
      <h2>{t('payments')}</h2>
      <DataTable
        caption={t('payments')}
        rows={o.payments}
        rowKey={(p) => p.id}
        columns={[
          { header: t('provider'), cell: (p) => p.provider },
          { header: t('amount'), cell: (p) => money(p.amount), numeric: true },
          { header: t('status'), cell: (p) => p.status },
          { header: t('created'), cell: (p) => formatDateTime(p.createdAt, locale) },
        ]}
      />
      {o.refunds.length > 0 && (
        <>
          <h2>{t('refunds')}</h2>
          <DataTable
            caption={t('refunds')}
            rows={o.refunds}
            rowKey={(r) => r.id}
            columns={[
              { header: t('amount'), cell: (r) => money(r.amount), numeric: true },
              { header: t('fee'), cell: (r) => money(r.fee), numeric: true },
              { header: t('reason'), cell: (r) => r.reason },
              { header: t('status'), cell: (r) => r.status },
            ]}
          />
        </>
      )}
      <h2>{t('history')}</h2>
      <ol class="history">
        {(o.history ?? []).map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time> ·{' '}
            <strong>{entry.action}</strong>
            {entry.fromStatus || entry.toStatus
              ? ` (${entry.fromStatus ?? '—'} → ${entry.toStatus ?? '—'})`
              : ''}{' '}
            · <span class="muted">{entry.actor}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
