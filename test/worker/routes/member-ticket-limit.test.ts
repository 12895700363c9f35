import { describe, expect, it } from 'vitest'
import { ApiClient } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { signedInCustomer } from '../../support/clients.ts'

// A member tier's higher per-buyer ticket limit, over real requests: the console sets it on a tier, a signed-in
// member of that tier holds more than the event allows, and everybody else stops at the event's limit.

const seats = (quantity: number) => ({ best: { category: 'A', quantity } })

const tiers = (goldMinSpend: number) => ({
  tiers: [
    {
      code: 'standard',
      name: '普通',
      minSpend: null,
      minPoints: null,
      discountPercent: 0,
      presaleAccess: false,
    },
    {
      code: 'gold',
      name: '金卡',
      minSpend: goldMinSpend,
      minPoints: null,
      discountPercent: 0,
      presaleAccess: false,
      maxTicketsPerBuyer: 8,
    },
  ],
})

async function codeOf(res: Response) {
  return { status: res.status, code: ((await res.json()) as { code: string }).code }
}

describe('member tier ticket limit', () => {
  it('lets a member of the tier hold past the event limit, and holds everybody else to it', async () => {
    const show = await showOnSale(gridChart(3, 10, ['A']), { maxTicketsPerBuyer: 4 })
    // Everybody signed in reaches 金卡 here (no spend needed).
    const saved = await ok(show.owner.put(`${show.base}/member-tiers`, tiers(0)))
    expect(saved.tiers.map((t: { maxTicketsPerBuyer: number | null }) => t.maxTicketsPerBuyer)).toEqual([
      null,
      8,
    ])
    expect((await ok(show.owner.get(`${show.base}/member-tiers`))).tiers[1].maxTicketsPerBuyer).toBe(8)

    const member = await signedInCustomer()
    await ok(member.post(`/api/shows/${show.showId}/holds`, seats(4)), 201)
    await ok(member.post(`/api/shows/${show.showId}/holds`, seats(2)), 201)
    const past = await member.post(`/api/shows/${show.showId}/holds`, seats(3))
    expect(await codeOf(past)).toEqual({ status: 409, code: 'buyer_limit' })

    // An anonymous buyer has no tier: the event's four.
    const anonymous = new ApiClient()
    await ok(anonymous.post(`/api/shows/${show.showId}/holds`, seats(4)), 201)
    expect(await codeOf(await anonymous.post(`/api/shows/${show.showId}/holds`, seats(1)))).toEqual({
      status: 409,
      code: 'buyer_limit',
    })

    // 金卡 now needs ¥10,000 of spend: a new signed-in customer is 普通, without a raised limit.
    await ok(show.owner.put(`${show.base}/member-tiers`, tiers(1_000_000)))
    const plain = await signedInCustomer()
    expect(await codeOf(await plain.post(`/api/shows/${show.showId}/holds`, seats(5)))).toEqual({
      status: 409,
      code: 'buyer_limit',
    })
    await ok(plain.post(`/api/shows/${show.showId}/holds`, seats(4)), 201)
  })

  it('refuses a tier limit outside 1 to 50, naming the field', async () => {
    const show = await showOnSale(gridChart(1, 10, ['A']), { maxTicketsPerBuyer: 4 })
    const body = tiers(0)
    body.tiers[1]!.maxTicketsPerBuyer = 51
    const res = await show.owner.put(`${show.base}/member-tiers`, body)
    expect(res.status).toBe(400)
    const problem = (await res.json()) as { code: string; errors: { path: string }[] }
    expect(problem.code).toBe('validation')
    expect(problem.errors.map((e) => e.path)).toEqual(['json.tiers.1.maxTicketsPerBuyer'])
    expect((await ok(show.owner.get(`${show.base}/member-tiers`))).tiers).toEqual([])
  })
})
