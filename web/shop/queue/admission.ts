// The waiting room's hand-off (issue 22): which on-sale a page belongs to, where its queue is, and the admission
// pass an admitted buyer carries to the seat map or day page. The pass is kept in sessionStorage per on-sale (one
// tab's turn, gone with the tab) and sent with every hold of that on-sale in the `Admission-Pass` header; a hold
// refused with `admission_required` takes the buyer to the queue the problem names.
import { ApiError } from '../../lib/api.ts'
import { navigate } from '../../lib/router.tsx'

/** One on-sale: a show, or one visit date of a scenic site. */
export type OnSale = { kind: 'show'; showId: string } | { kind: 'day'; siteId: string; date: string }

const enc = encodeURIComponent

/** The on-sale's name, as the server names its waiting room (`show:<id>`, `day:<site>:<date>`). */
export const onSaleKey = (sale: OnSale) =>
  sale.kind === 'show' ? `show:${sale.showId}` : `day:${sale.siteId}:${sale.date}`

/** The buyer API of the on-sale's queue (GET the place, POST to join, `/live` the WebSocket). */
export const queueApiPath = (sale: OnSale) =>
  sale.kind === 'show'
    ? `/api/shows/${enc(sale.showId)}/queue`
    : `/api/scenic-sites/${enc(sale.siteId)}/days/${sale.date}/queue`

/** The shop's waiting-room page. */
export const queuePagePath = (sale: OnSale) =>
  sale.kind === 'show'
    ? `/shows/${enc(sale.showId)}/queue`
    : `/scenic/${enc(sale.siteId)}/queue?date=${sale.date}`

/** Where an admitted buyer goes: the seat map, or the scenic page with the day picked. */
export const salePagePath = (sale: OnSale) =>
  sale.kind === 'show' ? `/shows/${enc(sale.showId)}` : `/scenic/${enc(sale.siteId)}?date=${sale.date}`

interface KeptPass {
  pass: string
  expiresAt: string
}

const storageKey = (sale: OnSale) => `admission-pass:${onSaleKey(sale)}`

export function keepPass(sale: OnSale, pass: string, expiresAt: string) {
  try {
    sessionStorage.setItem(storageKey(sale), JSON.stringify({ pass, expiresAt } satisfies KeptPass))
  } catch {
    // storage blocked: the hold will be refused and the buyer sent back to the queue, where the place is kept
  }
}

export function dropPass(sale: OnSale) {
  try {
    sessionStorage.removeItem(storageKey(sale))
  } catch {
    // nothing kept
  }
}

/** The pass kept for this on-sale while it is still valid; an expired one is forgotten. */
export function keptPass(sale: OnSale, now = Date.now()): KeptPass | null {
  try {
    const text = sessionStorage.getItem(storageKey(sale))
    if (!text) return null
    const kept = JSON.parse(text) as KeptPass
    if (typeof kept.pass === 'string' && Date.parse(kept.expiresAt) > now) return kept
    sessionStorage.removeItem(storageKey(sale))
  } catch {
    // unreadable: as if none
  }
  return null
}

/** Headers for a hold of this on-sale: the pass when one is kept, else none (the server says when one is needed). */
export function admissionHeaders(sale: OnSale): Record<string, string> {
  const kept = keptPass(sale)
  return kept ? { 'Admission-Pass': kept.pass } : {}
}

/**
 * When a hold was refused for want of a valid pass, forgets the pass and goes to the queue (the problem's
 * `queueUrl` when it is a path on this site, else this on-sale's queue page); true when it did.
 */
export function sendToQueueIfRequired(error: unknown, sale: OnSale): boolean {
  if (!(error instanceof ApiError) || error.code !== 'admission_required') return false
  dropPass(sale)
  const url = error.problem.queueUrl
  navigate(typeof url === 'string' && /^\/(?!\/)/.test(url) ? url : queuePagePath(sale))
  return true
}
