// A scenic product's or package's price calendar in the site's "prices" tab: date rules as rows (weekdays with
// holidays, a range, a single date; price, label, channels), tiers as rows (early bird by days ahead, the first
// N of a day), saved as one document with every server message at its field, and the month view beside it.
import { useEffect, useState } from 'preact/hooks'
import type { PackageRecord } from '../../../worker/routes/contracts/admin/packages.ts'
import type { SalesChannelRecord } from '../../../worker/routes/contracts/admin/sales-channels.ts'
import type { ScenicPricingRecord } from '../../../worker/routes/contracts/admin/scenic-pricing.ts'
import type { VisitProductRecord } from '../../../worker/routes/contracts/admin/visit-products.ts'
import { ApiError, api } from '../../lib/api.ts'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { localName } from '../../lib/labels.ts'
import { Button, Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { SelectInput, TextInput } from '../form.tsx'
import { useSession } from '../session.tsx'
import type { PageOf } from '../table.tsx'
import {
  type DateRuleDraft,
  emptyDateRule,
  emptyTierRow,
  previewOf,
  priceDraftOf,
  priceErrorsByField,
  priceInputOf,
  type RuleKind,
  type ScenicPriceDraft,
  type TierRowDraft,
} from './price-draft.ts'
import { type ScenicPriceMessage, scenicPriceMessages } from './price-messages.ts'
import { PriceMonth } from './price-month.tsx'

/** Ticks in a fieldset: weekdays, channels. */
function Ticks<T extends string | number>(props: {
  legend: string
  options: { value: T; label: string }[]
  chosen: T[]
  error?: string
  hint?: string
  onChange: (chosen: T[]) => void
}) {
  return (
    <fieldset class={`ticks${props.error ? ' field-invalid' : ''}`}>
      <legend>{props.legend}</legend>
      {props.options.map((option) => (
        <label key={option.value} class="checkbox">
          <input
            type="checkbox"
            checked={props.chosen.includes(option.value)}
            onChange={(event) =>
              props.onChange(
                (event.target as HTMLInputElement).checked
                  ? [...props.chosen, option.value]
                  : props.chosen.filter((v) => v !== option.value),
              )
            }
          />{' '}
          {option.label}
        </label>
      ))}
      {props.hint && <small class="muted">{props.hint}</small>}
      {props.error && <small class="field-error">{props.error}</small>}
    </fieldset>
  )
}

export function ScenicPriceRules(props: { products: VisitProductRecord[]; packages: PackageRecord[] }) {
  const p = scenicPriceMessages.useT()
  const locale = useLocale()
  const { base, organizer } = useSession()
  const items = [
    ...props.products.map((x) => ({ value: `visit-products/${x.id}`, label: x.name })),
    ...props.packages.map((x) => ({
      value: `packages/${x.id}`,
      label: p('sp_packageItem', { name: x.name }),
    })),
  ]
  // The products and packages load after the page: the first of them until the organizer picks another.
  const [picked, setItem] = useState('')
  const item = picked || items[0]?.value || ''
  const path = `${base}/${item}/pricing`
  const saved = useResource(
    (signal) => (item ? api<ScenicPricingRecord>(path, { signal }) : new Promise<never>(() => {})),
    [path],
  )
  const salesChannels = useResource(
    (signal) => api<PageOf<SalesChannelRecord>>(`${base}/sales-channels`, { signal, query: { limit: 200 } }),
    [base],
  )
  const [draft, setDraft] = useState<ScenicPriceDraft | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (saved.data) setDraft(priceDraftOf(saved.data))
    setFieldErrors({})
  }, [saved.data])
  if (!items.length) return null
  const money = (minor: number) => formatMoney(minor, organizer.currency, locale)
  const channels = [
    { value: 'web', label: p('sp_channelWeb') },
    ...(salesChannels.data?.items ?? [])
      .filter((c) => c.code !== 'web')
      .map((c) => ({ value: c.code, label: localName(c, locale) })),
  ]
  const weekdays = Array.from({ length: 7 }, (_, d) => ({
    value: d,
    label: new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 7 + d)),
    ),
  }))
  // The domain's messages (English, money in fen) said the console's way, in the page's language.
  const say = (text: string) =>
    text
      .split('; ')
      .map((one): string => {
        const below = /below the list price (\d+)/.exec(one)
        const capacity = /the (\d+) tickets of a day/.exec(one)
        const table: [RegExp, ScenicPriceMessage][] = [
          [/whole amount/, 'sp_err_money'],
          [/whole number/, 'sp_err_count'],
          [/not a date/, 'sp_err_date'],
          [/on or after from|after startsAt/, 'sp_err_after'],
          [/give a date, a range/, 'sp_err_kind'],
          [/weekdays are/, 'sp_err_weekday'],
          [/no sales channel/, 'sp_err_channel'],
          [/already prices/, 'sp_err_twice'],
          [/label/, 'sp_err_label'],
        ]
        if (below) return p('sp_err_below', { price: money(Number(below[1])) })
        if (capacity) return p('sp_err_capacity', { count: capacity[1]! })
        const hit = table.find(([pattern]) => pattern.test(one))
        return hit ? p(hit[1]) : one
      })
      .join(' ')

  const save = async (event: Event) => {
    event.preventDefault()
    if (!draft) return
    setBusy(true)
    setError(null)
    setNotice('')
    setFieldErrors({})
    try {
      const record = await api<ScenicPricingRecord>(path, { method: 'PUT', body: priceInputOf(draft) })
      setDraft(priceDraftOf(record))
      setNotice(p('sp_saved'))
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'validation' && failure.problem.errors?.length) {
        const byField = priceErrorsByField(failure.problem.errors)
        setFieldErrors(Object.fromEntries(Object.entries(byField).map(([key, text]) => [key, say(text)])))
        if (byField.form) setError(failure)
      } else setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const setRule = (k: number, patch: Partial<DateRuleDraft>) =>
    draft && setDraft({ ...draft, dates: draft.dates.map((r, i) => (i === k ? { ...r, ...patch } : r)) })
  const setTier = (k: number, patch: Partial<TierRowDraft>) =>
    draft && setDraft({ ...draft, tiers: draft.tiers.map((r, i) => (i === k ? { ...r, ...patch } : r)) })
  const kinds: { value: RuleKind; label: string }[] = [
    { value: 'weekdays', label: p('sp_kind_weekdays') },
    { value: 'range', label: p('sp_kind_range') },
    { value: 'date', label: p('sp_kind_date') },
  ]

  return (
    <section class="stack" aria-labelledby="price-rules-heading" data-testid="price-rules">
      <h2 id="price-rules-heading">{p('sp_heading')}</h2>
      <p class="muted">{p('sp_hint')}</p>
      <SelectInput label={p('sp_item')} value={item} onChange={setItem} options={items} />
      {saved.error ? <ProblemAlert error={saved.error} onRetry={saved.reload} /> : null}
      {!draft || !saved.data ? (
        <Loading />
      ) : (
        <div class="pricing-layout">
          <form class="stack" onSubmit={save} noValidate>
            <p class="muted">{p('sp_base', { price: money(saved.data.basePrice) })}</p>
            {notice && (
              <p class="alert alert-info" role="status" data-testid="notice">
                {notice}
              </p>
            )}
            <fieldset class="card stack">
              <legend>{p('sp_dates')}</legend>
              {draft.dates.length === 0 && <p class="muted">{p('sp_datesNone')}</p>}
              {draft.dates.map((rule, k) => {
                const at = (field: string) => fieldErrors[`dates.${k}.${field}`]
                return (
                  <fieldset key={k} class="pricing-row" data-testid="price-rule">
                    <legend>{p('sp_rule', { n: k + 1 })}</legend>
                    <SelectInput
                      label={p('sp_kind')}
                      value={rule.kind}
                      options={kinds}
                      onChange={(kind) =>
                        setRule(k, {
                          ...emptyDateRule(kind as RuleKind),
                          price: rule.price,
                          label: rule.label,
                          channels: rule.channels,
                        })
                      }
                    />
                    {rule.kind === 'date' && (
                      <TextInput
                        label={p('sp_date')}
                        type="date"
                        value={rule.date}
                        error={at('date')}
                        onInput={(date) => setRule(k, { date })}
                      />
                    )}
                    {rule.kind === 'range' && (
                      <>
                        <TextInput
                          label={p('sp_from')}
                          type="date"
                          value={rule.from}
                          error={at('from')}
                          onInput={(from) => setRule(k, { from })}
                        />
                        <TextInput
                          label={p('sp_to')}
                          type="date"
                          value={rule.to}
                          error={at('to')}
                          onInput={(to) => setRule(k, { to })}
                        />
                      </>
                    )}
                    {rule.kind === 'weekdays' && (
                      <>
                        <Ticks
                          legend={p('sp_weekdays')}
                          options={weekdays}
                          chosen={rule.weekdays}
                          error={at('weekdays') ?? at('date')}
                          onChange={(chosen) => setRule(k, { weekdays: chosen })}
                        />
                        <TextInput
                          label={p('sp_holidays')}
                          hint={p('sp_holidaysHint')}
                          value={rule.holidays}
                          error={at('holidays')}
                          onInput={(holidays) => setRule(k, { holidays })}
                        />
                      </>
                    )}
                    <TextInput
                      label={p('sp_price')}
                      inputMode="decimal"
                      value={rule.price}
                      error={at('price')}
                      onInput={(price) => setRule(k, { price })}
                    />
                    <TextInput
                      label={p('sp_label')}
                      hint={p('sp_labelHint')}
                      value={rule.label}
                      error={at('label')}
                      onInput={(label) => setRule(k, { label })}
                    />
                    <Ticks
                      legend={p('sp_channels')}
                      hint={p('sp_channelsHint')}
                      options={channels}
                      chosen={rule.channels}
                      error={at('channels')}
                      onChange={(chosen) => setRule(k, { channels: chosen })}
                    />
                    <Button
                      onClick={() => setDraft({ ...draft, dates: draft.dates.filter((_, i) => i !== k) })}
                    >
                      {p('sp_remove')}
                    </Button>
                  </fieldset>
                )
              })}
              <div class="row">
                <Button onClick={() => setDraft({ ...draft, dates: [...draft.dates, emptyDateRule()] })}>
                  {p('sp_addRule')}
                </Button>
              </div>
            </fieldset>
            <fieldset class="card stack">
              <legend>{p('sp_tiers')}</legend>
              {draft.tiers.length === 0 && <p class="muted">{p('sp_tiersNone')}</p>}
              {draft.tiers.map((tier, k) => {
                const at = (field: string) => fieldErrors[`tiers.${k}.${field}`]
                return (
                  <fieldset key={k} class="pricing-row" data-testid="price-tier-row">
                    <legend>{p('sp_tier', { n: k + 1 })}</legend>
                    <TextInput
                      label={p('sp_tierLabel')}
                      hint={p('sp_tierLabelHint')}
                      value={tier.label}
                      error={at('label')}
                      onInput={(label) => setTier(k, { label })}
                    />
                    <TextInput
                      label={p('sp_price')}
                      inputMode="decimal"
                      value={tier.price}
                      error={at('price')}
                      onInput={(price) => setTier(k, { price })}
                    />
                    <TextInput
                      label={p('sp_minDaysAhead')}
                      hint={p('sp_optional')}
                      inputMode="numeric"
                      value={tier.minDaysAhead}
                      error={at('minDaysAhead')}
                      onInput={(minDaysAhead) => setTier(k, { minDaysAhead })}
                    />
                    <TextInput
                      label={p('sp_quantity')}
                      hint={p('sp_optional')}
                      inputMode="numeric"
                      value={tier.quantity}
                      error={at('quantity')}
                      onInput={(quantity) => setTier(k, { quantity })}
                    />
                    <Ticks
                      legend={p('sp_channels')}
                      hint={p('sp_channelsHint')}
                      options={channels}
                      chosen={tier.channels}
                      error={at('channels')}
                      onChange={(chosen) => setTier(k, { channels: chosen })}
                    />
                    <Button
                      onClick={() => setDraft({ ...draft, tiers: draft.tiers.filter((_, i) => i !== k) })}
                    >
                      {p('sp_remove')}
                    </Button>
                  </fieldset>
                )
              })}
              <div class="row">
                <Button onClick={() => setDraft({ ...draft, tiers: [...draft.tiers, emptyTierRow()] })}>
                  {p('sp_addTier')}
                </Button>
              </div>
            </fieldset>
            {Object.keys(fieldErrors).length > 0 && (
              <p class="alert alert-error" role="alert">
                {p('sp_invalid')}
              </p>
            )}
            <ProblemAlert error={error} />
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? p('sp_saving') : p('sp_save')}
            </Button>
          </form>
          <PriceMonth
            basePrice={saved.data.basePrice}
            rules={previewOf(draft).dates}
            currency={organizer.currency}
            channels={channels}
          />
        </div>
      )}
    </section>
  )
}
