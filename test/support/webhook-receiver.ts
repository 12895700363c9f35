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
 * `install()` routes the worker's outgoing requests to `https://hooks.test/…` (or another host) here (the worker
 * runs in the test's isolate, so the real queue consumer's `fetch` is the one replaced); everything else passes.
 */
export class WebhookReceiver {
  received: ReceivedWebhook[] = []
  /** Status (or a function of the request) per URL path; 200 by default. */
  answer: (received: ReceivedWebhook) => Response | Promise<Response> = () => new Response('ok')

  handle = async (request: Request): Promise<Response> => {
    const received = {
      url: request.url,
      headers: headersOf(request.headers),
      body: new TextDecoder().decode(await request.arrayBuffer()),
    }
    this.received.push(received)
    return this.answer(received)
  }

  to(path: string) {
    return this.received.filter((r) => new URL(r.url).pathname === path)
  }

  /** Receives what goes to `host` (`hooks.test` unless a test needs a name of its own). */
  install(host = 'hooks.test') {
    const original = globalThis.fetch
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      // Only the URL is read, so a request passed on keeps its body.
      const url = input instanceof Request ? input.url : String(input)
      if (new URL(url).hostname === host) return this.handle(new Request(input, init))
      return original(input, init)
    })
    return this
  }
}
