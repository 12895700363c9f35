import { describe, expect, it } from 'vitest'
import {
  canonicalRequest,
  hmacSha256,
  PARTNER_HEADERS,
  signatureMatches,
  signPartnerRequest,
} from '../../../worker/domain/partner-signature.ts'

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')

describe('partner request signature', () => {
  it('builds the documented canonical string: method, path?query, timestamp, nonce, SHA-256 of the body', async () => {
    const canonical = await canonicalRequest({
      method: 'post',
      pathWithQuery: '/partner/v1/orders?x=1',
      timestamp: '1790000000',
      nonce: 'abcdefghijklmnop',
      body: '',
    })
    expect(canonical).toBe(
      'POST\n/partner/v1/orders?x=1\n1790000000\nabcdefghijklmnop\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    )
  })

  it('signs with HMAC-SHA256 as hex, and the signature matches only the same request and secret', async () => {
    const headers = await signPartnerRequest({
      keyId: 'pk_test',
      secret: 'psk_secret',
      method: 'POST',
      pathWithQuery: '/partner/v1/reservations',
      body: '{"a":1}',
      now: 1_790_000_000_000,
      nonce: 'nonce-nonce-nonce',
    })
    expect(headers[PARTNER_HEADERS.timestamp]).toBe('1790000000')
    const canonical = await canonicalRequest({
      method: 'POST',
      pathWithQuery: '/partner/v1/reservations',
      timestamp: '1790000000',
      nonce: 'nonce-nonce-nonce',
      body: '{"a":1}',
    })
    const mac = await hmacSha256('psk_secret', canonical)
    expect(headers[PARTNER_HEADERS.signature]).toBe(hex(mac))
    expect(signatureMatches(mac, headers[PARTNER_HEADERS.signature]!)).toBe(true)
    expect(signatureMatches(mac, headers[PARTNER_HEADERS.signature]!.toUpperCase())).toBe(true)
    expect(
      signatureMatches(await hmacSha256('psk_other', canonical), headers[PARTNER_HEADERS.signature]!),
    ).toBe(false)
    expect(signatureMatches(mac, headers[PARTNER_HEADERS.signature]!.slice(0, 62))).toBe(false)
    expect(signatureMatches(mac, 'zz'.repeat(32))).toBe(false)
  })
})
