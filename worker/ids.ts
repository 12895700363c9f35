import { orderNumber } from './domain/order-number.ts'

const crockford = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/**
 * A prefixed, time-ordered id (`ven_01J…`): 48-bit millisecond time then 80 random bits, Crockford base32
 * as in ULID. Ordering by id orders by creation, which keyset pagination relies on.
 */
export function newId(prefix: string, now = Date.now()): string {
  let time = ''
  let t = now
  for (let i = 0; i < 10; i++) {
    time = crockford[t % 32] + time
    t = Math.floor(t / 32)
  }
  const random = crypto.getRandomValues(new Uint8Array(16))
  let rest = ''
  for (const byte of random) rest += crockford[byte % 32]
  return `${prefix}_${time}${rest}`
}

/** A short random id (`tkt_` + 16 Crockford characters, 80 bits) where no ordering is needed and size matters. */
export function newShortId(prefix: string): string {
  let body = ''
  for (const byte of crypto.getRandomValues(new Uint8Array(16))) body += crockford[byte % 32]
  return `${prefix}_${body}`
}

/** A fresh order number (`ET…` in the shop, `OTA…` for partners) for an order made now: see domain/order-number.ts. */
export const newOrderNumber = (prefix: string) =>
  orderNumber(prefix, new Date(), crypto.getRandomValues(new Uint32Array(2)))
