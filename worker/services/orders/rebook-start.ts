import { and, eq } from 'drizzle-orm'
import { orderLines, orders, shows } from '../../db/schema.ts'
import { canTransition } from '../../domain/order-status.ts'
import { notFound, Problem, validationProblem } from '../../problem.ts'
import { refuseRedeemedLines } from '../redemptions.ts'
import { scenicDay } from '../scenic-day.ts'
import { showInventoryStub } from '../show-inventory-client.ts'
import { createOrderFromHold, rebookClaimLost } from './create.ts'
import type { OrderServices } from './services.ts'

export interface RebookInput {
  orderId: string
  lineIds?: string[]
  /** The buyer's active hold on the new show (same event) or the new visit date (same products). */
  holdId: string
  showId?: string
  date?: string
  buyerId: string
}

/**
 * 改签: moves lines of a paid order to another show of the same event, or another visit date of the same
 * products. The buyer holds the new inventory first; a new order for that hold charges only the price
 * difference (or nothing) and claims the old lines while it is pending, so they can be neither rebooked again
 * nor refunded meanwhile. Only once the new order is paid are the old tickets revoked, the old inventory
 * returned and the old payment's money carried over as credit; a cheaper rebooking refunds the difference.
 */
export async function startRebooking(services: OrderServices, input: RebookInput, origin: string) {
  const { db, env } = services
  const [old] = await db.select().from(orders).where(eq(orders.id, input.orderId))
  if (!old) throw notFound(`order ${input.orderId}`)
  if (!canTransition(old.status, 'cancelled') || old.status === 'pending') {
    throw new Problem({ code: 'conflict', detail: `An order that is ${old.status} cannot be rebooked` })
  }
  const active = await db
    .select()
    .from(orderLines)
    .where(and(eq(orderLines.orderId, old.id), eq(orderLines.status, 'active')))
  const lines = input.lineIds ? active.filter((l) => input.lineIds!.includes(l.id)) : active
  if (lines.length === 0 || (input.lineIds && lines.length !== input.lineIds.length)) {
    throw validationProblem([{ path: 'json.lineIds', message: 'name active lines of this order' }])
  }
  if (lines.some((l) => l.rebookOrderId)) throw rebookClaimLost()
  // A ticket already admitted at a gate has been used: moving it would hand out a second admission.
  await refuseRedeemedLines(
    db,
    old.id,
    lines.map((l) => l.id),
    'These tickets were already admitted at a gate and cannot be rebooked',
  )
  const credit = lines.reduce((sum, l) => sum + l.price, 0)
  if (old.kind === 'show') {
    if (!input.showId || input.showId === old.showId)
      throw validationProblem([{ path: 'json.showId', message: 'name another show of the same event' }])
    const [from] = await db.select().from(shows).where(eq(shows.id, old.showId!))
    const [to] = await db.select().from(shows).where(eq(shows.id, input.showId))
    if (!to || to.eventId !== from!.eventId)
      throw validationProblem([{ path: 'json.showId', message: 'must be a show of the same event' }])
    const held = await showInventoryStub(env.SHOW_INVENTORY, to.id).describeHold(to.id, input.holdId)
    if (!held || held.holderId !== input.buyerId || held.status !== 'active')
      throw notFound(`hold ${input.holdId}`)
    if (held.hold.seats.length !== lines.length) {
      throw validationProblem([
        { path: 'json.holdId', message: `hold exactly ${lines.length} seat(s) on the new show` },
      ])
    }
  } else {
    if (!input.date || input.date === old.visitDate)
      throw validationProblem([{ path: 'json.date', message: 'name another visit date' }])
    const held = await scenicDay(env.SCENIC_DAY_INVENTORY, old.siteId!, input.date).describeHold(
      old.siteId!,
      input.date,
      input.holdId,
    )
    if (!held || held.holderId !== input.buyerId || held.status !== 'active')
      throw notFound(`hold ${input.holdId}`)
    const want = lines.map((l) => l.productId).sort()
    const got = held.hold.lines.map((l) => l.productId).sort()
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      throw validationProblem([
        { path: 'json.holdId', message: 'hold the same ticket types for the new date' },
      ])
    }
  }
  return createOrderFromHold(
    services,
    {
      kind: old.kind,
      ...(old.kind === 'show' ? { showId: input.showId! } : { siteId: old.siteId!, visitDate: input.date! }),
      holdId: input.holdId,
      buyerId: input.buyerId,
      ...(old.customerId ? { customerId: old.customerId } : {}),
      ...(old.email ? { email: old.email } : {}),
      ...(old.phone ? { phone: old.phone } : {}),
      channel: old.channel,
      rebook: { orderId: old.id, lineIds: lines.map((l) => l.id), credit },
    },
    origin,
  )
}
