// A show's presale phases as the organizer edits them: name buyers see, window (China wall clock), who may buy
// (presale code holders and/or member tiers). Saved whole with PUT …/sale-phases; a `validation` answer puts
// every message at its field in the page's language and nothing is saved.
import { useEffect, useState } from 'preact/hooks'
import type { SalePhasesRecord } from '../../worker/routes/contracts/admin/sale-phases.ts'
import { ApiError, api, type FieldError } from '../lib/api.ts'
import { formatDateTime } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { Button, Field, ProblemAlert } from '../lib/ui.tsx'
import { CheckboxInput, isoToLocal, localToIso, TextInput } from './form.tsx'
import { adminMessages } from './messages.ts'

export interface PhaseDraft {
  id: string
  label: string
  startsAt: string
  endsAt: string
  codes: boolean
  tiers: string
}

const draftOf = (record: SalePhasesRecord): PhaseDraft[] =>
  record.phases.map((p) => ({
    id: p.id,
    label: p.label,
    startsAt: isoToLocal(p.startsAt),
    endsAt: isoToLocal(p.endsAt),
    codes: p.codes,
    tiers: p.memberTiers.join(', '),
  }))

/** The request body: China wall-clock times as instants, tiers split on commas (either width). */
export const phasesInput = (drafts: PhaseDraft[]) => ({
  phases: drafts.map((d) => ({
    id: d.id,
    label: d.label,
    startsAt: d.startsAt ? localToIso(d.startsAt) : '',
    endsAt: d.endsAt ? localToIso(d.endsAt) : '',
    codes: d.codes,
    memberTiers: d.tiers
      .split(/[,，]/)
      .map((tier) => tier.trim())
      .filter(Boolean),
  })),
})

/** `json.phases.<k>.<field>` → `<k>.<field>` (member tier errors on the tiers field), else `form`. */
export function phaseErrorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {}
  for (const error of errors) {
    const found = /^json\.phases\.(\d+)\.(\w+)/.exec(error.path ?? '')
    const key = found ? `${found[1]}.${found[2] === 'id' ? 'label' : found[2]}` : 'form'
    byField[key] = byField[key] ? `${byField[key]}; ${error.message}` : error.message
  }
  return byField
}

export function PresalePhases(props: {
  phasesPath: string
  saved: SalePhasesRecord
  /** The phases as the public show sees them now (status per phase), when the event is published. */
  statuses: Record<string, 'upcoming' | 'active' | 'ended'>
  sale: { saleStartsAt: string; saleEndsAt: string }
  onSaved: () => void
}) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const [drafts, setDrafts] = useState<PhaseDraft[]>(() => draftOf(props.saved))
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({})
  const [error, setError] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => setDrafts(draftOf(props.saved)), [props.saved])
  const when = (iso: string) => formatDateTime(iso, locale)

  // The domain's English messages said in the page's language.
  const say = (text: string) =>
    text
      .split('; ')
      .map((one) => {
        if (/label|lowercase|two phases/.test(one)) return t('presale_err_label')
        if (/before the general sale/.test(one))
          return t('presale_err_beforeSale', { when: when(props.sale.saleStartsAt) })
        if (/after the sale ends/.test(one))
          return t('presale_err_afterSale', { when: when(props.sale.saleEndsAt) })
        if (/not a date/.test(one)) return t('pricing_err_date')
        if (/after startsAt/.test(one)) return t('pricing_err_after')
        if (/code holders, member tiers/.test(one)) return t('presale_err_who')
        if (/member tier/.test(one)) return t('presale_err_tier')
        return one
      })
      .join(' ')

  const set = (k: number, patch: Partial<PhaseDraft>) =>
    setDrafts(drafts.map((d, i) => (i === k ? { ...d, ...patch } : d)))

  const save = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setNotice('')
    setFieldErrors({})
    try {
      await api<SalePhasesRecord>(props.phasesPath, { method: 'PUT', body: phasesInput(drafts) })
      setNotice(t('presale_phasesSaved'))
      props.onSaved()
    } catch (failure) {
      if (failure instanceof ApiError && failure.code === 'validation' && failure.problem.errors?.length) {
        const byField = phaseErrorsByField(failure.problem.errors)
        setFieldErrors(Object.fromEntries(Object.entries(byField).map(([key, text]) => [key, say(text)])))
        if (byField.form) setError(failure)
      } else setError(failure)
    } finally {
      setBusy(false)
    }
  }

  const input = (
    k: number,
    field: 'label' | 'startsAt' | 'endsAt' | 'tiers',
    label: string,
    hint?: string,
  ) => (
    <TextInput
      label={label}
      hint={hint}
      error={fieldErrors[`${k}.${field === 'tiers' ? 'memberTiers' : field}`]}
      type={field === 'startsAt' || field === 'endsAt' ? 'datetime-local' : 'text'}
      value={drafts[k]![field]}
      onInput={(value) => set(k, { [field]: value })}
    />
  )

  return (
    <form class="card stack" onSubmit={save} noValidate data-testid="presale-phases">
      <h2>{t('presale_phases')}</h2>
      <p class="muted small">
        {t('presale_generalSale', {
          from: when(props.sale.saleStartsAt),
          until: when(props.sale.saleEndsAt),
        })}
      </p>
      {notice && (
        <p class="alert alert-info" role="status" data-testid="phases-notice">
          {notice}
        </p>
      )}
      {drafts.length === 0 && <p class="muted">{t('presale_phasesNone')}</p>}
      {drafts.map((d, k) => {
        const status = props.statuses[d.id]
        return (
          <fieldset key={d.id} class="pricing-row" data-testid="presale-phase">
            <legend>
              {t('presale_phase', { n: k + 1 })}
              {status && ' '}
              {status && <span class="badge">{t(`presale_status_${status}`)}</span>}
            </legend>
            {input(k, 'label', t('presale_phaseLabel'), t('presale_phaseLabelHint'))}
            {input(k, 'startsAt', t('presale_phaseStarts'))}
            {input(k, 'endsAt', t('presale_phaseEnds'))}
            <div class={`field${fieldErrors[`${k}.codes`] ? ' field-invalid' : ''}`}>
              <CheckboxInput
                label={t('presale_phaseCodes')}
                checked={d.codes}
                onChange={(codes) => set(k, { codes })}
              />
              {fieldErrors[`${k}.codes`] && (
                <p class="field-error" role="alert">
                  {fieldErrors[`${k}.codes`]}
                </p>
              )}
            </div>
            {input(k, 'tiers', t('presale_phaseTiers'), t('presale_phaseTiersHint'))}
            <Button onClick={() => setDrafts(drafts.filter((_, i) => i !== k))}>{t('pricing_remove')}</Button>
          </fieldset>
        )
      })}
      {Object.keys(fieldErrors).length > 0 && (
        <p class="alert alert-error" role="alert" data-testid="phases-invalid">
          {t('pricing_invalid')}
        </p>
      )}
      <ProblemAlert error={error} />
      <div class="row">
        <Button
          onClick={() =>
            setDrafts([
              ...drafts,
              {
                // The API wants a short id per phase; the console never shows it.
                id: `p${Date.now().toString(36)}`,
                label: '',
                startsAt: '',
                endsAt: isoToLocal(props.sale.saleStartsAt),
                codes: true,
                tiers: '',
              },
            ])
          }
        >
          {t('presale_addPhase')}
        </Button>
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? t('pricing_saving') : t('presale_savePhases')}
        </Button>
      </div>
    </form>
  )
}
