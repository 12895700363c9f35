// PRC resident identity card numbers (GB 11643-1999): 17 digits + a check character (0-9 or X).

const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const checkChars = '10X98765432'

/** The check character (0-9 or X) that GB 11643 appends to the first 17 digits. */
export function checkCharacterOf(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * weights[i]!
  return checkChars[sum % 11]!
}

/** The full 18-character number: the 17 digits and their check character (demo data and tests make numbers so). */
export const withCheckCharacter = (first17: string) => first17 + checkCharacterOf(first17)

export function isValidPrcIdNumber(value: string): boolean {
  const id = value.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(id)) return false
  const birth = id.slice(6, 14)
  const date = new Date(`${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}T00:00:00Z`)
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10).replaceAll('-', '') !== birth)
    return false
  return checkCharacterOf(id) === id[17]
}

/** Canonical form used as a key for per-person limits (upper-case X, no spaces). */
export const normalizeIdNumber = (value: string) => value.trim().toUpperCase()

/**
 * The holder's birth date (YYYY-MM-DD) encoded in characters 7–14 of a valid PRC ID number; null when the
 * number is not one (wrong length, bad date or check character), so nothing is ever read from a typo.
 */
export function birthDateOfIdNumber(value: string): string | null {
  if (!isValidPrcIdNumber(value)) return null
  const birth = normalizeIdNumber(value).slice(6, 14)
  return `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`
}

/** What a ticket or a receipt may show: never the full number. */
export const maskIdNumber = (value: string) => {
  const id = normalizeIdNumber(value)
  return id.length <= 8 ? '****' : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`
}
