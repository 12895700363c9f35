import { describe, expect, it } from 'vitest'
import { idScan } from '../../../worker/domain/id-index.ts'
import { ApiClient } from '../../support/api.ts'
import { gridChart, idNumberFor, ok, type ShowFixture, showOnSale } from '../../support/catalogue.ts'
import { enrollGate, nonce, postWithKey } from '../../support/gate.ts'
import { offlineGate } from '../../support/id-gate.ts'

// 身份证核验 at a show gate: real-name show tickets (实名制, the show actor keeps the numbers per hold) are
// admitted by the holder's ID number offline, from keyed hashes in the event gate's bundle, like a QR scan.

const hour = 3_600_000

/** A real-name event with a show tonight (tickets valid now) and a second show later, refundable in full. */
async function realNameShows() {
  const tonight = await showOnSale(gridChart(1, 10), {
    realNameRequired: true,
    startsInHours: 2,
    refundTiers: [{ minHoursBefore: 0, feePercent: 0 }],
  })
  const later = await ok(
    tonight.owner.post(`${tonight.base}/shows`, {
      eventId: tonight.eventId,
      venueId: tonight.venueId,
      startsAt: new Date(Date.now() + 10 * hour).toISOString(),
      saleStartsAt: new Date(Date.now() - hour).toISOString(),
      saleEndsAt: new Date(Date.now() + 9 * hour).toISOString(),
      prices: { A: 10000 },
      holdMinutes: 15,
    }),
    201,
  )
  return { tonight, laterShowId: later.id as string }
}

/** Buys seats of a real-name show for named holders through the real API; returns the paid tickets. */
async function buyRealName(
  show: Pick<ShowFixture, 'showId'>,
  seatIds: string[],
  holders: { name: string; idNumber: string }[],
) {
  const buyer = new ApiClient()
  const hold = await ok(
    buyer.post(`/api/shows/${show.showId}/holds`, { seatIds, idNumbers: holders.map((h) => h.idNumber) }),
    201,
  )
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'show',
      showId: show.showId,
      holdId: hold.id,
      email: 'rn-gate@example.com',
      holderNames: holders.map((h) => h.name),
    }),
    201,
  )
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  const { items } = await ok(buyer.get(`/api/orders/${created.orderId}/tickets`))
  return { buyer, orderId: created.orderId as string, tickets: items as { ticketId: string; seat: string }[] }
}

describe('gate: admission by ID number at a show gate (实名制演出)', () => {
  it('admits once, refuses a refunded ticket and another show, lists two tickets of one ID', async () => {
    const { tonight, laterShowId } = await realNameShows()
    const [alice, bob, dave] = [501, 502, 504].map(idNumberFor) as [string, string, string]
    const bobOrder = await buyRealName(tonight, [tonight.seatIds[0]!], [{ name: '李雷', idNumber: bob }])
    // Alice: tonight and the later show (one seat per ID per show, so two shows for two tickets).
    const aliceTonight = await buyRealName(
      tonight,
      [tonight.seatIds[1]!],
      [{ name: '王小明', idNumber: alice }],
    )
    const aliceLater = await buyRealName(
      { showId: laterShowId },
      [tonight.seatIds[1]!],
      [{ name: '王小明', idNumber: alice }],
    )
    const daveOrder = await buyRealName(
      tonight,
      [tonight.seatIds[2]!],
      [{ name: 'Dave Smith', idNumber: dave }],
    )
    // Another event's real-name ticket for Bob: not this gate's.
    const elsewhere = await showOnSale(gridChart(1, 4), { realNameRequired: true, startsInHours: 2 })
    const foreign = await buyRealName(elsewhere, [elsewhere.seatIds[0]!], [{ name: '李雷', idNumber: bob }])

    const enrolled = await enrollGate(tonight.gate, tonight.base, { eventId: tonight.eventId })
    const text = JSON.stringify(enrolled.body)
    for (const number of [alice, bob, dave]) {
      expect(text).not.toContain(number)
      expect(text).not.toContain(number.slice(0, 14))
    }
    expect(text).not.toContain('王小明')
    const gate = await offlineGate(enrolled.body)

    // Bob: found with his masked name and seat label, admitted once, then already used.
    const bobFound = await gate.lookUp(bob)
    expect(bobFound.map((e) => e.ticket.tid)).toEqual([bobOrder.tickets[0]!.ticketId])
    expect(bobFound[0]!.name).toBe('李*')
    expect(bobFound[0]!.ticket.it).toBe(bobOrder.tickets[0]!.seat)
    expect(gate.decide(bobFound[0]!)).toMatchObject({ admit: true })
    expect(gate.decide(bobFound[0]!)).toMatchObject({ admit: false, reason: 'already_used' })
    expect(bobFound.map((e) => e.ticket.tid)).not.toContain(foreign.tickets[0]!.ticketId)

    // Alice: both shows' tickets are listed; tonight's admits, the later show's is refused at this hour.
    const aliceFound = await gate.lookUp(alice)
    expect(aliceFound.map((e) => e.ticket.tid).sort()).toEqual(
      [aliceTonight.tickets[0]!.ticketId, aliceLater.tickets[0]!.ticketId].sort(),
    )
    expect(aliceFound.map((e) => e.name)).toEqual(['王*明', '王*明'])
    const laterEntry = aliceFound.find((e) => e.ticket.tid === aliceLater.tickets[0]!.ticketId)!
    const tonightEntry = aliceFound.find((e) => e.ticket.tid === aliceTonight.tickets[0]!.ticketId)!
    expect(gate.decide(tonightEntry)).toMatchObject({ admit: true })
    expect(['not_yet_valid', 'wrong_day']).toContain((gate.decide(laterEntry) as { reason: string }).reason)

    // Dave is refunded after the sync: the next revocation page refuses him.
    await ok(postWithKey(daveOrder.buyer, `/api/orders/${daveOrder.orderId}/refunds`, {}), 201)
    const [daveEntry] = await gate.lookUp(dave)
    expect(daveEntry!.name).toBe('D*** S****')
    await gate.addRevocations(
      await ok(enrolled.client.get(`/api/gate/sync?cursor=${enrolled.body.revocations.cursor}`)),
    )
    expect(gate.decide(daveEntry!)).toMatchObject({ admit: false, reason: 'revoked' })
  })

  it('online and on upload, an ID admission of a show ticket counts once; another event’s is the wrong gate; no index without real names', async () => {
    const { tonight } = await realNameShows()
    const order = await buyRealName(
      tonight,
      [tonight.seatIds[3]!],
      [{ name: '杨过', idNumber: idNumberFor(531) }],
    )
    const gates = [
      await enrollGate(tonight.gate, tonight.base, { eventId: tonight.eventId }),
      await enrollGate(tonight.gate, tonight.base, { eventId: tonight.eventId }),
    ]
    const ticketId = order.tickets[0]!.ticketId
    const check = (i: number) =>
      ok(gates[i]!.client.post('/api/gate/check', { scan: idScan(ticketId), nonce: nonce() }))
    const [first, second] = await Promise.all([check(0), check(1)])
    expect([first.admit, second.admit].sort()).toEqual([false, true])
    expect(first.admit ? second : first).toMatchObject({ reason: 'already_used', ticket: { tid: ticketId } })

    const elsewhere = await realNameShows()
    const foreign = await buyRealName(
      elsewhere.tonight,
      [elsewhere.tonight.seatIds[0]!],
      [{ name: '小龙女', idNumber: idNumberFor(532) }],
    )
    // A show gate of an event that is not real-name gets no ID index (and so no ID mode).
    const plain = await showOnSale(gridChart(1, 4), { startsInHours: 2 })
    const plainGate = await enrollGate(plain.gate, plain.base, { eventId: plain.eventId })
    expect(plainGate.body.idTickets).toBeUndefined()

    const uploaded = await ok(
      gates[0]!.client.post('/api/gate/scans', {
        scans: [
          {
            nonce: nonce(),
            scan: idScan(foreign.tickets[0]!.ticketId),
            decision: 'admit',
            scannedAt: new Date().toISOString(),
          },
        ],
      }),
    )
    expect(uploaded.items[0]).toMatchObject({ status: 'recorded', refused: 'wrong_gate' })
  })
})
