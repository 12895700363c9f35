// The shop's waiting-room page, its pure parts (web/shop/queue/): the progress bar's value and the wait it
// shows, where the page sends a buyer, and the admission pass kept per on-sale for this tab (what the hold sends).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  admissionHeaders,
  dropPass,
  keepPass,
  keptPass,
  queueApiPath,
  queuePagePath,
  salePagePath,
} from '../../web/shop/queue/admission.ts'
import { progressPercent, waitMinutes } from '../../web/shop/queue/progress.ts'

describe('the progress bar and the wait', () => {
  it('starts empty at the first place, fills as those ahead go by, and is full when nobody is ahead', () => {
    expect(progressPercent(41, 41)).toBe(0)
    expect(progressPercent(41, 21)).toBe(50)
    expect(progressPercent(41, 31)).toBe(25)
    expect(progressPercent(41, 1)).toBe(100)
    expect(progressPercent(1, 1)).toBe(100)
  })
  it('never runs backwards past empty when the place is further back than the first one known', () => {
    expect(progressPercent(10, 12)).toBe(0)
  })
  it('says minutes, under a minute, or nothing known yet', () => {
    expect(waitMinutes(null)).toBeNull()
    expect(waitMinutes(59)).toBe(0)
    expect(waitMinutes(60)).toBe(1)
    expect(waitMinutes(15 * 60 + 20)).toBe(15)
  })
})

describe('where the page sends a buyer', () => {
  it('queues a show and a scenic day at the paths the hold refusal names, and hands back to their sale pages', () => {
    const show = { kind: 'show', showId: 'shw_1' } as const
    const day = { kind: 'day', siteId: 'site_1', date: '2027-02-05' } as const
    expect(queuePagePath(show)).toBe('/shows/shw_1/queue')
    expect(queuePagePath(day)).toBe('/scenic/site_1/queue?date=2027-02-05')
    expect(salePagePath(show)).toBe('/shows/shw_1')
    expect(salePagePath(day)).toBe('/scenic/site_1?date=2027-02-05')
    expect(queueApiPath(show)).toBe('/api/shows/shw_1/queue')
    expect(queueApiPath(day)).toBe('/api/scenic-sites/site_1/days/2027-02-05/queue')
  })
})

describe('the admission pass kept for this tab', () => {
  const store = new Map<string, string>()
  beforeEach(() => {
    store.clear()
    ;(globalThis as { sessionStorage?: unknown }).sessionStorage = {
      getItem: (key: string) => store.get(key) ?? null,
      setItem: (key: string, value: string) => store.set(key, value),
      removeItem: (key: string) => store.delete(key),
    }
  })
  afterEach(() => {
    delete (globalThis as { sessionStorage?: unknown }).sessionStorage
  })
  const show = { kind: 'show', showId: 'shw_1' } as const
  const other = { kind: 'show', showId: 'shw_2' } as const

  it('goes with holds of its own on-sale only', () => {
    keepPass(show, 'signed-pass', new Date(Date.now() + 60_000).toISOString())
    expect(admissionHeaders(show)).toEqual({ 'Admission-Pass': 'signed-pass' })
    expect(admissionHeaders(other)).toEqual({})
  })
  it('is forgotten once lapsed, and when the buyer is sent back to queue', () => {
    keepPass(show, 'old-pass', new Date(Date.now() - 1_000).toISOString())
    expect(keptPass(show)).toBeNull()
    expect(admissionHeaders(show)).toEqual({})
    keepPass(show, 'new-pass', new Date(Date.now() + 60_000).toISOString())
    dropPass(show)
    expect(admissionHeaders(show)).toEqual({})
  })
})
