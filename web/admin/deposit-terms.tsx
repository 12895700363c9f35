// A show's deposit presale (定金) on its pricing page: on or off, the deposit per ticket (typed in yuan, sent in
// fen), the categories it is sold for (ticked by name; none ticked: all), the balance window in China time, the
// reminder lead in hours and what happens to the deposit of an unpaid balance. The server judges the terms
// against the show's prices and start; its one `validation` answer is placed at each field, and nothing is saved.
import { useEffect, useState } from 'preact/hooks'
import type { ShowDepositRecord } from '../../worker/routes/contracts/admin/show-deposit.ts'
import { ApiError, api } from '../lib/api.ts'
import { formatDateTime, formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { Button, Field, ProblemAlert, useResource } from '../lib/ui.tsx'
import { CheckboxInput, fenToYuan, isoToLocal, localToIso, TextInput } from './form.tsx'
import { adminMessages } from './messages.ts'

interface DepositDraft {
  on: boolean
  amount: string
  categories: string[]
  opens: string
  due: string
  reminderHours: string
  forfeit: 'keep' | 'refund'
}

const emptyDraft = (): DepositDraft => ({
  on: false,
  amount: '',
  categories: [],
  opens: '',
  due: '',
  reminderHours: '24',
  forfeit: 'keep',
})

function draftOf(record: ShowDepositRecord): DepositDraft {
  const terms = record.deposit
  if (!terms) return emptyDraft()
  return {
    on: true,
    amount: fenToYuan(terms.amount),
    categories: terms.categories,
    opens: isoToLocal(terms.balanceOpensAt),
    due: isoToLocal(terms.balanceDueAt),
    reminderHours: String(terms.reminderLeadMinutes / 60),
    forfeit: terms.forfeit,
  }
}

// Text that is not a number goes out as 0 (or a fraction as is) so the server names the field with the rest.
const number = (text: string) => {
  const n = Number(text.trim())
  return text.trim() === '' || !Number.isFinite(n) ? 0 : n
}

export function DepositTermsSection(props: {
  showPath: string
  codes: string[]
  nameOf: (code: string) => string
  currency: string
}) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const path = `${props.showPath}/deposit`
  const saved = useResource((signal) => api<ShowDepositRecord>(path, { signal }), [path])
  const [draft, setDraft] = useState<DepositDraft | null>(null)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [failure, setFailure] = useState<unknown>(null)
  const [notice, setNotice] = useState('')
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    if (saved.data) setDraft(draftOf(saved.data))
  }, [saved.data])
  if (saved.error) return <ProblemAlert error={saved.error} onRetry={saved.reload} />
  if (!draft) return null
  const set = (patch: Partial<DepositDraft>) => setDraft({ ...draft, ...patch })
  const money = (minor: number) => formatMoney(minor, props.currency, locale)

  // The domain's messages (English, money in fen) in the page's language.
  const say = (text: string) => {
    const below = /lowest price it applies to \((\d+)\)/.exec(text)
    if (below) return t('deposit_err_belowPrice', { price: money(Number(below[1])) })
    if (/whole amount/.test(text)) return t('deposit_err_amount')
    if (/due after its window opens/.test(text)) return t('deposit_err_dueAfterOpens')
    if (/before the show starts/.test(text)) return t('deposit_err_beforeShow')
    if (/ISO-8601/.test(text)) return t('deposit_err_date')
    if (/whole minutes/.test(text)) return t('deposit_err_reminder')
    if (/no price for category/.test(text)) return t('deposit_err_category')
    return text
  }

  const save = async (event: Event) => {
    event.preventDefault()
    setBusy(true)
    setErrors({})
    setFailure(null)
    setNotice('')
    const deposit = draft.on
      ? {
          amount: Math.round(number(draft.amount) * 100),
          categories: draft.categories,
          balanceOpensAt: localToIso(draft.opens),
          balanceDueAt: localToIso(draft.due),
          reminderLeadMinutes: Math.round(number(draft.reminderHours) * 60),
          forfeit: draft.forfeit,
        }
      : null
    try {
      await api<ShowDepositRecord>(path, { method: 'PUT', body: { deposit } })
      setNotice(draft.on ? t('deposit_saved') : t('deposit_off'))
      saved.reload()
    } catch (problem) {
      if (problem instanceof ApiError && problem.code === 'validation' && problem.problem.errors?.length) {
        const byField: Record<string, string> = {}
        for (const error of problem.problem.errors) {
          const field = (error.path ?? '').replace(/^json\.deposit\./, '').replace(/\.\d+$/, '')
          const key = [
            'amount',
            'categories',
            'balanceOpensAt',
            'balanceDueAt',
            'reminderLeadMinutes',
          ].includes(field)
            ? field
            : 'form'
          byField[key] = byField[key] ? `${byField[key]} ${say(error.message)}` : say(error.message)
        }
        setErrors(byField)
        if (byField.form) setFailure(problem)
      } else setFailure(problem)
    } finally {
      setBusy(false)
    }
  }

  const amount = Math.round(number(draft.amount) * 100)
  const opensIso = draft.opens ? localToIso(draft.opens) : ''
  const dueIso = draft.due ? localToIso(draft.due) : ''
  const buyerSees =
    draft.on && amount > 0 && opensIso && dueIso
      ? `${t('deposit_buyerSees', {
          deposit: money(amount),
          opens: formatDateTime(opensIso, locale),
          due: formatDateTime(dueIso, locale),
        })} ${draft.forfeit === 'keep' ? t('deposit_buyerKeep') : t('deposit_buyerRefund')}`
      : ''
  const input = (
    key: 'amount' | 'opens' | 'due' | 'reminderHours',
    label: string,
    error: string | undefined,
    extra: { type?: string; inputMode?: 'decimal' | 'numeric'; hint?: string } = {},
  ) => (
    <TextInput
      label={label}
      error={error}
      hint={extra.hint}
      type={extra.type}
      inputMode={extra.inputMode}
      value={draft[key]}
      onInput={(value) => set({ [key]: value })}
    />
  )

  return (
    <form class="card stack" onSubmit={save} noValidate data-testid="deposit-terms">
      <h2>{t('deposit_title')}</h2>
      <p class="muted">{t('deposit_hint')}</p>
      <CheckboxInput label={t('deposit_on')} checked={draft.on} onChange={(on) => set({ on })} />
      {draft.on && (
        <div class="deposit-grid">
          {input('amount', t('deposit_amount'), errors.amount, { inputMode: 'decimal' })}
          <fieldset class="stack" data-testid="deposit-categories">
            <legend>{t('deposit_categories')}</legend>
            {props.codes.map((code) => (
              <CheckboxInput
                key={code}
                label={props.nameOf(code)}
                checked={draft.categories.includes(code)}
                onChange={(on) =>
                  set({
                    categories: on ? [...draft.categories, code] : draft.categories.filter((c) => c !== code),
                  })
                }
              />
            ))}
            <p class="small muted">{t('deposit_categoriesHint')}</p>
            {errors.categories && (
              <small class="field-error" role="alert">
                {errors.categories}
              </small>
            )}
          </fieldset>
          {input('opens', t('deposit_opens'), errors.balanceOpensAt, {
            type: 'datetime-local',
            hint: t('deposit_chinaTime'),
          })}
          {input('due', t('deposit_due'), errors.balanceDueAt, {
            type: 'datetime-local',
            hint: t('deposit_chinaTime'),
          })}
          {input('reminderHours', t('deposit_reminder'), errors.reminderLeadMinutes, {
            inputMode: 'numeric',
          })}
          <Field label={t('deposit_forfeit')}>
            {({ id }) => (
              <select
                id={id}
                value={draft.forfeit}
                onChange={(e) => set({ forfeit: (e.target as HTMLSelectElement).value as 'keep' | 'refund' })}
              >
                <option value="keep">{t('deposit_forfeitKeep')}</option>
                <option value="refund">{t('deposit_forfeitRefund')}</option>
              </select>
            )}
          </Field>
        </div>
      )}
      {buyerSees && (
        <p class="small" data-testid="deposit-buyer-sees">
          {t('deposit_buyerLabel')} {buyerSees}
        </p>
      )}
      {Object.keys(errors).length > 0 && (
        <p class="alert alert-error" role="alert" data-testid="deposit-invalid">
          {t('deposit_invalid')}
        </p>
      )}
      <ProblemAlert error={failure} />
      {notice && (
        <p class="alert alert-info" role="status" data-testid="deposit-notice">
          {notice}
        </p>
      )}
      <div class="row">
        <Button type="submit" variant="primary" disabled={busy}>
          {busy ? t('pricing_saving') : t('deposit_save')}
        </Button>
      </div>
    </form>
  )
}
