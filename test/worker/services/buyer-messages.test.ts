import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  confirmPaidOrder,
  forfeitUnpaidBalances,
  remindBalances,
  remindUnpaidOrders,
} from '../../../worker/services/orders/index.ts'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, type ShowFixture, scenicSiteOnSale, showOnSale } from '../../support/catalogue.ts'
import { signedInCustomer, uniqueAddress } from '../../support/clients.ts'
import { expectReadable, inbox, messagesTo, text } from '../../support/messages.ts'
import { orderServices, postWithKey, sandboxPay } from '../../support/orders.ts'

// What a buyer receives, read as they would read it: in the language they used the shop in, money as ¥, times on
// the venue's clock (Asia/Shanghai, UTC+8 all year), seats as the shop says them. Each message is read back from
// `outgoing_messages`, where the dev mailbox reads it.

afterEach(() => vi.useRealTimers())

const HOUR = 3600_000
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** The wall clock in Shanghai, worked out by hand (UTC+8, no daylight saving) rather than by the code under test. */
function shanghai(iso: string) {
  const at = new Date(Date.parse(iso) + 8 * HOUR)
  const time = at.toISOString().slice(11, 16)
  const year = at.getUTCFullYear()
  const month = at.getUTCMonth()
  const day = at.getUTCDate()
  return {
    zh: `${year}年${month + 1}月${day}日`,
    en: `${MONTHS[month]} ${day}, ${year}`,
    time,
  }
}

/** A show whose seats are in row C and whose only price zone has a Latin code (PRM), at ¥100 a seat. */
async function rowCShow(opts: Parameters<typeof showOnSale>[1] = {}) {
  const chart = gridChart(1, 10, ['PRM'])
  chart.sections[0]!.rows[0]!.label = 'C'
  return showOnSale(chart, opts)
}
const showStart = async (showId: string) =>
  (await env.DB.prepare('SELECT starts_at FROM shows WHERE id = ?').bind(showId).first<string>('starts_at'))!

/** A guest (or `buyer`) holds seats 9 and 10 of row C and orders them with `extra` in the body. */
async function ordered(
  show: ShowFixture,
  extra: Record<string, unknown>,
  buyer = new ApiClient(),
  headers = {},
) {
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(8, 10) }),
    201,
  )
  const res = await buyer.fetch('/api/orders', {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID(), ...headers },
    body: JSON.stringify({ kind: 'show', showId: show.showId, holdId: hold.id, ...extra }),
  })
  const created = await ok(res, 201)
  return {
    buyer,
    created,
    order: created.order as { id: string; number: string; expiresAt: string; email: string },
  }
}

describe('payment reminders in the order’s language', () => {
  it('reminds a Chinese buyer in Chinese: the show, its start and the hold’s end on Shanghai time, C排9座', async () => {
    const show = await rowCShow({ holdMinutes: 3 })
    const email = inbox('remind-zh')
    const { order } = await ordered(show, { email, locale: 'zh-CN' })
    await remindUnpaidOrders(orderServices(), new Date())
    const [reminder] = await messagesTo(email)
    const held = shanghai(order.expiresAt)
    const starts = shanghai(await showStart(show.showId))
    expect(reminder!.subject).toBe(
      `订单 ${order.number} 待付款，请于 ${reminder!.subject.match(/请于 (.+) 前/)![1]} 前完成支付`,
    )
    expect(reminder!.subject).toContain(`${held.zh} `)
    expect(reminder!.subject).toContain(` ${held.time} 前完成支付`)
    expect(reminder!.body).toContain(`订单号：${order.number}`)
    expect(reminder!.body).toContain('Gala')
    expect(reminder!.body).toMatch(new RegExp(`时间：${starts.zh} 周.+ ${starts.time}`))
    expect(reminder!.body).toContain('场馆：Hall')
    expect(reminder!.body).toContain('票品：C排9座、C排10座')
    expect(reminder!.body).toContain(`门票为您保留至 ${held.zh}`)
    expectReadable(reminder!, [20000], 'zh-CN')
  })

  it('reminds an English buyer in English, with the same facts', async () => {
    const show = await rowCShow({ holdMinutes: 3 })
    const email = inbox('remind-en')
    const { order } = await ordered(show, { email, locale: 'en' })
    await remindUnpaidOrders(orderServices(), new Date())
    const [reminder] = await messagesTo(email)
    const held = shanghai(order.expiresAt)
    const starts = shanghai(await showStart(show.showId))
    expect(reminder!.subject).toMatch(
      new RegExp(`^Order ${order.number}: pay by \\w{3}, ${held.en}, ${held.time}$`),
    )
    expect(reminder!.body).toMatch(new RegExp(`When: \\w{3}, ${starts.en}, ${starts.time}`))
    expect(reminder!.body).toContain('Tickets: Row C, seat 9; Row C, seat 10')
    expect(text(reminder!)).not.toMatch(/[\u4e00-\u9fff]/)
    expectReadable(reminder!, [20000], 'en')
  })

  it('takes a guest order’s language from the order, whatever the page that later runs the cron', async () => {
    const show = await rowCShow({ holdMinutes: 3 })
    const byHeader = inbox('guest-header')
    const byBody = inbox('guest-body')
    // The order body wins over the browser's language; without one, Accept-Language decides.
    await ordered(show, { email: byBody, locale: 'en' }, new ApiClient(), { 'accept-language': 'zh-CN' })
    const other = await rowCShow({ holdMinutes: 3 })
    await ordered(other, { email: byHeader }, new ApiClient(), { 'accept-language': 'en-US,en;q=0.9' })
    await remindUnpaidOrders(orderServices(), new Date())
    expect((await messagesTo(byBody))[0]!.subject).toMatch(/^Order ET\d+: pay by/)
    expect((await messagesTo(byHeader))[0]!.subject).toMatch(/^Order ET\d+: pay by/)
  })

  it('a signed-in customer’s order without a language of its own follows the customer’s', async () => {
    const show = await rowCShow({ holdMinutes: 3 })
    const customer = await signedInCustomer()
    await env.DB.prepare("UPDATE customers SET locale = 'en' WHERE id = ?").bind(customer.customerId).run()
    const { order } = await ordered(show, {}, customer)
    // An order from before languages were recorded.
    await env.DB.prepare('UPDATE orders SET locale = NULL WHERE id = ?').bind(order.id).run()
    await remindUnpaidOrders(orderServices(), new Date())
    const [reminder] = await messagesTo(`${customer.customerId.toLowerCase()}@example.com`)
    expect(reminder!.subject).toMatch(new RegExp(`^Order ${order.number}: pay by`))
  })
})

describe('order confirmations', () => {
  it('confirms the tickets once, in the order’s language, with what was paid', async () => {
    const show = await rowCShow()
    const zh = await ordered(show, { email: inbox('confirm-zh'), locale: 'zh-CN' })
    const en = await ordered(await rowCShow(), { email: inbox('confirm-en'), locale: 'en' })
    for (const { buyer, created } of [zh, en]) await sandboxPay(buyer, created.paymentId)
    // A second confirmation (a retried notification, the reconciliation cron) finds the order paid: no second message.
    await confirmPaidOrder(orderServices(), zh.order.id, 'system:reconciliation')
    const zhSent = await messagesTo(zh.order.email)
    expect(zhSent).toHaveLength(1)
    expect(zhSent[0]!.subject).toBe(`出票成功：订单 ${zh.order.number}`)
    expect(zhSent[0]!.body).toContain('票品：C排9座、C排10座')
    expect(zhSent[0]!.body).toContain('已支付 ¥200。门票已出')
    expectReadable(zhSent[0]!, [20000], 'zh-CN')
    const [enSent] = await messagesTo(en.order.email)
    expect(enSent!.subject).toBe(`Your tickets: order ${en.order.number}`)
    expect(enSent!.body).toContain('Paid ¥200. Your tickets are issued')
  })
})

describe('a scenic visit’s messages', () => {
  it('names the site, the visit day and the ticket with its slot in the reader’s language', async () => {
    const site = await scenicSiteOnSale()
    await env.DB.prepare("UPDATE scenic_sites SET name = '西湖', name_en = 'West Lake' WHERE id = ?")
      .bind(site.siteId)
      .run()
    await env.DB.prepare("UPDATE visit_products SET name = '儿童票', name_en = 'Child' WHERE id = ?")
      .bind(site.childProduct)
      .run()
    const visit = async (locale: 'zh-CN' | 'en') => {
      const buyer = new ApiClient()
      const hold = await ok(
        buyer.fetch(`/api/scenic-sites/${site.siteId}/days/${site.date}/holds`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'cf-connecting-ip': uniqueAddress() },
          body: JSON.stringify({ lines: [{ productId: site.childProduct, slot: '09:00' }] }),
        }),
        201,
      )
      const email = inbox(`visit-${locale}`)
      const created = await ok(
        postWithKey(buyer, '/api/orders', {
          kind: 'scenic',
          siteId: site.siteId,
          date: site.date,
          holdId: hold.id,
          email,
          locale,
        }),
        201,
      )
      await sandboxPay(buyer, created.paymentId)
      return (await messagesTo(email))[0]!
    }
    const [year, month, day] = site.date.split('-').map(Number) as [number, number, number]
    const zh = await visit('zh-CN')
    expect(zh.body).toContain('\n西湖\n')
    expect(zh.body).toMatch(new RegExp(`时间：${year}年${month}月${day}日 周.\n`))
    expect(zh.body).toContain('票品：儿童票 · 09:00')
    expect(zh.body).toContain('已支付 ¥60。')
    expect(zh.body).not.toContain('场馆')
    expectReadable(zh, [6000], 'zh-CN')
    const en = await visit('en')
    expect(en.body).toContain('\nWest Lake\n')
    expect(en.body).toMatch(new RegExp(`When: \\w{3}, ${MONTHS[month - 1]} ${day}, ${year}\n`))
    expect(en.body).toContain('Tickets: Child · 09:00')
    expect(en.body).toContain('Paid ¥60.')
  })
})

describe('定金 balance reminders and forfeit notices', () => {
  async function depositOrder(locale: 'zh-CN' | 'en', forfeit: 'keep' | 'refund') {
    const show = await rowCShow()
    const now = Date.now()
    const terms = await ok(
      show.owner.put(`${show.base}/shows/${show.showId}/deposit`, {
        deposit: {
          amount: 2050,
          balanceOpensAt: new Date(now + HOUR).toISOString(),
          balanceDueAt: new Date(now + 48 * HOUR).toISOString(),
          reminderLeadMinutes: 24 * 60,
          forfeit,
        },
      }),
    )
    const email = inbox(`deposit-${locale.toLowerCase()}`)
    const { buyer, created, order } = await ordered(show, { email, locale, deposit: true })
    expect(await sandboxPay(buyer, created.paymentId)).toMatchObject({ status: 'deposit_paid' })
    return { email, order, dueAt: terms.deposit.balanceDueAt as string }
  }

  it('asks a Chinese buyer for the balance (尾款) as ¥159 by the due time on Shanghai time', async () => {
    // Two seats at ¥100, a deposit of ¥20.50 each: ¥41 paid, ¥159 due.
    const { email, order, dueAt } = await depositOrder('zh-CN', 'keep')
    await remindBalances(orderServices(), new Date(Date.parse(dueAt) - 24 * HOUR))
    const [reminder] = await messagesTo(email)
    const due = shanghai(dueAt)
    expect(reminder!.subject).toMatch(
      new RegExp(`^订单 ${order.number} 请于 ${due.zh} 周.+ ${due.time} 前支付尾款 ¥159$`),
    )
    expect(reminder!.body).toContain('定金不予退还')
    expect(reminder!.body).toContain('票品：C排9座、C排10座')
    expectReadable(reminder!, [15900, 4100, 2050], 'zh-CN')
  })

  it('tells an English buyer their deposit of ¥41 came back when the balance was not paid', async () => {
    const { email, order, dueAt } = await depositOrder('en', 'refund')
    await remindBalances(orderServices(), new Date(Date.parse(dueAt) - 24 * HOUR))
    await forfeitUnpaidBalances(orderServices(), new Date(Date.parse(dueAt)))
    const [reminder, forfeited, ...more] = await messagesTo(email)
    expect(reminder!.subject).toMatch(new RegExp(`^Order ${order.number}: pay the balance of ¥159 by`))
    expect(reminder!.body).toContain('the deposit is refunded')
    expect(forfeited!.subject).toBe(`Order ${order.number}: balance not paid, seats released`)
    expect(forfeited!.body).toContain('Your deposit of ¥41 has been refunded.')
    // The deposit's refund is part of that notice, not a second message.
    expect(more).toEqual([])
    for (const m of [reminder!, forfeited!]) expectReadable(m, [15900, 4100], 'en')
  })
})

/**
 * The refund notice among a buyer's messages. The confirmation's message is written by the outbox publisher's run
 * after the payment (up to its gathering window later, or by the cron), a refund's by the refund's own request, so a
 * refund right after paying may be written before the confirmation: picked by what it says, not by its place.
 */
const refundNoticeTo = async (email: string) => {
  const sent = await messagesTo(email)
  expect(sent.filter((m) => /^(出票成功：|Your tickets: )/.test(m.subject))).toHaveLength(1)
  const refunds = sent.filter((m) => /已退款|refunded/.test(m.subject))
  expect(refunds).toHaveLength(1)
  return refunds[0]!
}

describe('refund messages', () => {
  it('tells a Chinese buyer of their refund of ¥100 for C排9座, and an English one of theirs', async () => {
    const show = await rowCShow()
    const zh = await ordered(show, { email: inbox('refund-zh'), locale: 'zh-CN' })
    const en = await ordered(await rowCShow(), { email: inbox('refund-en'), locale: 'en' })
    for (const { buyer, created } of [zh, en]) await sandboxPay(buyer, created.paymentId)
    const lineOf = async (buyer: ApiClient, orderId: string, row: string, seat: string) => {
      const view = await ok(buyer.get(`/api/orders/${orderId}`))
      return view.lines.find(
        (l: { place: { row: string; number: string } }) => l.place.row === row && l.place.number === seat,
      ).id
    }
    await ok(
      postWithKey(zh.buyer, `/api/orders/${zh.order.id}/refunds`, {
        lineIds: [await lineOf(zh.buyer, zh.order.id, 'C', '9')],
      }),
      201,
    )
    await ok(postWithKey(en.buyer, `/api/orders/${en.order.id}/refunds`, {}), 201)
    const refund = await refundNoticeTo(zh.order.email)
    expect(refund.subject).toBe(`订单 ${zh.order.number} 已退款 ¥100`)
    expect(refund.body).toContain('您的退票申请已处理。')
    // Only the refunded seat is named.
    expect(refund.body).toContain('票品：C排9座\n')
    expect(refund.body).toContain('1 张门票已作废，退款 ¥100 将原路退回')
    expectReadable(refund, [10000], 'zh-CN')
    const enRefund = await refundNoticeTo(en.order.email)
    expect(enRefund.subject).toBe(`Order ${en.order.number}: ¥200 refunded`)
    expect(enRefund.body).toContain('Your refund request has been processed.')
    expect(enRefund.body).toContain('Tickets: Row C, seat 9; Row C, seat 10')
    expect(enRefund.body).toContain('2 tickets are no longer valid. ¥200 goes back')
    expectReadable(enRefund, [20000], 'en')
  })

  it('tells each buyer of a cancelled show, in their language, that the show was cancelled and they are refunded', async () => {
    const show = await rowCShow()
    const zh = await ordered(show, { email: inbox('cancel-zh'), locale: 'zh-CN' })
    await sandboxPay(zh.buyer, zh.created.paymentId)
    const buyer = new ApiClient()
    const hold = await ok(
      buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: show.seatIds.slice(0, 1) }),
      201,
    )
    const enEmail = inbox('cancel-en')
    const en = await ok(
      postWithKey(buyer, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: enEmail,
        locale: 'en',
      }),
      201,
    )
    await sandboxPay(buyer, en.paymentId)
    await ok(show.owner.post(`${show.base}/shows/${show.showId}/cancel`, { reason: 'Artist ill' }))
    const zhSent = await refundNoticeTo(zh.order.email)
    expect(zhSent.subject).toBe(`订单 ${zh.order.number} 已退款 ¥200`)
    expect(zhSent.body).toContain('很抱歉，本场演出已取消，您的订单已全额退款。')
    expectReadable(zhSent, [20000], 'zh-CN')
    const enSent = await refundNoticeTo(enEmail)
    expect(enSent.subject).toBe(`Order ${en.order.number}: ¥100 refunded`)
    expect(enSent.body).toContain('this show has been cancelled')
    expect(enSent.body).toContain('Tickets: Row C, seat 1')
  })

  it('explains a late payment’s automatic refund in the buyer’s language', async () => {
    const show = await rowCShow({ holdMinutes: 1 })
    const { buyer, created, order } = await ordered(show, { email: inbox('late-zh'), locale: 'zh-CN' })
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 61_000)
    await runDurableObjectAlarm(env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(show.showId)))
    vi.useRealTimers()
    await ok(new ApiClient().post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[9]] }), 201)
    expect(await sandboxPay(buyer, created.paymentId)).toMatchObject({ status: 'expired' })
    const sent = (await messagesTo(order.email)).at(-1)!
    expect(sent.subject).toBe(`订单 ${order.number} 已退款 ¥200`)
    expect(sent.body).toContain('您的付款在保留时间结束后才到账，所选门票已不再可售，款项已全额退回。')
    expectReadable(sent, [20000], 'zh-CN')
  })
})
