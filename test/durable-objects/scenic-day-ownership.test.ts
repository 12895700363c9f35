import { runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import type { ScenicDayInventory } from '../../durable-objects/scenic-day/inventory.ts'
import { migrateDayStorage } from '../../durable-objects/scenic-day/migrations.ts'
import { addSeniorTicket, idNumberFor, type ScenicFixture, scenicSiteOnSale } from '../support/catalogue.ts'

// The day actor's side of 父子票 by ownership, and how an actor with older storage is brought up to date.

const day = (site: ScenicFixture) =>
  env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${site.siteId}:${site.date}`))

const v = { name: 'Wang Fang', idNumber: idNumberFor(701), phone: '13900000701' }

/** Holds `lines` for `holderId` and confirms them as `orderId`; the held line ids. */
async function sell(site: ScenicFixture, holderId: string, orderId: string, lines: unknown[]) {
  const stub = day(site)
  const held = await stub.hold(site.siteId, site.date, {
    holderId,
    channel: 'web',
    lines: lines as never,
  })
  if (!held.ok) throw new Error(`${held.code}: ${held.detail}`)
  expect(await stub.confirm(site.siteId, site.date, held.hold.id, orderId)).toMatchObject({ ok: true })
  return held.hold.lines.map((l) => l.id)
}

describe('scenic day: parent-child ownership', () => {
  it('cascades a parent’s refund to the same buyer’s cable cars only; another buyer’s proven one stays theirs', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'cascade', cableCarCap: 5 })
    const stub = day(site)
    const [gateId] = await sell(site, 'buy_v', 'ord_v', [
      { productId: site.gateProduct, slot: '09:00', visitor: v },
    ])
    const [ownCable] = await sell(site, 'buy_v', 'ord_v_cable', [
      { productId: site.cableCarProduct, visitor: v },
    ])
    // X has V's ticket code (the route proved it) and buys V a ride.
    const [theirCable] = await sell(site, 'buy_x', 'ord_x', [
      { productId: site.cableCarProduct, visitor: v, parent: { lineId: gateId, proven: true } },
    ])
    // Without the proof, the same line is X's to name no more than a guessed one.
    const unproven = await stub.hold(site.siteId, site.date, {
      holderId: 'buy_x',
      channel: 'web',
      lines: [{ productId: site.cableCarProduct, visitor: v, parent: { lineId: gateId! } }],
    })
    expect(unproven).toMatchObject({ ok: false, code: 'parent_ticket_required' })

    expect(await stub.previewReturn(site.siteId, site.date, 'ord_v')).toEqual({
      ok: true,
      returning: [gateId],
      cascaded: [{ lineId: ownCable, orderId: 'ord_v_cable' }],
    })
    expect(await stub.returnLines(site.siteId, site.date, 'ord_v')).toEqual({
      ok: true,
      returned: [gateId],
      cascaded: [ownCable],
    })
    const stored = await stub.storedCounts(site.siteId, site.date)
    expect(stored.filter((r) => r.product_id === site.cableCarProduct)).toEqual(
      expect.arrayContaining([
        { status: 'returned', product_id: site.cableCarProduct, n: 1 },
        { status: 'sold', product_id: site.cableCarProduct, n: 1 },
      ]),
    )
    // X's ride is still sold and still X's to refund.
    expect(await stub.previewReturn(site.siteId, site.date, 'ord_x')).toEqual({
      ok: true,
      returning: [theirCable],
      cascaded: [],
    })
  })

  it('brings an actor stored before ownership and age rules up to date', async () => {
    const site = await scenicSiteOnSale()
    const seniorId = await addSeniorTicket(site)
    const stub = day(site)
    await stub.availability(site.siteId, site.date)
    // As an actor written by the previous version: no new columns, no record of migrations (neither the runner's
    // table nor the older schema row), a config without age bounds.
    await runInDurableObject(stub, (instance: ScenicDayInventory, state) => {
      const sql = state.storage.sql
      sql.exec('ALTER TABLE holds DROP COLUMN client_network')
      sql.exec('ALTER TABLE lines DROP COLUMN parent_line_id')
      // …nor the price quote's (step 3).
      sql.exec('DROP INDEX lines_tier')
      for (const column of ['list_price', 'tier', 'tier_key', 'channel_priced'])
        sql.exec(`ALTER TABLE lines DROP COLUMN ${column}`)
      sql.exec('ALTER TABLE holds DROP COLUMN partner')
      sql.exec('DROP TABLE schema_migrations')
      sql.exec("DELETE FROM meta WHERE key = 'schema'")
      const [row] = sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'config'").toArray()
      const config = JSON.parse(row!.value)
      delete config.version
      for (const product of Object.values(config.products) as { ages?: unknown }[]) delete product.ages
      sql.exec("UPDATE meta SET value = ? WHERE key = 'config'", JSON.stringify(config))
      migrateDayStorage(state.storage)
      const columns = (table: string) =>
        sql
          .exec<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
          .toArray()
          .map((c) => c.name)
      expect(columns('holds')).toContain('client_network')
      expect(columns('lines')).toContain('parent_line_id')
      expect(columns('lines')).toContain('tier_key')
      expect(columns('holds')).toContain('partner')
      Object.assign(instance, { config: undefined })
    })
    // The old config is read again from the catalogue, so the senior rule applies at once.
    const young = await stub.hold(site.siteId, site.date, {
      holderId: 'buy_y',
      channel: 'web',
      lines: [{ productId: seniorId, slot: '09:00', visitor: { name: 'Young', idNumber: idNumberFor(702) } }],
    })
    expect(young).toMatchObject({ ok: false, code: 'not_eligible', line: 0, rule: 'minAge' })
  })
})
