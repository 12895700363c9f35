import { eq, inArray } from 'drizzle-orm'
import { scenicSites, showDeposits, visitProductDeposits } from '../../db/schema.ts'
import { depositFor, type OrderDepositTerms } from '../../domain/deposit-terms.ts'
import { scenicDepositFor } from '../../domain/scenic-deposit-terms.ts'
import { Problem } from '../../problem.ts'
import type { OrderServices } from './services.ts'

/** What the deposit terms look at: how the order is bought, and its lines as priced. */
export interface DepositRequest {
  kind: 'show' | 'scenic'
  showId?: string
  siteId?: string
  visitDate?: string
  rebook?: unknown
  groupBuy?: unknown
}

interface PricedLine {
  category?: string | null
  productId?: string | null
  price: number
}

/** 定金: the deposit terms (the show's, or the visit products') as this order takes them, or why it cannot have one. */
export async function depositTerms(
  services: OrderServices,
  input: DepositRequest,
  lines: readonly PricedLine[],
): Promise<OrderDepositTerms> {
  const refuse = (detail: string) =>
    new Problem({ code: 'deposit_not_offered', status: 409, title: 'No deposit for these tickets', detail })
  if (input.rebook || input.groupBuy) throw refuse('Only tickets bought outright can be paid with a deposit')
  if (input.kind === 'scenic') return scenicDepositTerms(services, input, lines, refuse)
  const [row] = await services.db.select().from(showDeposits).where(eq(showDeposits.showId, input.showId!))
  if (!row) throw refuse('This show is not sold with a deposit')
  const offer = depositFor(
    row.terms,
    lines.map((line) => ({ category: line.category ?? '', price: line.price })),
    Date.now(),
  )
  if (!offer.ok) throw refuse(offer.reason)
  return offer.order
}

/** A scenic day's tickets: each line's product must sell with a deposit; the window counts back from the day. */
async function scenicDepositTerms(
  services: OrderServices,
  input: DepositRequest,
  lines: readonly PricedLine[],
  refuse: (detail: string) => Problem,
): Promise<OrderDepositTerms> {
  const productIds = [...new Set(lines.map((line) => line.productId ?? ''))]
  const [rows, [site]] = await Promise.all([
    services.db
      .select()
      .from(visitProductDeposits)
      .where(inArray(visitProductDeposits.productId, productIds)),
    services.db
      .select({ timezone: scenicSites.timezone })
      .from(scenicSites)
      .where(eq(scenicSites.id, input.siteId!)),
  ])
  const terms = new Map(rows.map((row) => [row.productId, row.terms]))
  const offer = scenicDepositFor(
    lines.map((line) => ({ productId: line.productId ?? '', price: line.price })),
    (productId) => terms.get(productId),
    { date: input.visitDate!, timezone: site?.timezone ?? 'Asia/Shanghai' },
    Date.now(),
  )
  if (!offer.ok) throw refuse(offer.reason)
  return offer.order
}
