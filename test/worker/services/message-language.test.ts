import { env } from 'cloudflare:workers'
import { describe, expect, it } from 'vitest'
import { app } from '../../../worker/routes/index.ts'
import { ApiClient, organizerWithStaff } from '../../support/api.ts'
import { ok } from '../../support/catalogue.ts'
import { expectReadable, inbox, messagesTo, text } from '../../support/messages.ts'

// Messages that are not about an order, in the language of the page that asked for them: sign-in codes (the
// shop's), staff invitations (the console's), and the dev mailbox page that shows them locally.

describe('sign-in codes in the shop’s language', () => {
  const dev = () => new ApiClient(undefined, { ENVIRONMENT: 'development' })

  it('writes the code in Chinese for a Chinese page and in English for an English one', async () => {
    const zh = inbox('zh')
    const en = inbox('en')
    await ok(dev().post('/api/customer/auth/code', { contact: zh, locale: 'zh-CN' }), 202)
    await ok(dev().post('/api/customer/auth/code', { contact: en, locale: 'en' }), 202)
    const [zhCode] = await messagesTo(zh)
    const [enCode] = await messagesTo(en)
    expect(zhCode!.subject).toMatch(/^登录验证码：\d{6}$/)
    expect(zhCode!.body).toMatch(/^您的验证码是 \d{6}，10 分钟内有效。/)
    expectReadable(zhCode!, [], 'zh-CN')
    expect(enCode!.subject).toMatch(/^Your sign-in code: \d{6}$/)
    expect(enCode!.body).toMatch(/^Your sign-in code is \d{6}\. It expires in 10 minutes\./)
    expect(enCode!.body).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('without a page language goes by the lang cookie, then Accept-Language, and defaults to Chinese', async () => {
    const byCookie = inbox('cookie')
    const byAccept = inbox('accept')
    const byDefault = inbox('default')
    const client = dev()
    await client.fetch('/api/customer/auth/code', {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'lang=en' },
      body: JSON.stringify({ contact: byCookie }),
    })
    await client.fetch('/api/customer/auth/code', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'fr-FR, en-GB;q=0.8, zh;q=0.5' },
      body: JSON.stringify({ contact: byAccept }),
    })
    await ok(dev().post('/api/customer/auth/code', { contact: byDefault }), 202)
    expect((await messagesTo(byCookie))[0]!.subject).toMatch(/^Your sign-in code/)
    expect((await messagesTo(byAccept))[0]!.subject).toMatch(/^Your sign-in code/)
    expect((await messagesTo(byDefault))[0]!.subject).toMatch(/^登录验证码/)
  })

  it('remembers the language on the customer: set at sign-up, updated by the next code request', async () => {
    const contact = inbox('remember')
    const client = dev()
    await ok(client.post('/api/customer/auth/code', { contact, locale: 'en' }), 202)
    const code = (await messagesTo(contact))[0]!.subject.slice(-6)
    await ok(client.post('/api/customer/auth/verify', { contact, code, locale: 'en' }))
    const locale = () =>
      env.DB.prepare('SELECT locale FROM customers WHERE contact = ?').bind(contact).first<string>('locale')
    expect(await locale()).toBe('en')
    await ok(client.post('/api/customer/auth/code', { contact, locale: 'zh-CN' }), 202)
    expect(await locale()).toBe('zh-CN')
  })

  it('refuses a language the shop does not offer, as a field error', async () => {
    const res = await dev().post('/api/customer/auth/code', { contact: inbox('bad'), locale: 'fr' })
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    expect(JSON.stringify(await res.json())).toContain('locale')
  })
})

describe('staff invitations in the inviting console’s language', () => {
  it('writes the invitation in Chinese from a Chinese console and in English from an English one', async () => {
    const org = await organizerWithStaff()
    const owner = new ApiClient(org.owner.cookie, { ENVIRONMENT: 'development' })
    const zh = inbox('invite-zh')
    const en = inbox('invite-en')
    await ok(owner.post(`${org.base}/staff/invitations`, { email: zh, role: 'gate', locale: 'zh-CN' }), 201)
    await ok(owner.post(`${org.base}/staff/invitations`, { email: en, role: 'gate', locale: 'en' }), 201)
    const [zhInvite] = await messagesTo(zh)
    const [enInvite] = await messagesTo(en)
    expect(zhInvite!.subject).toMatch(/^邀请您加入 /)
    expect(zhInvite!.body).toMatch(/邀请您以检票员身份加入 .+。请在 7 天内打开下面的链接接受邀请/)
    expect(zhInvite!.body).toMatch(/\n\S+\/admin\/invitation#token=[\w-]{43}$/)
    // The role is said in words, never as its code.
    expect(zhInvite!.body).not.toMatch(/\bgate\b/)
    expect(enInvite!.subject).toMatch(/^Invitation to join /)
    expect(enInvite!.body).toMatch(/ as gate staff\. Open this link within 7 days/)
    expect(text(enInvite!)).not.toMatch(/[\u4e00-\u9fff]/)
  })
})

describe('the dev mailbox page', () => {
  const page = (query: string, headers: Record<string, string> = {}) =>
    app.request(
      `/api/dev/mailbox/page?${query}`,
      { headers },
      { ...(env as unknown as Record<string, unknown>), ENVIRONMENT: 'development' },
    )

  it('is worded in the reader’s language and shows each message as it was written', async () => {
    const contact = inbox('mailbox')
    const dev = new ApiClient(undefined, { ENVIRONMENT: 'development' })
    await ok(dev.post('/api/customer/auth/code', { contact, locale: 'zh-CN' }), 202)
    const [sent] = await messagesTo(contact)
    const zh = await (await page(`to=${encodeURIComponent(contact)}`, { cookie: 'lang=zh-CN' })).text()
    expect(zh).toContain('<html lang="zh-CN">')
    expect(zh).toContain('<h1>开发邮箱</h1>')
    expect(zh).toContain(`收件人 ${contact} · `)
    expect(zh).toContain(`<strong>${sent!.subject}</strong>`)
    const en = await (await page(`to=${encodeURIComponent(contact)}&lang=en`)).text()
    expect(en).toContain('<h1>Dev mailbox</h1>')
    expect(en).toContain(`to ${contact} · `)
    // The message keeps its own language: a Chinese buyer's code stays Chinese on an English page.
    expect(en).toContain(`<strong>${sent!.subject}</strong>`)
    const empty = await (await page('to=nobody%40buyers.test', { 'accept-language': 'zh-CN' })).text()
    expect(empty).toContain('还没有消息。')
  })
})
