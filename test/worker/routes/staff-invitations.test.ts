import { env } from 'cloudflare:workers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ApiClient,
  createStaffUser,
  organizerWithStaff,
  problemOf,
  signIn,
  TEST_PASSWORD,
} from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'

/**
 * An organizer whose owner's requests run as in development, where the dev mailbox keeps invitation links; in
 * any other environment the stored message has no link (see the last test).
 */
async function organizer() {
  const org = await organizerWithStaff()
  return { ...org, owner: new ApiClient(org.owner.cookie, { ENVIRONMENT: 'development' }) }
}

const freshEmail = (tag = 'hire') => `${tag}.${crypto.randomUUID().slice(0, 8)}@staff.test`

/** The token from the newest invitation link sent to `email` (what the invitee reads in their inbox). */
async function tokenSentTo(email: string): Promise<string> {
  const row = await env.DB.prepare(
    'SELECT body FROM outgoing_messages WHERE "to" = ? ORDER BY created_at DESC, id DESC LIMIT 1',
  )
    .bind(email)
    .first<{ body: string }>()
  const token = row?.body.match(/\/admin\/invitation#token=([\w-]{43})/)?.[1]
  if (!token) throw new Error(`no invitation link sent to ${email}`)
  return token
}

const accept = (client: ApiClient, body: Record<string, unknown>) =>
  client.post('/api/auth/invitations/accept', body)
const membersOf = async (org: { owner: ApiClient; base: string }) =>
  (await ok(org.owner.get(`${org.base}/staff`))).items as { userId: string; email: string; role: string }[]

afterEach(() => vi.useRealTimers())

describe('staff invitations', () => {
  it('security: an owner of another organizer cannot pre-register an email and then use it as our manager (attack 6)', async () => {
    const victim = await organizer()
    const attacker = await organizer()
    const email = freshEmail('newhire')
    const chosenByAttacker = 'attacker-chosen-password'
    // The attacker tries to create the account with a password of their choosing, by every staff route.
    await attacker.owner.post(`${attacker.base}/staff`, {
      email,
      name: 'New hire',
      role: 'gate',
      password: chosenByAttacker,
    })
    await attacker.owner.post(`${attacker.base}/staff/invitations`, {
      email,
      role: 'gate',
      password: chosenByAttacker,
    })
    // Later the victim's owner adds the same email as manager.
    await victim.owner.post(`${victim.base}/staff`, { email, name: 'New hire', role: 'manager' })
    await victim.owner.post(`${victim.base}/staff/invitations`, { email, role: 'manager' })

    // The attacker cannot sign in as that email, and so cannot reach the victim's orders.
    const signInAttempt = await new ApiClient().post('/api/auth/login', { email, password: chosenByAttacker })
    expect(signInAttempt.status).toBe(401)
    expect((await attacker.owner.get(`${victim.base}/orders`)).status).toBe(403)
    expect((await membersOf(victim)).map((m) => m.email)).not.toContain(email)
    // Nor can the attacker's own invitation to that email be accepted by anyone but its inbox's owner: the
    // attacker never sees a token, and guessing one fails.
    const guessed = await accept(attacker.owner, {
      token: 'A'.repeat(43),
      name: 'New hire',
      password: chosenByAttacker,
    })
    expect((await problemOf(guessed)).code).toBe('invitation_invalid')

    // The real new hire, from their inbox, sets their own password and joins the victim as manager only.
    const newHire = new ApiClient()
    const joined = await ok(
      accept(newHire, { token: await tokenSentTo(email), name: 'New hire', password: 'my-own-password-1' }),
    )
    expect(joined).toMatchObject({ organizerId: victim.organizerId, role: 'manager', accountCreated: true })
    const me = await ok(newHire.get('/api/auth/me'))
    expect(me.organizers).toEqual([expect.objectContaining({ id: victim.organizerId, role: 'manager' })])
    expect(
      (await new ApiClient().post('/api/auth/login', { email, password: chosenByAttacker })).status,
    ).toBe(401)
  })

  it('answers an invitation the same whether or not the email has an account', async () => {
    const org = await organizer()
    const existing = await createStaffUser()
    const invite = async (email: string) => {
      const res = await org.owner.post(`${org.base}/staff/invitations`, { email, role: 'gate' })
      expect(res.status).toBe(201)
      const { id, createdAt, expiresAt, email: echoed, ...rest } = await res.json<Record<string, string>>()
      expect(id).toMatch(/^inv_/)
      expect(echoed).toBe(email)
      expect(Date.parse(expiresAt!) - Date.parse(createdAt!)).toBe(7 * 86_400_000)
      const message = await env.DB.prepare('SELECT subject, body FROM outgoing_messages WHERE "to" = ?')
        .bind(email)
        .first<{ subject: string; body: string }>()
      return { rest, subject: message!.subject, body: message!.body.replace(/#token=[\w-]+/g, '#token=…') }
    }
    const known = await invite(existing.email)
    const unknown = await invite(freshEmail())
    expect(known).toEqual(unknown)
    expect(known.rest).toEqual({ role: 'gate', invitedBy: (await ok(org.owner.get('/api/auth/me'))).id })
  })

  it('security: an existing account joins only by accepting, signed in as itself', async () => {
    const org = await organizer()
    const other = await organizer()
    const invitee = await createStaffUser()
    await ok(org.owner.post(`${org.base}/staff/invitations`, { email: invitee.email, role: 'manager' }), 201)
    // Invited is not joined.
    expect((await membersOf(org)).map((m) => m.userId)).not.toContain(invitee.id)
    const token = await tokenSentTo(invitee.email)
    // Holding the link is not enough: signed out, or signed in as someone else, it is refused…
    const anonymous = await accept(new ApiClient(), { token, name: 'X', password: 'takeover-password' })
    expect(anonymous.status).toBe(401)
    expect((await problemOf(anonymous)).code).toBe('unauthorized')
    const wrongAccount = await accept(other.owner, { token })
    expect(wrongAccount.status).toBe(403)
    expect((await problemOf(wrongAccount)).code).toBe('forbidden')
    // …and setting a password through it never replaces the account's own.
    await signIn(invitee.email, TEST_PASSWORD)
    expect((await membersOf(org)).map((m) => m.userId)).not.toContain(invitee.id)
    // The invitee, signed in, sees what they are accepting and accepts.
    const client = await signIn(invitee.email)
    const preview = await ok(client.post('/api/auth/invitations/lookup', { token }))
    expect(preview).toMatchObject({
      email: invitee.email,
      role: 'manager',
      accountExists: true,
      signedInAsInvitee: true,
    })
    expect(await ok(accept(client, { token }))).toMatchObject({
      userId: invitee.id,
      organizerId: org.organizerId,
      role: 'manager',
      accountCreated: false,
    })
    expect(await membersOf(org)).toContainEqual(
      expect.objectContaining({ userId: invitee.id, role: 'manager' }),
    )
    // A link works once.
    expect((await problemOf(await accept(client, { token }))).code).toBe('invitation_invalid')
  })

  it('security: two concurrent accepts of one link create one account and one membership', async () => {
    const org = await organizer()
    const email = freshEmail()
    await ok(org.owner.post(`${org.base}/staff/invitations`, { email, role: 'gate' }), 201)
    const token = await tokenSentTo(email)
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        accept(new ApiClient(), { token, name: `N${i}`, password: `password-${i}-long` }),
      ),
    )
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400, 400, 400, 400])
    const accounts = await env.DB.prepare('SELECT id FROM staff_users WHERE email = ?').bind(email).all()
    expect(accounts.results).toHaveLength(1)
    expect((await membersOf(org)).filter((m) => m.email === email)).toHaveLength(1)
  })

  it('lists pending invitations; a revoked, re-sent or expired link stops working', async () => {
    const org = await organizer()
    const path = `${org.base}/staff/invitations`
    const [first, second] = [freshEmail(), freshEmail()]
    const a = await ok(org.owner.post(path, { email: first.toUpperCase(), role: 'gate' }), 201)
    const firstToken = await tokenSentTo(first)
    const b = await ok(org.owner.post(path, { email: second, role: 'manager' }), 201)
    const secondToken = await tokenSentTo(second)
    expect((await ok(org.owner.get(path))).items.map((i: { id: string }) => i.id)).toEqual([b.id, a.id])
    // Revoked: gone from the list, link refused.
    expect((await org.owner.delete(`${path}/${a.id}`)).status).toBe(204)
    expect((await org.owner.delete(`${path}/${a.id}`)).status).toBe(404)
    expect((await ok(org.owner.get(path))).items.map((i: { id: string }) => i.id)).toEqual([b.id])
    const revoked = await accept(new ApiClient(), {
      token: firstToken,
      name: 'F',
      password: 'first-password',
    })
    expect((await problemOf(revoked)).code).toBe('invitation_invalid')
    // Re-sent: only the newest link works.
    const again = await ok(org.owner.post(path, { email: second, role: 'gate' }), 201)
    expect((await ok(org.owner.get(path))).items.map((i: { id: string }) => i.id)).toEqual([again.id])
    const resent = await accept(new ApiClient(), {
      token: secondToken,
      name: 'S',
      password: 'second-password',
    })
    expect((await problemOf(resent)).code).toBe('invitation_invalid')
    // Expired after 7 days.
    const newestToken = await tokenSentTo(second)
    const owner = await ok(org.owner.get('/api/auth/me'))
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + 7 * 86_400_000 + 60_000)
    const expired = await accept(new ApiClient(), {
      token: newestToken,
      name: 'S',
      password: 'second-password',
    })
    expect((await problemOf(expired)).code).toBe('invitation_invalid')
    expect((await ok((await signIn(owner.email)).get(path))).items).toEqual([])
  })

  it('asks a new account for a name and a 10-character password, and refuses members already in', async () => {
    const org = await organizer()
    const email = freshEmail()
    await ok(org.owner.post(`${org.base}/staff/invitations`, { email, role: 'gate' }), 201)
    const token = await tokenSentTo(email)
    expect(await ok(new ApiClient().post('/api/auth/invitations/lookup', { token }))).toMatchObject({
      email,
      role: 'gate',
      accountExists: false,
      signedInAsInvitee: false,
    })
    const missing = await problemOf(await accept(new ApiClient(), { token }))
    expect(missing.errors?.map((e) => e.path).sort()).toEqual(['json.name', 'json.password'])
    const short = await problemOf(await accept(new ApiClient(), { token, name: 'N', password: 'short' }))
    expect(short.errors?.map((e) => e.path)).toEqual(['json.password'])
    // Still pending after the refusals.
    await ok(accept(new ApiClient(), { token, name: 'N', password: 'long-enough-pw' }))
    const me = await ok(org.manager.get('/api/auth/me'))
    const duplicate = await org.owner.post(`${org.base}/staff/invitations`, { email: me.email, role: 'gate' })
    expect(duplicate.status).toBe(409)
    expect((await problemOf(duplicate)).code).toBe('conflict')
    const bad = await org.owner.post(`${org.base}/staff/invitations`, { email: 'nope', role: 'boss' })
    expect((await problemOf(bad)).errors?.map((e) => e.path).sort()).toEqual(['json.email', 'json.role'])
  })
})

describe('a new organizer’s first owner', () => {
  it('is invited by the platform admin who creates the organizer, and chooses their own password', async () => {
    const signedIn = await signIn((await createStaffUser({ platformAdmin: true })).email)
    // As in development, so the dev mailbox keeps the link to read.
    const admin = new ApiClient(signedIn.cookie, { ENVIRONMENT: 'development' })
    const email = freshEmail('owner')
    const slug = `org-${crypto.randomUUID().slice(0, 8)}`
    const created = await ok(
      admin.post('/api/admin/organizers', { name: 'New Org', slug, ownerEmail: email.toUpperCase() }),
      201,
    )
    expect(created).toMatchObject({ slug, ownerInvitation: { email, role: 'owner' } })
    const owner = new ApiClient()
    await ok(
      accept(owner, { token: await tokenSentTo(email), name: 'First Owner', password: 'first-owner-pw' }),
    )
    expect((await ok(owner.get(`/api/admin/organizers/${created.id}/staff`))).items).toEqual([
      expect.objectContaining({ email, role: 'owner' }),
    ])
    // Without an owner email the organizer is created alone; only platform admins create organizers.
    const bare = await ok(admin.post('/api/admin/organizers', { name: 'Bare', slug: `${slug}-b` }), 201)
    expect(bare.ownerInvitation).toBeUndefined()
    const refused = await owner.post('/api/admin/organizers', {
      name: 'Mine',
      slug: `${slug}-c`,
      ownerEmail: email,
    })
    expect((await problemOf(refused)).code).toBe('forbidden')
  })
})

describe('organizer staff management', () => {
  it('lets owners list members and change roles', async () => {
    const org = await organizer()
    const path = `${org.base}/staff`
    const manager = await ok(org.manager.get('/api/auth/me'))
    expect(await membersOf(org)).toHaveLength(3)
    const promoted = await ok(org.owner.patch(`${path}/${manager.id}`, { role: 'owner' }))
    expect(promoted).toMatchObject({ userId: manager.id, role: 'owner' })
    expect((await org.manager.get(path)).status).toBe(200)
    expect((await org.owner.patch(`${path}/usr_nobody`, { role: 'gate' })).status).toBe(404)
    expect((await org.owner.delete(`${path}/usr_nobody`)).status).toBe(404)
  })

  it('never removes or demotes the last owner (409), but does once another owner exists', async () => {
    const org = await organizer()
    const path = `${org.base}/staff`
    const owner = await ok(org.owner.get('/api/auth/me'))
    const manager = await ok(org.manager.get('/api/auth/me'))
    const demote = await org.owner.patch(`${path}/${owner.id}`, { role: 'manager' })
    expect(demote.status).toBe(409)
    expect((await problemOf(demote)).code).toBe('conflict')
    const remove = await org.owner.delete(`${path}/${owner.id}`)
    expect(remove.status).toBe(409)
    await ok(org.owner.patch(`${path}/${manager.id}`, { role: 'owner' }))
    expect((await ok(org.owner.patch(`${path}/${owner.id}`, { role: 'gate' }))).role).toBe('gate')
    expect((await org.manager.delete(`${path}/${manager.id}`)).status).toBe(409)
  })

  it('answers 403 to managers, gate staff and other organizers’ owners', async () => {
    const org = await organizer()
    const other = await organizer()
    const path = `${org.base}/staff`
    const owner = await ok(org.owner.get('/api/auth/me'))
    const gate = await ok(org.gate.get('/api/auth/me'))
    await ok(org.owner.post(`${path}/invitations`, { email: freshEmail(), role: 'gate' }), 201)
    const [pending] = (await ok(org.owner.get(`${path}/invitations`))).items
    for (const client of [org.manager, org.gate, other.owner]) {
      for (const res of [
        await client.get(path),
        await client.get(`${path}/invitations`),
        await client.post(`${path}/invitations`, { email: freshEmail(), role: 'owner' }),
        await client.delete(`${path}/invitations/${pending.id}`),
        await client.patch(`${path}/${gate.id}`, { role: 'owner' }),
        await client.delete(`${path}/${owner.id}`),
      ]) {
        expect(res.status).toBe(403)
        expect((await problemOf(res)).code).toBe('forbidden')
      }
    }
    expect(await membersOf(org)).toHaveLength(3)
    expect((await ok(org.owner.get(`${path}/invitations`))).items).toHaveLength(1)
  })
})

describe('changing one’s own password', () => {
  it('needs the current password, ends other sessions and keeps this one', async () => {
    const org = await organizer()
    const me = await ok(org.manager.get('/api/auth/me'))
    const otherDevice = await signIn(me.email)
    const wrong = await org.manager.post('/api/auth/password', {
      currentPassword: 'not-it',
      newPassword: 'a-new-long-password',
    })
    expect(wrong.status).toBe(400)
    expect((await problemOf(wrong)).errors).toEqual([
      { path: 'json.currentPassword', message: 'is not your current password' },
    ])
    const short = await org.manager.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'short',
    })
    expect((await problemOf(short)).errors?.map((e) => e.path)).toEqual(['json.newPassword'])
    expect((await otherDevice.get('/api/auth/me')).status).toBe(200)

    const changed = await org.manager.post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-new-long-password',
    })
    expect(changed.status).toBe(204)
    expect((await org.manager.get('/api/auth/me')).status).toBe(200)
    expect((await org.manager.get(`${org.base}/events`)).status).toBe(200)
    expect((await otherDevice.get('/api/auth/me')).status).toBe(401)
    expect(
      (await new ApiClient().post('/api/auth/login', { email: me.email, password: TEST_PASSWORD })).status,
    ).toBe(401)
    await signIn(me.email, 'a-new-long-password')
  })

  it('needs a signed-in session', async () => {
    const res = await new ApiClient().post('/api/auth/password', {
      currentPassword: TEST_PASSWORD,
      newPassword: 'a-new-long-password',
    })
    expect(res.status).toBe(401)
  })
})

describe('security: invitation links are credentials', () => {
  it('security: outside development the stored copy of an invitation keeps no link, and no log line has one', async () => {
    const org = await organizerWithStaff()
    const email = freshEmail('quiet')
    const logged: string[] = []
    const spy = vi.spyOn(console, 'log').mockImplementation((line: unknown) => void logged.push(String(line)))
    try {
      await ok(org.owner.post(`${org.base}/staff/invitations`, { email, role: 'gate' }), 201)
    } finally {
      spy.mockRestore()
    }
    const stored = await env.DB.prepare('SELECT subject, body FROM outgoing_messages WHERE "to" = ?')
      .bind(email)
      .first<{ subject: string; body: string }>()
    expect(stored).toMatchObject({ body: '' })
    expect(`${stored!.subject}${stored!.body}${logged.join('\n')}`).not.toMatch(/#token=/)
    await expect(tokenSentTo(email)).rejects.toThrow(/no invitation link/)
  })
})
