import { countDistinct, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { inChunks } from '../../db/in-chunks.ts'
import {
  customers,
  events,
  orderLines,
  type orders,
  organizers,
  scenicSites,
  seats,
  shows,
  venues,
  visitProducts,
} from '../../db/schema.ts'
import { defaultLocale, type Locale } from '../../domain/locale.ts'
import { formatDateTime, formatDay } from '../../domain/message-format.ts'
import { seatName } from '../../domain/seat-names.ts'
import type { Logger } from '../../middleware/logger.ts'
import { catalogueMessage, type Message, sendMessage } from '../messages.ts'
import type { PublishReads, ReadQuery } from '../order-events/subscriber.ts'
import { seatPlacesOf } from '../ticket-facts.ts'
import type { MessageParams, OrderSubject } from './catalogue.ts'

// Messages about an order, to its buyer, in the language they ordered in: what the order is for (event, time on
// the venue's clock, seats as the shop words them) is read here once per message and handed to the catalogue.

type Order = typeof orders.$inferSelect
type OrderLine = typeof orderLines.$inferSelect
/** How a read runs: alone, or in a publisher run's batch of reads (`PublishReads.read`). */
type ReadOf = <T>(query: ReadQuery<T>) => PromiseLike<T>

/** Message kinds about an order; their params without what this module reads from the order itself. */
type OrderMessageKind = {
  [K in keyof MessageParams]: MessageParams[K] extends { order: OrderSubject } ? K : never
}[keyof MessageParams]

export type BuyerNotice = {
  [K in OrderMessageKind]: { kind: K } & Omit<MessageParams[K], 'order' | 'timeZone' | 'currency'>
}[OrderMessageKind]

/**
 * Who reads an order's messages and in which language: the order's contact (a guest's email or phone), else its
 * customer's sign-in contact; the order's language, else its customer's, else Chinese.
 */
export async function orderReader(
  db: Database,
  order: Order,
  reads?: PublishReads,
): Promise<{ to: string | null; locale: Locale }> {
  const customer = !order.customerId
    ? undefined
    : reads
      ? await reads.forOrder('notice.customer', order, (list) => customersOf(db, list, reads.read))
      : (await customersOf(db, [order])).get(order.id)
  return {
    to: order.email ?? order.phone ?? customer?.contact ?? null,
    locale: order.locale ?? customer?.locale ?? defaultLocale,
  }
}

/** The sign-in contact and language of each order's customer (read for a publisher run's orders at once). */
async function customersOf(db: Database, list: Order[], read: ReadOf = (query) => query) {
  const ids = [...new Set(list.flatMap((o) => (o.customerId ? [o.customerId] : [])))]
  const rows = await inChunks(ids, (chunk) =>
    read(
      db
        .select({ id: customers.id, contact: customers.contact, locale: customers.locale })
        .from(customers)
        .where(inArray(customers.id, chunk)),
    ),
  )
  const byId = new Map(rows.map((r) => [r.id, r]))
  return new Map(
    list.flatMap((o) => (o.customerId && byId.has(o.customerId) ? [[o.id, byId.get(o.customerId)!]] : [])),
  )
}

/** The seats an order's lines name, with their places (for a publisher run's orders at once). */
async function seatsOf(db: Database, lines: OrderLine[], read: ReadOf = (query) => query) {
  const refs = [...new Set(lines.filter((l) => l.seatLabel).map((l) => l.inventoryRef))]
  const [rows, places] = await Promise.all([
    inChunks(refs, (chunk) => read(db.select().from(seats).where(inArray(seats.id, chunk)))),
    seatPlacesOf(db, refs),
  ])
  return { byId: new Map(rows.map((s) => [s.id, s])), places }
}

const name = (row: { name: string; nameEn: string | null }, locale: Locale) =>
  locale === 'en' && row.nameEn ? row.nameEn : row.name

/** "C排9座、C排10座" or "成人票 · 10:00 ×2": the lines of the order (or of `lineIds`), named for the reader. */
async function itemsOf(db: Database, order: Order, locale: Locale, lineIds?: string[], reads?: PublishReads) {
  const all = reads
    ? await reads.lines(order)
    : await db.select().from(orderLines).where(eq(orderLines.orderId, order.id))
  const lines = lineIds ? all.filter((l) => lineIds.includes(l.id)) : all
  if (lines.length === 0) return null
  const productIds = [...new Set(lines.flatMap((l) => (l.productId ? [l.productId] : [])))]
  const [seated, productRows] = await Promise.all([
    reads
      ? reads.forOrder('notice.seats', order, async (list) => {
          // The seats of all the run's orders in one read, shared by each.
          const shared = await seatsOf(
            db,
            (await Promise.all(list.map((o) => reads.lines(o)))).flat(),
            reads.read,
          )
          return new Map(list.map((o) => [o.id, shared]))
        })
      : seatsOf(db, lines),
    productIds.length ? db.select().from(visitProducts).where(inArray(visitProducts.id, productIds)) : [],
  ])
  const { byId: seatById, places } = seated ?? (await seatsOf(db, lines))
  const seatRows = lines.flatMap((l) => seatById.get(l.inventoryRef) ?? [])
  // A hall with one section (a cinema) reads better without it: "C排9座", not "Hall C排9座".
  const venueId = seatRows[0]?.venueId
  const countSections = async () =>
    venueId
      ? (
          await db
            .select({ n: countDistinct(seats.section) })
            .from(seats)
            .where(eq(seats.venueId, venueId))
        )[0]
      : { n: 0 }
  const sections = reads
    ? await reads.once(`notice.sections:${venueId}`, countSections)
    : await countSections()
  const productById = new Map(productRows.map((p) => [p.id, p]))
  const counted = new Map<string, number>()
  for (const line of lines) {
    const seat = seatById.get(line.inventoryRef)
    const place = places.get(line.inventoryRef)
    const product = line.productId ? productById.get(line.productId) : undefined
    const label = seat
      ? seatName({ ...seat, ...place }, locale, { section: (sections?.n ?? 0) > 1 })
      : product
        ? `${name(product, locale)}${line.slot ? ` · ${line.slot}` : ''}`
        : locale === 'zh-CN'
          ? '门票'
          : 'Ticket'
    counted.set(label, (counted.get(label) ?? 0) + 1)
  }
  return [...counted]
    .map(([label, n]) => (n > 1 ? `${label} ×${n}` : label))
    .join(locale === 'zh-CN' ? '、' : '; ')
}

/** What the order is for, in `locale`, and the zone its times are told in (the organizer's for shows, the site's for visits). */
export async function orderSubject(
  db: Database,
  order: Order,
  locale: Locale,
  lineIds?: string[],
  reads?: PublishReads,
): Promise<{ subject: OrderSubject; timeZone: string }> {
  const items = await itemsOf(db, order, locale, lineIds, reads)
  if (order.showId) {
    const showId = order.showId
    const readShow = async () =>
      (
        await db
          .select({ show: shows, event: events, venue: venues, timeZone: organizers.timezone })
          .from(shows)
          .innerJoin(events, eq(events.id, shows.eventId))
          .innerJoin(venues, eq(venues.id, shows.venueId))
          .innerJoin(organizers, eq(organizers.id, shows.organizerId))
          .where(eq(shows.id, showId))
      )[0]
    // A hot show's orders share it: read once per publisher run.
    const row = reads ? await reads.once(`notice.show:${showId}`, readShow) : await readShow()
    if (row) {
      return {
        subject: {
          number: order.number,
          title: name(row.event, locale),
          when: formatDateTime(row.show.startsAt, locale, row.timeZone),
          place: name(row.venue, locale),
          items,
        },
        timeZone: row.timeZone,
      }
    }
  }
  if (order.siteId) {
    const [site] = await db.select().from(scenicSites).where(eq(scenicSites.id, order.siteId))
    if (site) {
      return {
        subject: {
          number: order.number,
          title: name(site, locale),
          when: order.visitDate ? formatDay(order.visitDate, locale) : null,
          place: null,
          items,
        },
        timeZone: site.timezone,
      }
    }
  }
  return {
    subject: { number: order.number, title: '', when: null, place: null, items },
    timeZone: 'Asia/Shanghai',
  }
}

/**
 * Writes `notice` to the order's buyer in the order's language (see orderReader); nothing when there is no contact. `lineIds` narrows the tickets named to those the notice is about (a partial refund).
 */
export async function notifyBuyer(
  db: Database,
  logger: Logger,
  order: Order,
  notice: BuyerNotice,
  lineIds?: string[],
  /** A fixed message id: the notice is sent once however often this is called with it. */
  messageId?: string,
): Promise<void> {
  const message = await buyerNoticeMessage(db, order, notice, lineIds, messageId)
  if (message) await sendMessage(db, logger, message)
}

/** The message `notifyBuyer` writes, composed (with a publisher run's shared reads, if given); null without a contact. */
export async function buyerNoticeMessage(
  db: Database,
  order: Order,
  notice: BuyerNotice,
  lineIds?: string[],
  messageId?: string,
  reads?: PublishReads,
): Promise<Message | null> {
  const { to, locale } = await orderReader(db, order, reads)
  if (!to) return null
  const { subject, timeZone } = await orderSubject(db, order, locale, lineIds, reads)
  const { kind, ...rest } = notice
  const text = catalogueMessage(locale, kind, {
    ...rest,
    order: subject,
    timeZone,
    currency: order.currency,
  } as never)
  return {
    to,
    ...text,
    organizerId: order.organizerId,
    ...(messageId ? { id: messageId } : {}),
  }
}
