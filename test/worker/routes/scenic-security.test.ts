import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import {
  addSeniorTicket,
  idNumberBornOn,
  idNumberFor,
  ok,
  type ScenicFixture,
  scenicSiteOnSale,
} from '../../support/catalogue.ts'
import { addPartner } from '../../support/partner.ts'

// Attacks on the scenic side replayed over HTTP (issue 17): 父子票 matched on anyone's phone (attack 5) and
// the existence oracle it gave, channel allocations in the public day view, a senior ticket for a 36-year-old.

let keys = 0
const postWithKey = (client: ApiClient, path: string, body: unknown) =>
  client.fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': `scenic-sec-${Date.now()}-${keys++}` },
    body: JSON.stringify(body),
  })

const holds = (site: ScenicFixture) => `/api/scenic-sites/${site.siteId}/days/${site.date}/holds`
const day = (site: ScenicFixture) =>
  env.SCENIC_DAY_INVENTORY.get(env.SCENIC_DAY_INVENTORY.idFromName(`${site.siteId}:${site.date}`))

/** Holds `lines` as `buyer`, orders and pays them through the sandbox; the paid order. */
async function buy(site: ScenicFixture, buyer: ApiClient, lines: unknown[]) {
  const hold = await ok(buyer.post(holds(site), { lines }), 201)
  const created = await ok(
    postWithKey(buyer, '/api/orders', {
      kind: 'scenic',
      siteId: site.siteId,
      date: site.date,
      holdId: hold.id,
      email: 'visitor@example.com',
    }),
    201,
  )
  await ok(buyer.post(`/api/payments/sandbox/checkout/${created.paymentId}/complete`, { outcome: 'pay' }))
  const order = await ok(buyer.get(`/api/orders/${created.orderId}`))
  expect(order.status).toBe('paid')
  return order
}

/** A problem's body without what differs per request. */
async function problemBody(res: Response) {
  const { requestId: _r, instance: _i, ...rest } = await problemOf(res)
  return rest
}

const visitorV = { name: 'Wang Fang', idNumber: idNumberFor(801), phone: '13900000801' }

describe('security: 父子票 by ownership (attack 5)', () => {
  it('security: a buyer with the visitor’s phone or ID cannot buy the cable car, and cannot block the visitor’s refund', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'block' })
    const v = new ApiClient()
    const gateOrder = await buy(site, v, [{ productId: site.gateProduct, slot: '10:00', visitor: visitorV }])

    // X has no gate ticket, only V's phone, or V's name and ID number.
    const x = new ApiClient()
    for (const visitor of [
      { name: 'Attacker X', idNumber: idNumberFor(802), phone: visitorV.phone },
      { name: visitorV.name, idNumber: visitorV.idNumber },
      visitorV,
    ]) {
      const attempt = await x.post(holds(site), { lines: [{ productId: site.cableCarProduct, visitor }] })
      expect(attempt.status).toBe(409)
      expect((await problemOf(attempt)).code).toBe('parent_ticket_required')
    }
    // Naming V's gate line as the parent does not help either: it is not X's.
    const named = await x.post(holds(site), {
      lines: [{ productId: site.cableCarProduct, parent: { lineId: gateOrder.lines[0].inventoryRef } }],
    })
    expect((await problemOf(named)).code).toBe('parent_ticket_required')

    // V's refund goes through: nothing X did holds it.
    const refund = await ok(postWithKey(v, `/api/orders/${gateOrder.id}/refunds`, {}), 201)
    expect(refund.order.status).toBe('refunded')
  })

  it('security: the refusal is the same whether or not that phone or ID number visits that day', async () => {
    const site = await scenicSiteOnSale()
    await buy(site, new ApiClient(), [{ productId: site.gateProduct, slot: '10:00', visitor: visitorV }])
    const stranger = new ApiClient()
    const ask = (visitor: Record<string, string>) =>
      stranger.post(holds(site), { lines: [{ productId: site.cableCarProduct, visitor }] })
    const visiting = await problemBody(await ask(visitorV))
    const notVisiting = await problemBody(
      await ask({ name: 'Nobody', idNumber: idNumberFor(803), phone: '13900000803' }),
    )
    expect(visiting).toEqual(notVisiting)
    expect(visiting).toMatchObject({ status: 409, code: 'parent_ticket_required' })
    // By phone alone, and by ID number alone, too.
    expect(
      await problemBody(await ask({ name: 'P', idNumber: idNumberFor(804), phone: visitorV.phone })),
    ).toEqual(notVisiting)
    expect(await problemBody(await ask({ name: 'Q', idNumber: visitorV.idNumber }))).toEqual(notVisiting)
  })

  it('proves a parent by its ticket code: the holder of the QR buys the cable car, and the parent’s refund stays free', async () => {
    const site = await scenicSiteOnSale({ onParentRefund: 'block' })
    const v = new ApiClient()
    const gateOrder = await buy(site, v, [{ productId: site.gateProduct, slot: '10:00', visitor: visitorV }])
    const { items } = await ok(v.get(`/api/orders/${gateOrder.id}/tickets`))
    const code = items[0].token as string

    // A friend V showed the QR code to buys V's cable car ride; the ride must be V's (matched by the rule).
    const friend = new ApiClient()
    const wrongPerson = await friend.post(holds(site), {
      lines: [
        {
          productId: site.cableCarProduct,
          visitor: { name: 'Friend', idNumber: idNumberFor(805) },
          parent: { ticketCode: code },
        },
      ],
    })
    expect((await problemOf(wrongPerson)).code).toBe('parent_ticket_required')
    // Without a visitor, another buyer's ticket lends none (V's ID number stays V's).
    const noVisitor = await friend.post(holds(site), {
      lines: [{ productId: site.cableCarProduct, parent: { ticketCode: code } }],
    })
    expect((await problemOf(noVisitor)).code).toBe('parent_ticket_required')
    // A code that is not one, or a forged one, gets the same answer as no parent at all.
    const forged = `${code.slice(0, -4)}AAAA`
    const bad = await friend.post(holds(site), {
      lines: [{ productId: site.cableCarProduct, visitor: visitorV, parent: { ticketCode: forged } }],
    })
    expect(await problemBody(bad)).toEqual(
      await problemBody(
        await friend.post(holds(site), { lines: [{ productId: site.cableCarProduct, visitor: visitorV }] }),
      ),
    )
    const cableOrder = await buy(site, friend, [
      { productId: site.cableCarProduct, visitor: visitorV, parent: { ticketCode: `${code}~123456` } },
    ])
    expect(cableOrder.lines).toHaveLength(1)

    // The friend's cable car is theirs: it neither blocks V's refund nor goes with it.
    const refund = await ok(postWithKey(v, `/api/orders/${gateOrder.id}/refunds`, {}), 201)
    expect(refund.refund.lineIds).toHaveLength(1)
    expect((await ok(friend.get(`/api/orders/${cableOrder.id}`))).status).toBe('paid')
    // A refunded ticket's code proves nothing any more.
    const after = await friend.post(holds(site), {
      lines: [{ productId: site.cableCarProduct, visitor: visitorV, parent: { ticketCode: code } }],
    })
    expect((await problemOf(after)).code).toBe('parent_ticket_required')
  })

  it('lets the buyer name their own gate ticket or a line of the same hold, without typing the visitor again', async () => {
    const site = await scenicSiteOnSale()
    const buyer = new ApiClient()
    const together = await ok(
      buyer.post(holds(site), {
        lines: [
          { productId: site.gateProduct, slot: '10:00', visitor: visitorV },
          { productId: site.cableCarProduct, parent: { line: 0 } },
        ],
      }),
      201,
    )
    expect(together.lines[1].visitor).toEqual(visitorV)
    const other = { name: 'Li Na', idNumber: idNumberFor(806), phone: '13900000806' }
    const gate = await buy(site, buyer, [{ productId: site.gateProduct, slot: '09:00', visitor: other }])
    const later = await ok(
      buyer.post(holds(site), {
        lines: [{ productId: site.cableCarProduct, parent: { lineId: gate.lines[0].inventoryRef } }],
      }),
      201,
    )
    expect(later.lines[0].visitor).toEqual(other)
    // A parent that is not a gate ticket of the hold is a bad request, not a hint about anyone.
    const selfParent = await buyer.post(holds(site), {
      lines: [{ productId: site.cableCarProduct, visitor: other, parent: { line: 0 } }],
    })
    expect((await problemOf(selfParent)).code).toBe('validation')
  })
})

describe('security: the public scenic day view', () => {
  it('security: shows no channel’s allocation or remaining, only what the shop can buy', async () => {
    const site = await scenicSiteOnSale({ dailyCapacity: 100, channelQuotas: { ctrip: 10, meituan: 5 } })
    for (let i = 0; i < 3; i++) {
      const held = await day(site).hold(site.siteId, site.date, {
        holderId: `ctrip-${i}`,
        channel: 'ctrip',
        lines: [{ productId: site.childProduct, slot: '09:00' }],
      })
      expect(held.ok).toBe(true)
    }
    const path = `/api/scenic-sites/${site.siteId}`
    for (const url of [
      `${path}/days/${site.date}`,
      `${path}/days/${site.date}?channel=ctrip`,
      `${path}/calendar?from=${site.date}&to=${site.date}`,
      `${path}/calendar?from=${site.date}&to=${site.date}&channel=ctrip`,
    ]) {
      const res = await new ApiClient().get(url)
      expect(res.status).toBe(200)
      const text = await res.text()
      expect(text).not.toMatch(/ctrip|meituan|channels|quota/i)
      const body = JSON.parse(text)
      const shown = body.days ? body.days[0] : body
      // The shop's own pool: 100 minus the 15 allocated to partners.
      expect(shown.remaining).toBe(85)
    }
    // The organizer still sees every channel.
    const admin = await ok(
      site.owner.get(`${site.base}/scenic-sites/${site.siteId}/days/${site.date}/inventory`),
    )
    expect(admin.channels).toEqual({
      ctrip: { quota: 10, remaining: 7 },
      meituan: { quota: 5, remaining: 5 },
    })
  })
})

/** `date` (YYYY-MM-DD) moved by whole years and days. */
function shift(date: string, years: number, days = 0): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCFullYear(d.getUTCFullYear() + years)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

describe('security: age eligibility from the ID number', () => {
  it('security: a 36-year-old cannot buy a senior ticket, in the shop or through a partner', async () => {
    const site = await scenicSiteOnSale({ channelQuotas: { ctrip: 20 } })
    const senior = await addSeniorTicket(site, { realNameRequired: false })
    const thirtySix = { name: 'Zhang Wei', idNumber: idNumberBornOn(shift(site.date, -36), 1) }
    const refused = await new ApiClient().post(holds(site), {
      lines: [
        { productId: site.gateProduct, slot: '10:00', visitor: visitorV },
        { productId: senior, slot: '10:00', visitor: thirtySix },
      ],
    })
    expect(refused.status).toBe(422)
    const problem = await problemOf(refused)
    expect(problem).toMatchObject({ code: 'not_eligible', line: 1, rule: 'minAge' })
    expect(problem.detail).toMatch(/^Line 2: Gate senior is for visitors aged 60 and over/)
    expect(problem.detail).toContain('age 36')
    // Nothing was held: the adult line of the refused hold was not deducted.
    expect(
      (await ok(new ApiClient().get(`/api/scenic-sites/${site.siteId}/days/${site.date}`))).remaining,
    ).toBe(80)

    // Without an ID number there is no age to check (the product is not real-name, the rule still needs one).
    const noId = await new ApiClient().post(holds(site), {
      lines: [{ productId: senior, slot: '10:00', visitor: { name: 'Zhang Wei' } }],
    })
    expect((await problemOf(noId)).code).toBe('validation')

    // The same through the partner API: the day's actor decides for every channel.
    const { client } = await addPartner(site, { products: [senior] })
    const partnerHold = await client.post('/reservations', {
      date: site.date,
      lines: [{ productId: senior, slot: '10:00', visitor: thirtySix }],
    })
    expect(partnerHold.status).toBe(422)
    expect((await problemOf(partnerHold)).code).toBe('not_eligible')

    // A real senior pays the senior price.
    const sixtyFive = { name: 'Li Hua', idNumber: idNumberBornOn(shift(site.date, -65), 2) }
    const held = await ok(
      new ApiClient().post(holds(site), {
        lines: [{ productId: senior, slot: '10:00', visitor: sixtyFive }],
      }),
      201,
    )
    expect(held.total).toBe(6000)
  })

  it('counts the 60th birthday on the visit date as 60, the day before as 59', async () => {
    const site = await scenicSiteOnSale()
    const senior = await addSeniorTicket(site, { realNameRequired: false })
    const hold = (birth: string, serial: number) =>
      new ApiClient().post(holds(site), {
        lines: [
          {
            productId: senior,
            slot: '09:00',
            visitor: { name: 'Birthday', idNumber: idNumberBornOn(birth, serial) },
          },
        ],
      })
    await ok(hold(shift(site.date, -60), 3), 201)
    const dayLate = await hold(shift(site.date, -60, 1), 4)
    expect(await problemOf(dayLate)).toMatchObject({ code: 'not_eligible', rule: 'minAge' })
    expect((await problemOf(await hold(shift(site.date, -60, 1), 4))).detail).toContain('age 59')
  })
})
