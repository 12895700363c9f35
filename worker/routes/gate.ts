import { Hono } from 'hono'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import type { AppEnv } from '../env.ts'
import { type GateEnv, requireGateDevice } from '../middleware/gate-device-auth.ts'
import { Problem } from '../problem.ts'
import {
  ENROLLMENT_FAILURE_WINDOW_MINUTES,
  ENROLLMENT_FAILURES_ALLOWED,
  GATE_RULES,
  gateSync,
  recordWrongCode,
  redeemEnrollmentCode,
  refuseCodeGuessing,
  signDeviceToken,
} from '../services/gate-devices.ts'
import { checkOnline, recordScans } from '../services/redemptions.ts'
import { validate } from '../validation.ts'
import {
  gateEnrolledSchema,
  gateSyncSchema,
  onlineCheckSchema,
  refusalReasons,
  scanUploadSchema,
} from './contracts/gate.ts'
import { json } from './openapi.ts'
import { isoDateTime, queryInteger } from './query.ts'

const tag = 'Gates'
const deviceAuth = [{ gateDevice: [] }]
const nonce = v.pipe(
  v.string(),
  v.minLength(8),
  v.maxLength(64),
  v.regex(/^[\w-]+$/, 'letters, digits, - and _'),
)
const scanText = v.pipe(v.string(), v.minLength(1), v.maxLength(600))

/** The gate scanner's API: enrollment with a code, then everything with the device token it returns. */
export const gateRoutes = new Hono<AppEnv>()

gateRoutes.post(
  '/enroll',
  describeRoute({
    tags: [tag],
    summary: 'Enroll this device with a one-time code from the admin console',
    description:
      'Answers the device token (send it as `Authorization: Bearer …`), and everything the gate needs to work ' +
      'offline: its profile (scope with validity windows, direction, time zone, per-event gate secrets for ' +
      'rotating codes), rules, the JWKS, and the first signed revocation page with its cursor.',
    responses: {
      201: {
        description: 'Enrolled: the device token and the offline bundle',
        content: json(gateEnrolledSchema),
      },
      400: { description: '`enrollment_code_invalid`: unknown, used or expired code' },
      429: {
        description: `\`rate_limited\`: ${ENROLLMENT_FAILURES_ALLOWED} wrong codes from this address in the current and previous ${ENROLLMENT_FAILURE_WINDOW_MINUTES}-minute windows; see \`Retry-After\``,
      },
    },
  }),
  validate('json', v.object({ code: v.pipe(v.string(), v.trim(), v.minLength(8), v.maxLength(12)) })),
  async (c) => {
    const db = c.get('db')
    // Cloudflare sets CF-Connecting-IP itself; a client cannot choose its own.
    const client = c.req.header('cf-connecting-ip') ?? 'unknown'
    await refuseCodeGuessing(db, client)
    const device = await redeemEnrollmentCode(db, c.req.valid('json').code).catch(async (error) => {
      if (error instanceof Problem && error.code === 'enrollment_code_invalid')
        await recordWrongCode(db, client)
      throw error
    })
    const token = await signDeviceToken(device, c.env.SESSION_SECRET)
    const sync = await gateSync(db, device, c.env.TICKET_SIGNING_KEYS, 0, { env: c.env, since: {} })
    return c.json({ deviceToken: token, device: deviceView(device), ...sync }, 201)
  },
)

const deviceRoutes = new Hono<GateEnv>()
deviceRoutes.use('*', requireGateDevice)

deviceRoutes.get(
  '/sync',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary: 'Revocations since the cursor (one signed page), plus current profile, rules and keys',
    description:
      'Refunds (including show cancellations) and rebookings list each revoked ticket in the batch that revokes it; ' +
      'the list’s sequence number is the cursor. The revocation page is a compact JWS signed with the ticket key ' +
      '(`typ: revocations`, payload `{org, dev, from, to, more, iat, r: [[ticketId, reason]]}`, 1,000 per page) for the ' +
      'device’s shows or site: verify it with the JWKS like a ticket, and check it names this organizer and device ' +
      '(`verifyRevocationPage`), so a page can be trusted however it reached the gate. Ask again with `cursor` = ' +
      '`revocations.cursor` while `revocations.more` is true. Gates also get `idTickets` (身份证核验): keyed hashes ' +
      'of the visitors’ ID numbers → tickets for the scope’s days (or shows) around today, under a key of this device and day; ' +
      'send back `idEpoch` and `idCursor` from it to receive only tickets issued since (a new epoch starts afresh).',
    responses: {
      200: { description: 'Sync bundle', content: json(gateSyncSchema) },
      401: { description: 'Device not enrolled or revoked' },
    },
  }),
  validate(
    'query',
    v.object({
      cursor: queryInteger(0, Number.MAX_SAFE_INTEGER, 0),
      idEpoch: v.optional(v.pipe(v.string(), v.regex(/^\d{4}-\d\d-\d\d$/))),
      idCursor: v.optional(isoDateTime),
    }),
  ),
  async (c) => {
    const device = c.get('device')
    const query = c.req.valid('query')
    const sync = await gateSync(c.get('db'), device, c.env.TICKET_SIGNING_KEYS, query.cursor, {
      env: c.env,
      since: { epoch: query.idEpoch, cursor: query.idCursor },
    })
    return c.json({ device: deviceView(device), ...sync })
  },
)

deviceRoutes.post(
  '/scans',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary:
      'Upload scans from the local log (idempotent per nonce); records redemptions (核销) and conflicts',
    description:
      'Body `{scans: [{nonce, scan, decision, reason?, scannedAt}]}`; the same nonce twice is recorded once. The server ' +
      'reads the ticket id from the signed token, not from the device. The first admission of a ticket becomes its ' +
      'redemption (with a `ticket.redeemed` outbox event in the same batch); an admission of an already redeemed ticket ' +
      '(two gates offline, or twice) is recorded as a `second_admission` conflict, and an offline admission of a ticket ' +
      'revoked by the time the scan is uploaded as `revoked_admitted`. An admission outside the device’s scope is recorded ' +
      `as a \`wrong_gate\` refusal. An admission by ID number (身份证核验) is uploaded as \`id:<ticketId>\` (never the ` +
      `number) and counts only for a real-name ticket. At most ${GATE_RULES.maxScansPerUpload} scans per upload.`,
    responses: {
      200: {
        description: 'Outcome per nonce: `recorded` (with `redemption`) or `duplicate`',
        content: json(scanUploadSchema),
      },
    },
  }),
  validate(
    'json',
    v.object({
      scans: v.pipe(
        v.array(
          v.object({
            nonce,
            scan: scanText,
            decision: v.picklist(['admit', 'refuse']),
            reason: v.optional(v.picklist(refusalReasons)),
            scannedAt: isoDateTime,
          }),
        ),
        v.minLength(1),
        v.maxLength(GATE_RULES.maxScansPerUpload),
      ),
    }),
  ),
  async (c) => {
    const outcomes = await recordScans(
      c.get('db'),
      c.get('device'),
      c.env.TICKET_SIGNING_KEYS,
      c.req.valid('json').scans,
    )
    return c.json({ items: outcomes })
  },
)

deviceRoutes.post(
  '/check',
  describeRoute({
    tags: [tag],
    security: deviceAuth,
    summary:
      'Online mode: the server decides and, on admit, redeems the ticket atomically (once across all gates)',
    description:
      'Same decision as the offline gate, made on the server’s current revocations and redemptions. On admit the ' +
      'redemption is inserted in one batch, conditional on the unique ticket id, so of gates racing with one ticket ' +
      'exactly one is admitted and the others get `already_used` with where and when. Retrying with the same nonce ' +
      'answers the first decision again. `scan` may be `id:<ticketId>` for a real-name visit ticket found by ID number ' +
      '(no rotating code then).',
    responses: {
      200: {
        description: '`{admit: true, ticket, entry}` or `{admit: false, reason, previous?}`',
        content: json(onlineCheckSchema),
      },
    },
  }),
  validate(
    'json',
    v.object({ scan: scanText, code: v.optional(v.pipe(v.string(), v.regex(/^\d{6}$/))), nonce }),
  ),
  async (c) => {
    const body = c.req.valid('json')
    return c.json(await checkOnline(c.get('db'), c.get('device'), c.env.TICKET_SIGNING_KEYS, body))
  },
)

gateRoutes.route('/', deviceRoutes)

function deviceView(device: GateEnv['Variables']['device']) {
  return {
    id: device.id,
    organizerId: device.organizerId,
    gateName: device.gateName,
    direction: device.direction,
    scopeKind: device.scopeKind,
    scopeId: device.scopeId,
    fromDate: device.fromDate,
    toDate: device.toDate,
  }
}
