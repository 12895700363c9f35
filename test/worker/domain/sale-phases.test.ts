import { describe, expect, it } from 'vitest'
import {
  normalizePresaleCode,
  PRESALE_CODE_LENGTH,
  PresaleGate,
  presaleCode,
  presaleCodeRequestErrors,
  type SalePhase,
  salePhaseErrors,
} from '../../../worker/domain/sale-phases.ts'

// Presale phases and presale codes as pure rules, on a controlled clock.

const T0 = Date.parse('2026-03-01T00:00:00.000Z')
const HOUR = 3600_000
const iso = (ms: number) => new Date(ms).toISOString()
const sale = { saleStartsAt: iso(T0 + 10 * HOUR), saleEndsAt: iso(T0 + 100 * HOUR), status: 'scheduled' }
const phases: SalePhase[] = [
  {
    id: 'members',
    label: 'Members',
    startsAt: iso(T0),
    endsAt: iso(T0 + 10 * HOUR),
    codes: false,
    memberTiers: ['gold'],
  },
  {
    id: 'fans',
    label: 'Fan club',
    startsAt: iso(T0 + 2 * HOUR),
    endsAt: iso(T0 + 10 * HOUR),
    codes: true,
    memberTiers: [],
  },
]
const gate = () => new PresaleGate(phases, { ABCD: 2 }, sale)

describe('presale gate', () => {
  it('admits anyone in the general sale, without counting a code', () => {
    const g = gate()
    expect(g.admit({ presaleCode: 'abcd' }, T0 + 10 * HOUR)).toEqual({ admission: null })
    expect(g.admit({}, T0 + 50 * HOUR)).toEqual({ admission: null })
  })

  it('before any phase: not_on_sale with when it opens to this buyer', () => {
    const g = gate()
    expect(g.admit({}, T0 - HOUR)).toMatchObject({ code: 'not_on_sale', opensAt: sale.saleStartsAt })
    expect(g.admit({ memberTier: 'gold' }, T0 - HOUR)).toMatchObject({ opensAt: iso(T0) })
    // The code phase opens at T0 + 2h: a code holder is told that.
    expect(g.admit({ presaleCode: 'ABCD' }, T0 + HOUR)).toMatchObject({
      code: 'not_on_sale',
      opensAt: iso(T0 + 2 * HOUR),
    })
  })

  it('in a phase: members of its tiers, codes with uses left; others wait for the general sale', () => {
    const g = gate()
    const at = T0 + 3 * HOUR
    expect(g.admit({ memberTier: 'gold' }, at)).toEqual({ admission: 'm:gold' })
    expect(g.admit({ memberTier: 'silver' }, at)).toMatchObject({
      code: 'not_on_sale',
      opensAt: sale.saleStartsAt,
    })
    expect(g.admit({ presaleCode: 'ab-cd ' }, at)).toEqual({ admission: 'c:ABCD' })
    expect(g.admit({ presaleCode: 'WXYZ' }, at)).toMatchObject({ code: 'presale_code_invalid' })
    g.count('c:ABCD', 1)
    g.count('c:ABCD', 1)
    expect(g.admit({ presaleCode: 'ABCD' }, at)).toMatchObject({ code: 'presale_code_used_up' })
    // An ended hold gives its use back; a member admission counts nothing.
    g.count('c:ABCD', -1)
    g.count('m:gold', 1)
    expect(g.admit({ presaleCode: 'ABCD' }, at)).toEqual({ admission: 'c:ABCD' })
  })

  it('keeps its counts across new settings, and a re-acquire is admitted again only while the code has room', () => {
    const g = gate()
    g.count('c:ABCD', 1)
    const next = g.withSettings(phases, { ABCD: 1 }, sale)
    expect(next.uses.get('ABCD')).toBe(1)
    expect(next.admitAgain('c:ABCD', T0 + 3 * HOUR)).toMatchObject({ code: 'presale_code_used_up' })
    expect(next.admitAgain('m:gold', T0 + 3 * HOUR)).toBeNull()
    expect(next.admitAgain(null, T0 + 3 * HOUR)).toMatchObject({ code: 'not_on_sale' })
    expect(next.admitAgain('c:ABCD', T0 + 10 * HOUR)).toBeNull()
  })

  it('a show not scheduled is not on sale to anyone', () => {
    const g = new PresaleGate(phases, { ABCD: 2 }, { ...sale, status: 'cancelled' })
    expect(g.admit({ memberTier: 'gold' }, T0 + 20 * HOUR)).toMatchObject({ code: 'not_on_sale' })
    expect(g.admit({ memberTier: 'gold' }, T0 + 3 * HOUR)).toMatchObject({ code: 'not_on_sale' })
  })
})

describe('presale codes', () => {
  it('are 12 unambiguous characters and typed in any case, with spaces or dashes', () => {
    const code = presaleCode(crypto.getRandomValues(new Uint8Array(12)))
    expect(code).toMatch(new RegExp(`^[0-9A-HJKMNP-TV-Z]{${PRESALE_CODE_LENGTH}}$`))
    expect(normalizePresaleCode(`${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `)).toBe(code)
  })

  it('requests: count 1-1000 within the room left, whole caps', () => {
    expect(presaleCodeRequestErrors(20, 1, 5000)).toEqual([])
    expect(presaleCodeRequestErrors(0, 1.5, 5000).map((e) => e.path)).toEqual(['json.count', 'json.maxUses'])
    expect(presaleCodeRequestErrors(10, 1, 5)).toMatchObject([{ path: 'json.count' }])
  })
})

describe('phase check', () => {
  it('lists every bad field at once', () => {
    const errors = salePhaseErrors(
      [
        { id: 'Bad id', label: ' ', startsAt: 'March 1', endsAt: iso(T0), codes: false, memberTiers: [] },
        {
          id: 'late',
          label: 'Late',
          startsAt: iso(T0 + 20 * HOUR),
          endsAt: iso(T0 + 200 * HOUR),
          codes: true,
          memberTiers: [''],
        },
        {
          id: 'late',
          label: 'Backwards',
          startsAt: iso(T0 + 5 * HOUR),
          endsAt: iso(T0 + HOUR),
          codes: true,
          memberTiers: [],
        },
      ],
      sale,
    )
    expect(errors.map((e) => e.path)).toEqual([
      'json.phases.0.id',
      'json.phases.0.label',
      'json.phases.0.startsAt',
      'json.phases.0.codes',
      'json.phases.1.startsAt',
      'json.phases.1.endsAt',
      'json.phases.1.memberTiers.0',
      'json.phases.2.id',
      'json.phases.2.endsAt',
    ])
    expect(salePhaseErrors(phases, sale)).toEqual([])
  })
})
