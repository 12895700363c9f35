// How a member takes seats when starting or joining a group: a price category (best available, next to the group
// where possible), how many, and an email for the tickets (guests need one).
import { useMemo, useState } from 'preact/hooks'
import { formatMoney } from '../../lib/format.ts'
import { useLocale } from '../../lib/i18n.ts'
import { Button, Field } from '../../lib/ui.tsx'
import type { CategoryAvailability } from '../types.ts'
import { groupBuyMessages } from './group-buy-messages.ts'

const contactKey = 'checkout-contact'

export interface Seating {
  category: string
  quantity: number
  email: string
}

export function GroupSeatingForm(props: {
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
  const nameOf = (code: string) => props.categories.find((c) => c.code === code)?.name ?? code

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
        props.onSubmit({ category, quantity, email: email.trim() })
      }}
    >
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
      <Button type="submit" variant="primary" disabled={props.busy}>
        {props.submitLabel}
      </Button>
    </form>
  )
}
