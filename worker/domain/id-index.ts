import { isValidPrcIdNumber, normalizeIdNumber } from './id-number.ts'
import type { VerifiedTicket } from './ticket-token.ts'

// 身份证核验: a gate admits a real-name ticket by the visitor's ID number, offline. Its bundle carries, for its
// scope, keyed hashes of ID numbers → tickets, never the numbers: HMAC-SHA-256 under a key of this gate's own
// (derived per device and per day, sent with the bundle), cut to 96 bits. Another gate's bundle hashes the same
// number to something else, so bundles cannot be joined to each other or to a list of numbers hashed once.
// Pure (Web Crypto only): the worker builds the index with it, the gate hashes what its reader types with it.

/** Bytes of the HMAC kept: 96 bits, so a wrong number matching one of a day's entries is ~10⁻²⁴ per entry. */
export const ID_HASH_BYTES = 12

/**
 * Tickets of one show or site-day window, as the gate needs them to decide like a scan: what the token would
 * carry (`ev` = eventKey, `nbf`/`exp`), the items (product code and slot) listed once, and per ticket
 * `[hash, ticket id without its tkt_ prefix, index into items, the holder's masked name]`.
 */
export interface IdTicketGroup {
  ev: string
  nbf: number
  exp: number
  items: string[]
  t: [hash: string, ticket: string, item: number, name: string][]
}

/** The ID part of a gate's bundle: the key to hash with, the groups, and where the next sync goes on from. */
export interface IdTicketIndex {
  /** HMAC-SHA-256 key (base64url) of this device's index; changes with `epoch`. */
  key: string
  /** Which key: the gate sends it back, and a sync under another epoch starts the index afresh. */
  epoch: string
  /** True: replaces what the gate holds; false: adds to it (entries already held come again harmlessly). */
  full: boolean
  /** Ask the next sync from here. */
  cursor: string
  groups: IdTicketGroup[]
}

/** One ticket found by an ID number, in the shape the gate's decision takes. */
export interface IdTicket {
  hash: string
  ticket: VerifiedTicket
  /** The holder's name, masked (张*, 王*明): for staff to confirm against the card. */
  name: string
}

const encoder = new TextEncoder()

export const toBase64Url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '')

const fromBase64Url = (text: string) =>
  Uint8Array.from(atob(text.replaceAll('-', '+').replaceAll('_', '/')), (ch) => ch.charCodeAt(0))

export const importIdIndexKey = (key: string) =>
  crypto.subtle.importKey('raw', fromBase64Url(key), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])

/** What a typed or read ID number is: the normalised number, or why it cannot be looked up. */
export function readIdNumber(typed: string): { ok: true; idNumber: string } | { ok: false } {
  const idNumber = normalizeIdNumber(typed.replaceAll(/\s/g, ''))
  return isValidPrcIdNumber(idNumber) ? { ok: true, idNumber } : { ok: false }
}

/** The keyed hash of a valid ID number (normalised first); null for one whose check character is wrong. */
export async function idNumberHash(key: CryptoKey, typed: string): Promise<string | null> {
  const read = readIdNumber(typed)
  if (!read.ok) return null
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(read.idNumber))
  return toBase64Url(new Uint8Array(mac, 0, ID_HASH_BYTES))
}

/** A name as a gate shows it: the first character kept (and the last of three or more), the rest starred. */
export function maskHolderName(name: string | null | undefined): string {
  const trimmed = (name ?? '').trim()
  if (!trimmed) return ''
  const words = trimmed.split(/\s+/)
  if (words.length > 1) return words.map((word) => word[0] + '*'.repeat(word.length - 1)).join(' ')
  const chars = [...trimmed]
  if (chars.length <= 2) return `${chars[0]}*`
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars.at(-1)}`
}

/** Every ticket of an index's groups, by hash (one ID number may hold several tickets, e.g. gate and cable car). */
export function idTicketsOf(groups: IdTicketGroup[]): IdTicket[] {
  const found: IdTicket[] = []
  for (const group of groups)
    for (const [hash, ticket, item, name] of group.t)
      found.push({
        hash,
        name,
        ticket: {
          tid: `tkt_${ticket}`,
          evKey: group.ev,
          it: group.items[item] ?? '',
          nbf: group.nbf,
          exp: group.exp,
        },
      })
  return found
}

/** What a gate uploads for an admission by ID number: the ticket it chose, never the number. */
export const ID_SCAN_PREFIX = 'id:'
export const idScan = (ticketId: string) => `${ID_SCAN_PREFIX}${ticketId}`
/** The ticket id an uploaded ID admission names, if the scan is one. */
export function ticketOfIdScan(scan: string): string | undefined {
  const text = scan.trim()
  if (!text.startsWith(ID_SCAN_PREFIX)) return undefined
  const ticketId = text.slice(ID_SCAN_PREFIX.length)
  return /^tkt_[0-9A-Za-z]{8,40}$/.test(ticketId) ? ticketId : undefined
}
