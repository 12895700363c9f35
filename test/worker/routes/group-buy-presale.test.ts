import { describe, expect, it } from 'vitest'
import { ApiClient, problemOf } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { campaignOnSale, joinGroup, newBuyer, showActor, startGroup } from '../../support/group-buy.ts'

// A group buy during a presale open to code holders: the leader and each joiner hold with their own code (the
// show's actor counts one use per member's hold), and without one they are told when the sale opens to them.

const HOUR = 3600_000

describe('group buys in a presale', () => {
  it('leader and joiner need a presale code; each member takes one use of the code they gave', async () => {
    const fixture = await campaignOnSale({}, { saleStartsInHours: 2 })
    const { saleStartsAt } = await ok(fixture.owner.get(`${fixture.base}/shows/${fixture.showId}`))
    await ok(
      fixture.owner.fetch(`${fixture.base}/shows/${fixture.showId}/sale-phases`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          phases: [
            {
              id: 'fans',
              label: '粉丝优先购',
              startsAt: new Date(Date.now() - HOUR).toISOString(),
              endsAt: saleStartsAt,
              codes: true,
            },
          ],
        }),
      }),
    )
    const { codes } = await ok(
      fixture.owner.post(`${fixture.base}/shows/${fixture.showId}/presale-codes`, { count: 1, maxUses: 2 }),
      201,
    )
    const code: string = codes[0].code

    const noCode = await problemOf(await startGroup(newBuyer(), fixture))
    expect(noCode.code).toBe('not_on_sale')
    const started = await ok(startGroup(newBuyer(), fixture, { presaleCode: code }), 201)
    const groupId: string = started.group.groupId

    const joinNoCode = await problemOf(await joinGroup(newBuyer(), groupId))
    expect(joinNoCode.code).toBe('not_on_sale')
    expect(joinNoCode.detail).toContain(saleStartsAt) // when the sale opens to a buyer without a code
    // A made-up code does not start a group either.
    expect(
      (await problemOf(await startGroup(newBuyer(), fixture, { presaleCode: 'ZZZZZZZZZZZZ' }))).code,
    ).toBe('presale_code_invalid')
    await ok(joinGroup(newBuyer(), groupId, { presaleCode: code.toLowerCase() }), 201)
    expect(await showActor(fixture.showId).presaleUses(fixture.showId)).toEqual({ [code]: 2 })
    // Its two uses are taken: a third member with the same code is refused, in the group as anywhere.
    expect((await problemOf(await joinGroup(newBuyer(), groupId, { presaleCode: code }))).code).toBe(
      'presale_code_used_up',
    )
    expect(
      (
        await problemOf(
          await new ApiClient().post(`/api/shows/${fixture.showId}/holds`, {
            best: { category: 'A', quantity: 1 },
            presaleCode: code,
          }),
        )
      ).code,
    ).toBe('presale_code_used_up')
  })
})
