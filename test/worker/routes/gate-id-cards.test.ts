import { describe, expect, it } from 'vitest'
import {
  type IdTicketIndex,
  idNumberHash,
  idScan,
  idTicketsOf,
  importIdIndexKey,
} from '../../../worker/domain/id-index.ts'
import { ApiClient } from '../../support/api.ts'
import {
  idNumberFor,
  ok,
  type ScenicFixture,
  scenicSiteOnSale,
  shanghaiDate,
} from '../../support/catalogue.ts'
import { type EnrolledGate, enrollGate, nonce, postWithKey } from '../../support/gate.ts'
import { offlineGate } from '../../support/id-gate.ts'

// 身份证核验: a site gate admits a real-name ticket by the visitor's ID number with no network, from keyed
// hashes in its bundle (never the numbers), with the same rules as a QR scan: once, on its day, not revoked.

const today = shanghaiDate(0)

async function buyScenic(site: ScenicFixture, date: string, lines: Record<string, unknown>[]) {
  const buyer = new ApiClient()
  const hold = await ok(buyer.post(`/api/scenic-sites/${site.siteId}/days/${date}/holds`, { lines }), 201)
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'scenic',
      siteId: site.siteId,
      date,
      holdId: hold.id,
      phone: '13800000401',
    }),
    201,
  )
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  const { items } = await ok(buyer.get(`/api/orders/${created.orderId}/tickets`))
  return {
    buyer,
    orderId: created.orderId as string,
    tickets: items as { ticketId: string; lineId: string }[],
  }
}

describe('gate: admission by ID number (身份证核验), offline', () => {
  it('admits the right person once, refuses a wrong day and a revoked ticket, lists two tickets for one ID', async () => {
    const site = await scenicSiteOnSale()
    const [alice, bob, carol, dave] = [401, 402, 403, 404].map(idNumberFor) as [
      string,
      string,
      string,
      string,
    ]
    // Alice: the gate ticket and the cable car today; Bob: a gate ticket today; Carol and Dave: tomorrow.
    const aliceOrder = await buyScenic(site, today, [
      { productId: site.gateProduct, slot: '10:00', visitor: { name: '王小明', idNumber: alice } },
      { productId: site.cableCarProduct, visitor: { name: '王小明', idNumber: alice } },
    ])
    await buyScenic(site, today, [
      { productId: site.gateProduct, slot: '10:00', visitor: { name: '李雷', idNumber: bob } },
    ])
    // Dave's day is tomorrow: today's refunds close when the site opens (a clock-dependent refusal otherwise).
    const daveOrder = await buyScenic(site, site.date, [
      { productId: site.gateProduct, slot: '09:00', visitor: { name: 'Dave Smith', idNumber: dave } },
    ])
    await buyScenic(site, site.date, [
      { productId: site.gateProduct, slot: '10:00', visitor: { name: '韩梅梅', idNumber: carol } },
    ])
    const enrolled = await enrollGate(site.gate, site.base, {
      siteId: site.siteId,
      fromDate: today,
      toDate: site.date,
    })
    const gate = await offlineGate(enrolled.body)
    expect(enrolled.body.idTickets.full).toBe(true)

    // Bob, typed with spaces and a lower-case check character where it has one: admitted, then already used.
    const [bobTicket, ...otherBob] = await gate.lookUp(` ${bob.toLowerCase().slice(0, 6)} ${bob.slice(6)} `)
    expect(otherBob).toEqual([])
    expect(bobTicket!.name).toBe('李*')
    expect(bobTicket!.ticket.it).toBe(`${site.gateProduct.slice(-8)}@10:00`)
    expect(gate.decide(bobTicket!)).toMatchObject({ admit: true })
    expect(gate.decide(bobTicket!)).toMatchObject({ admit: false, reason: 'already_used' })

    // Alice holds two tickets today: both are listed, each with its own item, for staff to choose.
    const aliceTickets = await gate.lookUp(alice)
    expect(aliceTickets.map((t) => t.ticket.tid).sort()).toEqual(
      aliceOrder.tickets.map((t) => t.ticketId).sort(),
    )
    expect(aliceTickets.map((t) => t.name)).toEqual(['王*明', '王*明'])
    expect(new Set(aliceTickets.map((t) => t.ticket.it)).size).toBe(2)

    // Carol's ticket is for tomorrow.
    const [carolTicket] = await gate.lookUp(carol)
    expect(gate.decide(carolTicket!)).toMatchObject({
      admit: false,
      reason: 'wrong_day',
      ticketDay: site.date,
    })

    // Dave is refunded after the gate synced its index: the next sync's revocation page refuses him.
    await ok(postWithKey(daveOrder.buyer, `/api/orders/${daveOrder.orderId}/refunds`, {}), 201)
    const [daveTicket] = await gate.lookUp(dave)
    expect(daveTicket!.name).toBe('D*** S****')
    await gate.addRevocations(
      await ok(enrolled.client.get(`/api/gate/sync?cursor=${enrolled.body.revocations.cursor}`)),
    )
    expect(gate.decide(daveTicket!)).toMatchObject({ admit: false, reason: 'revoked' })

    // A number with a wrong check character is not looked up; an unknown valid one finds nothing.
    expect(await gate.lookUp(`${bob.slice(0, 17)}${bob[17] === '0' ? '1' : '0'}`)).toEqual([])
    expect(await gate.lookUp(idNumberFor(499))).toEqual([])
  })

  it('a bundle holds no ID number, and two gates hash the same number under different keys', async () => {
    const site = await scenicSiteOnSale()
    const erin = idNumberFor(411)
    await buyScenic(site, today, [
      { productId: site.gateProduct, slot: '10:00', visitor: { name: '赵敏', idNumber: erin } },
    ])
    const scope = { siteId: site.siteId, fromDate: today, toDate: today }
    const [one, two] = [
      await enrollGate(site.gate, site.base, scope),
      await enrollGate(site.gate, site.base, scope),
    ]
    for (const gate of [one, two]) {
      const text = JSON.stringify(gate.body)
      expect(text).not.toContain(erin)
      expect(text).not.toContain(erin.slice(0, 14))
      expect(text).not.toContain('赵敏')
    }
    const [a, b] = [one.body.idTickets as IdTicketIndex, two.body.idTickets as IdTicketIndex]
    expect(a.key).not.toBe(b.key)
    const hashA = await idNumberHash(await importIdIndexKey(a.key), erin)
    const hashB = await idNumberHash(await importIdIndexKey(b.key), erin)
    expect(hashA).not.toBe(hashB)
    expect(a.groups.flatMap((g) => g.t.map((t) => t[0]))).toEqual([hashA])
    expect(b.groups.flatMap((g) => g.t.map((t) => t[0]))).toEqual([hashB])
    // Neither gate's hash appears in the other's bundle.
    expect(JSON.stringify(b)).not.toContain(hashA!)
  })

  it('later syncs send only new tickets under the same key; a new epoch starts afresh', async () => {
    const site = await scenicSiteOnSale()
    await buyScenic(site, today, [
      { productId: site.gateProduct, slot: '10:00', visitor: { name: '周芷若', idNumber: idNumberFor(421) } },
    ])
    const gate = await enrollGate(site.gate, site.base, {
      siteId: site.siteId,
      fromDate: today,
      toDate: today,
    })
    const first = gate.body.idTickets as IdTicketIndex
    const later = await buyScenic(site, today, [
      { productId: site.gateProduct, slot: '09:00', visitor: { name: '张无忌', idNumber: idNumberFor(422) } },
    ])
    const since = `idEpoch=${first.epoch}&idCursor=${encodeURIComponent(first.cursor)}`
    const next = (await ok(gate.client.get(`/api/gate/sync?cursor=0&${since}`))).idTickets as IdTicketIndex
    expect(next).toMatchObject({ full: false, key: first.key, epoch: first.epoch })
    const tids = idTicketsOf(next.groups).map((t) => t.ticket.tid)
    expect(tids).toContain(later.tickets[0]!.ticketId)
    expect(next.cursor >= first.cursor).toBe(true)
    const afresh = (await ok(gate.client.get('/api/gate/sync?cursor=0&idEpoch=2000-01-01'))).idTickets
    expect(afresh.full).toBe(true)
    expect(idTicketsOf(afresh.groups)).toHaveLength(2)
  })
})

describe('gate: uploads of ID admissions', () => {
  async function siteWithGates() {
    const site = await scenicSiteOnSale()
    const order = await buyScenic(site, today, [
      { productId: site.gateProduct, slot: '10:00', visitor: { name: '杨过', idNumber: idNumberFor(431) } },
      { productId: site.childProduct, slot: '10:00' },
    ])
    const scope = { siteId: site.siteId, fromDate: today, toDate: today }
    const gates: EnrolledGate[] = [
      await enrollGate(site.gate, site.base, scope),
      await enrollGate(site.gate, site.base, scope),
    ]
    return { site, order, gates }
  }
  const upload = (gate: EnrolledGate, scan: string) =>
    ok(
      gate.client.post('/api/gate/scans', {
        scans: [{ nonce: nonce(), scan, decision: 'admit', scannedAt: new Date().toISOString() }],
      }),
    )

  it('records the first as the redemption and a second gate’s as a conflict, like QR admissions', async () => {
    const { order, gates } = await siteWithGates()
    const ticketId = order.tickets[0]!.ticketId
    const first = await upload(gates[0]!, idScan(ticketId))
    expect(first.items[0]).toMatchObject({ status: 'recorded', ticketId, redemption: 'redeemed' })
    const second = await upload(gates[1]!, idScan(ticketId))
    expect(second.items[0]).toMatchObject({ status: 'recorded', ticketId, redemption: 'conflict' })
  })

  it('online, the server admits by ID once across gates and refuses a ticket with no ID number', async () => {
    const { order, gates } = await siteWithGates()
    const ticketId = order.tickets[0]!.ticketId
    const check = (gate: EnrolledGate, scan: string) =>
      ok(gate.client.post('/api/gate/check', { scan, nonce: nonce() }))
    const [first, second] = await Promise.all([
      check(gates[0]!, idScan(ticketId)),
      check(gates[1]!, idScan(ticketId)),
    ])
    expect([first.admit, second.admit].sort()).toEqual([false, true])
    const refused = first.admit ? second : first
    expect(refused).toMatchObject({ reason: 'already_used', ticket: { tid: ticketId } })
    expect(await check(gates[0]!, idScan(order.tickets[1]!.ticketId))).toMatchObject({
      admit: false,
      reason: 'bad_signature',
    })
  })

  it('refuses an ID admission of a ticket with no ID number, or of another site', async () => {
    const { order, gates } = await siteWithGates()
    const childTicket = order.tickets[1]!.ticketId
    const refused = await upload(gates[0]!, idScan(childTicket))
    expect(refused.items[0]).toMatchObject({ status: 'recorded', ticketId: null })
    expect(refused.items[0].redemption).toBeUndefined()

    const other = await siteWithGates()
    const foreign = await upload(gates[0]!, idScan(other.order.tickets[0]!.ticketId))
    expect(foreign.items[0]).toMatchObject({ status: 'recorded', refused: 'wrong_gate' })
  })
})
