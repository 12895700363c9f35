import { describe, expect, it, vi } from 'vitest'
import { showOnSale as showOnSaleName } from '../../../worker/domain/admission-pass.ts'
import { gridChart, ok, showOnSale } from '../../support/catalogue.ts'
import {
  aMinuteAgo,
  holdsPath,
  holdWith,
  joinInOrder,
  placeOf,
  queueActor,
  queuePath,
  setRoom,
} from '../../support/waiting-room.ts'

// Admitted buyers refused a hold who walk away (issue 22): while the room follows how fast buyers finish, an
// admitted buyer holding nothing counts as choosing, and no more buyers choose at once than units are left. A
// refusal starts an idle clock (30 s; 1 s in tests, test/vitest.config.ts): past it they stop counting and the
// queue moves on, instead of waiting for their passes to lapse (10 minutes here).

describe('waiting room: admitted buyers refused a hold', () => {
  it('stop holding admission back once they go quiet, and count again when they come back', async () => {
    const show = await showOnSale(gridChart(1, 3))
    const onSale = showOnSaleName(show.showId)
    const actor = queueActor(onSale)
    await setRoom(show.manager, `${show.base}/shows/${show.showId}`, {
      opensAt: aMinuteAgo(),
      passMinutes: 10,
    })
    const [a, b, c, d] = await joinInOrder(queuePath(show.showId), 4)
    await actor.tick()
    const passOf = async (buyer: typeof a) => (await placeOf(buyer!, queuePath(show.showId))).place?.pass
    const [passA, passB, passC] = [await passOf(a), await passOf(b), await passOf(c)]
    // Three seats, three admitted; the fourth waits.
    expect([passA, passB, passC].every((p) => typeof p === 'string')).toBe(true)
    expect((await placeOf(d!, queuePath(show.showId))).place).toMatchObject({ state: 'waiting', position: 1 })

    // A takes two seats; B and C both go for one A already has and are refused.
    await ok(holdWith(a!, holdsPath(show.showId), { seatIds: show.seatIds.slice(0, 2) }, passA), 201)
    for (const [buyer, pass] of [
      [b, passB],
      [c, passC],
    ] as const) {
      const refused = await holdWith(buyer!, holdsPath(show.showId), { seatIds: [show.seatIds[0]] }, pass)
      expect(refused.status).toBe(409)
    }
    // At once they still count as choosing the one seat left: D is not let in yet.
    await vi.waitFor(async () => expect((await actor.inspect(onSale)).choosing).toBe(2), {
      timeout: 5_000,
      interval: 100,
    })
    await actor.tick()
    expect((await placeOf(d!, queuePath(show.showId))).place?.state).toBe('waiting')

    // A second later they have gone quiet (their passes still have ten minutes): the next tick admits D.
    await vi.waitFor(
      async () => {
        await actor.tick()
        expect(await actor.inspect(onSale)).toMatchObject({ quiet: 2 })
      },
      { timeout: 10_000, interval: 300 },
    )
    const inspected = await actor.inspect(onSale)
    expect(inspected).toMatchObject({ admitted: 4, choosing: 1, active: 2, quiet: 2, available: 1 })
    const admittedD = (await placeOf(d!, queuePath(show.showId))).place
    expect(admittedD?.state).toBe('admitted')
    await ok(holdWith(d!, holdsPath(show.showId), { seatIds: [show.seatIds[2]] }, admittedD!.pass), 201)

    // B comes back with their pass, still valid, and is refused again (sold out): counted as choosing again.
    const again = await holdWith(b!, holdsPath(show.showId), { seatIds: [show.seatIds[2]] }, passB)
    expect(again.status).toBe(409)
    await vi.waitFor(
      async () => expect(await actor.inspect(onSale)).toMatchObject({ quiet: 1, choosing: 1 }),
      { timeout: 5_000, interval: 100 },
    )
  })
})
