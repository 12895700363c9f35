// Product combinations of an order's basket and the association figures of a combination (二消 "golden
// combinations"): support = share of orders holding it, confidence(X→Y) = orders(X∪Y)/orders(X), lift =
// confidence / support(Y). Pure: the rollup writer and the reports share it.

/** Baskets bigger than this count their pairs but not their triples (triples grow cubically). */
export const maxProductsForTriples = 8

/** Every single, pair and triple of a basket's distinct products, ids sorted, padded with '' to three. */
export function combinationsOf(productIds: readonly string[]): [string, string, string][] {
  const ids = [...new Set(productIds)].filter(Boolean).sort()
  const out: [string, string, string][] = []
  for (let i = 0; i < ids.length; i++) {
    out.push([ids[i]!, '', ''])
    for (let j = i + 1; j < ids.length; j++) {
      out.push([ids[i]!, ids[j]!, ''])
      if (ids.length > maxProductsForTriples) continue
      for (let k = j + 1; k < ids.length; k++) out.push([ids[i]!, ids[j]!, ids[k]!])
    }
  }
  return out
}

export interface Association {
  support: number
  /** Per antecedent: the combination without one product → that product. */
  rules: { antecedent: string[]; consequent: string; confidence: number; lift: number }[]
}

/**
 * Figures of one combination from order counts: `orders` of all orders, `together` holding every product of the
 * combination, `countOf` the orders holding any sub-combination (sorted ids joined by '+').
 */
export function associationOf(
  products: readonly string[],
  together: number,
  orders: number,
  countOf: (ids: string[]) => number,
): Association {
  const ids = [...products].sort()
  const support = orders > 0 ? together / orders : 0
  const rules = ids.map((consequent) => {
    const antecedent = ids.filter((id) => id !== consequent)
    const base = countOf(antecedent)
    const confidence = base > 0 ? together / base : 0
    const consequentSupport = orders > 0 ? countOf([consequent]) / orders : 0
    return {
      antecedent,
      consequent,
      confidence,
      lift: consequentSupport > 0 ? confidence / consequentSupport : 0,
    }
  })
  return { support, rules }
}
