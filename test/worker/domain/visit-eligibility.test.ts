import { describe, expect, it } from 'vitest'
import {
  birthDateOfIdNumber,
  checkCharacterOf,
  isValidPrcIdNumber,
} from '../../../worker/domain/id-number.ts'
import { ageOn, ageRefusalDetail, checkAge } from '../../../worker/domain/visit-eligibility.ts'
import { idNumberBornOn } from '../../support/catalogue.ts'

const idBornOn = (birth: string) => idNumberBornOn(birth, 123)

/** The same number with a wrong check character. */
const badCheck = (id: string) => `${id.slice(0, 17)}${id[17] === '0' ? '1' : '0'}`

describe('birth date from an ID number', () => {
  it('computes the check character of the standard’s own examples', () => {
    expect(checkCharacterOf('11010519491231002')).toBe('X')
    expect(checkCharacterOf('44052418800101001')).toBe('4')
    expect(isValidPrcIdNumber('11010519491231002X')).toBe(true)
  })

  it('reads the birth date of a valid number, nothing from an invalid one', () => {
    const id = idBornOn('1966-05-17')
    expect(isValidPrcIdNumber(id)).toBe(true)
    expect(birthDateOfIdNumber(id)).toBe('1966-05-17')
    expect(birthDateOfIdNumber(id.toLowerCase())).toBe('1966-05-17')
    expect(birthDateOfIdNumber(badCheck(id))).toBeNull()
    expect(birthDateOfIdNumber('E12345678')).toBeNull() // a passport number
    expect(birthDateOfIdNumber('330106199002301234')).toBeNull() // 30 February
  })
})

describe('age on the visit date', () => {
  it('goes up on the birthday itself, not the day before', () => {
    expect(ageOn('1966-05-17', '2026-05-16')).toBe(59)
    expect(ageOn('1966-05-17', '2026-05-17')).toBe(60)
    expect(ageOn('1966-05-17', '2026-05-18')).toBe(60)
    expect(ageOn('1966-12-31', '2027-01-01')).toBe(60)
    expect(ageOn('1967-01-01', '2026-12-31')).toBe(59)
  })

  it('takes 1 March as a 29 February birthday in years without one', () => {
    expect(ageOn('1964-02-29', '2024-02-28')).toBe(59)
    expect(ageOn('1964-02-29', '2024-02-29')).toBe(60) // a leap year: the day itself
    expect(ageOn('1968-02-29', '2028-02-29')).toBe(60)
    expect(ageOn('1966-02-28', '2026-02-28')).toBe(60)
    expect(ageOn('1964-02-29', '2025-02-28')).toBe(60)
    expect(ageOn('1965-02-28', '2025-02-28')).toBe(60)
    // Born 29 Feb 1964, in 2023 (no 29 February): still 58 on the 28th, 59 from 1 March.
    expect(ageOn('1964-02-29', '2023-02-28')).toBe(58)
    expect(ageOn('1964-02-29', '2023-03-01')).toBe(59)
  })
})

describe('age rules', () => {
  const senior = { minAge: 60 }
  const adult = { minAge: 18, maxAge: 59 }

  it('admits a senior from the 60th birthday, on the visit date rather than today', () => {
    const id = idBornOn('1966-05-17')
    expect(checkAge(senior, id, '2026-05-16')).toEqual({ ok: false, rule: 'minAge', age: 59 })
    expect(checkAge(senior, id, '2026-05-17')).toEqual({ ok: true })
    expect(checkAge(adult, id, '2026-05-16')).toEqual({ ok: true })
    expect(checkAge(adult, id, '2026-05-17')).toEqual({ ok: false, rule: 'maxAge', age: 60 })
  })

  it('refuses a 36-year-old a senior ticket, and a leap-day senior until 1 March', () => {
    expect(checkAge(senior, idBornOn('1990-03-07'), '2026-06-01')).toEqual({
      ok: false,
      rule: 'minAge',
      age: 36,
    })
    const leap = idBornOn('1964-02-29')
    expect(checkAge(senior, leap, '2023-02-28')).toEqual({ ok: false, rule: 'minAge', age: 58 })
    expect(checkAge(senior, leap, '2024-02-28')).toEqual({ ok: false, rule: 'minAge', age: 59 })
    expect(checkAge(senior, leap, '2024-02-29')).toEqual({ ok: true })
  })

  it('needs a valid mainland ID number for an age rule, and nothing for a product without one', () => {
    const id = idBornOn('1950-01-01')
    expect(checkAge(senior, badCheck(id), '2026-06-01')).toEqual({ ok: false, rule: 'idNumber' })
    expect(checkAge(senior, undefined, '2026-06-01')).toEqual({ ok: false, rule: 'idNumber' })
    expect(checkAge(senior, 'E12345678', '2026-06-01')).toEqual({ ok: false, rule: 'idNumber' })
    // Born after the visit date: not a real visitor's number.
    expect(checkAge({ maxAge: 14 }, idBornOn('2026-07-01'), '2026-06-01')).toEqual({
      ok: false,
      rule: 'idNumber',
    })
    expect(checkAge({}, undefined, '2026-06-01')).toEqual({ ok: true })
    expect(checkAge({ minHeightCm: 120, proof: 'student_card' } as object, undefined, '2026-06-01')).toEqual({
      ok: true,
    })
    expect(checkAge(undefined, undefined, '2026-06-01')).toEqual({ ok: true })
  })

  it('names the line, the product and the rule when it refuses', () => {
    const line = { index: 1, productName: 'Senior', rule: senior, visitDate: '2026-06-01' }
    expect(ageRefusalDetail({ ok: false, rule: 'minAge', age: 36 }, line)).toBe(
      "Line 2: Senior is for visitors aged 60 and over on 2026-06-01; the visitor's ID number gives age 36 (rule minAge)",
    )
    expect(
      ageRefusalDetail({ ok: false, rule: 'idNumber' }, { ...line, rule: { minAge: 6, maxAge: 14 } }),
    ).toMatch(/^Line 2: Senior is for visitors aged 6 to 14 and needs the visitor's mainland ID number/)
  })
})
