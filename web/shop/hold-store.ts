// The buyer's current hold (seats or scenic tickets), shared by the show/scenic pages, checkout and the
// countdown banner. Kept in sessionStorage so a reload or the trip to the payment page does not lose it.
import { useEffect, useState } from 'preact/hooks'
import type { DepositOffer, ScenicHold, ShowHold } from './types.ts'

export type CurrentHold = (
  | {
      kind: 'show'
      hold: ShowHold
      title: string
      startsAt: string
      realNameRequired: boolean
      /** Price category names by code, so checkout never shows a code. */
      categoryNames?: Record<string, string>
      /** Section names (池座 / Stalls) in the reader's language by section key, so checkout never shows a key. */
      sectionNames?: Record<string, string>
      /** 定金: the show's deposit offer when the hold was made (checkout offers it as a choice). */
      deposit?: DepositOffer | null
    }
  | {
      kind: 'scenic'
      hold: ScenicHold
      title: string
      /** Product names in the reader's language when the hold was made, by product id. */
      productNames?: Record<string, string>
      /** 定金: the hold's deposit offer for its day (`amount` is the whole hold's deposit); absent: full price only. */
      deposit?: DepositOffer | null
    }
) & {
  /** Set once an order was made from the hold: the hold then belongs to that order and is never released. */
  order?: { id: string; checkoutUrl: string }
}

const key = 'current-hold'
const listeners = new Set<(hold: CurrentHold | null) => void>()

function read(): CurrentHold | null {
  try {
    const text = sessionStorage.getItem(key)
    return text ? (JSON.parse(text) as CurrentHold) : null
  } catch {
    return null
  }
}

let current = read()

export const getCurrentHold = () => current

export function setCurrentHold(hold: CurrentHold | null) {
  current = hold
  try {
    if (hold) sessionStorage.setItem(key, JSON.stringify(hold))
    else sessionStorage.removeItem(key)
  } catch {
    // kept in memory only
  }
  for (const listener of listeners) listener(hold)
}

export function useCurrentHold(): CurrentHold | null {
  const [hold, setHold] = useState(current)
  useEffect(() => {
    listeners.add(setHold)
    setHold(current)
    return () => {
      listeners.delete(setHold)
    }
  }, [])
  return hold
}

/** Gives the current hold back (the buyer picked again); a failure here only means it will expire by itself. */
export async function releaseCurrentHold() {
  const held = current
  if (!held) return
  setCurrentHold(null)
  if (held.order) return
  const path =
    held.kind === 'show'
      ? `/api/shows/${encodeURIComponent(held.hold.showId)}/holds/${held.hold.id}`
      : `/api/scenic-sites/${encodeURIComponent(held.hold.siteId)}/days/${held.hold.date}/holds/${held.hold.id}`
  await fetch(path, { method: 'DELETE', credentials: 'same-origin' }).catch(() => undefined)
}
