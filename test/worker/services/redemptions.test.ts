import { describe, expect, it } from 'vitest'
import { problemOf } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { enrollGate, nonce } from '../../support/gate.ts'
import { partnerOnSite, partnerOrderId, reserveGate } from '../../support/partner.ts'

describe('redemptions and refunds', () => {
  it('a partner cannot refund a ticket already redeemed at a gate (already_redeemed); the unused one refunds', async () => {
    const f = await partnerOnSite()
    const reservation = await ok(reserveGate(f, 2), 201)
    const id = partnerOrderId()
    const order = await ok(
      f.client.post('/orders', { partnerOrderId: id, reservationId: reservation.reservationId }),
      201,
    )
    const [used, unused] = order.lines
    expect(used.ticket.code).toEqual(expect.any(String))
    const gate = await enrollGate(f.gate, f.base, { siteId: f.siteId, fromDate: f.date, toDate: f.date })
    expect(gate.body.profile.scope.map((e: { id: string }) => e.id)).toEqual([`${f.siteId}:${f.date}`])
    // The gate admitted the visitor offline and uploads its log.
    const upload = await ok(
      gate.client.post('/api/gate/scans', {
        scans: [
          { nonce: nonce(), scan: used.ticket.code, decision: 'admit', scannedAt: new Date().toISOString() },
        ],
      }),
    )
    expect(upload.items[0]).toMatchObject({ status: 'recorded', redemption: 'redeemed' })

    const refused = await f.client.post(`/orders/${id}/refunds`, {
      lineIds: [used.lineId],
      reason: 'changed plans',
    })
    const problem = await problemOf(refused)
    expect(problem).toMatchObject({ code: 'already_redeemed', lineIds: [used.lineId] })
    await ok(
      f.client.post(`/orders/${id}/refunds`, { lineIds: [unused.lineId], reason: 'changed plans' }),
      201,
    )
  })
})
