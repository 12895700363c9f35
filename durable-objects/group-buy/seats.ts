import { seatsNearGroup } from '../../worker/domain/group-buy.ts'
import type { ShowHoldOutcome, ShowHoldRequest, ShowInventory } from './contract.ts'

// The group's seats live in its show's inventory actor. A member's hold lasts for their payment window (the
// show's hold minutes, never past the deadline), and once they paid until the group's deadline.

type Seating = Pick<ShowHoldRequest, 'seatIds' | 'best'>

export class GroupSeats {
  private readonly show: DurableObjectStub<ShowInventory>

  constructor(
    namespace: DurableObjectNamespace<ShowInventory>,
    private readonly showId: string,
  ) {
    this.show = namespace.get(namespace.idFromName(showId))
  }

  /**
   * Holds a member's seats until `payBy` (epoch ms): the seats they named, else best available in the category,
   * next to the seats the group already has where possible (best available when nothing free is next to it, or
   * the seats next to it just went).
   */
  async hold(
    request: {
      buyerId: string
      quantity: number
      category?: string
      seatIds?: string[]
      presaleCode?: string
    },
    groupSeatIds: string[],
    payBy: number,
  ): Promise<ShowHoldOutcome> {
    const holdSeats = (seating: Seating) =>
      this.show.holdUntil(
        this.showId,
        {
          holderId: request.buyerId,
          channel: 'web',
          ...(request.presaleCode ? { presaleCode: request.presaleCode } : {}),
          ...seating,
        },
        new Date(payBy).toISOString(),
      )
    if (request.seatIds?.length) return holdSeats({ seatIds: request.seatIds })
    const best = { category: request.category!, quantity: request.quantity }
    const near = await this.nextToGroup(groupSeatIds, best.category, best.quantity)
    if (!near) return holdSeats({ best })
    const held = await holdSeats({ seatIds: near })
    return !held.ok && held.code === 'seats_unavailable' ? holdSeats({ best }) : held
  }

  async release(holdId: string) {
    await this.show.release(this.showId, holdId)
  }

  /** A paid member's seats stay held until the group's deadline. */
  async extend(holdId: string, holderId: string, until: string) {
    await this.show.extendHold(this.showId, holdId, holderId, until)
  }

  /** Free seats next to the group's, from the show's live seat map. */
  private async nextToGroup(groupSeatIds: string[], category: string, quantity: number) {
    if (groupSeatIds.length === 0) return null
    const map = await this.show.seatMap(this.showId)
    return seatsNearGroup(map.seats, groupSeatIds, category, quantity)
  }
}
