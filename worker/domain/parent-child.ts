// 父子票: a child product (cable car, show) is sold only with a parent (gate) ticket for the same day. Which
// parent may entitle a child is about ownership: the same buyer's parent line (in the same hold, or held or
// bought earlier), or a parent ticket whose signed code the buyer presents. The rule's `matchBy` then says which
// of the buyer's parents goes with which child (same phone / ID number). A phone, name or ID number alone never
// entitles anyone: anyone can type someone else's. Pure: the day actor and its tests share it.

export type MatchBy = 'phone' | 'id_number' | 'phone_or_id_number'

export interface VisitorKeys {
  idNumber?: string | undefined
  phone?: string | undefined
}

/** Whether two lines are for the same visitor the way a rule matches them. */
export function sameVisitor(
  matchBy: MatchBy,
  a: VisitorKeys | undefined,
  b: VisitorKeys | undefined,
): boolean {
  if (!a || !b) return false
  const byId = !!a.idNumber && a.idNumber === b.idNumber
  const byPhone = !!a.phone && a.phone === b.phone
  if (matchBy === 'id_number') return byId
  if (matchBy === 'phone') return byPhone
  return byId || byPhone
}

/**
 * The one refusal for a child without an entitling parent. Its words depend only on the product and the day,
 * never on whether someone with the given phone or ID number visits that day (no existence oracle).
 */
export function parentRequiredDetail(childName: string, date: string): string {
  return (
    `Buy the gate ticket first: ${childName} is sold only with a gate ticket for ${date} that you hold or ` +
    'bought (in this hold or earlier), or with that gate ticket’s code'
  )
}
