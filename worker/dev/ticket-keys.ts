// Ticket signing keys for development and rotation (Node). Ed25519 JWKs; the secret holds the current
// private key and the public halves of the previous ones, so tickets signed before a rotation verify
// until their validity window ends.
import { generateKeyPairSync, randomBytes } from 'node:crypto'

export interface KeySet {
  current: Record<string, string>
  previous: Record<string, string>[]
}

export function newKey(): Record<string, string> {
  const { privateKey } = generateKeyPairSync('ed25519')
  const jwk = privateKey.export({ format: 'jwk' }) as Record<string, string>
  // Short random kids keep the token header small; uniqueness is all a kid needs.
  return { ...jwk, kid: `k${randomBytes(4).toString('base64url')}`, alg: 'EdDSA' }
}

export function freshKeySet(): KeySet {
  return { current: newKey(), previous: [] }
}

/** A new current key; the old one keeps only its public half; at most `keep` earlier keys are kept. */
export function rotate(keys: KeySet, keep = 3): KeySet {
  const { d: _private, ...publicHalf } = keys.current
  return { current: newKey(), previous: [publicHalf, ...keys.previous].slice(0, keep) }
}
