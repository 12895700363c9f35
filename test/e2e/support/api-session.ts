// A Node-side API session keeping its own cookies (a buyer, or signed-in staff), for setting up what a
// browser test then looks at; `cookiesFor` hands a buyer's cookies to a browser context.
import { baseUrl } from './browser.ts'

export class ApiSession {
  private cookies = new Map<string, string>()
  async fetch(
    path: string,
    init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
  ) {
    const response = await fetch(`${baseUrl()}${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    })
    for (const cookie of response.headers.getSetCookie()) {
      const pair = cookie.split(';')[0]!
      const eq = pair.indexOf('=')
      this.cookies.set(pair.slice(0, eq), pair.slice(eq + 1))
    }
    return response
  }
  // biome-ignore lint/suspicious/noExplicitAny: test JSON
  async json(path: string, init: Parameters<ApiSession['fetch']>[1] = {}, status = 200): Promise<any> {
    const response = await this.fetch(path, init)
    const text = await response.text()
    if (response.status !== status) throw new Error(`${path}: ${response.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  /** This session's cookies for `BrowserContext.addCookies`, so a browser continues as the same buyer. */
  cookiesFor() {
    return [...this.cookies].map(([name, value]) => ({ name, value, url: baseUrl() }))
  }
}
