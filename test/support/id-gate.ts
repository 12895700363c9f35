// A gate as the browser app runs it, for tests of admission by ID number (身份证核验): the bundle's keys, profile
// and keyed ID index, deciding offline.
import { createGate, importTicketKeys, type PriorAdmission } from '../../worker/domain/gate-decision.ts'
import {
  type IdTicket,
  type IdTicketIndex,
  idNumberHash,
  idTicketsOf,
  importIdIndexKey,
} from '../../worker/domain/id-index.ts'
import { verifyRevocationPage } from '../../worker/domain/revocation-list.ts'

/** A gate as the browser app runs it: its bundle's keys, profile and ID index, deciding offline. */
export async function offlineGate(bundle: Record<string, any>) {
  const keys = await importTicketKeys(bundle.jwks.keys)
  const gate = createGate(bundle.profile, keys)
  const index: IdTicketIndex = bundle.idTickets
  const hmac = await importIdIndexKey(index.key)
  let entries: IdTicket[] = idTicketsOf(index.groups)
  const revoked = new Set<string>()
  const admitted = new Map<string, PriorAdmission>()
  const addRevocations = async (body: Record<string, any>) => {
    const page = await verifyRevocationPage(body.revocations.jws, keys, {
      org: body.device.organizerId,
      dev: body.device.id,
    })
    for (const [ticketId] of page!.r) revoked.add(ticketId)
  }
  await addRevocations(bundle)
  return {
    revoked,
    admitted,
    addRevocations,
    addIndex(more: IdTicketIndex) {
      entries = more.full ? idTicketsOf(more.groups) : [...entries, ...idTicketsOf(more.groups)]
    },
    /** The tickets an ID number holds here (one entry per ticket). */
    async lookUp(typed: string) {
      const hash = await idNumberHash(hmac, typed)
      const found = new Map(entries.filter((e) => e.hash === hash).map((e) => [e.ticket.tid, e]))
      return [...found.values()]
    },
    decide(entry: IdTicket) {
      const decision = gate.decideTicket({ ticket: entry.ticket, revoked, admitted, now: Date.now() })
      if (decision.admit) admitted.set(entry.ticket.tid, { at: Date.now(), gateName: 'here' })
      return decision
    },
  }
}
