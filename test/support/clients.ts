import { env } from 'cloudflare:workers'
import { newId } from '../../worker/ids.ts'
import { CUSTOMER_COOKIE, signCustomerSession } from '../../worker/services/customer-session.ts'
import { ApiClient } from './api.ts'

let next = 0

/** A TEST-NET-style address no other test uses in this run, so per-address counts start at zero. */
export function uniqueAddress(): string {
  const n = (Date.now() % 100_000) * 100 + (next++ % 100)
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`
}

/** A caller that comes from `address` as Cloudflare would say (`CF-Connecting-IP`), with its own cookies. */
export class AddressedClient extends ApiClient {
  constructor(
    readonly address: string,
    cookie?: string,
  ) {
    super(cookie)
  }

  override fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    headers.set('cf-connecting-ip', this.address)
    return super.fetch(path, { ...init, headers })
  }
}

/** A signed-in customer (a fresh account with a valid session cookie), optionally from `address`. */
export async function signedInCustomer(address?: string): Promise<ApiClient & { customerId: string }> {
  const customerId = newId('cus')
  await env.DB.prepare('INSERT INTO customers (id, contact, contact_kind) VALUES (?, ?, ?)')
    .bind(customerId, `${customerId.toLowerCase()}@example.com`, 'email')
    .run()
  const token = await signCustomerSession({ customerId, sessionVersion: 1 }, env.SESSION_SECRET)
  const cookie = `${CUSTOMER_COOKIE}=${token}`
  const client = address ? new AddressedClient(address, cookie) : new ApiClient(cookie)
  return Object.assign(client, { customerId })
}
