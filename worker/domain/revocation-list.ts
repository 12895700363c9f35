import { CompactSign, type CryptoKey, compactVerify } from 'jose'
import type { SigningKey } from './ticket-token.ts'

// A page of the revocation list, signed with the platform's ticket key (EdDSA JWS) so a gate can trust
// a list it got through any channel (sync, a USB stick, another gate) with the keys it already has.
// Pages are incremental: `from` is the cursor the gate had, `to` the cursor to ask with next time.

export interface RevocationPage {
  /** Organizer whose tickets these are. */
  org: string
  /** Device the page was cut for (its scope decided which revocations it holds). */
  dev: string
  from: number
  to: number
  /** More revocations wait after `to`. */
  more: boolean
  /** Issued at (unix seconds). */
  iat: number
  /** Revoked ticket ids with the reason (`refunded`, `rebooked`, `cancelled`). */
  r: [ticketId: string, reason: string][]
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function signRevocationPage(page: RevocationPage, signing: SigningKey): Promise<string> {
  return new CompactSign(encoder.encode(JSON.stringify(page)))
    .setProtectedHeader({ alg: 'EdDSA', kid: signing.kid, typ: 'revocations' })
    .sign(signing.key)
}

/** The page if its signature is good and it was cut for this organizer and device; otherwise undefined. */
export async function verifyRevocationPage(
  jws: string,
  keys: Map<string, CryptoKey>,
  expect: { org: string; dev: string },
): Promise<RevocationPage | undefined> {
  try {
    const { payload, protectedHeader } = await compactVerify(
      jws,
      (header) => {
        const key = header.kid ? keys.get(header.kid) : undefined
        if (!key) throw new Error('unknown key')
        return key
      },
      { algorithms: ['EdDSA'] },
    )
    if (protectedHeader.typ !== 'revocations') return undefined
    const page = JSON.parse(decoder.decode(payload)) as RevocationPage
    if (page.org !== expect.org || page.dev !== expect.dev || !Array.isArray(page.r)) return undefined
    return page
  } catch {
    return undefined
  }
}
