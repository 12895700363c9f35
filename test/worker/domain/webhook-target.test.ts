import { describe, expect, it } from 'vitest'
import {
  checkResolvedAddresses,
  checkTargetUrl,
  classifyAddress,
  classifyName,
  parseIpv6,
  webhookTargetRules,
} from '../../../worker/domain/webhook-target.ts'

const production = webhookTargetRules('production')
const development = webhookTargetRules('development')

describe('webhook targets: address classes', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['0.0.0.0', 'unspecified'],
    ['10.200.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.100.100.200', 'shared'],
    ['169.254.169.254', 'link_local'],
    ['192.0.2.10', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['172.32.0.1', 'public'],
    ['100.128.0.1', 'public'],
    ['93.184.216.34', 'public'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['::ffff:5db8:d822', 'public'],
    ['64:ff9b::a00:1', 'private'],
    ['::127.0.0.1', 'reserved'],
    ['fe80::1', 'link_local'],
    ['fd00:ec2::254', 'unique_local'],
    ['fc00::1', 'unique_local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2002:7f00:1::1', 'reserved'],
    ['2606:4700:4700::1111', 'public'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind)
  })

  it('is null for names and malformed addresses', () => {
    for (const host of [
      'hooks.partner.com',
      '1.2.3',
      '1.2.3.256',
      '01.2.3.4',
      '1::2::3',
      '12345::',
      'fe80::1%eth0',
    ])
      expect(classifyAddress(host), host).toBeNull()
  })

  it('parses the compressed and full IPv6 forms alike', () => {
    expect(parseIpv6('2001:db8:0:0:0:0:0:1')).toBe(parseIpv6('2001:db8::1'))
    expect(parseIpv6('1:2:3:4:5:6:7:8')).toBe(0x00010002000300040005000600070008n)
    expect(parseIpv6('1:2:3:4:5:6:7:8:9')).toBeNull()
  })
})

describe('webhook targets: names', () => {
  it.each([
    ['localhost', 'loopback'],
    ['LOCALHOST.', 'loopback'],
    ['api.localhost', 'loopback'],
    ['metadata.google.internal', 'internal'],
    ['metadata', 'internal'],
    ['printer.local', 'internal'],
    ['router.home.arpa', 'internal'],
    ['hooks.test', 'internal'],
    ['hooks.partner.com', null],
    ['internal.partner.com', null],
  ])('%s is %s', (name, kind) => {
    expect(classifyName(name)).toBe(kind)
  })
})

describe('webhook targets: rules by environment', () => {
  it('production: https only, public literals pass, names are to be resolved', () => {
    expect(checkTargetUrl('https://93.184.216.34/x', production)).toEqual({
      verdict: { ok: true },
      resolve: null,
    })
    expect(checkTargetUrl('https://hooks.partner.com/x', production)).toEqual({
      verdict: { ok: true },
      resolve: 'hooks.partner.com',
    })
    expect(checkTargetUrl('http://hooks.partner.com/x', production).verdict).toEqual({
      ok: false,
      reason: 'must be an https:// URL',
    })
    expect(checkTargetUrl('https://localhost/', production).verdict.ok).toBe(false)
    expect(checkTargetUrl('https://hooks.test/', production).verdict.ok).toBe(false)
  })

  it('development: loopback over http passes, names are not resolved, private literals are still refused', () => {
    expect(checkTargetUrl('http://127.0.0.1:8799/', development)).toEqual({
      verdict: { ok: true },
      resolve: null,
    })
    expect(checkTargetUrl('http://localhost:8799/', development).verdict.ok).toBe(true)
    expect(checkTargetUrl('https://hooks.test/', development)).toEqual({
      verdict: { ok: true },
      resolve: null,
    })
    expect(checkTargetUrl('http://192.168.1.20/', development).verdict.ok).toBe(false)
    expect(checkTargetUrl('ftp://127.0.0.1/', development).verdict).toEqual({
      ok: false,
      reason: 'must be an https:// or http:// URL',
    })
  })

  it('any environment other than development and test is strict', () => {
    expect(webhookTargetRules('staging')).toEqual(production)
    expect(webhookTargetRules('')).toEqual(production)
    expect(webhookTargetRules('test')).toEqual(development)
  })

  it('resolved names: one private answer refuses, no answer refuses, public answers pass', () => {
    expect(checkResolvedAddresses('a.example.com', ['93.184.216.34', '2606:4700::1'], production)).toEqual({
      ok: true,
    })
    const mixed = checkResolvedAddresses('a.example.com', ['93.184.216.34', '10.0.0.3'], production)
    expect(mixed).toEqual({
      ok: false,
      reason:
        'a.example.com resolves to 10.0.0.3, which is a private address; receivers must be on the public internet',
    })
    expect(checkResolvedAddresses('a.example.com', [], production)).toEqual({
      ok: false,
      reason: 'a.example.com does not resolve',
    })
    expect(checkResolvedAddresses('a.example.com', ['not-an-address'], production).ok).toBe(false)
  })
})
