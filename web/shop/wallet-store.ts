// The buyer's upcoming tickets kept on the device, so "我的门票" opens at a stadium or mountain gate with no
// signal: each online load of the wallet replaces the copy; offline the wallet shows it with each ticket's QR
// (its signed token is self-contained) and rotating code (its own secret). Only valid tickets not yet over and
// carrying a pass are kept, so past, used and refunded ones leave the device on the next load; signing out
// clears it.
//
// localStorage rather than IndexedDB: the copy is small (about 1 kB a ticket, a page of at most 50 orders),
// replaced whole, read synchronously so the offline wallet draws in its first frame, and only the page reads
// it (the service worker never does: the wallet itself falls back to it when the network fails).
import type { WalletTicket } from './types.ts'

/** Bumped when the shape changes: an older copy is ignored and replaced on the next online load. */
const KEY = 'shop.wallet.v1'

export interface SavedWallet {
  /** When the copy was taken (ISO), shown as "offline — saved at 14:05". */
  savedAt: string
  tickets: SavedTicket[]
}

/** A ticket that opens offline: its pass is present. */
export type SavedTicket = WalletTicket & { pass: NonNullable<WalletTicket['pass']> }

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

/** The tickets worth keeping at `now`: valid, with a pass, not yet over; soonest first. */
export function ticketsToKeep(tickets: readonly WalletTicket[], now: number): SavedTicket[] {
  return tickets
    .filter(
      (ticket): ticket is SavedTicket =>
        ticket.state === 'valid' && ticket.pass !== null && Date.parse(ticket.validUntil) > now,
    )
    .sort((a, b) => startOf(a) - startOf(b))
}

/** When a ticket begins (a visit: its day's start in China, near enough to order the list). */
export const startOf = (ticket: Pick<WalletTicket, 'startsAt' | 'visitDate'>) =>
  Date.parse(ticket.startsAt ?? `${ticket.visitDate}T00:00:00+08:00`)

/** Replaces the device copy with what an online load answered; nothing to keep removes it. */
export function saveWallet(store: Store, tickets: readonly WalletTicket[], now: number): SavedWallet | null {
  const kept = ticketsToKeep(tickets, now)
  if (kept.length === 0) {
    store.removeItem(KEY)
    return null
  }
  const saved: SavedWallet = { savedAt: new Date(now).toISOString(), tickets: kept }
  try {
    store.setItem(KEY, JSON.stringify(saved))
  } catch {
    // Storage full or refused (private mode): the wallet still works online.
    return null
  }
  return saved
}

/** The device copy at `now`, without tickets that have ended since; null when there is none worth showing. */
export function loadWallet(store: Store, now: number): SavedWallet | null {
  let saved: unknown
  try {
    saved = JSON.parse(store.getItem(KEY) ?? 'null')
  } catch {
    return null
  }
  if (!isSavedWallet(saved)) return null
  const tickets = ticketsToKeep(saved.tickets, now)
  return tickets.length ? { savedAt: saved.savedAt, tickets } : null
}

/** Signing out: the tickets leave the device with the session. */
export function clearWallet(store: Store) {
  store.removeItem(KEY)
}

function isSavedWallet(value: unknown): value is SavedWallet {
  if (!value || typeof value !== 'object') return false
  const { savedAt, tickets } = value as Partial<SavedWallet>
  return (
    typeof savedAt === 'string' &&
    !Number.isNaN(Date.parse(savedAt)) &&
    Array.isArray(tickets) &&
    tickets.every(
      (ticket) =>
        typeof ticket?.ticketId === 'string' &&
        typeof ticket.validUntil === 'string' &&
        typeof ticket.pass?.token === 'string',
    )
  )
}
