// Channel report (issue 23) from the sales rollups: each channel's share of net revenue and net tickets, and per
// partner (OTA) channel what it sold against what was redeemed.
//
// Settlement rule: a partner owes the organizer for tickets USED, not tickets sold. For each OTA channel and range,
// `redeemedAmount` is the sum of the line prices of its tickets redeemed at a gate in the range (each redemption
// counted once, on its own day, whenever the ticket was sold); `commission` is the channel's commission
// (sales_channels.commission_bps) of that, rounded to the minor unit; `due` = redeemedAmount − commission is what the
// partner owes. Sold-but-unused tickets owe nothing until used; refunded tickets are never redeemed, so never owed.
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../../db/client.ts'
import { salesChannels } from '../../../db/schema.ts'
import { rowsOf, salesTable } from './cubes.ts'
import {
  d1Of,
  type ReportFilter,
  type SalesRow,
  salesColumns,
  salesFigures,
  salesKinds,
  shareOf,
} from './filters.ts'

type ChannelRow = SalesRow & { channel: string }

export async function channelReport(db: Database, filter: ReportFilter) {
  const d1 = d1Of(db)
  const sold = rowsOf(salesTable, filter, {
    kinds: salesKinds,
    columns: ['channel', 'kind', 'orders', 'tickets', 'amount'],
  })
  const used = rowsOf(salesTable, filter, {
    kinds: ['redemption'],
    columns: ['channel', 'tickets', 'amount'],
  })
  const [perChannel, redeemed] = await d1.batch<ChannelRow & { redeemed: number; redeemed_amount: number }>([
    d1
      .prepare(
        `${sold.cte} SELECT channel, ${salesColumns} FROM rows GROUP BY channel ORDER BY net DESC, channel`,
      )
      .bind(...sold.values),
    d1
      .prepare(
        `${used.cte} SELECT channel, sum(tickets) AS redeemed, sum(amount) AS redeemed_amount FROM rows GROUP BY channel`,
      )
      .bind(...used.values),
  ])
  const channelRows = await db
    .select({
      code: salesChannels.code,
      name: salesChannels.name,
      nameEn: salesChannels.nameEn,
      kind: salesChannels.kind,
      commissionBps: salesChannels.commissionBps,
    })
    .from(salesChannels)
    .where(and(eq(salesChannels.organizerId, filter.organizerId)))
  const channelOf = new Map(channelRows.map((c) => [c.code, c]))
  const rows = perChannel!.results.map((r) => ({ channel: r.channel, ...salesFigures(r) }))
  const totalNet = rows.reduce((sum, r) => sum + r.net, 0)
  const totalTickets = rows.reduce((sum, r) => sum + r.tickets, 0)
  const usedOf = new Map(redeemed!.results.map((r) => [r.channel, r]))
  const named = (code: string) => ({
    name: channelOf.get(code)?.name ?? code,
    nameEn: channelOf.get(code)?.nameEn ?? null,
    kind: channelOf.get(code)?.kind ?? null,
  })
  const partners = channelRows
    .filter((c) => c.kind === 'ota' && (filter.channel === undefined || filter.channel === c.code))
    .map((c) => {
      const s = rows.find((r) => r.channel === c.code)
      const u = usedOf.get(c.code)
      const redeemedAmount = Number(u?.redeemed_amount ?? 0)
      const commission = Math.round((redeemedAmount * c.commissionBps) / 10_000)
      return {
        channel: c.code,
        ...named(c.code),
        soldTickets: s?.tickets ?? 0,
        soldNet: s?.net ?? 0,
        refundedTickets: s?.refundedTickets ?? 0,
        redeemedTickets: Number(u?.redeemed ?? 0),
        redeemedAmount,
        commissionBps: c.commissionBps,
        commission,
        due: redeemedAmount - commission,
      }
    })
    .sort((a, b) => a.channel.localeCompare(b.channel))
  return {
    totals: { net: totalNet, tickets: totalTickets },
    byChannel: rows.map((r) => ({
      ...r,
      ...named(r.channel),
      revenueShare: shareOf(r.net, totalNet),
      ticketShare: shareOf(r.tickets, totalTickets),
    })),
    settlement: partners,
  }
}
