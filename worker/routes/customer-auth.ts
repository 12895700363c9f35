import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { deleteCookie, setCookie } from 'hono/cookie'
import { describeRoute } from 'hono-openapi'
import * as v from 'valibot'
import { customers } from '../db/schema.ts'
import type { AppEnv } from '../env.ts'
import { newId } from '../ids.ts'
import { requireCustomer } from '../middleware/customer-auth.ts'
import { Problem } from '../problem.ts'
import {
  CODE_TTL_MINUTES,
  consumeCode,
  contactKind,
  issueCode,
  isValidContact,
  MAX_CODE_ATTEMPTS,
  MAX_CODES_PER_HOUR,
  normalizeContact,
} from '../services/customer-codes.ts'
import {
  CUSTOMER_COOKIE,
  CUSTOMER_SESSION_TTL_SECONDS,
  signCustomerSession,
} from '../services/customer-session.ts'
import { catalogueMessage, sendMessage } from '../services/messages.ts'
import { validate } from '../validation.ts'
import { codeSentSchema, customerSchema } from './contracts/customer-auth.ts'
import { json } from './openapi.ts'
import { localeField, requestLocale } from './reader-locale.ts'

const tag = 'Customer sign-in'

/** An email (lower-cased) or a phone number (digits, optional leading +; spaces and dashes dropped). */
const contactSchema = v.pipe(
  v.string(),
  v.maxLength(254),
  v.transform(normalizeContact),
  v.check(isValidContact, 'must be an email address or a phone number'),
)

export const customerAuthRoutes = new Hono<AppEnv>()

customerAuthRoutes.post(
  '/code',
  describeRoute({
    tags: [tag],
    summary: 'Send a one-time sign-in code to an email or phone',
    description: `The code is valid ${CODE_TTL_MINUTES} minutes. The message is written in \`locale\` (the shop's language; else the \`lang\` cookie, Accept-Language, Chinese), which is also remembered for the customer's later messages. The answer is the same whether or not the contact has an account. At most ${MAX_CODES_PER_HOUR} codes per contact per hour. Locally, codes land in the dev mailbox (\`/api/dev/mailbox\`); they are never logged, nor stored outside development.`,
    responses: {
      202: { description: 'Code sent', content: json(codeSentSchema) },
      429: { description: 'Too many codes (code `rate_limited`)' },
    },
  }),
  validate('json', v.object({ contact: contactSchema, ...localeField })),
  async (c) => {
    const { contact } = c.req.valid('json')
    const locale = requestLocale(c, c.req.valid('json').locale)
    const db = c.get('db')
    const issued = await issueCode(db, c.env.SESSION_SECRET, contact)
    if (!issued.ok) {
      throw new Problem({
        code: 'rate_limited',
        detail: 'Too many codes for this contact; try again later',
        headers: { 'retry-after': String(issued.retryAfterSeconds) },
      })
    }
    const { code } = issued
    // A known customer's later messages (reminders, refunds) follow the language they now use the shop in.
    await db.update(customers).set({ locale }).where(eq(customers.contact, contact))
    await sendMessage(
      db,
      c.get('logger'),
      {
        to: contact,
        ...catalogueMessage(locale, 'sign_in_code', { code, minutes: CODE_TTL_MINUTES }),
        sensitive: true,
      },
      { environment: c.env.ENVIRONMENT, sealSecret: c.env.SESSION_SECRET },
    )
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
        content: json(customerSchema),
      },
      401: {
        description: `Wrong, used or expired code, or one with ${MAX_CODE_ATTEMPTS} wrong tries already (code \`unauthorized\`)`,
      },
    },
  }),
  validate(
    'json',
    v.object({
      contact: contactSchema,
      code: v.pipe(v.string(), v.regex(/^\d{6}$/, 'six digits')),
      ...localeField,
    }),
  ),
  async (c) => {
    const { contact, code } = c.req.valid('json')
    const db = c.get('db')
    if (!(await consumeCode(db, c.env.SESSION_SECRET, contact, code))) {
      throw new Problem({
        code: 'unauthorized',
        detail: 'That code is wrong, used or expired; ask for a new one',
      })
    }
    await db
      .insert(customers)
      .values({
        id: newId('cus'),
        contact,
        contactKind: contactKind(contact),
        locale: requestLocale(c, c.req.valid('json').locale),
      })
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
      200: { description: 'Customer', content: json(customerSchema) },
      401: { description: 'Not signed in' },
    },
  }),
  requireCustomer,
  (c) => c.json(c.get('customer')!),
)

customerAuthRoutes.patch(
  '/me',
  describeRoute({
    tags: [tag],
    summary: 'Set your name',
    responses: { 200: { description: 'Customer', content: json(customerSchema) } },
  }),
  requireCustomer,
  validate('json', v.object({ name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)) })),
  async (c) => {
    const { name } = c.req.valid('json')
    const customer = c.get('customer')!
    await c.get('db').update(customers).set({ name }).where(eq(customers.id, customer.id))
    return c.json({ ...customer, name })
  },
)
