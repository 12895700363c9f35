import type { Migration } from '../shared/migrations.ts'

// The waiting room's own SQLite layout as numbered steps (durable-objects/shared/migrations.ts). Shipped steps
// never change; a later layout is a new step at the end.

export const WAITING_ROOM_MIGRATIONS: readonly Migration[] = [
  // 1: counters and settings (meta), and one place per buyer. `ticket` orders the queue (null for a pre-queue
  // arrival until opening); `held` and `finished` (ordered or released) follow an admitted buyer; `id_hash` makes one place per real-name ID (NULLs do not collide); admitted places
  // are found by (state, pass_expires_at) when passes lapse.
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
   CREATE TABLE places (
     buyer_id TEXT PRIMARY KEY,
     id_hash TEXT UNIQUE,
     arrival INTEGER NOT NULL,
     shuffle_key INTEGER,
     ticket INTEGER UNIQUE,
     state TEXT NOT NULL,
     held INTEGER NOT NULL DEFAULT 0,
     finished INTEGER NOT NULL DEFAULT 0,
     joined_at INTEGER NOT NULL,
     last_seen_at INTEGER NOT NULL,
     admitted_at INTEGER,
     pass_expires_at INTEGER
   );
   CREATE INDEX places_passes ON places (state, pass_expires_at);`,
  // 2: whether the admitted buyer has seen their pass. A pass runs for its full time from when the buyer first
  // sees it (a read, a ping, a socket opened), so one admitted while their page was between reads does not lose
  // most of it; one who never looks still lapses `passMinutes` after admission.
  `ALTER TABLE places ADD COLUMN pass_seen INTEGER NOT NULL DEFAULT 0;`,
  // 3: an admitted buyer refused while holding nothing (`refused_at`, found by the partial index while it is
  // set) goes `quiet` REFUSED_IDLE_MS later: no longer counted as choosing (worker/domain/waiting-room.ts).
  `ALTER TABLE places ADD COLUMN refused_at INTEGER;
   ALTER TABLE places ADD COLUMN quiet INTEGER NOT NULL DEFAULT 0;
   CREATE INDEX places_refused ON places (refused_at) WHERE refused_at IS NOT NULL;`,
]
