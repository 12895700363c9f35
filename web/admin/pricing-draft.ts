// A show's pricing as the console edits it (yuan and China wall-clock times as typed) and as the API takes it
// (fen and ISO instants), both ways; and the server's `validation` errors placed back at the typed fields.
import type { ShowPricing } from '../../worker/domain/price-schedule.ts'
import type { ShowPricingInput, ShowPricingRecord } from '../../worker/routes/contracts/admin/show-pricing.ts'
import type { FieldError } from '../lib/api.ts'
import { fenToYuan, isoToLocal, localToIso } from './form.tsx'

export interface TierDraft {
  label: string
  price: string
  startsAt: string
  endsAt: string
  quantity: string
}

export interface FlashDraft {
  id: string
  label: string
  category: string
  price: string
  units: string
  startsAt: string
  endsAt: string
  perBuyer: string
}

/** A step of a category's list price by sell-through, as typed (percents; the label optional). */
export interface StepDraft {
  atPercentSold: string
  percent: string
  label: string
}

/** A category's price steps with their bounds (yuan as typed). */
export interface StepsDraft {
  rows: StepDraft[]
  floor: string
  ceiling: string
}

export interface PricingDraft {
  /** Tiers per price category code, in order. */
  tiers: Record<string, TierDraft[]>
  reopen: Record<string, boolean>
  flash: FlashDraft[]
  /** Price steps by sell-through per category code. */
  steps: Record<string, StepsDraft>
}

export const emptySteps = (): StepsDraft => ({ rows: [], floor: '', ceiling: '' })
export const emptyStep = (): StepDraft => ({ atPercentSold: '', percent: '', label: '' })
const hasSteps = (steps: StepsDraft | undefined) =>
  !!steps && (steps.rows.length > 0 || steps.floor.trim() !== '' || steps.ceiling.trim() !== '')

export const emptyTier = (): TierDraft => ({ label: '', price: '', startsAt: '', endsAt: '', quantity: '' })

export const newFlash = (category: string): FlashDraft => ({
  // The API wants a short id per flash sale; the console never shows it.
  id: `f${Date.now().toString(36)}`,
  label: '',
  category,
  price: '',
  units: '',
  startsAt: '',
  endsAt: '',
  perBuyer: '1',
})

export function draftOf(record: ShowPricingRecord, categories: string[]): PricingDraft {
  const tiers: Record<string, TierDraft[]> = Object.fromEntries(categories.map((code) => [code, []]))
  const reopen: Record<string, boolean> = {}
  const steps: Record<string, StepsDraft> = Object.fromEntries(categories.map((code) => [code, emptySteps()]))
  for (const schedule of record.schedules) {
    steps[schedule.category] = {
      rows: (schedule.steps ?? []).map((step) => ({
        atPercentSold: String(step.atPercentSold),
        percent: String(step.percent),
        label: step.label ?? '',
      })),
      floor: fenToYuan(schedule.floor),
      ceiling: fenToYuan(schedule.ceiling),
    }
    tiers[schedule.category] = schedule.tiers.map((tier) => ({
      label: tier.label,
      price: fenToYuan(tier.price),
      startsAt: isoToLocal(tier.startsAt),
      endsAt: isoToLocal(tier.endsAt),
      quantity: tier.quantity == null ? '' : String(tier.quantity),
    }))
    reopen[schedule.category] = schedule.reopenOnRefund ?? false
  }
  const flash = record.flashSales.map((sale) => ({
    id: sale.id,
    label: sale.label,
    category: sale.category,
    price: fenToYuan(sale.price),
    units: String(sale.units),
    startsAt: isoToLocal(sale.startsAt),
    endsAt: isoToLocal(sale.endsAt),
    perBuyer: String(sale.perBuyer),
  }))
  return { tiers, reopen, flash, steps }
}

// Text that is not a number goes out as NaN's stand-in 0 with a fraction kept as is, so the server names the
// field ("must be a positive whole amount") together with every other bad field, instead of the console
// refusing alone.
const fen = (yuan: string) => {
  const n = Number(yuan.trim())
  return yuan.trim() === '' || !Number.isFinite(n) ? 0 : Math.round(n * 100)
}
const whole = (text: string) => {
  const n = Number(text.trim())
  return text.trim() === '' || !Number.isFinite(n) ? 0 : n
}

/** The request body, and which category each sent schedule is (errors come back by schedule index). */
export function inputOf(draft: PricingDraft): { input: ShowPricingInput; sentCategories: string[] } {
  const sentCategories = Object.keys(draft.tiers).filter(
    (code) => draft.tiers[code]!.length > 0 || hasSteps(draft.steps[code]),
  )
  const stepsOf = (category: string) => {
    const steps = draft.steps[category]
    if (!hasSteps(steps)) return {}
    return {
      steps: steps!.rows.map((row) => ({
        atPercentSold: whole(row.atPercentSold),
        percent: whole(row.percent.replace(/^\+/, '')),
        label: row.label.trim() || null,
      })),
      floor: steps!.floor.trim() ? fen(steps!.floor) : null,
      ceiling: steps!.ceiling.trim() ? fen(steps!.ceiling) : null,
    }
  }
  const input: ShowPricingInput = {
    schedules: sentCategories.map((category) => ({
      category,
      reopenOnRefund: draft.reopen[category] ?? false,
      ...stepsOf(category),
      tiers: draft.tiers[category]!.map((tier) => ({
        label: tier.label,
        price: fen(tier.price),
        startsAt: tier.startsAt ? localToIso(tier.startsAt) : null,
        endsAt: tier.endsAt ? localToIso(tier.endsAt) : null,
        quantity: tier.quantity.trim() ? whole(tier.quantity) : null,
      })),
    })),
    flashSales: draft.flash.map((sale) => ({
      id: sale.id,
      label: sale.label,
      category: sale.category,
      price: fen(sale.price),
      units: whole(sale.units),
      startsAt: sale.startsAt ? localToIso(sale.startsAt) : '',
      endsAt: sale.endsAt ? localToIso(sale.endsAt) : '',
      perBuyer: whole(sale.perBuyer),
    })),
  }
  return { input, sentCategories }
}

/** The draft as the pure domain's pricing, for the preview (fields that are not valid yet are left out). */
export function previewPricing(draft: PricingDraft): ShowPricing {
  const { input } = inputOf(draft)
  return {
    // Price steps depend on what has sold, which a date alone does not tell: the preview leaves them out (and says so).
    schedules: input.schedules.map((schedule) => ({
      category: schedule.category,
      reopenOnRefund: schedule.reopenOnRefund,
      tiers: schedule.tiers.filter((tier) => tier.label && tier.price > 0),
    })),
    flashSales: input.flashSales.filter(
      (sale) => sale.label && sale.price > 0 && sale.startsAt && sale.endsAt,
    ),
  }
}

/**
 * Field errors keyed the console's way: `tiers.<category>.<k>.<field>`, `steps.<category>.<k>.<field>`,
 * `steps.<category>.floor|ceiling|all`, `flash.<f>.<field>`, else `form`.
 * The server's paths are `json.schedules.<s>.tiers.<k>.<field>` and `json.flashSales.<f>.<field>`.
 */
export function errorsByField(errors: FieldError[], sentCategories: string[]): Record<string, string> {
  const byField: Record<string, string> = {}
  const add = (key: string, message: string) => {
    byField[key] = byField[key] ? `${byField[key]}; ${message}` : message
  }
  for (const error of errors) {
    const path = (error.path ?? '').replace(/^json\./, '')
    const tier = /^schedules\.(\d+)\.tiers\.(\d+)\.(\w+)$/.exec(path)
    const flash = /^flashSales\.(\d+)\.(\w+)$/.exec(path)
    const step = /^schedules\.(\d+)\.steps\.(\d+)\.(\w+)$/.exec(path)
    const bound = /^schedules\.(\d+)\.(floor|ceiling|steps)$/.exec(path)
    if (tier) add(`tiers.${sentCategories[Number(tier[1])]}.${tier[2]}.${tier[3]}`, error.message)
    else if (step) add(`steps.${sentCategories[Number(step[1])]}.${step[2]}.${step[3]}`, error.message)
    else if (bound)
      add(
        `steps.${sentCategories[Number(bound[1])]}.${bound[2] === 'steps' ? 'all' : bound[2]}`,
        error.message,
      )
    else if (flash) add(`flash.${flash[1]}.${flash[2]}`, error.message)
    else add('form', `${path} ${error.message}`)
  }
  return byField
}
