import { createExecutionContext } from 'cloudflare:test'
import { env, exports } from 'cloudflare:workers'
import { openDatabase } from '../../worker/db/client.ts'
import { memberships, organizers, type StaffRole, staffUsers } from '../../worker/db/schema.ts'
import { newId } from '../../worker/ids.ts'
import { app } from '../../worker/routes/index.ts'
import { hashPassword } from '../../worker/services/password.ts'
import { checkDeclaredAnswer } from './contracts.ts'

export const TEST_PASSWORD = 'correct-horse-battery'
/** Where tests reach the worker, as a browser on the site would. */
export const ORIGIN = 'https://tickets.test'
let passwordHash: Promise<string> | undefined

/**
 * A caller of the real worker (through its default export) that keeps a session cookie. With `bindings` its
 * requests go to the same app with some bindings replaced, e.g. `{ ENVIRONMENT: 'development' }`.
 */
export class ApiClient {
  cookie: string | undefined
  /** Cookies a page sets beside the session one and sends back with it (the waiting room's `queue_shard_…`). */
  readonly sideCookies = new Map<string, string>()
  readonly bindings: Record<string, unknown> | undefined
  constructor(cookie?: string, bindings?: Record<string, unknown>) {
    this.cookie = cookie
    this.bindings = bindings
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers)
    const sent = [this.cookie, ...[...this.sideCookies].map(([name, value]) => `${name}=${value}`)]
    if (this.cookie || this.sideCookies.size > 0) headers.set('cookie', sent.filter(Boolean).join('; '))
    // Like a browser on the site itself: state-changing requests carry their Origin (the CSRF check wants it).
    if (!/^(GET|HEAD|OPTIONS)$/i.test(init.method ?? 'GET') && !headers.has('origin'))
      headers.set('origin', ORIGIN)
    const request = new Request(`${ORIGIN}${path}`, { ...init, headers })
    const res = this.bindings
      ? await app.fetch(request, { ...env, ...this.bindings }, createExecutionContext())
      : await exports.default.fetch(request)
    await checkDeclaredAnswer(request.method, request.url, res)
    const set = res.headers.getSetCookie().map((one) => one.split(';')[0]!)
    for (const side of set.filter((one) => one.startsWith('queue_shard_'))) {
      const at = side.indexOf('=')
      this.sideCookies.set(side.slice(0, at), side.slice(at + 1))
    }
    const session = set.find((one) => !one.startsWith('queue_shard_'))
    if (session) this.cookie = session
    return res
  }

  json(path: string, method: string, body: unknown): Promise<Response> {
    return this.fetch(path, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  get = (path: string) => this.fetch(path)
  post = (path: string, body: unknown) => this.json(path, 'POST', body)
  patch = (path: string, body: unknown) => this.json(path, 'PATCH', body)
  put = (path: string, body: unknown) => this.json(path, 'PUT', body)
  delete = (path: string) => this.fetch(path, { method: 'DELETE' })
}

export async function createStaffUser(opts: { email?: string; platformAdmin?: boolean } = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD)
  const id = newId('usr')
  const email = opts.email ?? `${id.toLowerCase()}@staff.test`
  await openDatabase(env.DB)
    .insert(staffUsers)
    .values({
      id,
      email,
      name: `Staff ${id.slice(-4)}`,
      passwordHash: await passwordHash,
      platformAdmin: opts.platformAdmin ?? false,
    })
  return { id, email }
}

export async function signIn(email: string, password = TEST_PASSWORD): Promise<ApiClient> {
  const client = new ApiClient()
  const res = await client.post('/api/auth/login', { email, password })
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`)
  return client
}

export interface OrganizerFixture {
  organizerId: string
  base: string
  owner: ApiClient
  manager: ApiClient
  gate: ApiClient
}

/** A fresh organizer with one signed-in owner, manager and gate staff member. */
export async function organizerWithStaff(): Promise<OrganizerFixture> {
  const db = openDatabase(env.DB)
  const organizerId = newId('org')
  await db.insert(organizers).values({
    id: organizerId,
    name: `Org ${organizerId.slice(-6)}`,
    slug: organizerId.toLowerCase().replace('_', '-'),
  })
  const clients = {} as Record<StaffRole, ApiClient>
  for (const role of ['owner', 'manager', 'gate'] as const) {
    const user = await createStaffUser()
    await db.insert(memberships).values({ userId: user.id, organizerId, role })
    clients[role] = await signIn(user.email)
  }
  return { organizerId, base: `/api/admin/organizers/${organizerId}`, ...clients }
}

export async function problemOf(res: Response) {
  expectProblem(res)
  return res.json<
    {
      code: string
      status: number
      detail: string
      errors?: { path: string; message: string; row?: number }[]
    } & Record<string, unknown>
  >()
}

function expectProblem(res: Response) {
  const type = res.headers.get('content-type') ?? ''
  if (!type.includes('application/problem+json'))
    throw new Error(`expected problem+json, got ${res.status} ${type}`)
}
