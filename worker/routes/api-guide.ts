// What a caller needs to know beyond one route: the document's introduction and one description per tag.
// Route-specific behaviour lives in each route's `describeRoute`; these are rendered at /docs and published in
// /openapi.json (`info.description`, `tags`).
import { CODE_TTL_MINUTES, MAX_CODE_ATTEMPTS, MAX_CODES_PER_HOUR } from '../services/customer-codes.ts'
import { INVITATION_DAYS } from '../services/staff-invitations.ts'

const lines = (...paragraphs: string[]) => paragraphs.join('\n\n')

export const apiIntroduction = lines(
  'Seated shows, cinema group buys and scenic-area visits: the public shop API, the organizer console API, the gate ' +
    'scanner API and the signed OTA partner API. Every answer below has its JSON schema.',
  'Errors are RFC 9457 `application/problem+json` with a stable `code`: `validation` (with `errors: [{path, message, row?}]` ' +
    'listing every bad field), `unauthorized`, `forbidden`, `not_found`, `conflict`, `rate_limited`, `internal`, and for ' +
    'inventory `seats_unavailable` (with `unavailable`), `sold_out`, `buyer_limit`, `not_on_sale`, `parent_ticket_required`. ' +
    'Each carries `requestId`, also sent as the `x-request-id` header; a caller’s own well-formed `x-request-id` is kept.',
  'Money is in integer minor units (fen for CNY) of the organizer’s `currency`; times are ISO-8601, stored in UTC.',
  'Lists are keyset pages: `limit` (at most 200), `cursor` (pass back `nextCursor`, null on the last page), `q` (name ' +
    'search) and per-resource filters (`city`, `kind`, `status`, `eventId`, `venueId`, `from`, `to`, `siteId`, …).',
  'Roles per organizer: `owner` (everything, staff and sales channels), `manager` (catalogue), `gate` (reads shows, events, ' +
    'sites, products and inventory). Platform admins create organizers. Every organizer route checks the caller’s role in ' +
    'the organizer in the path; another organizer’s ids answer 404.',
  'Cookie routes refuse cross-site form-like requests (403 `csrf_rejected`): send `Origin` when calling them outside a ' +
    'browser. Rate limits answer 429 `rate_limited` with `Retry-After`.',
)

const staffSignIn = lines(
  'Email and password (PBKDF2-SHA256, 100,000 iterations, constant-time compare). The session is an HS256 JWT in an ' +
    'http-only, Secure, SameSite=Lax cookie, ended server-side by a per-user session version that is bumped when a member ' +
    'is removed or changes their password. Wrong guesses are counted before the password is checked, per account and ' +
    'address, per address and per account, so nobody can lock an owner out from their own address.',
  'Nobody sets another person’s password: owners invite an email with a role (see Staff invitations).',
)

const staffInvitations =
  `An owner invites an email in a role; the one-time link (${INVITATION_DAYS} days, only a hash of its token is stored) lets the invitee ` +
  'choose a password, and an existing account joins only by accepting while signed in as it. The answers are the same ' +
  'whether or not the email has an account.'

const customerSignIn = lines(
  `Buyers sign in with a one-time code sent to their email or phone: 6 digits, valid ${CODE_TTL_MINUTES} minutes, at most ` +
    `${MAX_CODES_PER_HOUR} codes per contact per hour and ${MAX_CODE_ATTEMPTS} tries per code, stored only as an HMAC. ` +
    'The session is an http-only cookie with its own ' +
    'audience. A signed-in customer owns their holds and orders on every device; anonymous buyers are known by a buyer ' +
    'cookie. Organizers can turn guest checkout off (`allowGuestCheckout`), and a show can take holds only from signed-in ' +
    'customers (`signInToHold`).',
  'Messages (codes, reminders, refunds) go through one sender; locally they land in the dev mailbox, never in the log.',
)

const orders = lines(
  'The money path is hold → order → pay → confirm, and back with expire / refund. `POST /api/orders` turns the buyer’s ' +
    'active hold into a `pending` order (one line per seat or visitor) with a payment to complete at `checkoutUrl`.',
  'Confirm: the payment is recorded as succeeded first, then the inventory actor confirms the hold (idempotent per order), ' +
    'then one D1 batch marks the order paid, issues one ticket per line, writes the audit row and an outbox event. A ' +
    'minute cron finishes any order whose payment succeeded but whose confirmation did not, expires unpaid orders (their ' +
    'inventory goes back) and reminds buyers a few minutes before their hold runs out.',
  'Late payment: when the hold had expired, the same seats or quota are taken again if still free and within every rule a ' +
    'new hold would meet (the order says so); otherwise the money is refunded automatically and `statusReasonCode` (with `statusReasonParams`) says why; ' +
    '`statusReason` is the same in English for partners.',
  'Refunds revoke the tickets and record the refund before the seats go back on sale, so a seat is never resold while its ' +
    'ticket is valid; a half-finished refund is completed by the cron. A refund never exceeds what its payment received ' +
    'and a line is refunded or rebooked at most once.',
  'Every state change of an order is an audit row (who, what, from → to, detail); changes partners care about are written ' +
    'to the outbox in the same batch and reach webhooks.',
)

const payments = lines(
  'Sandbox provider (development and tests only, offline): the buyer’s own hosted checkout page pays, fails or pays after ' +
    'the hold expired; the outcome arrives as a notification signed `x-sandbox-signature: t=…,v1=HMAC-SHA256("t.body")` ' +
    '(5-minute tolerance); each event id is handled once.',
  'Stripe: Checkout Sessions offering card, Alipay and WeChat Pay (one session per payment through Stripe idempotency ' +
    'keys); the webhook is verified with Stripe’s own scheme; refunds use the PaymentIntent with idempotency keys. A ' +
    'notification is applied only to a payment of the provider that sent it, and a total of 0 never confirms an order unpaid.',
)

const partnerApi = lines(
  'OTAs (Ctrip, Meituan, …) sell scenic inventory here, within their sales channel’s allocation of each day’s quota. ' +
    'Every request is signed with the partner’s secret:',
  'canonical = METHOD + "\\n" + path?query + "\\n" + timestamp + "\\n" + nonce + "\\n" + hex(SHA-256(body)); headers ' +
    '`x-partner-key: <keyId>`, `x-partner-timestamp: <unix seconds>`, `x-partner-nonce: <16–64 of [A-Za-z0-9_-]>`, ' +
    '`x-partner-signature: hex(HMAC-SHA256(secret, canonical))`.',
  'A timestamp more than 5 minutes from our clock is `stale_request`; a nonce already used is `replayed_request` (nonces ' +
    'are recorded only after the signature checks out); a wrong or missing signature is `bad_signature` (compared in ' +
    'constant time); also `unknown_key` and `partner_disabled`. Each partner has a per-minute budget (`rateLimitPerMinute`, ' +
    'default 600): `rate_limited` with `Retry-After`.',
  'Bookings are paid by settlement: the order is confirmed and ticketed at once through the same path as a paid order, and ' +
    'refunds become credits on the statement. A unique (partner, `partnerOrderId`) makes creates idempotent. Webhook events: ' +
    '`order.confirmed`, `order.refunded`, `refund.rejected`, `order.cancelled`, sent to the organizer’s endpoints for the ' +
    'partner’s channel.',
  'Error codes to branch on: `sold_out` (with `unavailable`, e.g. `channel:ctrip` when the allocation is used up), ' +
    '`parent_ticket_required`, `buyer_limit`, `not_on_sale`, `product_not_available`, `validation` (e.g. an ID number ' +
    'failing its checksum), `reservation_expired`, `reservation_already_booked`, `partner_order_id_reused`, ' +
    '`refund_rejected` (with `reason` and `rule`: `refund_not_allowed` or `children_unused`), `already_redeemed` (with ' +
    '`lineIds`), `bad_signature`, `unknown_key`, `partner_disabled`, `stale_request`, `replayed_request`, `rate_limited`.',
)

const partnerAdmin =
  'Owners create partners, each bound to exactly one of the organizer’s sales channels: it sells that channel’s ' +
  'allocation, its orders carry the channel code, and its webhooks are the organizer’s endpoints for that channel. The ' +
  'signing secret is shown once; it is stored AES-GCM encrypted under a key derived (HKDF) from the session secret, ' +
  'because verifying an HMAC needs the secret itself. Rotating keeps the previous secret verifying for 24 hours. ' +
  'Products are granted with the channel’s prices: `marketPrice` (list), `salePrice` (what the partner sells at) and ' +
  '`settlementPrice` (what it pays us: the order total).'

const webhooks = lines(
  'Organizers (and, through a sales channel, each OTA partner) receive signed webhooks. An endpoint with `channel` receives ' +
    'only events about orders and tickets sold through that channel, plus events about no order (`price.changed`, ' +
    '`availability.changed`); one without a channel receives every event of its organizer.',
  'Event types (`type`), with their `data`: `order.confirmed` (`orderId`, `number`, `total`); `order.refunded` (`orderId`, ' +
    '`refundId`, `amount`, `lineIds`); `order.cancelled` (`orderId`, `reason`, `replacedBy`: every line was rebooked; or `orderId`, `number`: an unpaid ' +
    'order given up); `order.expired` (`orderId`, `number`: unpaid when its hold ran out); ' +
    '`order.rebooked` (`from`, `to`, `lineIds`); `order.deposit_paid` (`orderId`, `number`, `total`: 定金 paid, seats ' +
    'locked, no ticket yet); `order.forfeited` (`orderId`, `number`, `deposit`, `forfeit`: the balance was not paid by ' +
    'its due time); `refund.rejected` (a partner’s refund refused by policy); ' +
    '`ticket.redeemed` (`ticketId`, `orderId`, `redemptionId`, `gate`, `deviceId`, `mode`, `redeemedAt`; once per ticket); ' +
    '`price.changed` (`showId`, `prices`, `previousPrices`; with `reason` `schedule` when its price schedules were saved ' +
    '(`schedules`, `flashSales`), `sell_through` when a price step was crossed (`category`, `step`: `from`, `to`, ' +
    '`taken`, `onSale`) / `productId`, `siteId`, `price`, `previousPrice`); ' +
    '`availability.changed` (`showId`, `category`, `soldOut`, `available`, `total` / `siteId`, `date`, `soldOut`, ' +
    '`remaining`, `capacity`); `group.started`, `group.joined`, `group.left`, `group.succeeded`, `group.failed`. Every ' +
    '`data` carries `eventId`, the same for every endpoint. `availability.changed` is sampled by the minute cron for shows ' +
    'and days whose orders changed, and fires on sold-out transitions only.',
  'Payload and signature (Standard Webhooks): a `POST` of `{"type", "timestamp", "data"}` with `webhook-id` (the delivery ' +
    'id, the same on every retry and replay: deduplicate on it), `webhook-timestamp` (seconds at this attempt) and ' +
    '`webhook-signature: v1,<base64 HMAC-SHA256(key, "<id>.<timestamp>.<raw body>")>`, the key being the base64-decoded ' +
    'part of the secret after `whsec_`; two signatures, space-separated, for 24 hours after a rotation. The `standardwebhooks` ' +
    'library verifies it and refuses timestamps more than 5 minutes off.',
  'Delivery: events are written to an outbox in the same batch as the change and become one delivery per subscribed ' +
    'endpoint, sent through a queue; one attempt per message (15 s timeout, redirects not followed). Anything but 2xx is ' +
    'retried after about 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h and 24 h (10 attempts over about 3.3 days), then the ' +
    'delivery is `dead` (listed and replayable). 410 Gone stops retries and disables the endpoint.',
)

const groupBuys = lines(
  'A screening sells at a group price once enough buyers join one group. Each group is one actor: a join takes its place ' +
    'before anything else, so racing joins never exceed `maxSize`. Members hold seats for their payment window (the show’s ' +
    'hold minutes, never past the deadline) and pay their own order at the group price; a paid member’s hold is extended to ' +
    'the deadline, which is `min(start + lifetime, show sale end)`.',
  'Success: when paid members reach `minSize`, every paid member’s order is confirmed and ticketed at once; later joiners ' +
    'up to `maxSize` are confirmed as soon as they pay. Failure (deadline, minimum not reached, no 虚拟成团): every member’s ' +
    'own payment is refunded in full, orders cancelled, seats released, each member told. A cancelled show fails its open ' +
    'groups at once. A member may leave before success with the same refund; a payment arriving after its member left or ' +
    'lapsed is refunded.',
  'Seats: `category` (free seats next to the group’s seats where possible, else best available) or `seatIds` (picked on ' +
    'the seat map). Errors: `group_full`, `group_closed`, `already_member`, `buyer_limit`, `not_in_group_buy`, ' +
    '`group_succeeded`, and the inventory codes. Changes write audit rows and outbox events (`group.started|joined|left|' +
    'succeeded|failed`).',
)

const groupBuyCampaigns =
  'Campaigns (owner or manager): `showIds`; `groupPrices` per price category (minor units, never above the show’s own ' +
  'price); `minSize`/`maxSize` (paid members needed / most members taken); `lifetimeMinutes` (default 24 h); ' +
  '`perBuyerLimit` (seats per member); `leaderDiscount` (off the leader’s order); `autoComplete` (虚拟成团: at the deadline ' +
  'a group with at least one paid member succeeds, the organizer funding the missing places; off by default); `status` ' +
  '(`active`, `paused`, `ended`). A campaign groups were started under cannot be deleted; end it instead.'

const gates = lines(
  'Gate devices verify tickets offline with the same decision code the server runs online. A device enrolls with a ' +
    'one-time code from the console and gets a device token (HS256 JWT, 30 days, audience `gate-device`; send it as ' +
    '`Authorization: Bearer …`) and its offline bundle: profile (its scope with validity windows, direction, time zone, ' +
    'the gate secrets of events in scope that use rotating codes), rules, the ticket keys and a signed revocation page.',
  'The decision: signature → revoked → scope → time → rotating code → already used. Refusals: `bad_signature` (tampered, ' +
    'unknown key, unreadable), `revoked`, `wrong_gate` (not a show or site of this gate), `wrong_day`, `not_yet_valid` / ' +
    '`expired` (doors open 4 h before a show, tickets lapse 1 h after), `rotating_code_stale`, `already_used` (with ' +
    '`previous: {at, gateName}`). Multi-day scenic tickets are admitted on each of their days; exit gates do not apply ' +
    'admit-once.',
  'Rotating codes (events with `rotatingCode`): the ticket page shows a 6-digit code from the ticket’s own secret beside ' +
    'the QR, or encodes `<token>~<code>` in it; gates accept the current and previous 30 s step, anything older, missing or ' +
    'another ticket’s code is `rotating_code_stale`.',
  'A device admits only what it is enrolled for: an uploaded admission of anything else is recorded as a `wrong_gate` ' +
    'refusal, never a redemption.',
)

const organizerGates =
  'Enrollment codes are 8 Crockford base32 characters (no I, L, O, U), valid 15 minutes, work once and are stored only as ' +
  'a hash. Devices are listed and revoked here (the token stops working at once). A ticket’s first admission is its ' +
  'redemption (核销), once per ticket; a later admission (two gates offline, or one gate twice) is a `second_admission` ' +
  'conflict, and an offline admission of a ticket revoked by the time its scan is uploaded is `revoked_admitted`.'

const kiosks =
  'A self-service kiosk (自助售票机, the `/kiosk` app) enrolls with a one-time code like a gate and then calls with its ' +
  'token: it sells its scenic site’s tickets on the `kiosk` channel (holds per visitor session, an order whose ' +
  '`checkoutUrl` it shows as a QR code for the visitor’s phone, polling until paid, then the tickets to print) and ' +
  'sends a heartbeat every minute, whose answer names the catalogue version to refetch on change.'

const organizerKiosks =
  'Kiosks are listed with their last heartbeat (app version, printer, paper, last sale, errors) and open alerts, and ' +
  'revoked here. An alert (`silent`: no heartbeat for 5 minutes; `paper_low`) is raised once per episode, with one ' +
  '`kiosk.alert` webhook; it resolves when heartbeats or paper come back.'

const tickets =
  'A paid order’s tickets are compact JWS signed with Ed25519; the header carries the key’s `kid`, the payload is tiny ' +
  '(ticket id, the show or site-day, seat or product and slot, the last 4 of a real-name ID, validity), so a token stays ' +
  '≤ 300 characters. Refunded and rebooked tickets lose their token and go on the gates’ signed revocation list.'

/** One description per tag, in the order /docs lists them. */
export const tagGuides = [
  { name: 'Staff sign-in', description: staffSignIn },
  { name: 'Staff invitations', description: staffInvitations },
  { name: 'Customer sign-in', description: customerSignIn },
  { name: 'Orders', description: orders },
  { name: 'Payments', description: payments },
  { name: 'Tickets', description: tickets },
  { name: 'OTA partner API (signed)', description: partnerApi },
  { name: 'OTA partners (admin)', description: partnerAdmin },
  { name: 'Webhooks', description: webhooks },
  { name: 'Group buys', description: groupBuys },
  { name: 'Group buys (admin)', description: groupBuyCampaigns },
  { name: 'Gates', description: gates },
  { name: 'Organizer gates', description: organizerGates },
  { name: 'Kiosks', description: kiosks },
  { name: 'Organizer kiosks', description: organizerKiosks },
]
