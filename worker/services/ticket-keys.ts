import type { JWK } from 'jose'
import { type SigningKey, signingKeyFrom } from '../domain/ticket-token.ts'

/** `TICKET_SIGNING_KEYS` (a Worker secret): the current private key and the public keys of earlier ones. */
export interface TicketKeySet {
  current: JWK & { kid: string }
  previous: (JWK & { kid: string })[]
}

export function parseTicketKeys(secret: string | undefined): TicketKeySet {
  if (!secret) throw new Error('TICKET_SIGNING_KEYS is not set (npm run dev generates one into .dev.vars)')
  const parsed = JSON.parse(secret) as TicketKeySet
  if (!parsed.current?.kid || !parsed.current.d)
    throw new Error('TICKET_SIGNING_KEYS needs a current private key with a kid')
  return { current: parsed.current, previous: parsed.previous ?? [] }
}

const publicPart = ({ kty, crv, x, kid }: JWK & { kid: string }) => ({
  kty,
  crv,
  x,
  kid,
  alg: 'EdDSA',
  use: 'sig',
})

/** What `/.well-known/jwks.json` publishes: the current key first, then earlier ones still honoured. */
export function publicJwks(keys: TicketKeySet) {
  return [keys.current, ...keys.previous].map(publicPart)
}

let cached: { secret: string; key: Promise<SigningKey> } | undefined
export function currentSigningKey(secret: string): Promise<SigningKey> {
  if (cached?.secret !== secret) cached = { secret, key: signingKeyFrom(parseTicketKeys(secret).current) }
  return cached.key
}
