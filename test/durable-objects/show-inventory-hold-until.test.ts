import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { gridChart, showOnSale } from '../support/catalogue.ts'
import { salesOf } from '../support/show-inventory.ts'

// ShowInventory.holdUntil / extendHold: holds that last for a group buy's life instead of the hold minutes.

const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))
const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString()

describe('show inventory: holds until a deadline', () => {
  it('holds until the given time and extends only an active hold of the same holder', async () => {
    const show = await showOnSale(gridChart(2, 10), { holdMinutes: 15 })
    const stub = inventory(show.showId)
    const until = inHours(6)
    const held = await stub.holdUntil(
      show.showId,
      { holderId: 'buyer-a', seatIds: [show.seatIds[0]!] },
      until,
    )
    if (!held.ok) throw new Error(held.detail)
    expect(held.hold.expiresAt).toBe(until)
    // An ordinary hold keeps the show's 15 minutes.
    const ordinary = (
      await stub.holdBatch(show.showId, [{ holderId: 'buyer-b', seatIds: [show.seatIds[1]!] }])
    )[0]!
    if (!ordinary.ok) throw new Error(ordinary.detail)
    expect(Date.parse(ordinary.hold.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000)
    // The alarm armed for the long hold is brought forward: the ordinary hold expires on time.
    const alarm = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())
    expect(alarm).not.toBeNull()
    expect(alarm!).toBeLessThanOrEqual(Date.parse(ordinary.hold.expiresAt))

    const later = inHours(12)
    expect(await stub.extendHold(show.showId, held.hold.id, 'someone-else', later)).toEqual({
      extended: false,
    })
    expect(await stub.extendHold(show.showId, held.hold.id, 'buyer-a', later)).toEqual({
      extended: true,
      expiresAt: later,
    })
    expect((await stub.describeHold(show.showId, held.hold.id))!.hold.expiresAt).toBe(later)
    await stub.release(show.showId, held.hold.id)
    expect(await stub.extendHold(show.showId, held.hold.id, 'buyer-a', inHours(13))).toEqual({
      extended: false,
    })
  })

  it('refuses a time in the past, and the expiry alarm spares extended holds', async () => {
    const show = await showOnSale(gridChart(1, 10), { holdMinutes: 15 })
    const stub = inventory(show.showId)
    const past = await stub.holdUntil(
      show.showId,
      { holderId: 'a', seatIds: [show.seatIds[0]!] },
      inHours(-1),
    )
    expect(past).toMatchObject({ ok: false, code: 'invalid_request' })
    const short = (await stub.holdBatch(show.showId, [{ holderId: 'a', seatIds: [show.seatIds[0]!] }]))[0]!
    const long = (await stub.holdBatch(show.showId, [{ holderId: 'b', seatIds: [show.seatIds[1]!] }]))[0]!
    if (!short.ok || !long.ok) throw new Error('hold refused')
    await stub.extendHold(show.showId, long.hold.id, 'b', inHours(5))
    // Both holds' original 15 minutes pass.
    await runInDurableObject(stub, async (instance, state) => {
      const past = Date.now() - 1000
      state.storage.sql.exec('UPDATE holds SET expires_at = ? WHERE id = ?', past, short.hold.id)
      salesOf(instance).current!.holds.get(short.hold.id)!.expiresAt = past
      await state.storage.setAlarm(Date.now())
    })
    await runDurableObjectAlarm(stub)
    expect((await stub.describeHold(show.showId, short.hold.id))!.status).toBe('expired')
    expect((await stub.describeHold(show.showId, long.hold.id))!.status).toBe('active')
    expect((await stub.counts(show.showId)).memory).toMatchObject({ held: 1 })
  })
})
