import type {
  BuyerStep,
  PlaceState,
  QueueState,
  WaitingRoomSettings,
} from '../../worker/domain/waiting-room.ts'
import type { QueueOutcome } from '../../worker/domain/waiting-room-order.ts'
import type { ScenicDayInventory } from '../scenic-day/inventory.ts'
import type { ShowInventory } from '../show-inventory/index.ts'

// What the waiting-room actor answers over RPC and pushes over its WebSockets. One actor per on-sale, named
// `show:<showId>` or `day:<siteId>:<date>` (worker/domain/admission-pass.ts makes the names). Callers pass the
// organizer's settings with each call (read from D1 by the worker), so the actor never works from stale ones.

export type { BuyerStep, PlaceState, QueueOutcome, QueueState, WaitingRoomSettings }

/** The queue and one buyer's place: the buyer API's answer and every WebSocket message. */
export interface QueueAnswer {
  queue: {
    state: QueueState
    opensAt: string | null
    /** Buyers waiting (not yet admitted or skipped). */
    waiting: number
    /** Admissions per minute observed lately (0 before the first). */
    admittedPerMinute: number
  }
  place: PlaceView | null
}

export interface PlaceView {
  state: PlaceState
  /** 1-based; null before opening (the pre-queue is shuffled at opening) and once admitted or expired. */
  position: number | null
  estimatedWaitSeconds: number | null
  /** Admitted: the signed pass the hold routes take in the `Admission-Pass` header. */
  pass?: string
  passExpiresAt?: string
}

export interface JoinRequest {
  buyerId: string
  /** HMAC of the buyer's real-name ID number (the worker hashes it; the actor never sees the number). */
  idHash?: string
}

export type JoinOutcome =
  | { ok: true; answer: QueueAnswer }
  | { ok: false; code: 'queue_id_taken' | 'sold_out'; detail: string; answer: QueueAnswer }

/** The actor's counters, for tests, the bench and the organizer's dashboard. */
export interface QueueInspection {
  onSale: string
  /** The pre-queue's shuffle seed (worker/domain/waiting-room.ts preQueueKey). */
  seed: number
  opened: boolean
  soldOut: boolean
  available: number | null
  waiting: number
  active: number
  /** Of the active, those who hold nothing yet. */
  choosing: number
  /** Admitted buyers refused and gone quiet (not counted as active or choosing; see REFUSED_IDLE_MS). */
  quiet: number
  admitted: number
  skipped: number
  /** Highest ticket decided (admitted or skipped) and highest given. */
  cursor: number
  lastTicket: number
}

/** One admitted buyer, in admission order (see WaitingRoom.admissionOrder). */
export interface AdmissionRecord {
  buyerId: string
  /** The join's sequence number (arrival order). */
  arrival: number
  /** Joined before opening: their place was drawn at opening. */
  preQueued: boolean
  admittedAt: number
}

/** One place that joined after the opening, in its room's admission order (see WaitingRoom.queueOrder). */
export interface QueuedPlace {
  buyerId: string
  /** The join's sequence number in this room (arrival order). */
  arrival: number
  /** The room's queue ticket: its admission order within the room. */
  ticket: number
  /** What the shared watermark orders places across rooms by (worker/domain/waiting-room.ts admissionTime). */
  admissionTime: number
  outcome: QueueOutcome
}

/** The bindings the actor reads. */
export interface WaitingRoomEnv {
  ADMISSION_PASS_SECRET?: string
  /** Following mode's target of admitted buyers still deciding (default: followingTarget of what is left, 200–5,000; worker/domain/waiting-room.ts). */
  WAITING_ROOM_ACTIVE_TARGET?: string
  /** Seconds after a refusal a buyer holding nothing stops counting as choosing (default 30; tests set 1). */
  WAITING_ROOM_REFUSED_IDLE_SECONDS?: string
  SHOW_INVENTORY: DurableObjectNamespace<ShowInventory>
  SCENIC_DAY_INVENTORY: DurableObjectNamespace<ScenicDayInventory>
}
