// A category's price steps by sell-through on the show's pricing page (rows of "from % sold, +/- %, label", a
// floor and a ceiling in yuan), with the server's messages at their fields; and the log of steps crossed.
import type { ShowPricingRecord } from '../../worker/routes/contracts/admin/show-pricing.ts'
import { formatDateTime, formatMoney } from '../lib/format.ts'
import { useLocale } from '../lib/i18n.ts'
import { Button, Field } from '../lib/ui.tsx'
import { TextInput } from './form.tsx'
import { adminMessages } from './messages.ts'
import { emptyStep, type StepDraft, type StepsDraft } from './pricing-draft.ts'

/** The domain's step messages (English) in the page's language. */
export function useSayStepError() {
  const t = adminMessages.useT()
  return (text: string) =>
    text
      .split('; ')
      .map((one) => {
        if (/whole percent from 1 to 99|above the step before/.test(one)) return t('steps_err_at')
        if (/from -50 to 200/.test(one)) return t('steps_err_percent')
        if (/at most 40/.test(one)) return t('steps_err_label')
        if (/at least the floor/.test(one)) return t('steps_err_ceiling')
        if (/0 or more/.test(one)) return t('steps_err_money')
        if (/at most 10 steps/.test(one)) return t('steps_err_count')
        return one
      })
      .join(' ')
}

export function StepsEditor(props: {
  steps: StepsDraft
  /** The message at `<k>.<field>`, `floor`, `ceiling` or `all`, already in the page's language. */
  errorAt: (field: string) => string | undefined
  onChange: (steps: StepsDraft) => void
}) {
  const t = adminMessages.useT()
  const { steps } = props
  const setRow = (k: number, patch: Partial<StepDraft>) =>
    props.onChange({ ...steps, rows: steps.rows.map((row, i) => (i === k ? { ...row, ...patch } : row)) })
  const all = props.errorAt('all')
  return (
    <fieldset class="stack" data-testid="price-steps">
      <legend>{t('steps_title')}</legend>
      <p class="small muted">{t('steps_hint')}</p>
      {steps.rows.map((row, k) => (
        <fieldset key={k} class="pricing-row" data-testid="price-step">
          <legend>{t('steps_row', { n: k + 1 })}</legend>
          <TextInput
            label={t('steps_at')}
            inputMode="numeric"
            value={row.atPercentSold}
            error={props.errorAt(`${k}.atPercentSold`)}
            onInput={(atPercentSold) => setRow(k, { atPercentSold })}
          />
          <TextInput
            label={t('steps_percent')}
            hint={t('steps_percentHint')}
            inputMode="text"
            value={row.percent}
            error={props.errorAt(`${k}.percent`)}
            onInput={(percent) => setRow(k, { percent })}
          />
          <TextInput
            label={t('steps_label')}
            hint={t('pricing_optional')}
            value={row.label}
            error={props.errorAt(`${k}.label`)}
            onInput={(label) => setRow(k, { label })}
          />
          <Button onClick={() => props.onChange({ ...steps, rows: steps.rows.filter((_, i) => i !== k) })}>
            {t('pricing_remove')}
          </Button>
        </fieldset>
      ))}
      {all && <small class="field-error">{all}</small>}
      {(steps.rows.length > 0 || steps.floor || steps.ceiling) && (
        <div class="pricing-row">
          <TextInput
            label={t('steps_floor')}
            hint={t('pricing_optional')}
            inputMode="decimal"
            value={steps.floor}
            error={props.errorAt('floor')}
            onInput={(floor) => props.onChange({ ...steps, floor })}
          />
          <TextInput
            label={t('steps_ceiling')}
            hint={t('pricing_optional')}
            inputMode="decimal"
            value={steps.ceiling}
            error={props.errorAt('ceiling')}
            onInput={(ceiling) => props.onChange({ ...steps, ceiling })}
          />
        </div>
      )}
      <div class="row">
        <Button onClick={() => props.onChange({ ...steps, rows: [...steps.rows, emptyStep()] })}>
          {t('steps_add')}
        </Button>
      </div>
    </fieldset>
  )
}

type StepCrossing = NonNullable<ShowPricingRecord['stepHistory']>[number]

/** Steps crossed by sell-through, newest first: when, category, from step → to step, the new price. */
export function StepHistory(props: {
  history: StepCrossing[]
  nameOf: (code: string) => string
  currency: string
}) {
  const t = adminMessages.useT()
  const locale = useLocale()
  const money = (minor: number) => formatMoney(minor, props.currency, locale)
  // The log names a step by its share sold (`atPercentSold`); 0 is the list price.
  const stepName = (atPercent: number) =>
    atPercent <= 0 ? t('history_listPrice') : t('history_step', { n: atPercent })
  return (
    <section class="card stack" data-testid="step-history">
      <h2>{t('history_title')}</h2>
      {props.history.length === 0 ? (
        <p class="muted">{t('history_none')}</p>
      ) : (
        <div class="table-scroll">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('history_when')}</th>
                <th scope="col">{t('history_category')}</th>
                <th scope="col">{t('history_steps')}</th>
                <th scope="col">{t('history_price')}</th>
              </tr>
            </thead>
            <tbody>
              {[...props.history].reverse().map((row) => (
                <tr key={`${row.at}-${row.category}-${row.toStep}`} data-testid="step-crossing">
                  <td>{formatDateTime(row.at, locale)}</td>
                  <td>{props.nameOf(row.category)}</td>
                  <td>
                    {stepName(row.fromStep)} → {stepName(row.toStep)}
                  </td>
                  <td>
                    {money(row.previousPrice)} → {money(row.price)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
