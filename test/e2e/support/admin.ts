// What the admin console's browser tests share: the demo owner, a Node client of the stack's API that keeps its
// cookie, signing in through the form, and the axe check.
import type { Page } from 'playwright-core'
import { baseUrl } from './browser.ts'

export const owner = { email: 'owner@demo.local', password: 'demo-password-2026' }
export const org = '/api/admin/organizers/org_demo'

/** Talks to the stack's API from Node, keeping its cookie like a browser would. */
export class Client {
  cookie = ''
  async call<T = Record<string, any>>(
    path: string,
    init: { method?: string; body?: unknown; key?: string } = {},
  ) {
    const res = await fetch(`${baseUrl()}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        'content-type': 'application/json',
        origin: baseUrl(),
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    const set = res.headers.get('set-cookie')
    if (set) this.cookie = set.split(';')[0]!
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
}

/** The demo owner, signed in through the API. */
export async function ownerClient() {
  const client = new Client()
  await client.call('/api/auth/login', { body: owner })
  return client
}

/** Signs the demo owner in through the console's form and waits for the dashboard's figures. */
export async function signIn(page: Page) {
  await page.goto('/admin')
  await page.locator('input[type="email"]').fill(owner.email)
  await page.locator('input[type="password"]').fill(owner.password)
  await page.locator('form button[type="submit"]').click()
  await page.getByTestId('sales-totals').waitFor()
}

export { expectAccessible } from './browser.ts'
