import { vi } from 'vitest'

export function headersOf(headers: Headers): Record<string, string> {
  const result: Record<string, string> = {}
  headers.forEach((value, name) => {
    result[name] = value
  })
  return result
}

export interface ReceivedWebhook {
  url: string
  headers: Record<string, string>
  body: string
}

/**
 * A webhook receiver that lives in the test: it records what arrives and answers what the test says.
 * `install()` routes the worker's outgoing requests to `https://hooks.test/…` here (the worker runs in the
 * test's isolate, so the real queue consumer's `fetch` is the one replaced); everything else passes through.
 */
export class WebhookReceiver {
  received: ReceivedWebhook[] = []
  /** Status (or a function of the request) per URL path; 200 by default. */
  answer: (received: ReceivedWebhook) => Response | Promise<Response> = () => new Response('ok')

  handle = async (request: Request): Promise<Response> => {
    const received = {
      url: request.url,
      headers: headersOf(request.headers),
      body: await request.text(),
    }
    this.received.push(received)
    return this.answer(received)
  }

  to(path: string) {
    return this.received.filter((r) => new URL(r.url).pathname === path)
  }

  install() {
    const original = globalThis.fetch
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      const request = new Request(input, init)
      if (new URL(request.url).hostname === 'hooks.test') return this.handle(request)
      return original(input, init)
    })
    return this
  }
}
