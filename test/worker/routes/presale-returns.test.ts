import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ShowInventory } from '../../../durable-objects/show-inventory/index.ts'
import { expireUnpaidOrders } from '../../../worker/services/orders/index.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../support/catalogue.ts'
import { orderServices, postWithKey, sandboxPay } from '../../support/orders.ts'
import { salesOf } from '../../support/show-inventory.ts'

// A presale code's use and the orders made with it, over real requests: an unpaid order that expires gives its
// use back (its hold ends); one paid and refunded in full keeps it, unless its phase says `returnUseOnRefund`;
// and giving uses back never lets more holds in than the code's cap, whatever the interleaving.

const HOUR = 3600_000
const MINUTE = 60_000
const iso = (ms: number) => new Date(ms).toISOString()
const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
const one = { best: { category: 'A', quantity: 1 } }

const holdAs = (buyer: ApiClient, showId: string, body: unknown, n: number) =>
  buyer.fetch(`/api/shows/${showId}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `10.40.${n >> 8}.${n & 255}` },
    body: JSON.stringify(body),
  })

/** A show whose general sale opens in 2 hours, a code presale open now, and one code with `maxUses` uses. */
async function presaleShow(
  maxUses: number,
  returnUseOnRefund?: boolean,
): Promise<ShowFixture & { code: string }> {
  const show = await showOnSale(gridChart(10, 10, ['A']), { saleStartsInHours: 2 })
  const { saleStartsAt } = await ok(show.owner.get(`${show.base}/shows/${show.showId}`))
  await ok(
    show.owner.fetch(`${show.base}/shows/${show.showId}/sale-phases`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        phases: [
          {
            id: 'fans',
            label: '粉丝优先购',
            startsAt: iso(Date.now() - HOUR),
            endsAt: saleStartsAt,
            codes: true,
            ...(returnUseOnRefund === undefined ? {} : { returnUseOnRefund }),
          },
        ],
      }),
    }),
  )
  const { codes } = await ok(
    show.owner.post(`${show.base}/shows/${show.showId}/presale-codes`, { count: 1, maxUses }),
    201,
  )
  return { ...show, code: codes[0].code as string }
}

async function holdAndOrder(show: ShowFixture & { code: string }, n: number) {
  const buyer = new ApiClient()
  const hold = await ok(holdAs(buyer, show.showId, { ...one, presaleCode: show.code }, n), 201)
  const created = await ok<{ orderId: string; paymentId: string }>(
    postWithKey(buyer, '/api/orders', {
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      email: 'b@example.com',
    }),
    201,
  )
  return { buyer, hold, ...created }
}

const usedUp = async (show: ShowFixture & { code: string }, n: number) =>
  (await problemOf(await holdAs(new ApiClient(), show.showId, { ...one, presaleCode: show.code }, n))).code

afterEach(() => vi.useRealTimers())

describe('a presale code use and its order', () => {
  it('an unpaid order that expires gives the use back; a paid order refunded in full keeps it by default', async () => {
    const show = await presaleShow(1)
    const first = await holdAndOrder(show, 1)
    expect(await usedUp(show, 2)).toBe('presale_code_used_up')
    // The order is not paid before its hold runs out (15 minutes): the expiry cron ends it.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 16 * MINUTE)
    expect(await expireUnpaidOrders(orderServices(), new Date())).toBeGreaterThanOrEqual(1)
    expect((await ok(first.buyer.get(`/api/orders/${first.orderId}`))).status).toBe('expired')
    expect(await inventory(show.showId).presaleUses(show.showId)).toEqual({})
    // Its use is another buyer's now; paid and refunded in full, it stays used.
    const second = await holdAndOrder(show, 3)
    expect(await sandboxPay(second.buyer, second.paymentId)).toMatchObject({ status: 'paid' })
    await ok(postWithKey(second.buyer, `/api/orders/${second.orderId}/refunds`, {}), 201)
    expect((await ok(second.buyer.get(`/api/orders/${second.orderId}`))).status).toBe('refunded')
    expect(await inventory(show.showId).presaleUses(show.showId)).toEqual({ [show.code]: 1 })
    expect(await usedUp(show, 4)).toBe('presale_code_used_up')
  })

  it('a phase with returnUseOnRefund gives the use back on a full refund, and still after a restart', async () => {
    const show = await presaleShow(1, true)
    const phases = await ok(show.owner.get(`${show.base}/shows/${show.showId}/sale-phases`))
    expect(phases.phases[0]).toMatchObject({ id: 'fans', returnUseOnRefund: true })
    const paid = await holdAndOrder(show, 1)
    expect(await sandboxPay(paid.buyer, paid.paymentId)).toMatchObject({ status: 'paid' })
    expect(await usedUp(show, 2)).toBe('presale_code_used_up')
    await ok(postWithKey(paid.buyer, `/api/orders/${paid.orderId}/refunds`, {}), 201)
    expect(await inventory(show.showId).presaleUses(show.showId)).toEqual({})
    await runInDurableObject(inventory(show.showId), async (instance: ShowInventory) => {
      salesOf(instance).drop()
    })
    expect(await inventory(show.showId).presaleUses(show.showId)).toEqual({})
    await ok(holdAs(new ApiClient(), show.showId, { ...one, presaleCode: show.code }, 5), 201)
    expect(await usedUp(show, 6)).toBe('presale_code_used_up')
  })

  it('race: 3 of 5 holders give their uses back while 30 buyers try the code; the cap of 5 still holds', async () => {
    const show = await presaleShow(5)
    const holders = await Promise.all(
      Array.from({ length: 5 }, async (_, n) => {
        const buyer = new ApiClient()
        const hold = await ok(holdAs(buyer, show.showId, { ...one, presaleCode: show.code }, n), 201)
        return { buyer, hold }
      }),
    )
    const [released, answers] = await Promise.all([
      Promise.all(
        holders
          .slice(0, 3)
          .map(({ buyer, hold }) =>
            buyer.fetch(`/api/shows/${show.showId}/holds/${hold.id}`, { method: 'DELETE' }),
          ),
      ),
      Promise.all(
        Array.from({ length: 30 }, (_, n) =>
          holdAs(new ApiClient(), show.showId, { ...one, presaleCode: show.code }, 100 + n),
        ),
      ),
    ])
    expect(released.map((r) => r.status)).toEqual([204, 204, 204])
    const got = answers.filter((r) => r.status === 201).length
    const refused = await Promise.all(answers.filter((r) => r.status !== 201).map((r) => problemOf(r)))
    expect(new Set(refused.map((p) => p.code))).toEqual(new Set(['presale_code_used_up']))
    expect(got).toBeLessThanOrEqual(3)
    expect(await inventory(show.showId).presaleUses(show.showId)).toEqual({ [show.code]: 2 + got })
    // What the race left is taken now, one by one, and then not one more.
    for (let k = 0; k < 3 - got; k++)
      await ok(holdAs(new ApiClient(), show.showId, { ...one, presaleCode: show.code }, 200 + k), 201)
    expect(await usedUp(show, 250)).toBe('presale_code_used_up')
    expect((await inventory(show.showId).counts(show.showId)).activeHolds).toBe(5)
  })
})
