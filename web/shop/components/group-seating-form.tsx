// How a member takes seats when starting or joining a group: best available in a price category (next to the group
// where possible) and how many, or their own seats picked on the seat map (the leader seating the group); and an
// email for the tickets (guests need one).
import { useMemo, useState } from 'preact/hooks'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { categoryName } from '../../lib/labels.ts'
import { Button, Field } from '../../lib/ui.tsx'
import type { CategoryAvailability } from '../types.ts'
import { groupBuyMessages } from './group-buy-messages.ts'
import { GroupSeatPicker } from './group-seat-picker.tsx'

const contactKey = 'checkout-contact'

export type Seating = ({ category: string } | { seatIds: string[] }) & { quantity: number; email: string }

export function GroupSeatingForm(props: {
  showId: string
  isCinema: boolean
  /** Start with the seat map open (the leader picks where the group sits). */
  pickFirst?: boolean
  /** Bumped by the page after a refusal, so the seat map shows what was just taken. */
  reloadKey?: number
  prices: Record<string, number>
  categories: CategoryAvailability[]
  currency: string
  perBuyerLimit: number
  submitLabel: string
  busy: boolean
  onSubmit: (seating: Seating) => void
}) {
  const t = groupBuyMessages.useT()
  const locale = useLocale()
  const saved = useMemo(
    () => JSON.parse(localStorage.getItem(contactKey) ?? '{}') as Record<string, string>,
    [],
  )
  const codes = Object.keys(props.prices)
  const [category, setCategory] = useState(codes[0] ?? '')
  const [quantity, setQuantity] = useState(1)
  const [email, setEmail] = useState(saved.email ?? '')
  const [missing, setMissing] = useState(false)
  const [onMap, setOnMap] = useState(Boolean(props.pickFirst))
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set())
  const radioName = useMemo(() => `seating-${Math.random().toString(36).slice(2, 8)}`, [])
  const nameOf = (code: string) => categoryName(code, props.categories, locale)

  return (
    <form
      class="stack"
      onSubmit={(event) => {
        event.preventDefault()
        if (!email.trim()) {
          setMissing(true)
          return
        }
        setMissing(false)
        localStorage.setItem(contactKey, JSON.stringify({ ...saved, email: email.trim() }))
        props.onSubmit(
          onMap
            ? { seatIds: [...picked], quantity: picked.size, email: email.trim() }
            : { category, quantity, email: email.trim() },
        )
      }}
    >
      <fieldset class="seating-mode">
        <legend>{t('howSeated')}</legend>
        <label class="seating-choice">
          <input type="radio" name={radioName} checked={!onMap} onChange={() => setOnMap(false)} />
          {t('seatBest')}
        </label>
        <label class="seating-choice">
          <input type="radio" name={radioName} checked={onMap} onChange={() => setOnMap(true)} />
          {t('seatOnMap')}
        </label>
      </fieldset>
      {onMap ? (
        <GroupSeatPicker
          showId={props.showId}
          isCinema={props.isCinema}
          prices={props.prices}
          currency={props.currency}
          limit={Math.max(1, props.perBuyerLimit)}
          selected={picked}
          onChange={(ids) => setPicked(ids)}
          reloadKey={props.reloadKey ?? 0}
        />
      ) : (
        <div class="row">
          <Field label={t('category')}>
            {({ id }) => (
              <select
                id={id}
                value={category}
                onChange={(e) => setCategory((e.target as HTMLSelectElement).value)}
              >
                {codes.map((code) => (
                  <option key={code} value={code}>
                    {nameOf(code)} · {formatMoney(props.prices[code]!, props.currency, locale)}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('quantity')}>
            {({ id }) => (
              <select
                id={id}
                value={quantity}
                onChange={(e) => setQuantity(Number((e.target as HTMLSelectElement).value))}
              >
                {Array.from({ length: Math.max(1, props.perBuyerLimit) }, (_, i) => i + 1).map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      <Field label={t('email')} error={missing ? t('contactNeeded') : null}>
        {({ id, describedBy, invalid }) => (
          <input
            id={id}
            type="email"
            autoComplete="email"
            required
            aria-invalid={invalid}
            aria-describedby={describedBy}
            value={email}
            onInput={(e) => setEmail((e.target as HTMLInputElement).value)}
          />
        )}
      </Field>
      <Button type="submit" variant="primary" disabled={props.busy || (onMap && picked.size === 0)}>
        {onMap && picked.size > 0
          ? `${props.submitLabel} (${t('seatsPicked', { count: picked.size })})`
          : props.submitLabel}
      </Button>
      {onMap && picked.size === 0 && <p class="muted small">{t('pickSeatsFirst')}</p>}
    </form>
  )
}
