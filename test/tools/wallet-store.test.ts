// The shop's device copy of the wallet (web/shop/wallet-store.ts, pure over a Storage): what a buyer sees
// offline is what the last online load kept, minus whatever ended since; a refund or sign-out takes tickets off.
import { describe, expect, it } from 'vitest'
import type { WalletTicket } from '../../web/shop/types.ts'
import { clearWallet, loadWallet, saveWallet } from '../../web/shop/wallet-store.ts'

/** localStorage's contract, in memory. */
class MemoryStore {
  readonly items = new Map<string, string>()
  getItem(key: string) {
    return this.items.get(key) ?? null
  }
  setItem(key: string, value: string) {
    this.items.set(key, value)
  }
  removeItem(key: string) {
    this.items.delete(key)
  }
}

const now = Date.parse('2026-12-05T10:00:00Z')
const hour = 3_600_000

function ticket(id: string, startsInHours: number, extra: Partial<WalletTicket> = {}): WalletTicket {
  const startsAt = new Date(now + startsInHours * hour).toISOString()
  return {
    ticketId: id,
    orderId: `ord_${id}`,
    orderNumber: `N-${id}`,
    kind: 'show',
    title: '新年交响音乐会',
    venue: '港湾音乐厅',
    venueEn: 'Harbour Concert Hall',
    city: '上海',
    cityEn: 'Shanghai',
    startsAt,
    visitDate: null,
    validUntil: new Date(now + (startsInHours + 3) * hour).toISOString(),
    category: 'B',
    holder: null,
    seat: null,
    place: { section: 'Circle', sectionName: '二层楼座', sectionNameEn: 'Circle', row: 'C', number: '9' },
    product: null,
    productEn: null,
    titleEn: null,
    categoryEn: null,
    slot: null,
    timeZone: 'Asia/Shanghai',
    redeemedAt: null,
    state: 'valid',
    pass: { token: `token-${id}`, rotatingCode: { secret: `secret-${id}`, stepSeconds: 30 } },
    ...extra,
  }
}

const ids = (saved: { tickets: { ticketId: string }[] } | null) => saved?.tickets.map((t) => t.ticketId)

describe('the wallet kept on the device', () => {
  it('keeps upcoming valid tickets with their pass, soonest first, and when they were saved', () => {
    const store = new MemoryStore()
    saveWallet(
      store,
      [
        ticket('later', 48),
        ticket('soon', 2),
        ticket('used', 5, { state: 'used', pass: null }),
        ticket('refunded', 5, { state: 'refunded', pass: null }),
        ticket('over', -5), // ended two hours ago
      ],
      now,
    )
    const saved = loadWallet(store, now)
    expect(ids(saved)).toEqual(['soon', 'later'])
    expect(saved!.savedAt).toBe('2026-12-05T10:00:00.000Z')
    expect(saved!.tickets[0]!.pass).toEqual({
      token: 'token-soon',
      rotatingCode: { secret: 'secret-soon', stepSeconds: 30 },
    })
  })

  it('drops a ticket once it is over, without a network', () => {
    const store = new MemoryStore()
    saveWallet(store, [ticket('soon', 2), ticket('later', 48)], now)
    expect(ids(loadWallet(store, now + 6 * hour))).toEqual(['later'])
    expect(loadWallet(store, now + 60 * hour)).toBeNull()
  })

  it('loses a ticket refunded since, on the next online load; nothing left removes the copy', () => {
    const store = new MemoryStore()
    saveWallet(store, [ticket('a', 2), ticket('b', 2)], now)
    saveWallet(store, [ticket('a', 2, { state: 'refunded', pass: null }), ticket('b', 2)], now + hour)
    expect(ids(loadWallet(store, now + hour))).toEqual(['b'])
    saveWallet(store, [ticket('b', 2, { state: 'refunded', pass: null })], now + 2 * hour)
    expect(loadWallet(store, now + 2 * hour)).toBeNull()
    expect(store.items.size).toBe(0)
  })

  it('forgets everything on sign-out', () => {
    const store = new MemoryStore()
    saveWallet(store, [ticket('a', 2)], now)
    clearWallet(store)
    expect(loadWallet(store, now)).toBeNull()
    expect(store.items.size).toBe(0)
  })

  it('ignores a damaged or foreign copy instead of failing, and survives a full storage', () => {
    const store = new MemoryStore()
    store.setItem('shop.wallet.v1', '{not json')
    expect(loadWallet(store, now)).toBeNull()
    store.setItem('shop.wallet.v1', JSON.stringify({ savedAt: 'x', tickets: [] }))
    expect(loadWallet(store, now)).toBeNull()
    store.setItem('shop.wallet.v1', JSON.stringify({ savedAt: new Date(now).toISOString(), tickets: [{}] }))
    expect(loadWallet(store, now)).toBeNull()

    const full = {
      ...new MemoryStore(),
      getItem: () => null,
      removeItem: () => undefined,
      setItem: () => {
        throw new DOMException('quota', 'QuotaExceededError')
      },
    }
    expect(saveWallet(full, [ticket('a', 2)], now)).toBeNull()
  })
})
