// 身份证核验 on the device: the ID index from the bundle (keyed hashes of visitors' ID numbers → tickets, never
// the numbers), kept in IndexedDB and in memory by hash, and the look-up of a typed or card-read number.
import {
  type IdTicket,
  type IdTicketGroup,
  type IdTicketIndex,
  idNumberHash,
  idTicketsOf,
  importIdIndexKey,
  readIdNumber,
} from '../../worker/domain/id-index.ts'
import { allIdPages, type EnrolledDevice, type GateStore, putIdPage } from './store.ts'

export type IdLookup =
  /** Not an ID number (length, date or check character wrong): nothing was looked up. */
  | { kind: 'invalid' }
  /** This gate has no ID index (a device synced before it existed). */
  | { kind: 'unavailable' }
  /** The tickets this number holds here: none, one, or several for staff to choose from. */
  | { kind: 'found'; tickets: IdTicket[] }

export class IdTicketBook {
  private byHash = new Map<string, Map<string, IdTicket>>()
  private keyText: string | undefined
  private key: Promise<CryptoKey> | undefined

  /** Tickets known by ID number. */
  get size() {
    let n = 0
    for (const tickets of this.byHash.values()) n += tickets.size
    return n
  }

  clear() {
    this.byHash.clear()
    this.keyText = undefined
    this.key = undefined
  }

  private useKey(key: string) {
    if (key === this.keyText) return
    this.keyText = key
    this.key = importIdIndexKey(key)
  }

  private add(groups: IdTicketGroup[]) {
    // A ticket listed again (the sync's overlap) replaces itself.
    for (const entry of idTicketsOf(groups)) {
      const tickets = this.byHash.get(entry.hash) ?? new Map<string, IdTicket>()
      tickets.set(entry.ticket.tid, entry)
      this.byHash.set(entry.hash, tickets)
    }
  }

  /** What the device kept (works offline). */
  async load(db: GateStore, enrolled: EnrolledDevice) {
    this.clear()
    if (!enrolled.idIndex) return
    this.useKey(enrolled.idIndex.key)
    for (const page of await allIdPages(db)) this.add(page)
  }

  /** Takes a synced index (all of it, or what is new) and answers where it stands, for the next sync. */
  async apply(db: GateStore, index: IdTicketIndex): Promise<NonNullable<EnrolledDevice['idIndex']>> {
    if (!index.full && this.keyText && index.key !== this.keyText) {
      // The key changed under an incremental page (the platform's secret was rotated): what the gate holds no
      // longer matches. Start over: an empty cursor makes the next sync ask for the whole index.
      this.clear()
      await putIdPage(db, [], true)
      return { key: index.key, epoch: index.epoch, cursor: '' }
    }
    await putIdPage(db, index.groups, index.full)
    if (index.full) this.byHash.clear()
    this.useKey(index.key)
    this.add(index.groups)
    return { key: index.key, epoch: index.epoch, cursor: index.cursor }
  }

  async lookUp(typed: string): Promise<IdLookup> {
    if (!readIdNumber(typed).ok) return { kind: 'invalid' }
    if (!this.key) return { kind: 'unavailable' }
    const hash = await idNumberHash(await this.key, typed)
    const tickets = [...(this.byHash.get(hash!)?.values() ?? [])]
    // Earliest valid first: today's ticket before a multi-day one, the gate ticket before the ride.
    tickets.sort((a, b) => a.ticket.nbf - b.ticket.nbf || a.ticket.it.localeCompare(b.ticket.it))
    return { kind: 'found', tickets }
  }
}
