import { describe, expect, it } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'

// Revoking a presale code in the console: from then on a buyer typing it is told it is not valid, the other
// codes still admit, the list and export no longer have it, and a code the show lacks (or another organizer's
// show) answers 404. A hold the code already admitted stays.

const iso = (ms: number) => new Date(ms).toISOString()
const holdAs = (showId: string, body: unknown, n: number) =>
  new ApiClient().fetch(`/api/shows/${showId}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `10.31.0.${n}` },
    body: JSON.stringify(body),
  })
const one = { best: { category: 'A', quantity: 1 } }

describe('revoking a presale code', () => {
  it('a revoked code is refused as not valid, other codes still admit, and the held hold stays', async () => {
    const show = await showOnSale(gridChart(4, 10, ['A']), { saleStartsInHours: 3 })
    const path = `${show.base}/shows/${show.showId}`
    const detail = await ok(show.owner.get(path))
    await ok(
      show.owner.fetch(`${path}/sale-phases`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          phases: [
            {
              id: 'fans',
              label: '优先购',
              startsAt: iso(Date.now() - 60_000),
              endsAt: detail.saleStartsAt,
              codes: true,
            },
          ],
        }),
      }),
    )
    const made = await ok(show.owner.post(`${path}/presale-codes`, { count: 2, maxUses: 5 }), 201)
    const [kept, revoked] = made.codes.map((c: { code: string }) => c.code) as [string, string]
    const admitted = await ok(holdAs(show.showId, { ...one, presaleCode: revoked }, 1), 201)

    // Typed as a buyer would copy it: lower case with a dash.
    const typed = `${revoked.slice(0, 4).toLowerCase()}-${revoked.slice(4)}`
    const answer = await ok(show.owner.delete(`${path}/presale-codes/${encodeURIComponent(typed)}`))
    expect(answer).toEqual({ showId: show.showId, code: revoked, codeCount: 1 })

    const refused = await problemOf(await holdAs(show.showId, { ...one, presaleCode: revoked }, 2))
    expect(refused).toMatchObject({ code: 'presale_code_invalid', status: 409 })
    await ok(holdAs(show.showId, { ...one, presaleCode: kept }, 3), 201)
    // The hold it admitted before is still there to check out.
    const seatMap = await ok(new ApiClient().get(`/api/shows/${show.showId}/seat-map`))
    const heldSeats = seatMap.seats.filter((s: { state: string }) => s.state === 'held')
    expect(heldSeats.map((s: { id: string }) => s.id)).toContain(admitted.seats[0].id)
    expect(heldSeats).toHaveLength(2)

    const listed = await ok(show.owner.get(`${path}/presale-codes`))
    expect(listed.codes.map((c: { code: string }) => c.code)).toEqual([kept])
    expect((await ok(show.owner.get(`${path}/sale-phases`))).codeCount).toBe(1)

    // Again, or on another organizer's show: 404, and nothing else is removed.
    expect((await problemOf(await show.owner.delete(`${path}/presale-codes/${revoked}`))).code).toBe(
      'not_found',
    )
    const other = await showOnSale(gridChart(2, 2, ['A']), { saleStartsInHours: 3 })
    const foreign = await show.owner.delete(`${show.base}/shows/${other.showId}/presale-codes/${kept}`)
    expect(foreign.status).toBe(404)
    expect((await ok(show.owner.get(`${path}/presale-codes`))).codes).toHaveLength(1)
  })
})
