import type { GroupBuyEnv } from '../durable-objects/group-buy/contract.ts'
import type { GroupBuy } from '../durable-objects/group-buy/index.ts'
import type { HoldGateway } from '../durable-objects/hold-gateway.ts'
import type { ScenicDayInventory } from '../durable-objects/scenic-day/inventory.ts'
import type { ShowInventory } from '../durable-objects/show-inventory/index.ts'
import type { WaitingRoom } from '../durable-objects/waiting-room/index.ts'
import type { Database } from './db/client.ts'
import type { CustomerPrincipal } from './middleware/customer-auth.ts'
import type { KeyClaim } from './middleware/idempotency.ts'
import type { Logger } from './middleware/logger.ts'
import type { AnalyticsQueueBody } from './services/analytics/messages.ts'
import type { HoldBatching } from './services/isolate-holds.ts'
import type { PaymentProvider } from './services/payments/provider.ts'
import type { ShowInventoryService } from './services/show-inventory.ts'
import type { StaffSession } from './services/staff-session.ts'
import type { WebhookDeliveryMessage } from './services/webhooks/queue.ts'

/** Bindings and secrets the worker receives from wrangler.toml and Worker secrets. */
export interface Bindings {
  DB: D1Database
  ASSETS: Fetcher
  /** Posters in R2: `images/<imageId>/<width>`, immutable (a new upload is a new image id). */
  IMAGES: R2Bucket
  SHOW_INVENTORY: DurableObjectNamespace<ShowInventory>
  SCENIC_DAY_INVENTORY: DurableObjectNamespace<ScenicDayInventory>
  HOLD_GATEWAY: DurableObjectNamespace<HoldGateway>
  /** Webhook deliveries (producer); the same worker consumes it and its dead-letter queue. */
  WEBHOOK_QUEUE: Queue<WebhookDeliveryMessage>
  /**
   * Captured analytics events (producer; this worker consumes them, worker/services/analytics/). Unbound (the
   * benchmark's worker without capture), nothing is captured.
   */
  ANALYTICS_QUEUE?: Queue<AnalyticsQueueBody>
  /** `off` stops capturing from routes and the beacon (an operator's switch; the benchmark's side without capture). */
  ANALYTICS_CAPTURE?: string
  /** One actor per group buy (团购), named by group id: serializes joins, owns the deadline alarm. */
  GROUP_BUY: DurableObjectNamespace<GroupBuy>
  /** This worker's own GroupSettlementEntrypoint (wrangler.toml `[[services]]`): the group actors' way to the money path. */
  GROUP_SETTLEMENT: GroupBuyEnv['GROUP_SETTLEMENT']
  /** One waiting room per on-sale (`show:<showId>`, `day:<siteId>:<date>`): places, admissions, passes. */
  WAITING_ROOM: DurableObjectNamespace<WaitingRoom>
  ENVIRONMENT: string
  /**
   * `gateway` sends each hold to its gateway shard alone; otherwise concurrent holds in one isolate go as one
   * batch first. The Workers Vitest plugin turns cross-request promise resolution off, so unit tests use `gateway`.
   */
  HOLD_BATCHING?: string
  /** Milliseconds a publisher run kicked by a write waits to gather more writes (default 250; 0 runs at once). */
  OUTBOX_GATHER_MS?: string
  /** HMAC key for staff session cookies (Worker secret; `.dev.vars` locally). */
  SESSION_SECRET: string
  /** HMAC key of waiting-room admission passes and of the queue's real-name ID hashes (Worker secret). */
  ADMISSION_PASS_SECRET?: string
  /** Waiting rooms admitting as buyers finish keep about this many admitted buyers deciding (default: grows with what is left, 200–5,000). */
  WAITING_ROOM_ACTIVE_TARGET?: string
  /** Seconds after a refused hold an admitted buyer holding nothing stops counting as choosing (default 30). */
  WAITING_ROOM_REFUSED_IDLE_SECONDS?: string
  /** Cloudflare Turnstile's secret key, for waiting rooms that require a challenge (production). */
  TURNSTILE_SECRET_KEY?: string
  /** HMAC key the sandbox payment provider signs its notifications with. */
  SANDBOX_PAYMENT_SECRET: string
  /** JSON: current Ed25519 private JWK (with kid) and earlier public JWKs; see worker/services/ticket-keys.ts. */
  TICKET_SIGNING_KEYS: string
  /** `stripe` to take real payments; anything else uses the sandbox. */
  PAYMENT_PROVIDER?: string
  STRIPE_SECRET_KEY?: string
  STRIPE_WEBHOOK_SECRET?: string
  /**
   * DNS-over-HTTPS JSON endpoint used in production to check where webhook receivers' names point
   * (default https://cloudflare-dns.com/dns-query).
   */
  WEBHOOK_DNS_URL?: string
  /**
   * Request-rate limits (Workers Rate Limiting, `[[ratelimits]]` in wrangler.toml; see
   * worker/middleware/rate-limit-routes.ts for what each counts). Unbound, a limit is not applied.
   */
  RATE_HOLDS_PER_CLIENT?: RateLimit
  RATE_HOLDS_PER_BUYER?: RateLimit
  RATE_SIGN_IN_PER_CLIENT?: RateLimit
  RATE_SIGN_IN_CODES?: RateLimit
  RATE_PARTNER_PER_KEY?: RateLimit
  /** The shop's analytics beacons per client network. */
  RATE_BEACONS_PER_CLIENT?: RateLimit
  /** JSON overriding some of the per-client hold caps (worker/domain/hold-caps.ts), e.g. `{"heldPerClient":40}`. */
  HOLD_CAPS?: string
  /** Most live seat-map viewers (WebSockets) per show, and per network address per show. */
  LIVE_VIEWERS_PER_SHOW?: string
  LIVE_VIEWERS_PER_CLIENT?: string
  /**
   * Messages (worker/services/messages/README.md): `EMAIL_SENDER = "cloudflare"` sends email through the Email
   * Service binding `EMAIL` from `MESSAGE_EMAIL_FROM`; `SMS_SENDER = "aliyun"` sends SMS through Aliyun with the
   * ALIYUN_SMS_ACCESS_KEY_* secrets, `SMS_SIGN_NAME` and `SMS_TEMPLATES`. Locally both go to the dev mailbox
   * unless `MESSAGES_LOCAL_DELIVERY = "live"`.
   */
  EMAIL?: SendEmail
  EMAIL_SENDER?: string
  MESSAGE_EMAIL_FROM?: string
  SMS_SENDER?: string
  ALIYUN_SMS_ACCESS_KEY_ID?: string
  ALIYUN_SMS_ACCESS_KEY_SECRET?: string
  SMS_SIGN_NAME?: string
  SMS_TEMPLATES?: string
  SMS_ENDPOINT?: string
  MESSAGES_LOCAL_DELIVERY?: string
  /** First owner account, created by the dev seed only. */
  DEV_OWNER_EMAIL?: string
  DEV_OWNER_PASSWORD?: string
}

/** Per-request values set by middleware, read by handlers through `c.get`. */
export interface Variables {
  requestId: string
  logger: Logger
  db: Database
  staff: StaffSession | undefined
  showInventory: ShowInventoryService
  /** How this request's holds reach the gateways (batched with the isolate's concurrent holds, or alone). */
  holdBatching: HoldBatching
  payments: PaymentProvider
  /** Who is buying: the signed-in customer, or an anonymous buyer cookie until checkout. */
  buyerId: string
  customer: CustomerPrincipal | undefined
  /** The request's idempotency claim, for a route that writes it in its own batch (middleware/idempotency.ts). */
  keyClaim: KeyClaim
}

export interface AppEnv {
  Bindings: Bindings
  Variables: Variables
}
