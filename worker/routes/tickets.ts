import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import type { AppEnv } from '../env.ts'
import { buyerIdentity } from '../middleware/buyer.ts'
import { walletOfBuyer } from '../services/ticket-wallet.ts'
import { validate } from '../validation.ts'
import { walletPageSchema } from './contracts/orders.ts'
import { json } from './openapi.ts'
import { mine } from './order-access.ts'
import { queryInteger } from './query.ts'

/** The buyer's wallet ("My tickets"): every ticket of their orders, described for a person. */
export const ticketRoutes = new Hono<AppEnv>()
ticketRoutes.use('*', buyerIdentity)

ticketRoutes.get(
  '/',
  describeRoute({
    tags: ['Orders'],
    summary:
      'Your tickets across your orders, for a wallet: what, when, where, which seat or slot, and state',
    description:
      'Tickets of the signed-in customer’s (or this browser’s anonymous buyer’s) paid, partly refunded and refunded ' +
      'orders. Each names the event or site, the venue, the start (`startsAt`) or visit date, the time zone to show them ' +
      'in, the seat as `place` {section, row, number} or the scenic `product` and entry `slot`, the holder, and `state`: ' +
      '`valid`, `used` (admitted at a gate), `refunded` or `rebooked`. `validUntil` is when the ticket stops admitting, ' +
      'so a wallet can put it with past tickets. A ticket still valid and not over has its `pass`: the signed token for ' +
      'the QR (the same as `GET /api/orders/{orderId}/tickets`) and, for events with anti-screenshot codes, the ' +
      'ticket’s own rotating-code secret, so the shop can keep upcoming tickets on the device and show them offline; ' +
      'every other ticket has `pass: null`. ' +
      'Pages are runs of orders, newest first (`limit` orders, `cursor` = `nextCursor`).',
    responses: { 200: { description: 'A page of tickets', content: json(walletPageSchema) } },
  }),
  validate(
    'query',
    v.object({ limit: queryInteger(1, 50, 50), cursor: v.optional(v.pipe(v.string(), v.maxLength(64))) }),
  ),
  async (c) => {
    const { limit, cursor } = c.req.valid('query')
    return c.json(await walletOfBuyer(c.get('db'), c.env.TICKET_SIGNING_KEYS, mine(c), { limit, cursor }))
  },
)
