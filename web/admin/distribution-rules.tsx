// Distribution (分销) in the console: commission rules per event or ticket, and what the page's forms share
// (the commission as text, the targets a link or rule can name).
import { useState } from 'preact/hooks'
import type { EventRecord } from '../../worker/routes/contracts/admin/events.ts'
import type { ShowRecord } from '../../worker/routes/contracts/admin/shows.ts'
import type { VisitProductRecord } from '../../worker/routes/contracts/admin/visit-products.ts'
import type { CommissionRuleRecord, DistributorRecord } from '../../worker/routes/contracts/distribution.ts'
import { api } from '../lib/api.ts'
import { formatDateTime, formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { localName } from '../lib/labels.ts'
import { Button, ProblemAlert, useResource } from '../lib/ui.tsx'
import { SelectInput, TextInput, yuanToFen } from './form.tsx'
import { adminMessages } from './messages.ts'
import { useSession } from './session.tsx'
import { DataTable, type PageOf } from './table.tsx'

type Items<T> = { items: T[] }

/** The commission the console shows: percent from basis points, fixed in money. */
export function useCommissionText() {
  const locale = useLocale()
  const { organizer } = useSession()
  return (kind: 'percent' | 'fixed', value: number) =>
    kind === 'percent' ? `${value / 100}%` : formatMoney(value, organizer.currency, locale)
}

/** Percent typed as 12.5 → 1250 basis points; yuan typed as 5 → 500 fen. */
export const commissionValue = (kind: string, text: string) =>
  kind === 'percent' ? Math.round(Number(text) * 100) : yuanToFen(text)

export function useTargets() {
  const { base } = useSession()
  const locale = useLocale()
  const t = adminMessages.useT()
  const events = useResource(
    (signal) => api<PageOf<EventRecord>>(`${base}/events`, { signal, query: { limit: 200 } }),
    [base],
  )
  const shows = useResource(
    (signal) =>
      api<PageOf<ShowRecord>>(`${base}/shows`, {
        signal,
        query: { limit: 200, from: new Date().toISOString() },
      }),
    [base],
  )
  const products = useResource(
    (signal) => api<PageOf<VisitProductRecord>>(`${base}/visit-products`, { signal, query: { limit: 200 } }),
    [base],
  )
  const eventName = (id: string) => {
    const e = events.data?.items.find((x) => x.id === id)
    return e ? localName(e, locale) : ''
  }
  const eventOptions = (events.data?.items ?? []).map((e) => ({
    value: `event:${e.id}`,
    label: t('dist_targetEvent', { name: localName(e, locale) }),
  }))
  const productOptions = (products.data?.items ?? []).map((p) => ({
    value: `product:${p.id}`,
    label: t('dist_targetProduct', { name: localName(p, locale) }),
  }))
  const showOptions = (shows.data?.items ?? []).map((s) => ({
    value: `show:${s.id}`,
    label: t('dist_targetShow', { name: eventName(s.eventId), time: formatDateTime(s.startsAt, locale) }),
  }))
  return {
    linkTargets: [...eventOptions, ...showOptions, ...productOptions],
    ruleScopes: [...eventOptions, ...productOptions],
  }
}

export function CommissionRules({ distributors }: { distributors: DistributorRecord[] }) {
  const t = adminMessages.useT()
  const { base } = useSession()
  const text = useCommissionText()
  const rules = useResource(
    (signal) => api<Items<CommissionRuleRecord>>(`${base}/commission-rules`, { signal }),
    [base],
  )
  const { ruleScopes } = useTargets()
  const [scope, setScope] = useState('')
  const [who, setWho] = useState('')
  const [kind, setKind] = useState('percent')
  const [value, setValue] = useState('')
  const [error, setError] = useState<unknown>(null)
  const chosen = scope || ruleScopes[0]?.value || ''
  const scopeLabel = (r: CommissionRuleRecord) =>
    ruleScopes.find((o) => o.value === `${r.scopeKind}:${r.scopeId}`)?.label ?? ''
  const save = async (event: Event) => {
    event.preventDefault()
    setError(null)
    const [scopeKind, ...rest] = chosen.split(':')
    try {
      await api(`${base}/commission-rules`, {
        method: 'PUT',
        body: {
          distributorId: who || null,
          scopeKind,
          scopeId: rest.join(':'),
          kind,
          value: commissionValue(kind, value),
        },
      })
      rules.reload()
    } catch (failure) {
      setError(failure)
    }
  }
  const remove = async (rule: CommissionRuleRecord) => {
    await api(`${base}/commission-rules/${rule.id}`, { method: 'DELETE' }).catch(setError)
    rules.reload()
  }
  return (
    <section class="card stack">
      <h2>{t('dist_rules')}</h2>
      <p class="muted">{t('dist_rulesHint')}</p>
      <ProblemAlert error={rules.error ?? error} />
      {rules.data && (
        <DataTable
          caption={t('dist_rules')}
          rows={rules.data.items}
          rowKey={(r) => r.id}
          columns={[
            { header: t('dist_scope'), cell: scopeLabel },
            {
              header: t('dist_distributors'),
              cell: (r) =>
                distributors.find((d) => d.id === r.distributorId)?.name ?? t('dist_allDistributors'),
            },
            { header: t('dist_commission'), cell: (r) => text(r.kind, r.value) },
            { header: '', cell: (r) => <Button onClick={() => remove(r)}>{t('dist_remove')}</Button> },
          ]}
        />
      )}
      <form class="stack" onSubmit={save}>
        <SelectInput label={t('dist_scope')} value={chosen} onChange={setScope} options={ruleScopes} />
        <SelectInput
          label={t('dist_distributors')}
          value={who}
          onChange={setWho}
          options={[
            { value: '', label: t('dist_allDistributors') },
            ...distributors.map((d) => ({ value: d.id, label: d.name })),
          ]}
        />
        <SelectInput
          label={t('dist_commissionKind')}
          value={kind}
          onChange={setKind}
          options={[
            { value: 'percent', label: t('dist_ck_percent') },
            { value: 'fixed', label: t('dist_ck_fixed') },
          ]}
        />
        <TextInput
          label={kind === 'percent' ? t('dist_percentValue') : t('dist_fixedValue')}
          type="number"
          step="0.01"
          min="0"
          inputMode="decimal"
          value={value}
          onInput={setValue}
          required
        />
        <Button type="submit" variant="primary" disabled={!chosen}>
          {t('dist_save')}
        </Button>
      </form>
    </section>
  )
}
