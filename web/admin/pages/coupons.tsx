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
import { blank, bodyOf, type Draft, draftOf, fieldMessage, type Kind, kinds } from '../coupon-draft.ts'
import { CheckboxInput, SelectInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { useSession } from '../session.tsx'
import { DataTable, type PageOf } from '../table.tsx'

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
