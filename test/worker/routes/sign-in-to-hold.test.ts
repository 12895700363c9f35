import { env } from 'cloudflare:workers'
import { describe, expect, it, vi } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import { signedInCustomer } from '../../support/clients.ts'

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

describe('organizers can require sign-in to hold during an on-sale', () => {
  it('refuses anonymous buyers with sign_in_required (401) and takes holds from signed-in customers', async () => {
    const show = await showOnSale(gridChart(2, 10))
    const guest = new ApiClient()
    // Off by default: a guest holds.
    await ok(guest.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[0]] }), 201)

    const edited = await ok(show.manager.patch(`${show.base}/shows/${show.showId}`, { signInToHold: true }))
    expect(edited.signInToHold).toBe(true)
    expect((await ok(show.manager.get(`${show.base}/shows/${show.showId}`))).signInToHold).toBe(true)

    const refused = await new ApiClient().post(`/api/shows/${show.showId}/holds`, {
      seatIds: [show.seatIds[1]],
    })
    expect(refused.status).toBe(401)
    const problem = await problemOf(refused)
    expect(problem).toMatchObject({ code: 'sign_in_required', status: 401 })
    expect(problem.detail).toMatch(/sign in/)

    const customer = await signedInCustomer()
    const hold = await ok(
      customer.post(`/api/shows/${show.showId}/holds`, { seatIds: [show.seatIds[1]] }),
      201,
    )
    expect(hold.seats).toHaveLength(1)
    // Buyers see the setting before they pick seats (public show summaries are cached up to 5 s per isolate;
    // the actor refused at once above, as it is told of the edit).
    await vi.waitFor(
      async () =>
        expect((await ok(new ApiClient().get(`/api/shows/${show.showId}`))).signInToHold).toBe(true),
      { timeout: 8_000, interval: 500 },
    )
  })

  it('is enforced by the show actor too, for holds that do not come through the hold route (group buys)', async () => {
    const show = await showOnSale(gridChart(2, 10))
    await ok(show.owner.patch(`${show.base}/shows/${show.showId}`, { signInToHold: true }))
    const stub = inventory(show.showId)
    const [anonymous, customer] = await stub.holdBatch(show.showId, [
      { holderId: 'buy_0123456789abcdef', seatIds: [show.seatIds[0]!] },
      { holderId: 'cus_0123456789abcdef', seatIds: [show.seatIds[1]!] },
    ])
    expect(anonymous).toMatchObject({ ok: false, code: 'sign_in_required' })
    expect(customer).toMatchObject({ ok: true })
    // Turned off again, anonymous buyers hold at once (the actor's settings are refreshed on the edit).
    await ok(show.owner.patch(`${show.base}/shows/${show.showId}`, { signInToHold: false }))
    const [later] = await stub.holdBatch(show.showId, [
      { holderId: 'buy_0123456789abcdef', seatIds: [show.seatIds[0]!] },
    ])
    expect(later).toMatchObject({ ok: true })
  })
})
