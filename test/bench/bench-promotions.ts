// Orders end to end with promotions applied (issue 21): signed-in members buy with a coupon code and points, beside
// the same members buying at the plain price, in alternating rounds of one run so a change in the machine's speed
// falls on both alike. Both sides are signed-in customers, so the member lookup is in both; the promotion side adds
// the coupon's checks and reservation guards and the points redemption to the order's batch, and the subscribers
// that earn points and settle the coupon after payment. Target: promotion / plain ≥ 0.8.
import { randomBytes } from 'node:crypto'
import type { AdminCall } from '../support/admin-over-http.ts'
import { gridShowOnSale } from '../support/admin-over-http.ts'
import { percentile } from './percentile.ts'

type Load = (
  clients: number,
  seconds: number,
  request: () => Promise<Response>,
) => Promise<{ elapsed: number; latencies: number[]; statuses: Map<number, number> }>

/** Why requests of the run were refused, by problem code (a run that fails should say why). */
const refusals = new Map<string, number>()
async function refused(res: Response): Promise<Response> {
  const text = await res.text()
  let code = String(res.status)
  try {
    code = (JSON.parse(text) as { code?: string; status?: string }).code ?? code
  } catch {}
  refusals.set(code, (refusals.get(code) ?? 0) + 1)
  return new Response(text, { status: res.status === 201 ? 409 : res.status })
}

/** A member's browser: its own cookie and client address (sign-in and holds are limited per address). */
class Member {
  private cookie = ''
  private readonly base: string
  readonly address: string
  constructor(base: string, address: string) {
    this.base = base
    this.address = address
  }

  async call(path: string, body?: unknown, extra: Record<string, string> = {}) {
    const res = await fetch(`${this.base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        'content-type': 'application/json',
        cookie: this.cookie,
        'cf-connecting-ip': this.address,
        ...extra,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const set = res.headers.get('set-cookie')
    if (set) this.cookie = set.split(';')[0]!
    return res
  }

  /** Signs in with a one-time code read from the dev mailbox. */
  async signIn(contact: string) {
    const sent = await this.call('/api/customer/auth/code', { contact })
    if (sent.status !== 202)
      throw new Error(`sign-in code for ${contact}: ${sent.status} ${await sent.text()}`)
    const mail = (await (
      await fetch(`${this.base}/api/dev/mailbox?to=${encodeURIComponent(contact)}`)
    ).json()) as { items: { subject: string }[] }
    const code = mail.items[0]?.subject.match(/(\d{6})\s*$/)?.[1]
    if (!code) throw new Error(`no sign-in code in the mailbox for ${contact}`)
    const verified = await this.call('/api/customer/auth/verify', { contact, code })
    if (!verified.ok) throw new Error(`verify ${contact}: ${verified.status} ${await verified.text()}`)
  }

  /** Hold one seat, order it (with the promotion or not), pay in the sandbox: whether it ended paid. */
  async buy(showId: string, promotion?: { couponCode: string; points: number }): Promise<Response> {
    const hold = await this.call(`/api/shows/${showId}/holds`, {
      best: { category: 'A', quantity: 1, allowSplit: true },
    })
    if (hold.status !== 201) return refused(hold)
    const { id: holdId } = (await hold.json()) as { id: string }
    const order = await this.call(
      '/api/orders',
      { kind: 'show', showId, holdId, ...(promotion ?? {}) },
      { 'idempotency-key': randomBytes(12).toString('hex') },
    )
    if (order.status !== 201) return refused(order)
    const { paymentId } = (await order.json()) as { paymentId: string }
    const paid = await this.call(`/api/payments/sandbox/checkout/${paymentId}/complete`, { outcome: 'pay' })
    const result = (await paid.json()) as { status?: string }
    if (result.status !== 'paid') refusals.set('not_paid', (refusals.get('not_paid') ?? 0) + 1)
    return new Response(JSON.stringify(result), {
      status: result.status === 'paid' ? 201 : 409,
      headers: { 'content-type': 'application/json' },
    })
  }
}

export async function promotionOrders(
  base: string,
  admin: AdminCall,
  load: Load,
  options: { clients: number; seconds: number; rounds: number; address: () => string },
) {
  // A buyer may buy 50 tickets (the most an event allows; a run sells ~15 a member); one coupon with no cap; points worth ¥1 per 100, up to half.
  const showId = await gridShowOnSale(admin, {
    rows: 400,
    venueName: 'Bench Members Arena',
    maxTicketsPerBuyer: 50,
    price: 50000,
  })
  const couponCode = `BENCH${randomBytes(3).toString('hex').toUpperCase()}`
  await admin('/coupons', 'POST', {
    title: '满减',
    kind: 'amount_off',
    amountOff: 1000,
    code: couponCode,
    stacksWithMember: true,
  })
  await admin('/points-rules', 'PUT', {
    earnPerYuan: 1,
    pointsPerYuan: 100,
    maxRedeemPercent: 50,
    expiryYears: 0,
  })
  await admin('/member-tiers', 'PUT', {
    tiers: [
      {
        code: 'all',
        name: '会员',
        minSpend: null,
        minPoints: null,
        discountPercent: 5,
        presaleAccess: false,
      },
    ],
  })
  // Members sign in and buy once at the plain price, which earns the points the promotion side spends (500 a
  // ticket; each promotion order spends 100 and earns back more).
  const members = await Promise.all(
    Array.from({ length: options.clients }, async (_, i) => {
      const member = new Member(base, options.address())
      await member.signIn(`bench-member-${Date.now()}-${i}@example.com`)
      const first = await member.buy(showId)
      if (first.status !== 201)
        throw new Error(`a member's first order: ${first.status} ${await first.text()}`)
      return member
    }),
  )
  let next = 0
  const anyMember = () => members[next++ % members.length]!
  const plainRounds: Awaited<ReturnType<Load>>[] = []
  const promoRounds: Awaited<ReturnType<Load>>[] = []
  for (let round = 0; round < options.rounds; round++) {
    plainRounds.push(
      await load(options.clients, options.seconds / options.rounds, () => anyMember().buy(showId)),
    )
    promoRounds.push(
      await load(options.clients, options.seconds / options.rounds, () =>
        anyMember().buy(showId, { couponCode, points: 100 }),
      ),
    )
  }
  const summary = (rounds: typeof plainRounds) => {
    const elapsed = rounds.reduce((t, r) => t + r.elapsed, 0)
    const paid = rounds.reduce((n, r) => n + (r.statuses.get(201) ?? 0), 0)
    const failed = rounds.reduce(
      (n, r) => n + [...r.statuses].reduce((m, [s, k]) => m + (s === 201 ? 0 : k), 0),
      0,
    )
    const latencies = rounds.flatMap((r) => r.latencies).sort((a, b) => a - b)
    return {
      ordersConfirmedPerSecond: Math.round((paid / elapsed) * 10) / 10,
      p50Ms: Math.round(percentile(latencies, 50)),
      p99Ms: Math.round(percentile(latencies, 99)),
      paid,
      failed,
    }
  }
  const plain = summary(plainRounds)
  const promo = summary(promoRounds)
  return {
    plain,
    promo,
    refusals: Object.fromEntries(refusals),
    ratio: Math.round((promo.ordersConfirmedPerSecond / plain.ordersConfirmedPerSecond) * 100) / 100,
  }
}
