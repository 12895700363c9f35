import { useState } from 'preact/hooks'
import type { StaffMember } from '../../../worker/routes/contracts/admin/staff.ts'
import type { RefundQuote, StaffOrderView, StaffRefunded } from '../../../worker/routes/contracts/orders.ts'
import { api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { orderLineName } from '../../lib/labels.ts'
import { orderReasonText } from '../../lib/order-reasons.ts'
import { Link } from '../../lib/router.tsx'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { useChannelNames } from '../channels.ts'
import { ConfirmMoneyDialog, type MoneyConfirmation } from '../confirm.tsx'
import { CheckboxInput, TextInput } from '../form.tsx'
import {
  actorLabel,
  auditActionLabel,
  orderStatusLabel,
  paymentStatusLabel,
  providerLabel,
  refundReasonLabel,
  refundStatusLabel,
} from '../labels.ts'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable } from '../table.tsx'

export function OrderPage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const path = `${base}/orders/${encodeURIComponent(id)}`
  const order = useResource((signal) => api<StaffOrderView>(path, { signal }), [path])
  const staff = useResource((signal) => api<{ items: StaffMember[] }>(`${base}/staff`, { signal }), [base])
  const channelName = useChannelNames()
  const [lineIds, setLineIds] = useState<Set<string>>(new Set())
  const [reason, setReason] = useState('')
  const [waiveFee, setWaiveFee] = useState(true)
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [confirmation, setConfirmation] = useState<MoneyConfirmation | null>(null)
  if (order.error) return <ProblemAlert error={order.error} onRetry={order.reload} />
  if (!order.data) return <Loading />
  const o = order.data
  const money = (fen: number) => formatMoney(fen, o.currency, locale)
  const refundable = o.lines.filter((line) => line.status === 'active')
  const staffNames = new Map((staff.data?.items ?? []).map((m) => [m.userId, m.name || m.email]))
  // Ask the server what the refund would move, then ask the organizer; only a confirmation sends it.
  const reviewRefund = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setNotice('')
    const chosen = [...lineIds]
    try {
      const quote = await api<RefundQuote>(`${path}/refund-quote`, {
        query: { waiveFee: String(waiveFee), ...(chosen.length ? { lineIds: chosen.join(',') } : {}) },
      })
      if (!quote.allowed) {
        setError(new Error(quote.reason))
        return
      }
      const lines = o.lines.filter((l) => quote.lineIds.includes(l.id))
      setConfirmation({
        title: t('confirmRefundTitle', { number: o.number }),
        amountLabel: t('confirmRefundAmount'),
        amount: money(quote.amount),
        details: [
          t('confirmRefundLines', {
            n: lines.length,
            items: lines.map((l) => orderLineName(l, locale)).join('、'),
          }),
          quote.fee > 0 ? t('confirmRefundFee', { fee: money(quote.fee) }) : t('confirmRefundNoFee'),
          t('confirmRefundTo', { buyer: o.phone ?? o.email ?? t('buyer') }),
          t('confirmRefundTickets'),
        ],
        confirmLabel: t('confirmRefundButton', { amount: money(quote.amount) }),
        run: async () => {
          const result = await api<StaffRefunded>(`${path}/refunds`, {
            body: { reason, waiveFee, lineIds: quote.lineIds },
            idempotencyKey: crypto.randomUUID(),
          })
          setNotice(t('refunded', { amount: money(result.refund.amount) }))
          setLineIds(new Set())
          order.reload()
        },
      })
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
          <dd>{orderStatusLabel(t, o.status)}</dd>
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
          <dd>{channelName(o.channel)}</dd>
        </div>
        <div>
          <dt>{t('buyerPhone')}</dt>
          <dd data-testid="buyer-phone">{o.phone ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('email')}</dt>
          <dd>{o.email ?? '—'}</dd>
        </div>
      </dl>
      {orderReasonText(o, locale) && (
        <p class="muted" data-testid="status-reason">
          {orderReasonText(o, locale)}
        </p>
      )}
      {notice && (
        <p class="alert alert-info" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      <h2>{t('lines')}</h2>
      <DataTable
        caption={t('lines')}
        rows={o.lines}
        rowKey={(l) => l.id}
        columns={[
          { header: t('item'), cell: (l) => orderLineName(l, locale) },
          {
            header: t('visitor'),
            cell: (l) =>
              [l.visitorName, l.visitorIdMasked, l.visitorPhone].filter(Boolean).join(' · ') || '—',
          },
          { header: t('price'), cell: (l) => money(l.price), numeric: true },
          { header: t('status'), cell: (l) => t(`line_${l.status}` as never) },
          { header: t('ticket'), cell: (l) => (l.ticket ? t(`ticket_${l.ticket.status}` as never) : '—') },
        ]}
      />
      {refundable.length > 0 && (
        <form class="card stack" onSubmit={reviewRefund}>
          <h2>{t('refund')}</h2>
          <fieldset class="stack">
            <legend>{t('refundLines')}</legend>
            {refundable.map((line) => (
              <CheckboxInput
                key={line.id}
                label={`${orderLineName(line, locale)} · ${money(line.price)}`}
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
          <TextInput label={t('reason')} value={reason} onInput={setReason} required name="refund-reason" />
          <CheckboxInput label={t('waiveFee')} checked={waiveFee} onChange={setWaiveFee} />
          <ProblemAlert error={error} />
          <Button type="submit" variant="danger">
            {lineIds.size ? t('reviewRefundSelected', { n: lineIds.size }) : t('reviewRefundAll')}
          </Button>
        </form>
      )}
      <ConfirmMoneyDialog confirmation={confirmation} onClose={() => setConfirmation(null)} />
      <h2>{t('payments')}</h2>
      <DataTable
        caption={t('payments')}
        rows={o.payments}
        rowKey={(p) => p.id}
        columns={[
          { header: t('provider'), cell: (p) => providerLabel(t, p.provider) },
          { header: t('amount'), cell: (p) => money(p.amount), numeric: true },
          { header: t('status'), cell: (p) => paymentStatusLabel(t, p.status) },
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
              { header: t('reason'), cell: (r) => refundReasonLabel(t, r, o, locale) },
              { header: t('status'), cell: (r) => refundStatusLabel(t, r.status) },
            ]}
          />
        </>
      )}
      <h2>{t('history')}</h2>
      <ol class="history" data-testid="history">
        {(o.history ?? []).map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.at}>{formatDateTime(entry.at, locale)}</time> ·{' '}
            <strong data-action={entry.action}>{auditActionLabel(t, entry.action)}</strong>
            {entry.fromStatus || entry.toStatus
              ? ` (${orderStatusLabel(t, entry.fromStatus)} → ${orderStatusLabel(t, entry.toStatus)})`
              : ''}{' '}
            · <span class="muted">{actorLabel(t, entry.actor, staffNames)}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
