import { describe, expect, it } from 'vitest'
import { orderNumber, orderNumberTaken } from '../../../worker/domain/order-number.ts'

describe('order numbers', () => {
  it('are the prefix, the UTC day and ten digits from two draws', () => {
    const at = new Date('2026-12-06T23:59:59Z')
    expect(orderNumber('ET', at, new Uint32Array([7, 4_294_967_295]))).toBe('ET2612060000767295')
    expect(orderNumber('OTA', at, new Uint32Array([123_456, 99_999]))).toBe('OTA2612062345699999')
    expect(orderNumber('ET', new Date('2027-01-01T00:00:00Z'), new Uint32Array([0, 0]))).toBe(
      'ET2701010000000000',
    )
  })

  it('spread a day over 10^10 numbers: 50,000 draws collide rarely', () => {
    const at = new Date('2026-12-06T08:00:00Z')
    const seen = new Set<string>()
    for (let i = 0; i < 50_000; i++)
      seen.add(orderNumber('ET', at, crypto.getRandomValues(new Uint32Array(2))))
    // Six digits a day (the old numbers) would leave ~1,200 of 50,000 duplicated; ten leave ~0.1 expected.
    expect(50_000 - seen.size).toBeLessThanOrEqual(2)
  })

  it('recognises the unique index refusing a taken number, and nothing else', () => {
    expect(
      orderNumberTaken.test('D1_ERROR: UNIQUE constraint failed: orders.number: SQLITE_CONSTRAINT'),
    ).toBe(true)
    expect(orderNumberTaken.test('UNIQUE constraint failed: orders.hold_id')).toBe(false)
    expect(
      orderNumberTaken.test('UNIQUE constraint failed: idempotency_keys.scope, idempotency_keys.key'),
    ).toBe(false)
  })
})
