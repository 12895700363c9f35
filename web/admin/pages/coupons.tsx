// Coupons and promo codes (优惠券): the list with use counters, a form to create or edit one (field errors from the
// server under each field), batches of single-use codes and their CSV.
import { useState } from 'preact/hooks'
import type { CouponRecordView } from '../../../worker/routes/contracts/admin/coupons.ts'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import { ApiError, api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Button, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import {
  CheckboxInput,
  fenToYuan,
  isoToLocal,
  localToIso,
  SelectInput,
  TextInput,
  yuanToFen,
} from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

const kinds = ['amount_off', 'percent_off', 'ticket_free', 'ticket_price'] as const
type Kind = (typeof kinds)[number]

interface Draft {
  id: string | null
  title: string
  titleEn: string
  kind: Kind
  amountOff: string
  minSpend: string
  percentOff: string
  maxOff: string
  ticketPrice: string
  code: string
  startsAt: string
  endsAt: string
  totalCap: string
  perCustomerCap: string
  stacksWithMember: boolean
  returnOnRefund: boolean
  disabled: boolean
  eventIds: string[]
}

const blank = (): Draft => ({
  id: null,
  title: '',
  titleEn: '',
  kind: 'amount_off',
  amountOff: '',
  minSpend: '',
  percentOff: '',
  maxOff: '',
  ticketPrice: '',
  code: '',
  startsAt: '',
  endsAt: '',
  totalCap: '',
  perCustomerCap: '',
  stacksWithMember: false,
  returnOnRefund: false,
  disabled: false,
  eventIds: [],
})

const draftOf = (c: CouponRecordView): Draft => ({
  id: c.id,
  title: c.title,
  titleEn: c.titleEn ?? '',
  kind: c.kind,
  amountOff: fenToYuan(c.amountOff),
  minSpend: c.minSpend ? fenToYuan(c.minSpend) : '',
  percentOff: c.percentOff == null ? '' : String(c.percentOff),
  maxOff: fenToYuan(c.maxOff),
  ticketPrice: fenToYuan(c.ticketPrice),
  code: c.code ?? '',
  startsAt: isoToLocal(c.startsAt),
  endsAt: isoToLocal(c.endsAt),
  totalCap: c.totalCap == null ? '' : String(c.totalCap),
  perCustomerCap: c.perCustomerCap == null ? '' : String(c.perCustomerCap),
  stacksWithMember: c.stacksWithMember,
  returnOnRefund: c.returnOnRefund,
  disabled: c.disabled,
  eventIds: c.scope.eventIds,
})

// Empty means "none"; anything typed goes to the server as typed, so it judges every field at once.
const money = (text: string) => (text.trim() === '' ? null : yuanToFen(text))
const whole = (text: string) => (text.trim() === '' ? null : Number(text))

const bodyOf = (d: Draft) => ({
  title: d.title,
  titleEn: d.titleEn || null,
  kind: d.kind,
  amountOff: d.kind === 'amount_off' ? money(d.amountOff) : null,
  minSpend: money(d.minSpend) ?? 0,
  percentOff: d.kind === 'percent_off' ? whole(d.percentOff) : null,
  maxOff: d.kind === 'percent_off' ? money(d.maxOff) : null,
  ticketPrice: d.kind === 'ticket_price' ? money(d.ticketPrice) : null,
  code: d.code || null,
  startsAt: d.startsAt ? localToIso(d.startsAt) : null,
  endsAt: d.endsAt ? localToIso(d.endsAt) : null,
  totalCap: whole(d.totalCap),
  perCustomerCap: whole(d.perCustomerCap),
  stacksWithMember: d.stacksWithMember,
  returnOnRefund: d.returnOnRefund,
  disabled: d.disabled,
  scope: { eventIds: d.eventIds },
})

export function CouponsPage() {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const list = useResource(
    (signal) => api<PageOf<CouponRecordView>>(`${base}/coupons`, { signal, query: { limit: 200 } }),
    [base],
  )
  const events = useResource(
    (signal) => api<PageOf<EventRecord>>(`${base}/events`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [draft, setDraft] = useState<Draft>(blank)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [batch, setBatch] = useState<Record<string, string>>({})
  const yuan = (fen: number) => formatMoney(fen, organizer.currency, locale)
  const set = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch })
  const err = (field: string) => fieldErrors[field] ?? null

  const offerText = (c: CouponRecordView) => {
    if (c.kind === 'amount_off')
      return c.minSpend
        ? t('coupon_valueMinSpend', { off: yuan(c.amountOff ?? 0), min: yuan(c.minSpend) })
        : t('coupon_valueOff', { off: yuan(c.amountOff ?? 0) })
    if (c.kind === 'percent_off')
      return c.maxOff
        ? t('coupon_valuePercentMax', { percent: c.percentOff ?? 0, max: yuan(c.maxOff) })
        : t('coupon_valuePercent', { percent: c.percentOff ?? 0 })
    if (c.kind === 'ticket_free') return t('coupon_valueFree')
    return t('coupon_valueTicketPrice', { price: yuan(c.ticketPrice ?? 0) })
  }

  const save = async (event: Event) => {
    event.preventDefault()
    setError(null)
    setNotice('')
    setFieldErrors({})
    try {
      await api(draft.id ? `${base}/coupons/${draft.id}` : `${base}/coupons`, {
        method: draft.id ? 'PUT' : 'POST',
        body: bodyOf(draft),
      })
      setNotice(t(draft.id ? 'coupon_saved' : 'coupon_created'))
      setDraft(blank())
      list.reload()
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'validation' && failure.problem.errors?.length) {
        setFieldErrors(
          Object.fromEntries(
            failure.problem.errors.map((e) => [e.path.replace(/^json\./, ''), fieldMessage(e.path, t)]),
          ),
        )
      } else setError(failure)
    }
  }

  const generate = async (coupon: CouponRecordView) => {
    setError(null)
    setNotice('')
    try {
      const made = await api<{ count: number }>(`${base}/coupons/${coupon.id}/codes`, {
        body: { count: Number(batch[coupon.id] || '100') },
      })
      setNotice(t('coupon_generated', { n: made.count }))
      list.reload()
    } catch (failure) {
      setError(failure)
    }
  }

  return (
    <section class="stack">
      <h1>{t('navCoupons')}</h1>
      <ProblemAlert error={list.error} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <ProblemAlert error={error} />
      {list.data ? (
        <DataTable
          caption={t('navCoupons')}
          rows={list.data.items}
          rowKey={(c) => c.id}
          columns={[
            {
              header: t('coupon_title'),
              cell: (c) => (
                <span data-testid="coupon-title">
                  {locale === 'en' && c.titleEn ? c.titleEn : c.title}
                  {c.disabled && <span class="muted"> · {t('coupon_disabled')}</span>}
                </span>
              ),
            },
            { header: t('coupon_value'), cell: offerText },
            { header: t('coupon_code'), cell: (c) => c.code ?? '—' },
            { header: t('coupon_reserved'), cell: (c) => c.counters.reserved, numeric: true },
            { header: t('coupon_used'), cell: (c) => c.counters.used, numeric: true },
            { header: t('coupon_returned'), cell: (c) => c.counters.returned, numeric: true },
            {
              header: t('coupon_remaining'),
              cell: (c) => (c.counters.remaining === null ? t('coupon_noCap') : c.counters.remaining),
              numeric: true,
            },
            {
              header: t('coupon_validity'),
              cell: (c) =>
                c.endsAt ? t('coupon_until', { when: formatDateTime(c.endsAt, locale) }) : t('coupon_always'),
            },
            {
              header: t('coupon_singleUse'),
              cell: (c) => (
                <span class="row">
                  <input
                    aria-label={t('coupon_batchCount', { title: c.title })}
                    type="number"
                    min="1"
                    max="10000"
                    inputMode="numeric"
                    value={batch[c.id] ?? '100'}
                    onInput={(e) => setBatch({ ...batch, [c.id]: (e.target as HTMLInputElement).value })}
                  />
                  <Button onClick={() => generate(c)}>{t('coupon_generate')}</Button>
                  {c.singleUseCodes > 0 && (
                    <a href={`${base}/coupons/${c.id}/codes.csv`} download>
                      {t('coupon_downloadCsv', { n: c.singleUseCodes })}
                    </a>
                  )}
                </span>
              ),
            },
            {
              header: t('coupon_edit'),
              cell: (c) => (
                <Button
                  onClick={() => {
                    setDraft(draftOf(c))
                    setFieldErrors({})
                  }}
                >
                  {t('coupon_edit')}
                </Button>
              ),
            },
          ]}
        />
      ) : (
        !list.error && <Loading />
      )}
      <form class="card stack" onSubmit={save} noValidate>
        <h2>{draft.id ? t('coupon_editing', { title: draft.title }) : t('coupon_new')}</h2>
        <TextInput
          label={t('coupon_title')}
          value={draft.title}
          onInput={(title) => set({ title })}
          error={err('title')}
          name="coupon-title"
        />
        <TextInput
          label={t('names_nameEn')}
          value={draft.titleEn}
          onInput={(titleEn) => set({ titleEn })}
          name="coupon-title-en"
        />
        <SelectInput
          label={t('coupon_kind')}
          value={draft.kind}
          onChange={(kind) => set({ kind: kind as Kind })}
          options={kinds.map((k) => ({ value: k, label: t(`coupon_kind_${k}`) }))}
        />
        {draft.kind === 'amount_off' && (
          <TextInput
            label={t('coupon_amountOff')}
            type="number"
            step="0.01"
            inputMode="decimal"
            value={draft.amountOff}
            onInput={(amountOff) => set({ amountOff })}
            error={err('amountOff')}
          />
        )}
        {draft.kind === 'percent_off' && (
          <>
            <TextInput
              label={t('coupon_percentOff')}
              type="number"
              inputMode="numeric"
              value={draft.percentOff}
              onInput={(percentOff) => set({ percentOff })}
              error={err('percentOff')}
            />
            <TextInput
              label={t('coupon_maxOff')}
              type="number"
              step="0.01"
              inputMode="decimal"
              value={draft.maxOff}
              onInput={(maxOff) => set({ maxOff })}
              error={err('maxOff')}
            />
          </>
        )}
        {draft.kind === 'ticket_price' && (
          <TextInput
            label={t('coupon_ticketPrice')}
            type="number"
            step="0.01"
            inputMode="decimal"
            value={draft.ticketPrice}
            onInput={(ticketPrice) => set({ ticketPrice })}
            error={err('ticketPrice')}
          />
        )}
        <TextInput
          label={t('coupon_minSpend')}
          type="number"
          step="0.01"
          inputMode="decimal"
          value={draft.minSpend}
          onInput={(minSpend) => set({ minSpend })}
          error={err('minSpend')}
        />
        <TextInput
          label={t('coupon_code')}
          hint={t('coupon_codeHint')}
          value={draft.code}
          onInput={(code) => set({ code })}
          error={err('code')}
          name="coupon-code"
        />
        <TextInput
          label={t('coupon_startsAt')}
          type="datetime-local"
          value={draft.startsAt}
          onInput={(startsAt) => set({ startsAt })}
          error={err('startsAt')}
        />
        <TextInput
          label={t('coupon_endsAt')}
          type="datetime-local"
          value={draft.endsAt}
          onInput={(endsAt) => set({ endsAt })}
          error={err('endsAt')}
        />
        <TextInput
          label={t('coupon_totalCap')}
          hint={t('coupon_capHint')}
          type="number"
          inputMode="numeric"
          value={draft.totalCap}
          onInput={(totalCap) => set({ totalCap })}
          error={err('totalCap')}
        />
        <TextInput
          label={t('coupon_perCustomerCap')}
          hint={t('coupon_capHint')}
          type="number"
          inputMode="numeric"
          value={draft.perCustomerCap}
          onInput={(perCustomerCap) => set({ perCustomerCap })}
          error={err('perCustomerCap')}
        />
        <fieldset class="stack">
          <legend>{t('coupon_events')}</legend>
          <p class="muted">{t('coupon_eventsHint')}</p>
          {(events.data?.items ?? []).map((e) => (
            <CheckboxInput
              key={e.id}
              label={localName(e, locale)}
              checked={draft.eventIds.includes(e.id)}
              onChange={(on) =>
                set({ eventIds: on ? [...draft.eventIds, e.id] : draft.eventIds.filter((id) => id !== e.id) })
              }
            />
          ))}
        </fieldset>
        <CheckboxInput
          label={t('coupon_stacksWithMember')}
          checked={draft.stacksWithMember}
          onChange={(stacksWithMember) => set({ stacksWithMember })}
        />
        <CheckboxInput
          label={t('coupon_returnOnRefund')}
          checked={draft.returnOnRefund}
          onChange={(returnOnRefund) => set({ returnOnRefund })}
        />
        {draft.id && (
          <CheckboxInput
            label={t('coupon_disable')}
            checked={draft.disabled}
            onChange={(disabled) => set({ disabled })}
          />
        )}
        {Object.keys(fieldErrors).length > 0 && (
          <p class="error" role="alert">
            {t('coupon_fixFields')}
          </p>
        )}
        <div class="row">
          <Button type="submit" variant="primary">
            {draft.id ? t('coupon_save') : t('create')}
          </Button>
          {draft.id && <Button onClick={() => setDraft(blank())}>{t('coupon_cancelEdit')}</Button>}
        </div>
      </form>
    </section>
  )
}

/** The server's English field messages said in the page's language, by field. */
function fieldMessage(path: string, t: ReturnType<typeof adminMessages.useT>) {
  const field = path.replace(/^json\./, '')
  if (field === 'percentOff') return t('coupon_err_percent')
  if (field === 'totalCap' || field === 'perCustomerCap') return t('coupon_err_cap')
  if (field === 'code') return t('coupon_err_code')
  if (field === 'title') return t('coupon_err_title')
  if (field === 'endsAt' || field === 'startsAt') return t('coupon_err_window')
  return t('coupon_err_money')
}
