import type { FieldError } from './field-errors.ts'

// Sale phases (presales) of a show: windows before the general sale open only to holders of a presale code
// (each code with a cap of uses) and/or to customers of given member tiers. Pure: the show actor keeps a
// PresaleGate beside its seats and asks it at hold time (uses are counted where the seats are decided, so a cap
// is exact under any interleaving), the admin API checks phases with `salePhaseErrors` and makes codes with
// `presaleCode`. Windows are [startsAt, endsAt). One use is one hold (one order), whatever its seat count.

export interface SalePhase {
  /** Stable id (lowercase letters, digits, - and _). */
  id: string
  /** What buyers see (会员优先购 / Members' presale). */
  label: string
  startsAt: string
  endsAt: string
  /** Open to holders of one of the show's presale codes with uses left. */
  codes: boolean
  /** Open to customers of these member tiers (the tier comes with the hold request; see the members issue). */
  memberTiers: string[]
  /**
   * Whether a code's use comes back when an order paid with it is refunded in full (default: no; an unpaid
   * order that expires or is cancelled always gives its use back, as its hold ends).
   */
  returnUseOnRefund?: boolean
}

/** The general sale a presale comes before: the show's sale window and status. */
export interface GeneralSale {
  saleStartsAt: string
  saleEndsAt: string
  status: string
}

/** Who asks to hold during a presale: the code they typed and their member tier, each if any. */
export interface PresaleBuyer {
  presaleCode?: string
  memberTier?: string
}

export type PresaleRefusal = {
  ok: false
  code: 'not_on_sale' | 'presale_code_invalid' | 'presale_code_used_up'
  detail: string
  /** `not_on_sale`: when the sale next opens to this buyer (a phase that admits them, or the general sale). */
  opensAt?: string
}

/** A phase as the public show answers it (the shop's "presale for members from …"). */
export interface SalePhaseView {
  id: string
  label: string
  startsAt: string
  endsAt: string
  codes: boolean
  memberTiers: string[]
  status: 'upcoming' | 'active' | 'ended'
}

/** How a presale hold got in: `c:<code>` (counts one use of the code) or `m:<tier>`; null in the general sale. */
export type Admission = string | null

// Crockford's base32 without I, L, O, U: nothing to misread when typed from a message.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'
export const PRESALE_CODE_LENGTH = 12

/** A presale code from random bytes (one per character; 60 bits for 12 characters). */
export function presaleCode(random: Uint8Array): string {
  let code = ''
  for (let k = 0; k < PRESALE_CODE_LENGTH; k++) code += ALPHABET[random[k]! & 31]
  return code
}

/** A code as buyers type it: case, spaces and dashes do not matter. */
export const normalizePresaleCode = (typed: string) => typed.toUpperCase().replace(/[\s-]/g, '')

/** The answer in the general sale: one shared object, nothing allocated per hold. */
const GENERAL_SALE: { admission: Admission } = Object.freeze({ admission: null })

interface Phase extends SalePhase {
  from: number
  until: number
}

/**
 * A show's presale phases with the uses of its codes (held or sold holds; an ended hold gives its use back).
 * Dates are parsed once; a show in its general sale passes with one comparison.
 */
export class PresaleGate {
  private readonly phases: Phase[]
  private readonly saleFrom: number
  private readonly saleUntil: number

  constructor(
    phases: readonly SalePhase[] | undefined,
    /** Code → its cap of uses. */
    private readonly codes: Readonly<Record<string, number>>,
    private readonly sale: GeneralSale,
    /** Uses per code, kept across settings changes. */
    readonly uses = new Map<string, number>(),
  ) {
    this.phases = (phases ?? []).map((p) => ({
      ...p,
      from: Date.parse(p.startsAt),
      until: Date.parse(p.endsAt),
    }))
    this.saleFrom = Date.parse(sale.saleStartsAt)
    this.saleUntil = Date.parse(sale.saleEndsAt)
  }

  withSettings(
    phases: readonly SalePhase[] | undefined,
    codes: Readonly<Record<string, number>>,
    sale: GeneralSale,
  ) {
    return new PresaleGate(phases, codes, sale, this.uses)
  }

  generalSale(now: number): boolean {
    return this.sale.status === 'scheduled' && now >= this.saleFrom && now < this.saleUntil
  }

  /**
   * Whether this buyer may hold at `now`: null in the general sale, the admission in an open phase that
   * admits them, else why not. Counts nothing (`count` does once the hold is made).
   */
  admit(buyer: PresaleBuyer, now: number): { admission: Admission } | PresaleRefusal {
    if (this.generalSale(now)) return GENERAL_SALE
    if (this.sale.status !== 'scheduled')
      return { ok: false, code: 'not_on_sale', detail: 'This show is not on sale' }
    const open = this.phases.filter((p) => now >= p.from && now < p.until)
    const tier = buyer.memberTier
    if (tier) {
      const phase = open.find((p) => p.memberTiers.includes(tier))
      if (phase) return { admission: `m:${tier}` }
    }
    const code = buyer.presaleCode ? normalizePresaleCode(buyer.presaleCode) : ''
    if (code && open.some((p) => p.codes)) {
      const cap = this.codes[code]
      if (cap === undefined)
        return {
          ok: false,
          code: 'presale_code_invalid',
          detail: 'This presale code is not valid for this show',
        }
      if ((this.uses.get(code) ?? 0) >= cap)
        return {
          ok: false,
          code: 'presale_code_used_up',
          detail: `This presale code has been used ${cap} time${cap === 1 ? '' : 's'}, its limit`,
        }
      return { admission: `c:${code}` }
    }
    return this.closed(buyer, now, open.length > 0)
  }

  /** Whether an earlier admission still lets its hold be taken again now (a late payment re-acquiring). */
  admitAgain(admission: Admission, now: number): PresaleRefusal | null {
    if (this.generalSale(now)) return null
    const buyer: PresaleBuyer = admission?.startsWith('c:')
      ? { presaleCode: admission.slice(2) }
      : admission?.startsWith('m:')
        ? { memberTier: admission.slice(2) }
        : {}
    const again = this.admit(buyer, now)
    return 'ok' in again ? again : null
  }

  /** The phases for the public show, with where each stands at `now`. */
  views(now: number): SalePhaseView[] {
    return this.phases.map((p) => ({
      id: p.id,
      label: p.label,
      startsAt: p.startsAt,
      endsAt: p.endsAt,
      codes: p.codes,
      memberTiers: p.memberTiers,
      status: now < p.from ? 'upcoming' : now >= p.until ? 'ended' : 'active',
    }))
  }

  /**
   * Whether a fully refunded order gives its code's use back: the code phase open when the hold was made (any
   * code phase, if that time is unknown) says so with `returnUseOnRefund`.
   */
  returnsOnRefund(admission: Admission | undefined, heldAt: number | undefined): boolean {
    if (!admission?.startsWith('c:')) return false
    return this.phases.some(
      (p) =>
        p.codes &&
        p.returnUseOnRefund === true &&
        (heldAt === undefined || (heldAt >= p.from && heldAt < p.until)),
    )
  }

  /** A hold's admission takes (+1) or gives back (-1) a use of its code. */
  count(admission: Admission | undefined, sign: 1 | -1) {
    if (!admission?.startsWith('c:')) return
    const code = admission.slice(2)
    const next = (this.uses.get(code) ?? 0) + sign
    if (next > 0) this.uses.set(code, next)
    else this.uses.delete(code)
  }

  /** When the sale next opens to this buyer, for `not_on_sale`. */
  private closed(buyer: PresaleBuyer, now: number, presaleOpen: boolean): PresaleRefusal {
    const starts = this.phases
      .filter(
        (p) =>
          p.from > now &&
          ((buyer.memberTier && p.memberTiers.includes(buyer.memberTier)) || (buyer.presaleCode && p.codes)),
      )
      .map((p) => p.from)
    if (this.saleFrom > now) starts.push(this.saleFrom)
    const next = starts.length ? Math.min(...starts) : null
    const opensAt = next === null ? undefined : new Date(next).toISOString()
    const detail = presaleOpen
      ? `The presale is open to code holders and members only; the sale opens to you at ${opensAt ?? 'no later time'}`
      : opensAt
        ? `Tickets for this show go on sale at ${opensAt}`
        : 'Tickets for this show are not on sale now'
    return { ok: false, code: 'not_on_sale', detail, ...(opensAt ? { opensAt } : {}) }
  }
}

const ID = /^[a-z0-9_-]{1,32}$/
const instant = (s: unknown) =>
  typeof s === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s) ? Date.parse(s) : Number.NaN

/** What makes a show's phases unsellable, every problem at once with its field path. */
export function salePhaseErrors(
  phases: readonly SalePhase[],
  sale: Pick<GeneralSale, 'saleStartsAt' | 'saleEndsAt'>,
  root = 'json.phases',
): FieldError[] {
  const errors: FieldError[] = []
  const bad = (path: string, message: string) => errors.push({ path: `${root}.${path}`, message })
  const ids = new Set<string>()
  const saleFrom = Date.parse(sale.saleStartsAt)
  const saleUntil = Date.parse(sale.saleEndsAt)
  phases.forEach((p, k) => {
    if (!ID.test(p.id ?? '')) bad(`${k}.id`, 'lowercase letters, digits, - and _ (1-32)')
    else if (ids.has(p.id)) bad(`${k}.id`, `two phases are ${p.id}`)
    ids.add(p.id)
    if (!p.label?.trim()) bad(`${k}.label`, 'give the phase a label')
    const from = instant(p.startsAt)
    const until = instant(p.endsAt)
    if (Number.isNaN(from)) bad(`${k}.startsAt`, 'is not a date and time')
    else if (from >= saleFrom)
      bad(`${k}.startsAt`, `a presale opens before the general sale (${sale.saleStartsAt})`)
    if (Number.isNaN(until)) bad(`${k}.endsAt`, 'is not a date and time')
    else if (from >= until) bad(`${k}.endsAt`, 'must be after startsAt')
    else if (until > saleUntil) bad(`${k}.endsAt`, `after the sale ends (${sale.saleEndsAt})`)
    p.memberTiers.forEach((tier, t) => {
      if (!tier.trim()) bad(`${k}.memberTiers.${t}`, 'name the member tier')
    })
    if (!p.codes && p.memberTiers.length === 0)
      bad(`${k}.codes`, 'a presale is open to code holders, member tiers, or both')
  })
  return errors
}

/** What makes a request for codes bad: how many (1-1000, at most `room` more for the show) and their cap. */
export function presaleCodeRequestErrors(
  count: number,
  maxUses: number,
  room: number,
  root = 'json',
): FieldError[] {
  const errors: FieldError[] = []
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    errors.push({ path: `${root}.count`, message: 'must be a whole number from 1 to 1000' })
  else if (count > room)
    errors.push({ path: `${root}.count`, message: `the show may have ${room} more codes (5000 in all)` })
  if (!Number.isInteger(maxUses) || maxUses < 1 || maxUses > 10_000)
    errors.push({ path: `${root}.maxUses`, message: 'must be a whole number from 1 to 10000' })
  return errors
}
