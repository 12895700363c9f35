import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { env } from 'cloudflare:workers'
import Papa from 'papaparse'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ShowInventory } from '../../../durable-objects/show-inventory/index.ts'
import { ApiClient, problemOf } from '../../support/api.ts'
import { gridChart, ok, type ShowFixture, showOnSale } from '../../support/catalogue.ts'
import { salesOf } from '../../support/show-inventory.ts'

// Presale phases and presale codes over real requests: the admin API sets phases and makes codes, the show's
// actor admits each hold before the general sale and counts every code's uses beside its seats. Each buyer
// comes from its own network address (per-address limits are not what is tested here).

const HOUR = 3600_000
const MINUTE = 60_000
const iso = (ms: number) => new Date(ms).toISOString()
const inventory = (showId: string) => env.SHOW_INVENTORY.get(env.SHOW_INVENTORY.idFromName(showId))

const put = (show: ShowFixture, path: string, body: unknown) =>
  show.owner.fetch(`${show.base}/shows/${show.showId}/${path}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

const holdAs = (buyer: ApiClient, showId: string, body: unknown, n: number) =>
  buyer.fetch(`/api/shows/${showId}/holds`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'cf-connecting-ip': `10.30.${n >> 8}.${n & 255}` },
    body: JSON.stringify(body),
  })

const one = { best: { category: 'A', quantity: 1 } }

/** Moves the clock (Date only) for the test and the actor, which run in the same isolate. */
function clockAt(ms: number) {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(ms)
}

afterEach(() => vi.useRealTimers())

describe('presale codes', () => {
  it('a code capped at 20 used by 60 concurrent buyers: exactly 20 holds; closed before the presale, given back on expiry, not needed in the general sale', async () => {
    // The general sale opens in 2 hours; the code presale runs from 1 hour to 2 hours from now.
    const show = await showOnSale(gridChart(10, 10, ['A']), { saleStartsInHours: 2 })
    const now = Date.now()
    const detail = await ok(show.owner.get(`${show.base}/shows/${show.showId}`))
    const generalSale = Date.parse(detail.saleStartsAt)
    await ok(
      put(show, 'sale-phases', {
        phases: [
          {
            id: 'fans',
            label: '粉丝优先购',
            startsAt: iso(now + HOUR),
            endsAt: detail.saleStartsAt,
            codes: true,
          },
        ],
      }),
    )
    const made = await ok(
      show.owner.post(`${show.base}/shows/${show.showId}/presale-codes`, { count: 3, maxUses: 20 }),
      201,
    )
    expect(made.codes).toHaveLength(3)
    const code: string = made.codes[0].code
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{12}$/)

    // The public show lists the phase, so the shop can say when the presale opens.
    expect((await ok(new ApiClient().get(`/api/shows/${show.showId}`))).salePhases).toEqual([
      {
        id: 'fans',
        label: '粉丝优先购',
        startsAt: iso(now + HOUR),
        endsAt: detail.saleStartsAt,
        codes: true,
        memberTiers: [],
        status: 'upcoming',
      },
    ])
    // Before the presale opens: a code holder is told when it opens to them.
    const early = await problemOf(
      await holdAs(new ApiClient(), show.showId, { ...one, presaleCode: code }, 1),
    )
    expect(early).toMatchObject({ code: 'not_on_sale', status: 409, opensAt: iso(now + HOUR) })

    clockAt(now + HOUR + 1000)
    // In the presale: without a code the sale opens at the general sale; a made-up code is refused.
    const noCode = await problemOf(await holdAs(new ApiClient(), show.showId, one, 2))
    expect(noCode).toMatchObject({ code: 'not_on_sale', opensAt: iso(generalSale) })
    const wrong = await problemOf(
      await holdAs(new ApiClient(), show.showId, { ...one, presaleCode: 'ZZZZZZZZZZZZ' }, 3),
    )
    expect(wrong.code).toBe('presale_code_invalid')

    // 60 buyers at once with the same code (typed in lower case): exactly 20 holds.
    const typed = `${code.slice(0, 6).toLowerCase()}-${code.slice(6)}`
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        holdAs(new ApiClient(), show.showId, { ...one, presaleCode: typed }, 100 + n),
      ),
    )
    const held = answers.filter((r) => r.status === 201)
    const refused = await Promise.all(answers.filter((r) => r.status !== 201).map((r) => problemOf(r)))
    expect(held).toHaveLength(20)
    expect(refused).toHaveLength(40)
    expect(new Set(refused.map((p) => p.code))).toEqual(new Set(['presale_code_used_up']))
    expect((await inventory(show.showId).counts(show.showId)).memory.held).toBe(20)
    // A code holder over the cap is refused; another code still works.
    expect(
      (await problemOf(await holdAs(new ApiClient(), show.showId, { ...one, presaleCode: code }, 200))).code,
    ).toBe('presale_code_used_up')
    await ok(holdAs(new ApiClient(), show.showId, { ...one, presaleCode: made.codes[1].code }, 201), 201)

    // The export counts the uses.
    const csv = await show.owner.get(`${show.base}/shows/${show.showId}/presale-codes.csv`)
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows = Papa.parse<Record<string, string>>((await csv.text()).replace(/^\uFEFF/, ''), {
      header: true,
      skipEmptyLines: true,
    }).data
    expect(rows).toHaveLength(3)
    const uses = Object.fromEntries(rows.map((r) => [r.code, [Number(r.maxUses), Number(r.uses)]]))
    expect(uses[code]).toEqual([20, 20])
    expect(uses[made.codes[1].code]).toEqual([20, 1])
    expect(uses[made.codes[2].code]).toEqual([20, 0])

    // The holds expire (15 minutes): each gives its use back.
    clockAt(now + HOUR + 16 * MINUTE)
    await runDurableObjectAlarm(inventory(show.showId))
    expect((await inventory(show.showId).counts(show.showId)).memory.held).toBe(0)
    expect(await inventory(show.showId).presaleUses(show.showId)).toEqual({})
    await ok(holdAs(new ApiClient(), show.showId, { ...one, presaleCode: code }, 300), 201)

    // The general sale: no code needed, and a code given is not counted.
    clockAt(generalSale + 1000)
    await ok(holdAs(new ApiClient(), show.showId, one, 400), 201)
    await ok(holdAs(new ApiClient(), show.showId, { ...one, presaleCode: code }, 401), 201)
    expect(await inventory(show.showId).presaleUses(show.showId)).toEqual({ [code]: 1 })
  })
})

describe('member presale and restarts', () => {
  it('members of a tier hold in their phase (the worker passes a tier once customers have one); uses survive a restart', async () => {
    const show = await showOnSale(gridChart(4, 5, ['A']), { saleStartsInHours: 2 })
    const now = Date.now()
    const { saleStartsAt } = await ok(show.owner.get(`${show.base}/shows/${show.showId}`))
    await ok(
      put(show, 'sale-phases', {
        phases: [
          {
            id: 'gold',
            label: 'Gold members',
            startsAt: iso(now - HOUR),
            endsAt: saleStartsAt,
            memberTiers: ['gold'],
          },
          {
            id: 'codes',
            label: 'Code holders',
            startsAt: iso(now - HOUR),
            endsAt: saleStartsAt,
            codes: true,
          },
        ],
      }),
    )
    const { codes } = await ok(
      show.owner.post(`${show.base}/shows/${show.showId}/presale-codes`, { count: 1, maxUses: 2 }),
      201,
    )
    const code: string = codes[0].code
    const stub = inventory(show.showId)
    const [gold, silver] = await stub.holdBatch(show.showId, [
      { holderId: 'cus_gold', memberTier: 'gold', best: { category: 'A', quantity: 2 } },
      { holderId: 'cus_silver', memberTier: 'silver', best: { category: 'A', quantity: 1 } },
    ])
    expect(gold).toMatchObject({ ok: true })
    expect(silver).toMatchObject({ ok: false, code: 'not_on_sale', opensAt: saleStartsAt })
    // Two uses of the code (one by a hold of two seats: a use is a hold), then a restart rebuilds them from the holds.
    await ok(
      holdAs(new ApiClient(), show.showId, { best: { category: 'A', quantity: 2 }, presaleCode: code }, 1),
      201,
    )
    await ok(holdAs(new ApiClient(), show.showId, { ...one, presaleCode: code }, 2), 201)
    await runInDurableObject(stub, async (instance: ShowInventory) => {
      salesOf(instance).drop()
    })
    expect(await stub.presaleUses(show.showId)).toEqual({ [code]: 2 })
    const over = await problemOf(await holdAs(new ApiClient(), show.showId, { ...one, presaleCode: code }, 3))
    expect(over.code).toBe('presale_code_used_up')
  })
})

describe('sale phases admin', () => {
  it('one validation problem lists every bad field and nothing is saved', async () => {
    const show = await showOnSale(gridChart(2, 5, ['A']), { saleStartsInHours: 2 })
    const now = Date.now()
    const bad = await put(show, 'sale-phases', {
      phases: [
        { id: 'Bad Id', label: '', startsAt: 'soon', endsAt: iso(now + HOUR) },
        { id: 'late', label: 'Late', startsAt: iso(now + 3 * HOUR), endsAt: iso(now + HOUR), codes: true },
      ],
    })
    const problem = await problemOf(bad)
    expect(problem).toMatchObject({ code: 'validation', status: 400 })
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(
      [
        'json.phases.0.codes',
        'json.phases.0.id',
        'json.phases.0.label',
        'json.phases.0.startsAt',
        'json.phases.1.endsAt',
        'json.phases.1.startsAt',
      ].sort(),
    )
    expect(await ok(show.owner.get(`${show.base}/shows/${show.showId}/sale-phases`))).toMatchObject({
      phases: [],
      codeCount: 0,
      updatedAt: null,
    })
    const codes = await problemOf(
      await show.owner.post(`${show.base}/shows/${show.showId}/presale-codes`, { count: 0, maxUses: 2.5 }),
    )
    expect(codes.errors!.map((e) => e.path)).toEqual(['json.count', 'json.maxUses'])
    // A show without phases before its sale: not_on_sale with when it opens.
    const closed = await problemOf(await holdAs(new ApiClient(), show.showId, one, 1))
    expect(closed).toMatchObject({ code: 'not_on_sale' })
    expect(Date.parse(String(closed.opensAt))).toBeGreaterThan(now)
  })
})
