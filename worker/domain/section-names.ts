// A venue's sections (池座 / Stalls, 楼座 / Circle, …) named for people. The section key stays what each seat's
// stored label is built from (`Stalls-A-12`: tickets, holds and partners carry it); the names are only for reading.

/** A section's names: `key` as the seat map has it, `name` in the organizer's language, an optional English one. */
export interface SectionName {
  key: string
  name: string
  /** Optional English name; English pages show it, falling back to `name`. */
  nameEn?: string
}

/** A section's names as responses carry them (beside the key, where a response names sections). */
export type SectionNameView = SectionName

/** The names of one section: the organizer's, else the key itself as the name (no English one). */
export function sectionNamed(key: string, names: readonly SectionName[] | null | undefined): SectionName {
  const found = names?.find((s) => s.key === key)
  return found
    ? { key, name: found.name, ...(found.nameEn ? { nameEn: found.nameEn } : {}) }
    : { key, name: key }
}

/** The named sections for a list of keys, in the keys' order (each key once). */
export function sectionsNamed(
  keys: Iterable<string>,
  names: readonly SectionName[] | null | undefined,
): SectionName[] {
  return [...new Set(keys)].map((key) => sectionNamed(key, names))
}
