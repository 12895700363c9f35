import { birthDateOfIdNumber } from './id-number.ts'

// Who may use a visit product, as far as a server can tell: age on the visit date, from the birth date in the
// visitor's mainland resident ID number. The other parts of a product's eligibility (height, a student card)
// can only be checked by staff at the gate. Pure: the day actor decides holds with it for every channel.
//
// Other documents (passport, Home Return Permit, Taiwan compatriot permit) carry no birth date we can read or
// verify, so a product with an age rule is sold only to a visitor with a mainland ID number; holders of other
// documents buy such tickets where staff check the document (box office / gate), or a ticket without an age rule.

/** The age bounds of a product's eligibility (years, both inclusive). */
export interface AgeBounds {
  minAge?: number | undefined
  maxAge?: number | undefined
}

export const needsAgeCheck = (rule: AgeBounds | undefined): boolean =>
  rule?.minAge !== undefined || rule?.maxAge !== undefined

/**
 * Full years (周岁) on `date` of someone born on `birth` (both YYYY-MM-DD). The age goes up on the birthday
 * itself; someone born on 29 February goes up on 1 March in years without one (the date comparison gives
 * that: 28 February is still before the birthday, 1 March is after it).
 */
export function ageOn(birth: string, date: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number]
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const beforeBirthday = m < bm || (m === bm && d < bd)
  return y - by - (beforeBirthday ? 1 : 0)
}

export type AgeVerdict =
  | { ok: true }
  /** `idNumber`: no valid mainland ID number to read an age from (or a birth date after the visit). */
  | { ok: false; rule: 'idNumber' | 'minAge' | 'maxAge'; age?: number }

/** Whether the visitor with this ID number meets the product's age bounds on the visit date. */
export function checkAge(
  rule: AgeBounds | undefined,
  idNumber: string | undefined,
  visitDate: string,
): AgeVerdict {
  if (!rule || !needsAgeCheck(rule)) return { ok: true }
  const birth = idNumber ? birthDateOfIdNumber(idNumber) : null
  if (!birth || birth > visitDate) return { ok: false, rule: 'idNumber' }
  const age = ageOn(birth, visitDate)
  if (rule.minAge !== undefined && age < rule.minAge) return { ok: false, rule: 'minAge', age }
  if (rule.maxAge !== undefined && age > rule.maxAge) return { ok: false, rule: 'maxAge', age }
  return { ok: true }
}

/** The product's age rule in words, e.g. "aged 60 and over", "aged 18 to 59". */
export function describeAgeBounds(rule: AgeBounds): string {
  if (rule.minAge !== undefined && rule.maxAge !== undefined) return `aged ${rule.minAge} to ${rule.maxAge}`
  if (rule.minAge !== undefined) return `aged ${rule.minAge} and over`
  return `aged ${rule.maxAge} and under`
}

/** Why a line was refused, for the problem's detail: names the line, the product and its rule. */
export function ageRefusalDetail(
  verdict: Extract<AgeVerdict, { ok: false }>,
  line: { index: number; productName: string; rule: AgeBounds; visitDate: string },
): string {
  const who = `Line ${line.index + 1}: ${line.productName} is for visitors ${describeAgeBounds(line.rule)}`
  if (verdict.rule === 'idNumber') {
    return `${who} and needs the visitor's mainland ID number to check the age; with another document, buy it at the box office`
  }
  return `${who} on ${line.visitDate}; the visitor's ID number gives age ${verdict.age} (rule ${verdict.rule})`
}
