import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { describeRoute, resolver } from 'hono-openapi'
import * as v from 'valibot'
import { customerCodes, customers } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { newId } from '../ids.ts'
import { requireCustomer } from '../middleware/customer-auth.ts'
import { Problem } from '../problem.ts'
import {
  CUSTOMER_COOKIE,
  CUSTOMER_SESSION_TTL_SECONDS,
  signCustomerSession,
} from '../services/customer-session.ts'
import { sendMessage } from '../services/messages.ts'
import { timingSafeEqual } from '../services/password.ts'
import { validate } from '../validation.ts'

const tag = 'Customer sign-in'
export const CODE_TTL_MINUTES = 10
export const MAX_CODES_PER_HOUR = 5
export const MAX_CODE_ATTEMPTS = 5

/** An email (lower-cased) or a phone number (digits, optional leading +). */
const contactSchema = v.pipe(
  v.string(),
  v.trim(),
  v.transform((s) => (s.includes('@') ? s.toLowerCase() : s.replace(/[\s-]/g, ''))),
  v.check(
    (s) => /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s) || /^\+?[0-9]{6,15}$/.test(s),
    'must be an email address or a phone number',
  ),
)

async function hashCode(secret: string, contact: string, code: string) {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  )
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${contact}\n${code}`))
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

const customerSchema = v.object({
  id: v.string(),
  contact: v.string(),
  contactKind: v.picklist(['email', 'phone']),
  name: v.nullable(v.string()),
})

export const customerAuthRoutes = new Hono<AppEnv>()

customerAuthRoutes.post(
  '/code',
  describeRoute({
    tags: [tag],
    summary: 'Send a one-time sign-in code to an email or phone',
    description: `The code is valid ${CODE_TTL_MINUTES} minutes. The answer is the same whether or not the contact has an account. At most ${MAX_CODES_PER_HOUR} codes per contact per hour. Locally, codes land in the dev mailbox (\`/api/dev/mailbox\`) and the log.`,
    responses: {
      202: { description: 'Code sent' },
      429: { description: 'Too many codes (code `rate_limited`)' },
    },
  }),
  validate('json', v.object({ contact: contactSchema })),
  async (c) => {
    const { contact } = c.req.valid('json')
    const db = c.get('db')
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString()
    const [recent] = await db
      .select({ n: sql<number>`count(*)`, oldest: sql<string>`min(${customerCodes.createdAt})` })
      .from(customerCodes)
      .where(and(eq(customerCodes.contact, contact), gt(customerCodes.createdAt, hourAgo)))
    if ((recent?.n ?? 0) >= MAX_CODES_PER_HOUR) {
      const retry = Math.max(1, Math.ceil((Date.parse(recent!.oldest) + 3_600_000 - Date.now()) / 1000))
      throw new Problem({
        code: 'rate_limited',
        detail: 'Too many codes for this contact; try again later',
        headers: { 'retry-after': String(retry) },
      })
    }
    const code = String(crypto.getRandomValues(new Uint32Array(1))[0]! % 1_000_000).padStart(6, '0')
    await db.insert(customerCodes).values({
      id: newId('otp'),
      contact,
      codeHash: await hashCode(c.env.SESSION_SECRET, contact, code),
      expiresAt: new Date(Date.now() + CODE_TTL_MINUTES * 60_000).toISOString(),
      createdAt: new Date().toISOString(),
    })
    await sendMessage(db, c.get('logger'), {
      to: contact,
      subject: `Your sign-in code: ${code}`,
      body: `Your Edge Ticketing sign-in code is ${code}. It expires in ${CODE_TTL_MINUTES} minutes. 验证码 ${code}。`,
    })
    return c.json({ sent: true, expiresInMinutes: CODE_TTL_MINUTES }, 202)
  },
)

customerAuthRoutes.post(
  '/verify',
  describeRoute({
    tags: [tag],
    summary: 'Sign in with the code (creates the account on first sign-in)',
    responses: {
      200: {
        description: 'Signed in; sets the customer session cookie',
        content: { 'application/json': { schema: resolver(customerSchema) } },
      },
      401: { description: 'Wrong, used or expired code (code `unauthorized`)' },
    },
  }),
  validate(
    'json',
    v.object({ contact: contactSchema, code: v.pipe(v.string(), v.regex(/^\d{6}$/, 'six digits')) }),
  ),
  async (c) => {
    const { contact, code } = c.req.valid('json')
    const db = c.get('db')
    const now = new Date().toISOString()
    const [latest] = await db
      .select()
      .from(customerCodes)
      .where(and(eq(customerCodes.contact, contact), isNull(customerCodes.consumedAt)))
      .orderBy(desc(customerCodes.createdAt))
      .limit(1)
    const wrong = new Problem({
      code: 'unauthorized',
      detail: 'That code is wrong, used or expired; ask for a new one',
    })
    if (!latest || latest.expiresAt <= now || latest.attempts >= MAX_CODE_ATTEMPTS) throw wrong
    const expected = new TextEncoder().encode(latest.codeHash)
    const given = new TextEncoder().encode(await hashCode(c.env.SESSION_SECRET, contact, code))
    if (!timingSafeEqual(expected, given)) {
      await db
        .update(customerCodes)
        .set({ attempts: sql`${customerCodes.attempts} + 1` })
        .where(eq(customerCodes.id, latest.id))
      throw wrong
    }
    // Consume the code exactly once, even if two verifications race.
    const consumed = await db
      .update(customerCodes)
      .set({ consumedAt: now })
      .where(and(eq(customerCodes.id, latest.id), isNull(customerCodes.consumedAt)))
      .returning()
    if (consumed.length === 0) throw wrong
    await db
      .insert(customers)
      .values({ id: newId('cus'), contact, contactKind: contact.includes('@') ? 'email' : 'phone' })
      .onConflictDoNothing()
    const [customer] = await db.select().from(customers).where(eq(customers.contact, contact))
    const token = await signCustomerSession(
      { customerId: customer!.id, sessionVersion: customer!.sessionVersion },
      c.env.SESSION_SECRET,
    )
    setCookie(c, CUSTOMER_COOKIE, token, {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: CUSTOMER_SESSION_TTL_SECONDS,
    })
    return c.json({
      id: customer!.id,
      contact: customer!.contact,
      contactKind: customer!.contactKind,
      name: customer!.name,
    })
  },
)

customerAuthRoutes.post(
  '/logout',
  describeRoute({ tags: [tag], summary: 'Sign out', responses: { 204: { description: 'Signed out' } } }),
  async (c) => {
    deleteCookie(c, CUSTOMER_COOKIE, { path: '/', secure: true })
    return c.body(null, 204)
  },
)

customerAuthRoutes.get(
  '/me',
  describeRoute({
    tags: [tag],
    summary: 'The signed-in customer',
    responses: {
      200: { description: 'Customer', content: { 'application/json': { schema: resolver(customerSchema) } } },
      401: { description: 'Not signed in' },
    },
  }),
  requireCustomer,
  (c) => c.json(c.get('customer')!),
)

customerAuthRoutes.patch(
  '/me',
  describeRoute({ tags: [tag], summary: 'Set your name', responses: { 200: { description: 'Customer' } } }),
  requireCustomer,
  validate('json', v.object({ name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)) })),
  async (c) => {
    const { name } = c.req.valid('json')
    const customer = c.get('customer')!
    await c.get('db').update(customers).set({ name }).where(eq(customers.id, customer.id))
    return c.json({ ...customer, name })
  },
)
