// A show's pricing (pretix-like "price steps"): per price category, ordered tiers (label, price in ¥, until a
// date and/or a quantity), and flash sales (price, units, window, per-buyer limit). Saved as one document; a
// `validation` answer puts every message at its field and nothing is saved. The preview beside it computes
// what a buyer pays on any date from the draft with the shop's own pure pricing.
import { useEffect, useMemo, useState } from 'preact/hooks'
import type { EventRecord } from '../../../worker/routes/contracts/admin/events.ts'
import type { ShowPricingRecord } from '../../../worker/routes/contracts/admin/show-pricing.ts'
import type { ShowInventory, ShowRecord } from '../../../worker/routes/contracts/admin/shows.ts'
import { ApiError, api } from '../../lib/api.ts'
import { formatDateTime, formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Link } from '../../lib/router.tsx'
import { Button, Field, Loading, ProblemAlert, useResource } from '../../lib/ui.tsx'
import { DepositTermsSection } from '../deposit-terms.tsx'
import { FlashCounters, useLiveShow } from '../flash-counters.tsx'
import { CheckboxInput, TextInput } from '../form.tsx'
import { adminMessages } from '../messages.ts'
import { StepHistory, StepsEditor, useSayStepError } from '../price-steps-editor.tsx'
import {
  draftOf,
  emptySteps,
  emptyTier,
  errorsByField,
  type FlashDraft,
  inputOf,
  newFlash,
  type PricingDraft,
  previewPricing,
  type TierDraft,
} from '../pricing-draft.ts'
import { PricingPreview } from '../pricing-preview.tsx'
import { useSession } from '../session.tsx'

const currency = 'CNY'

export function ShowPricingPage({ id }: { id: string }) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const { base } = useSession()
  const showPath = `${base}/shows/${encodeURIComponent(id)}`
  const show = useResource((signal) => api<ShowRecord>(showPath, { signal }), [showPath])
  const inventory = useResource(
    (signal) => api<ShowInventory>(`${showPath}/inventory`, { signal }),
    [showPath],
  )
  const saved = useResource((signal) => api<ShowPricingRecord>(`${showPath}/pricing`, { signal }), [showPath])
  // Live flash-sale counters come from the public show (only while the event is published), polled.
  const live = useLiveShow(id, saved.data?.updatedAt, (saved.data?.flashSales.length ?? 0) > 0)
  const eventId = show.data?.eventId
  const eventRecord = useResource(
    (signal) =>
      eventId
        ? api<EventRecord>(`${base}/events/${encodeURIComponent(eventId)}`, { signal })
        : new Promise<never>(() => {}),
    [base, eventId],
  )
  const [draft, setDraft] = useState<PricingDraft | null>(null)
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  const sayStep = useSayStepError()
  const listPrices = show.data?.prices ?? {}
  const codes = Object.keys(listPrices)
  useEffect(() => {
    if (saved.data && show.data) setDraft(draftOf(saved.data, Object.keys(show.data.prices)))
  }, [saved.data, show.data])
  const preview = useMemo(() => (draft ? previewPricing(draft) : null), [draft])
  const title = eventRecord.data?.name ?? (show.data ? formatDateTime(show.data.startsAt, locale) : '')
  useEffect(() => {
    if (show.data) document.title = `${t('pricing_title', { name: title })} · ${t('title')}`
  })

  if (show.error) return <ProblemAlert error={show.error} onRetry={show.reload} />
  if (saved.error) return <ProblemAlert error={saved.error} onRetry={saved.reload} />
  if (!show.data || !draft || !preview) return <Loading />
  const names: Record<string, string> = Object.fromEntries(
    (inventory.data?.categories ?? []).map((c) => [c.code, c.name]),
  )
  const nameOf = (code: string) => names[code] ?? code
  const money = (minor: number) => formatMoney(minor, currency, locale)

  const setTier = (code: string, k: number, patch: Partial<TierDraft>) =>
    setDraft({
      ...draft,
      tiers: {
        ...draft.tiers,
        [code]: draft.tiers[code]!.map((tier, i) => (i === k ? { ...tier, ...patch } : tier)),
      },
    })
  const setFlash = (f: number, patch: Partial<FlashDraft>) =>
    setDraft({ ...draft, flash: draft.flash.map((sale, i) => (i === f ? { ...sale, ...patch } : sale)) })

  // The domain's messages (English, money in fen) said the console's way, in the page's language.
  const say = (text: string) =>
    text
      .split('; ')
      .map((one) => {
        const above = /above the list price (\d+)/.exec(one)
        const seats = /(\d+) seats of the category/.exec(one)
        if (above) return t('pricing_err_aboveList', { price: money(Number(above[1])) })
        if (seats) return t('pricing_err_seats', { count: seats[1]! })
        if (/whole amount/.test(one)) return t('pricing_err_money')
        if (/whole number/.test(one)) return t('pricing_err_count')
        if (/^overlaps/.test(one)) return t('pricing_err_overlap')
        if (/after startsAt/.test(one)) return t('pricing_err_after')
        if (/not a date/.test(one)) return t('pricing_err_date')
        if (/ends at a date or after a quantity/.test(one)) return t('pricing_err_ends')
        if (/label|labelled|give the flash sale an id/.test(one)) return t('pricing_err_label')
        return one
      })
      .join(' ')
  const invalid = Object.keys(fieldErrors).length > 0

  const save = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setNotice('')
    setFieldErrors({})
    const { input, sentCategories } = inputOf(draft)
    try {
      await api<ShowPricingRecord>(`${showPath}/pricing`, { method: 'PUT', body: input })
      setNotice(t('pricing_saved'))
      saved.reload()
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'validation' && failure.problem.errors?.length) {
        const byField = errorsByField(failure.problem.errors, sentCategories)
        setFieldErrors(
          Object.fromEntries(
            Object.entries(byField).map(([key, text]) => [
              key,
              key.startsWith('steps.') ? sayStep(text) : say(text),
            ]),
          ),
        )
        if (byField.form) setError(failure)
      } else setError(failure)
    } finally {
      setBusy(false)
    }
  }

  return (
    <section class="stack">
      <nav class="row" aria-label={t('presale_nav')}>
        <Link href={`/admin/shows/${encodeURIComponent(id)}`}>← {t('pricing_back')}</Link>
        <Link href={`/admin/shows/${encodeURIComponent(id)}/presale`}>{t('presale_link')}</Link>
      </nav>
      <h1>{t('pricing_title', { name: title })}</h1>
      <p class="muted">{t('pricing_hint')}</p>
      {notice && (
        <p class="alert alert-info" role="status" data-testid="notice">
          {notice}
        </p>
      )}
      {draft.flash.length > 0 && <FlashCounters live={live} categoryName={nameOf} />}
      <div class="pricing-layout">
        <form class="stack" onSubmit={save} noValidate>
          {codes.map((code) => (
            <fieldset key={code} class="card stack" data-testid="pricing-category" data-category={code}>
              <legend>
                {nameOf(code)} · {t('pricing_listPrice', { price: money(listPrices[code]!) })}
              </legend>
              {draft.tiers[code]!.map((tier, k) => {
                const at = (field: string) => fieldErrors[`tiers.${code}.${k}.${field}`]
                return (
                  <fieldset key={k} class="pricing-row" data-testid="pricing-tier">
                    <legend>{t('pricing_tier', { n: k + 1 })}</legend>
                    <TextInput
                      label={t('pricing_tierLabel')}
                      hint={t('pricing_tierLabelHint')}
                      value={tier.label}
                      error={at('label')}
                      onInput={(label) => setTier(code, k, { label })}
                    />
                    <TextInput
                      label={t('pricing_price')}
                      inputMode="decimal"
                      value={tier.price}
                      error={at('price')}
                      onInput={(price) => setTier(code, k, { price })}
                    />
                    <TextInput
                      label={t('pricing_startsAt')}
                      type="datetime-local"
                      hint={t('pricing_optional')}
                      value={tier.startsAt}
                      error={at('startsAt')}
                      onInput={(startsAt) => setTier(code, k, { startsAt })}
                    />
                    <TextInput
                      label={t('pricing_endsAt')}
                      type="datetime-local"
                      value={tier.endsAt}
                      error={at('endsAt')}
                      onInput={(endsAt) => setTier(code, k, { endsAt })}
                    />
                    <TextInput
                      label={t('pricing_quantity')}
                      inputMode="numeric"
                      hint={t('pricing_optional')}
                      value={tier.quantity}
                      error={at('quantity')}
                      onInput={(quantity) => setTier(code, k, { quantity })}
                    />
                    <Button
                      onClick={() =>
                        setDraft({
                          ...draft,
                          tiers: { ...draft.tiers, [code]: draft.tiers[code]!.filter((_, i) => i !== k) },
                        })
                      }
                    >
                      {t('pricing_remove')}
                    </Button>
                  </fieldset>
                )
              })}
              <div class="row">
                <Button
                  onClick={() =>
                    setDraft({
                      ...draft,
                      tiers: { ...draft.tiers, [code]: [...draft.tiers[code]!, emptyTier()] },
                    })
                  }
                >
                  {t('pricing_addTier')}
                </Button>
                {draft.tiers[code]!.length > 0 && (
                  <CheckboxInput
                    label={t('pricing_reopen')}
                    checked={draft.reopen[code] ?? false}
                    onChange={(on) => setDraft({ ...draft, reopen: { ...draft.reopen, [code]: on } })}
                  />
                )}
              </div>
              <StepsEditor
                steps={draft.steps[code] ?? emptySteps()}
                errorAt={(field) => fieldErrors[`steps.${code}.${field}`]}
                onChange={(steps) => setDraft({ ...draft, steps: { ...draft.steps, [code]: steps } })}
              />
            </fieldset>
          ))}
          <fieldset class="card stack" data-testid="pricing-flash-sales">
            <legend>{t('pricing_flashSales')}</legend>
            {draft.flash.length === 0 && <p class="muted">{t('pricing_flashNone')}</p>}
            {draft.flash.map((sale, f) => {
              const at = (field: string) => fieldErrors[`flash.${f}.${field}`]
              const counter = live?.show?.flashSales.find((s) => s.id === sale.id)
              return (
                <fieldset key={sale.id} class="pricing-row" data-testid="pricing-flash">
                  <legend>{t('pricing_flash', { n: f + 1 })}</legend>
                  {counter && (
                    <p class="small" data-testid="flash-live">
                      {t('pricing_flashLive', { left: counter.unitsLeft, units: counter.units })}
                    </p>
                  )}
                  <TextInput
                    label={t('pricing_tierLabel')}
                    value={sale.label}
                    error={at('label') ?? at('id')}
                    onInput={(label) => setFlash(f, { label })}
                  />
                  <Field label={t('pricing_category')} error={at('category') ?? null}>
                    {({ id: fieldId }) => (
                      <select
                        id={fieldId}
                        value={sale.category}
                        onChange={(e) => setFlash(f, { category: (e.target as HTMLSelectElement).value })}
                      >
                        {codes.map((code) => (
                          <option key={code} value={code}>
                            {nameOf(code)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <TextInput
                    label={t('pricing_price')}
                    inputMode="decimal"
                    value={sale.price}
                    error={at('price')}
                    onInput={(price) => setFlash(f, { price })}
                  />
                  <TextInput
                    label={t('pricing_units')}
                    inputMode="numeric"
                    value={sale.units}
                    error={at('units')}
                    onInput={(units) => setFlash(f, { units })}
                  />
                  <TextInput
                    label={t('pricing_opens')}
                    type="datetime-local"
                    value={sale.startsAt}
                    error={at('startsAt')}
                    onInput={(startsAt) => setFlash(f, { startsAt })}
                  />
                  <TextInput
                    label={t('pricing_closes')}
                    type="datetime-local"
                    value={sale.endsAt}
                    error={at('endsAt')}
                    onInput={(endsAt) => setFlash(f, { endsAt })}
                  />
                  <TextInput
                    label={t('pricing_perBuyer')}
                    inputMode="numeric"
                    value={sale.perBuyer}
                    error={at('perBuyer')}
                    onInput={(perBuyer) => setFlash(f, { perBuyer })}
                  />
                  <Button
                    onClick={() => setDraft({ ...draft, flash: draft.flash.filter((_, i) => i !== f) })}
                  >
                    {t('pricing_remove')}
                  </Button>
                </fieldset>
              )
            })}
            <div class="row">
              <Button
                onClick={() => setDraft({ ...draft, flash: [...draft.flash, newFlash(codes[0] ?? '')] })}
              >
                {t('pricing_addFlash')}
              </Button>
            </div>
          </fieldset>
          {invalid && (
            <p class="alert alert-error" role="alert" data-testid="pricing-invalid">
              {t('pricing_invalid')}
            </p>
          )}
          <ProblemAlert error={error} />
          <div class="row">
            <Button type="submit" variant="primary" disabled={busy}>
              {busy ? t('pricing_saving') : t('pricing_save')}
            </Button>
          </div>
        </form>
        <div class="stack pricing-aside">
          <PricingPreview pricing={preview} listPrices={listPrices} names={names} currency={currency} />
          {codes.some((code) => draft.steps[code]?.rows.length) && (
            <p class="small muted" data-testid="preview-steps-note">
              {t('steps_previewIgnores')}
            </p>
          )}
        </div>
      </div>
      <StepHistory history={saved.data?.stepHistory ?? []} nameOf={nameOf} currency={currency} />
      <DepositTermsSection showPath={showPath} codes={codes} nameOf={nameOf} currency={currency} />
    </section>
  )
}
