// A scenic product's or package's price calendar as the console edits it (yuan as typed, rows per rule) and as
// the API takes it (fen), both ways; and the server's `validation` errors placed back at the typed fields.
import type { DatePriceRule, ScenicPricing } from '../../../worker/domain/scenic-price-calendar.ts'
import type {
  ScenicPricingInput,
  ScenicPricingRecord,
} from '../../../worker/routes/contracts/admin/scenic-pricing.ts'
import type { FieldError } from '../../lib/api.ts'
import { fenToYuan } from '../form.tsx'

export type RuleKind = 'date' | 'range' | 'weekdays'

export interface DateRuleDraft {
  kind: RuleKind
  date: string
  from: string
  to: string
  weekdays: number[]
  /** Holiday dates, one per line or comma separated. */
  holidays: string
  price: string
  label: string
  channels: string[]
}

export interface TierRowDraft {
  label: string
  price: string
  minDaysAhead: string
  quantity: string
  channels: string[]
}

export interface ScenicPriceDraft {
  dates: DateRuleDraft[]
  tiers: TierRowDraft[]
}

export const emptyDateRule = (kind: RuleKind = 'weekdays'): DateRuleDraft => ({
  kind,
  date: '',
  from: '',
  to: '',
  weekdays: kind === 'weekdays' ? [0, 6] : [],
  holidays: '',
  price: '',
  label: '',
  channels: [],
})

export const emptyTierRow = (): TierRowDraft => ({
  label: '',
  price: '',
  minDaysAhead: '',
  quantity: '',
  channels: [],
})

const kindOf = (rule: DatePriceRule): RuleKind =>
  rule.date ? 'date' : rule.from || rule.to ? 'range' : 'weekdays'

export function priceDraftOf(record: ScenicPricingRecord): ScenicPriceDraft {
  return {
    dates: record.dates.map((rule) => ({
      kind: kindOf(rule),
      date: rule.date ?? '',
      from: rule.from ?? '',
      to: rule.to ?? '',
      weekdays: rule.weekdays ?? [],
      holidays: (rule.holidays ?? []).join(', '),
      price: fenToYuan(rule.price),
      label: rule.label ?? '',
      channels: rule.channels ?? [],
    })),
    tiers: record.tiers.map((tier) => ({
      label: tier.label,
      price: fenToYuan(tier.price),
      minDaysAhead: tier.minDaysAhead == null ? '' : String(tier.minDaysAhead),
      quantity: tier.quantity == null ? '' : String(tier.quantity),
      channels: tier.channels ?? [],
    })),
  }
}

// Text that is not a number goes out as 0 so the server names the field together with every other bad one.
const fen = (yuan: string) => {
  const n = Number(yuan.trim())
  return yuan.trim() === '' || !Number.isFinite(n) ? 0 : Math.round(n * 100)
}
const whole = (text: string) => {
  const n = Number(text.trim())
  return text.trim() === '' || !Number.isFinite(n) ? 0 : n
}
const channelsOf = (channels: string[]) => (channels.length ? channels : null)

export function priceInputOf(draft: ScenicPriceDraft): ScenicPricingInput {
  return {
    dates: draft.dates.map((rule) => ({
      ...(rule.kind === 'date' ? { date: rule.date } : {}),
      ...(rule.kind === 'range' ? { from: rule.from, to: rule.to } : {}),
      ...(rule.kind === 'weekdays'
        ? {
            weekdays: rule.weekdays,
            holidays: rule.holidays
              .split(/[\s,，、]+/)
              .map((d) => d.trim())
              .filter(Boolean),
          }
        : {}),
      price: fen(rule.price),
      label: rule.label.trim() || null,
      channels: channelsOf(rule.channels),
    })),
    tiers: draft.tiers.map((tier) => ({
      label: tier.label,
      price: fen(tier.price),
      minDaysAhead: tier.minDaysAhead.trim() ? whole(tier.minDaysAhead) : null,
      quantity: tier.quantity.trim() ? whole(tier.quantity) : null,
      channels: channelsOf(tier.channels),
    })),
  }
}

/** The draft as the pure rule's pricing, for the month view (rows not valid yet are left out). */
export function previewOf(draft: ScenicPriceDraft): ScenicPricing {
  const input = priceInputOf(draft)
  return { dates: input.dates.filter((rule) => rule.price > 0), tiers: [] }
}

/** Field errors keyed `dates.<k>.<field>` / `tiers.<k>.<field>`, else `form` (server paths start `json.`). */
export function priceErrorsByField(errors: FieldError[]): Record<string, string> {
  const byField: Record<string, string> = {}
  for (const error of errors) {
    const path = (error.path ?? '').replace(/^json\./, '')
    const row = /^(dates|tiers)\.(\d+)\.(\w+)/.exec(path)
    const key = row ? `${row[1]}.${row[2]}.${row[3]}` : 'form'
    const message = row ? error.message : `${path} ${error.message}`
    byField[key] = byField[key] ? `${byField[key]}; ${message}` : message
  }
  return byField
}
