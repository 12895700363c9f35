import { describe, expect, it } from 'vitest'
import { clientNetwork } from '../../../worker/domain/client-network.ts'
import {
  HoldTallies,
  holdCapsFrom,
  holdLimits,
  isAnonymousBuyer,
  overHoldCap,
  SHOW_HOLD_CAPS,
} from '../../../worker/domain/hold-caps.ts'

describe('client networks', () => {
  it('keeps IPv4 addresses and unwraps IPv4-mapped IPv6', () => {
    expect(clientNetwork('203.0.113.7')).toBe('203.0.113.7')
    expect(clientNetwork(' 203.0.113.7 ')).toBe('203.0.113.7')
    expect(clientNetwork('::ffff:203.0.113.7')).toBe('203.0.113.7')
  })

  it('counts IPv6 by /64, whatever the spelling', () => {
    const a = clientNetwork('2001:db8:0:1::1')
    expect(a).toBe('2001:db8:0:1::/64')
    expect(clientNetwork('2001:0DB8:0000:0001:ffff:1:2:3')).toBe(a)
    expect(clientNetwork('2001:db8:0:1:8000::9')).toBe(a)
    expect(clientNetwork('2001:db8:0:2::1')).not.toBe(a)
    expect(clientNetwork('::1')).toBe('0:0:0:0::/64')
    expect(clientNetwork('fe80::1%eth0')).toBe('fe80:0:0:0::/64')
    expect(clientNetwork('64:ff9b::192.0.2.33')).toBe('64:ff9b:0:0::/64')
  })

  it('refuses what is not an address', () => {
    for (const bad of [
      undefined,
      null,
      '',
      'unknown',
      '256.1.1.1',
      '1.2.3',
      '1::2::3',
      '1:2:3:4:5:6:7:8:9',
      'g::1',
    ])
      expect(clientNetwork(bad)).toBeUndefined()
  })
})

describe('hold caps', () => {
  it('scale the network caps with capacity, never below their floor', () => {
    expect(holdLimits(SHOW_HOLD_CAPS, 160)).toEqual({
      buyer: { holds: 3, held: 20 },
      client: { holds: 12, held: 24 },
    })
    expect(holdLimits(SHOW_HOLD_CAPS, 2030).client).toEqual({ holds: 102, held: 203 })
    expect(holdLimits(SHOW_HOLD_CAPS, 50_000).client).toEqual({ holds: 2500, held: 5000 })
  })

  it('name the first limit a new hold would pass', () => {
    const limits = holdLimits(SHOW_HOLD_CAPS, 160)
    expect(overHoldCap(limits, undefined, undefined, 10)).toBeNull()
    expect(overHoldCap(limits, { holds: 2, held: 10 }, { holds: 11, held: 14 }, 10)).toBeNull()
    expect(overHoldCap(limits, { holds: 3, held: 3 }, undefined, 1)?.scope).toBe('buyer')
    expect(overHoldCap(limits, { holds: 1, held: 15 }, undefined, 6)?.scope).toBe('buyer')
    expect(overHoldCap(limits, { holds: 0, held: 0 }, { holds: 12, held: 12 }, 1)).toEqual({
      scope: 'client',
      limit: { holds: 12, held: 24 },
    })
    expect(overHoldCap(limits, undefined, { holds: 4, held: 20 }, 5)?.scope).toBe('client')
  })

  it('take overrides from a setting and ignore nonsense', () => {
    expect(holdCapsFrom(undefined, SHOW_HOLD_CAPS)).toBe(SHOW_HOLD_CAPS)
    expect(holdCapsFrom('not json', SHOW_HOLD_CAPS)).toBe(SHOW_HOLD_CAPS)
    expect(
      holdCapsFrom('{"heldPerClient":500,"holdsPerBuyer":-1,"heldPerBuyer":"x"}', SHOW_HOLD_CAPS),
    ).toEqual({
      ...SHOW_HOLD_CAPS,
      heldPerClient: 500,
    })
  })

  it('tell anonymous buyers from customers', () => {
    expect(isAnonymousBuyer('buy_0123')).toBe(true)
    expect(isAnonymousBuyer('cus_0123')).toBe(false)
  })
})

describe('hold tallies', () => {
  const limits = holdLimits(SHOW_HOLD_CAPS, 160)
  const now = 1_000_000

  it('count active holds per buyer and per network, and say when the first one ends', () => {
    const tallies = new HoldTallies()
    for (let i = 0; i < 4; i++) tallies.add(`buy_${i}`, '203.0.113.7', 6, now + (10 + i) * 60_000)
    // 24 seats from the network: full; another network and the buyers themselves are not.
    expect(tallies.check(limits, 'buy_9', '203.0.113.7', 1, now)).toEqual({
      scope: 'client',
      limit: { holds: 12, held: 24 },
      retryAfter: 600,
    })
    expect(tallies.check(limits, 'buy_9', '198.51.100.1', 1, now)).toBeNull()
    expect(tallies.check(limits, 'buy_9', undefined, 1, now)).toBeNull()
    tallies.remove('buy_0', '203.0.113.7', 6, now + 10 * 60_000)
    expect(tallies.check(limits, 'buy_9', '203.0.113.7', 6, now)).toBeNull()
    expect(tallies.check(limits, 'buy_9', '203.0.113.7', 7, now)?.retryAfter).toBe(660)
  })

  it('refuse a buyer past their own holds whatever network they come from', () => {
    const tallies = new HoldTallies()
    for (let i = 0; i < 3; i++) tallies.add('cus_a', null, 1, now + 60_000)
    expect(tallies.check(limits, 'cus_a', '198.51.100.2', 1, now)).toMatchObject({
      scope: 'buyer',
      retryAfter: 60,
    })
    tallies.remove('cus_a', null, 1, now + 60_000)
    expect(tallies.check(limits, 'cus_a', '198.51.100.2', 1, now)).toBeNull()
    tallies.clear()
    expect(tallies.check(limits, 'cus_a', null, 20, now)).toBeNull()
  })
})
