import { describe, expect, it } from 'vitest'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { signedInCustomer } from '../../support/clients.ts'

// The presale hook: before the general sale a phase naming a member tier admits signed-in members of that tier,
// but only while the tier has presale access; everybody else is told the sale is not open to them yet.

const iso = (ms: number) => new Date(ms).toISOString()
const one = { best: { category: 'A', quantity: 1 } }

describe('member presale', () => {
  it('admits a member whose tier has presale access to a phase naming it, and nobody else', async () => {
    const show = await showOnSale(gridChart(2, 10, ['A']), { saleStartsInHours: 24 })
    const detail = await ok(show.owner.get(`${show.base}/shows/${show.showId}`))
    await ok(
      show.owner.put(`${show.base}/shows/${show.showId}/sale-phases`, {
        phases: [
          {
            id: 'gold',
            label: '金卡优先购',
            startsAt: iso(Date.now() - 60_000),
            endsAt: detail.saleStartsAt,
            memberTiers: ['gold'],
          },
        ],
      }),
    )
    const tiers = (presaleAccess: boolean) => ({
      tiers: [
        {
          code: 'standard',
          name: '普通',
          minSpend: null,
          minPoints: null,
          discountPercent: 0,
          presaleAccess: false,
        },
        // Everybody reaches 金卡 here (no spend needed), so only its presale access decides.
        { code: 'gold', name: '金卡', minSpend: 0, minPoints: null, discountPercent: 0, presaleAccess },
      ],
    })
    await ok(show.owner.put(`${show.base}/member-tiers`, tiers(true)))
    const member = await signedInCustomer()
    await ok(member.post(`/api/shows/${show.showId}/holds`, one), 201)

    await ok(show.owner.put(`${show.base}/member-tiers`, tiers(false)))
    const other = await signedInCustomer()
    const refused = await other.post(`/api/shows/${show.showId}/holds`, one)
    expect(refused.status).toBe(409)
    expect(((await refused.json()) as { code: string }).code).toBe('not_on_sale')
  })
})
