import { runDurableObjectAlarm } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { runScheduledJobs } from '../../../worker/scheduled.ts'
import { forfeitUnpaidBalances, remindBalances } from '../../../worker/services/orders/index.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../support/catalogue.ts'
import { orderServices, postWithKey, sandboxPay } from '../../support/orders.ts'

// 定金 deposit presale over real requests: the organizer sets the terms, a buyer pays the deposit (seat locked, no
// ticket), then the balance (ticket issued once), or the due time forfeits the order (seat resold, deposit kept or
// refunded). Clocks are moved with fake Date; the cron steps run with an explicit `now`.

const HOUR = 3600_000
const iso = (ms: number) => new Date(ms).toISOString()
const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
const PRICE = 10000 // category A of showOnSale
const DEPOSIT = 2000

afterEach(() => vi.useRealTimers())

interface Terms {
  opensIn?: number
  dueIn?: number
  forfeit?: 'keep' | 'refund'
  leadMinutes?: number
}

async function depositShow(terms: Terms = {}, opts: Parameters<typeof showOnSale>[1] = {}) {
  const show = await showOnSale(gridChart(1, 10, ['A']), opts)
  const now = Date.now()
  const saved = await ok(
    show.owner.put(`${show.base}/shows/${show.showId}/deposit`, {
      deposit: {
        amount: DEPOSIT,
        balanceOpensAt: iso(now + (terms.opensIn ?? HOUR)),
        balanceDueAt: iso(now + (terms.dueIn ?? 48 * HOUR)),
        reminderLeadMinutes: terms.leadMinutes ?? 24 * 60,
        forfeit: terms.forfeit ?? 'keep',
      },
    }),
  )
  return { ...show, terms: saved.deposit as { balanceOpensAt: string; balanceDueAt: string } }
}

/** A buyer holds `seats` seats and pays their deposit. */
async function depositPaid(show: ShowFixture, seats: number[], buyer = new ApiClient()) {
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: seats.map((i) => show.seatIds[i]) }),
    201,
  )
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      deposit: true,
      email: 'deposit@example.com',
    }),
    201,
  )
  expect(created.amountDue).toBe(DEPOSIT * seats.length)
  expect(await sandboxPay(buyer, created.paymentId)).toMatchObject({ status: 'deposit_paid' })
  return { buyer, orderId: created.orderId as string, holdId: hold.id as string }
}

const orderOf = (buyer: ApiClient, orderId: string) => ok(buyer.get(`/api/orders/${orderId}`))
const seatStates = async (show: ShowFixture) => {
  const map = await ok(new ApiClient().get(`/api/shows/${show.showId}/seat-map`))
  return Object.fromEntries(map.seats.map((s: { id: string; state: string }) => [s.id, s.state]))
}
const ticketCount = (orderId: string) =>
  env.DB.prepare('SELECT count(*) AS n FROM tickets WHERE order_id = ?').bind(orderId).first<number>('n')

/** Money as the payment rows have it: received minus what refund allocations gave back. */
async function netMoney(orderId: string) {
  const received = await env.DB.prepare(
    `SELECT coalesce(sum(amount), 0) AS n FROM payments
     WHERE order_id = ? AND status IN ('succeeded', 'partially_refunded', 'refunded')`,
  )
    .bind(orderId)
    .first<number>('n')
  const returned = await env.DB.prepare(
    `SELECT coalesce(sum(a.amount), 0) AS n FROM refund_allocations a JOIN payments p ON p.id = a.payment_id
     WHERE p.order_id = ? AND a.done_at IS NOT NULL`,
  )
    .bind(orderId)
    .first<number>('n')
  return received! - returned!
}

/** Pays the balance inside its window (the clock moved to `at`). */
async function payBalance(buyer: ApiClient, orderId: string, at: number) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(at)
  const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
  const paid = await sandboxPay(buyer, balance.paymentId)
  vi.useRealTimers()
  return { balance, paid }
}

describe('deposit terms', () => {
  it('answers one validation problem listing every bad field, and saves nothing', async () => {
    const show = await showOnSale(gridChart(1, 10, ['A']), { startsInHours: 72 })
    const now = Date.now()
    const res = await show.owner.put(`${show.base}/shows/${show.showId}/deposit`, {
      deposit: {
        amount: PRICE,
        categories: ['A', 'Z'],
        balanceOpensAt: iso(now + 80 * HOUR),
        balanceDueAt: iso(now + 79 * HOUR),
        reminderLeadMinutes: 1.5,
        forfeit: 'keep',
      },
    })
    const problem = await problemOf(res)
    expect(res.status).toBe(400)
    expect(problem.code).toBe('validation')
    expect(problem.errors!.map((e: { path: string }) => e.path).sort()).toEqual([
      'json.deposit.amount',
      'json.deposit.balanceDueAt',
      'json.deposit.balanceOpensAt',
      'json.deposit.categories.1',
      'json.deposit.reminderLeadMinutes',
    ])
    expect(await ok(show.owner.get(`${show.base}/shows/${show.showId}/deposit`))).toMatchObject({
      deposit: null,
    })
    const pub = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    expect(pub.deposit).toBeNull()
  })

  it('a deposit above an early-bird tier price is refused: it must leave a balance on every seat', async () => {
    const show = await showOnSale(gridChart(1, 10, ['A']))
    await ok(
      show.owner.put(`${show.base}/shows/${show.showId}/pricing`, {
        schedules: [{ category: 'A', tiers: [{ label: 'Early bird', price: 1500, quantity: 5 }] }],
        flashSales: [],
      }),
    )
    const now = Date.now()
    const problem = await problemOf(
      await show.owner.put(`${show.base}/shows/${show.showId}/deposit`, {
        deposit: {
          amount: DEPOSIT,
          balanceOpensAt: iso(now + HOUR),
          balanceDueAt: iso(now + 2 * HOUR),
          forfeit: 'keep',
        },
      }),
    )
    expect(problem.errors).toEqual([
      expect.objectContaining({ path: 'json.deposit.amount', message: expect.stringContaining('1500') }),
    ])
  })
})

describe('deposit, then balance', () => {
  it('the deposit locks the seats without a ticket; the balance in its window issues the tickets', async () => {
    const show = await depositShow({}, { holdMinutes: 1 })
    const pub = await ok(new ApiClient().get(`/api/shows/${show.showId}`))
    expect(pub.deposit).toMatchObject({
      amount: DEPOSIT,
      forfeit: 'keep',
      balanceDueAt: show.terms.balanceDueAt,
    })
    const { buyer, orderId } = await depositPaid(show, [0, 1])
    let order = await orderOf(buyer, orderId)
    expect(order).toMatchObject({
      status: 'deposit_paid',
      total: 2 * PRICE,
      amountPaid: 2 * DEPOSIT,
      deposit: {
        deposit: 2 * DEPOSIT,
        balance: 2 * PRICE - 2 * DEPOSIT,
        window: 'upcoming',
        forfeit: 'keep',
      },
    })
    expect(order.lines.map((l: { ticket: unknown }) => l.ticket)).toEqual([null, null])
    expect(await ok(buyer.get(`/api/orders/${orderId}/tickets`))).toEqual({ items: [] })
    // The hold's time runs out: the seats stay the deposit's, nobody else can hold them.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 2 * 60_000)
    await runDurableObjectAlarm(inventory(show.showId))
    vi.useRealTimers()
    const states = await seatStates(show)
    expect([states[show.seatIds[0]!], states[show.seatIds[1]!]]).toEqual(['sold', 'sold'])
    const other = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[0]],
    })
    expect(other.status).toBe(409)
    // Before the window opens the balance cannot be paid.
    const early = await problemOf(await buyer.post(`/api/orders/${orderId}/balance`, {}))
    expect(early.code).toBe('balance_window_closed')
    const { balance, paid } = await payBalance(buyer, orderId, Date.parse(show.terms.balanceOpensAt) + 1000)
    expect(balance.amountDue).toBe(2 * PRICE - 2 * DEPOSIT)
    expect(paid).toMatchObject({ status: 'paid' })
    order = await orderOf(buyer, orderId)
    expect(order).toMatchObject({ status: 'paid', amountPaid: 2 * PRICE, refundedTotal: 0 })
    expect(order.lines.every((l: { ticket: { status: string } }) => l.ticket?.status === 'valid')).toBe(true)
    expect((await ok(buyer.get(`/api/orders/${orderId}/tickets`))).items).toHaveLength(2)
  })

  it('two balance notifications at once issue the tickets exactly once', async () => {
    const show = await depositShow({ opensIn: -HOUR })
    const { buyer, orderId } = await depositPaid(show, [2, 3])
    const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
    // Asking again gives the same payment.
    expect((await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))).paymentId).toBe(balance.paymentId)
    const answers = await Promise.all([
      sandboxPay(buyer, balance.paymentId),
      sandboxPay(buyer, balance.paymentId),
    ])
    expect(answers.map((a) => a.status)).toEqual(['paid', 'paid'])
    expect(await ticketCount(orderId)).toBe(2)
    const paidAudits = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_events WHERE order_id = ? AND action = 'order.paid'",
    )
      .bind(orderId)
      .first<number>('n')
    expect(paidAudits).toBe(1)
  })

  it('a show without a deposit refuses a deposit order', async () => {
    const show = await showOnSale(gridChart(1, 10, ['A']))
    const buyer = new ApiClient()
    const hold = await ok(buyer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]] }), 201)
    const res = await postWithKey(buyer, '/api/orders', {
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      deposit: true,
      email: 'deposit@example.com',
    })
    expect(res.status).toBe(409)
    expect((await problemOf(res)).code).toBe('deposit_not_offered')
  })
})

describe('the balance due time', () => {
  it('forfeits an unpaid balance at the instant, keeps the deposit, and the seat is sold again', async () => {
    const show = await depositShow({ forfeit: 'keep' })
    const { buyer, orderId } = await depositPaid(show, [4])
    const due = Date.parse(show.terms.balanceDueAt)
    await forfeitUnpaidBalances(orderServices(), new Date(due - 1))
    expect((await orderOf(buyer, orderId)).status).toBe('deposit_paid')
    // The minute cron does it.
    expect((await runScheduledJobs(env, new Date(due))).forfeited).toBeGreaterThanOrEqual(1)
    const order = await orderOf(buyer, orderId)
    expect(order).toMatchObject({ status: 'forfeited', amountPaid: DEPOSIT, refundedTotal: 0 })
    expect(order.statusReason).toContain('deposit was kept')
    expect(await netMoney(orderId)).toBe(DEPOSIT)
    expect((await seatStates(show))[show.seatIds[4]!]).toBe('free')
    // Another buyer buys the same seat outright.
    const second = new ApiClient()
    const hold = await ok(second.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[4]] }), 201)
    const created = await ok(
      postWithKey(second, '/api/orders', {
        kind: 'show',
        showId: show.showId,
        holdId: hold.id,
        email: 'second@example.com',
      }),
      201,
    )
    expect(await sandboxPay(second, created.paymentId)).toMatchObject({ status: 'paid' })
    expect(await ticketCount(created.orderId)).toBe(1)
    // The forfeited buyer cannot pay the balance any more.
    expect((await problemOf(await buyer.post(`/api/orders/${orderId}/balance`, {}))).code).toBe('conflict')
  })

  it('refunds the deposit when the terms say so', async () => {
    const show = await depositShow({ forfeit: 'refund' })
    const { buyer, orderId } = await depositPaid(show, [5, 6])
    await forfeitUnpaidBalances(orderServices(), new Date(Date.parse(show.terms.balanceDueAt)))
    const order = await orderOf(buyer, orderId)
    expect(order).toMatchObject({ status: 'forfeited', amountPaid: 2 * DEPOSIT, refundedTotal: 2 * DEPOSIT })
    expect(order.refunds).toEqual([expect.objectContaining({ amount: 2 * DEPOSIT, status: 'succeeded' })])
    expect(await netMoney(orderId)).toBe(0)
    const states = await seatStates(show)
    expect([states[show.seatIds[5]!], states[show.seatIds[6]!]]).toEqual(['free', 'free'])
  })

  it('queues the balance reminder once, its lead time before the due time', async () => {
    const show = await depositShow({ leadMinutes: 120 })
    const { orderId } = await depositPaid(show, [7])
    const remindAt = Date.parse(show.terms.balanceDueAt) - 120 * 60_000
    const { number } = (await env.DB.prepare('SELECT number FROM orders WHERE id = ?')
      .bind(orderId)
      .first<{ number: string }>())!
    // The buyer ordered on a Chinese page: the reminder asks for the balance (尾款) of this order.
    const reminders = () =>
      env.DB.prepare('SELECT count(*) AS n FROM outgoing_messages WHERE subject LIKE ?')
        .bind(`%${number}%支付尾款%`)
        .first<number>('n')
    await remindBalances(orderServices(), new Date(remindAt - 1))
    expect(await reminders()).toBe(0)
    await Promise.all([
      remindBalances(orderServices(), new Date(remindAt)),
      remindBalances(orderServices(), new Date(remindAt + 1000)),
    ])
    await remindBalances(orderServices(), new Date(remindAt + 60_000))
    expect(await reminders()).toBe(1)
  })
})

describe('refunds of a deposit order', () => {
  it('a deposit-only order refunds what was paid, with the policy fee taken from the deposit', async () => {
    const show = await depositShow({}, { refundTiers: [{ minHoursBefore: 0, feePercent: 20 }] })
    const { buyer, orderId } = await depositPaid(show, [8, 9])
    const quote = await ok(buyer.get(`/api/orders/${orderId}/refund-quote`))
    expect(quote).toMatchObject({ allowed: true, amount: 2 * DEPOSIT * 0.8, fee: 2 * DEPOSIT * 0.2 })
    const done = await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, {}), 201)
    expect(done.refund).toMatchObject({ amount: 3200, status: 'succeeded' })
    expect(done.order).toMatchObject({ status: 'refunded', amountPaid: 2 * DEPOSIT, refundedTotal: 3200 })
    expect(await netMoney(orderId)).toBe(800)
    const states = await seatStates(show)
    expect([states[show.seatIds[8]!], states[show.seatIds[9]!]]).toEqual(['free', 'free'])
  })
})

describe('a balance after the order ended', () => {
  it('a balance paid after the buyer refunded the deposit goes back in full', async () => {
    const show = await depositShow({ opensIn: -HOUR })
    const { buyer, orderId } = await depositPaid(show, [6])
    const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
    await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, {}), 201)
    expect(await sandboxPay(buyer, balance.paymentId)).toMatchObject({ status: 'refunded' })
    const order = await orderOf(buyer, orderId)
    expect(order).toMatchObject({ amountPaid: PRICE, refundedTotal: PRICE })
    expect(await netMoney(orderId)).toBe(0)
    expect(await ticketCount(orderId)).toBe(0)
  })

  it('a paid order refunded for less than its deposit keeps its balance: the cron does not give it back', async () => {
    const show = await depositShow(
      { opensIn: -HOUR },
      { refundTiers: [{ minHoursBefore: 0, feePercent: 90 }] },
    )
    const { buyer, orderId } = await depositPaid(show, [7])
    const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
    await sandboxPay(buyer, balance.paymentId)
    const refund = await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, {}), 201)
    expect(refund.refund.amount).toBe(PRICE / 10)
    await runScheduledJobs(env)
    const order = await orderOf(buyer, orderId)
    expect(order).toMatchObject({ status: 'refunded', refundedTotal: PRICE / 10 })
    expect(await netMoney(orderId)).toBe(PRICE - PRICE / 10)
  })
})

describe('balance racing the forfeit', () => {
  it('exactly one wins each time: tickets and the full price, or the seat back and the balance refunded', async () => {
    const show = await depositShow({ opensIn: -HOUR, dueIn: 2 * HOUR, forfeit: 'keep' })
    const due = new Date(Date.parse(show.terms.balanceDueAt))
    const outcomes: string[] = []
    // The forfeit starts at once or a few timer turns into the payment, so it lands before, between and after the
    // payment's steps (here: at once the forfeit tends to win, after a timer turn the balance); each run must end
    // with one winner whichever it is.
    for (const [seat, delay] of [null, 0, null, 0, 1, null, 3].entries()) {
      const { buyer, orderId } = await depositPaid(show, [seat])
      const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
      await Promise.all([
        sandboxPay(buyer, balance.paymentId),
        delay === null
          ? forfeitUnpaidBalances(orderServices(), due)
          : new Promise((resolve) => setTimeout(resolve, delay)).then(() =>
              forfeitUnpaidBalances(orderServices(), due),
            ),
      ])
      // A balance that lost is refunded at once; reconciliation would finish one left behind.
      await forfeitUnpaidBalances(orderServices(), due)
      const order = await orderOf(buyer, orderId)
      const state = (await seatStates(show))[show.seatIds[seat]!]
      outcomes.push(order.status)
      if (order.status === 'paid') {
        expect(await ticketCount(orderId)).toBe(1)
        expect(state).toBe('sold')
        expect(await netMoney(orderId)).toBe(PRICE)
        expect(order.refunds).toEqual([])
      } else {
        expect(order.status).toBe('forfeited')
        expect(await ticketCount(orderId)).toBe(0)
        expect(state).toBe('free')
        // The deposit is kept; the balance went back in full.
        expect(await netMoney(orderId)).toBe(DEPOSIT)
      }
    }
    expect(outcomes.every((s) => s === 'paid' || s === 'forfeited')).toBe(true)
  })
})

describe('money adds up', () => {
  const cases = [
    { name: 'balance paid', forfeit: 'keep', steps: ['balance'], net: PRICE, refunded: 0 },
    { name: 'forfeited, kept', forfeit: 'keep', steps: ['forfeit'], net: DEPOSIT, refunded: 0 },
    { name: 'forfeited, refunded', forfeit: 'refund', steps: ['forfeit'], net: 0, refunded: DEPOSIT },
    { name: 'deposit refunded', forfeit: 'keep', steps: ['refund'], net: 0, refunded: DEPOSIT },
    { name: 'paid then refunded', forfeit: 'keep', steps: ['balance', 'refund'], net: 0, refunded: PRICE },
  ] as const
  it.each(cases)(
    '$name: payments − refunds = what the order shows',
    async ({ forfeit, steps, net, refunded }) => {
      const show = await depositShow({ opensIn: -HOUR, forfeit })
      const { buyer, orderId } = await depositPaid(show, [0])
      for (const step of steps) {
        if (step === 'balance') {
          const balance = await ok(buyer.post(`/api/orders/${orderId}/balance`, {}))
          await sandboxPay(buyer, balance.paymentId)
        } else if (step === 'forfeit')
          await forfeitUnpaidBalances(orderServices(), new Date(Date.parse(show.terms.balanceDueAt)))
        else await ok(postWithKey(buyer, `/api/orders/${orderId}/refunds`, {}), 201)
      }
      const order = await orderOf(buyer, orderId)
      expect(order.amountPaid - order.refundedTotal).toBe(net)
      expect(order.refundedTotal).toBe(refunded)
      expect(await netMoney(orderId)).toBe(net)
      // Never more back than came in.
      expect(order.refundedTotal).toBeLessThanOrEqual(order.amountPaid)
    },
  )
})
