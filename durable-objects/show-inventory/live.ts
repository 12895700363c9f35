// Live seat status for the show's seat map, over hibernatable WebSockets: admission of viewers within caps
// per show and per client network, and every change pushed to every viewer as a delta from the change counter.
// Past a cap the answer is a JSON refusal (`viewer_limit`) with Retry-After that the route turns into
// problem+json, and the shop follows the seat map by reloading it instead.

/** Viewers per show, and per client network per show, unless the env sets LIVE_VIEWERS_PER_SHOW / _PER_CLIENT. */
export const LIVE_VIEWERS_PER_SHOW = 5_000
export const LIVE_VIEWERS_PER_CLIENT = 20
const RETRY_AFTER_SECONDS = 30

export interface LiveViewerSettings {
  LIVE_VIEWERS_PER_SHOW?: string
  LIVE_VIEWERS_PER_CLIENT?: string
}

const positive = (setting: string | undefined, fallback: number) => {
  const n = Number(setting)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

/**
 * Accepts a viewer through the hibernation API (tagged with its client network, when known) and answers the
 * viewer's end of the socket, or answers the refusal.
 */
export function admitViewer(
  ctx: DurableObjectState,
  settings: LiveViewerSettings,
  client: string | null,
): { viewer: WebSocket; server: WebSocket } | { refusal: Response } {
  const perShow = positive(settings.LIVE_VIEWERS_PER_SHOW, LIVE_VIEWERS_PER_SHOW)
  const perClient = positive(settings.LIVE_VIEWERS_PER_CLIENT, LIVE_VIEWERS_PER_CLIENT)
  const tag = client ? `net:${client.slice(0, 64)}` : null
  if (ctx.getWebSockets().length >= perShow)
    return { refusal: refusal(503, 'show', perShow, 'This show has as many live viewers as it takes') }
  if (tag && ctx.getWebSockets(tag).length >= perClient)
    return {
      refusal: refusal(429, 'client', perClient, 'Too many live viewers of this show from your network'),
    }
  const pair = new WebSocketPair()
  ctx.acceptWebSocket(pair[1], tag ? [tag] : [])
  return { viewer: pair[0], server: pair[1] }
}

function refusal(status: 429 | 503, scope: 'show' | 'client', limit: number, detail: string) {
  return Response.json(
    { code: 'viewer_limit', scope, limit, detail, retryAfter: RETRY_AFTER_SECONDS },
    { status, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
  )
}

/** A viewer's upgrade answered: the socket with a `hello` at `version`, or the refusal. */
export function viewerResponse(
  ctx: DurableObjectState,
  settings: LiveViewerSettings,
  client: string | null,
  version: number,
): Response {
  const admitted = admitViewer(ctx, settings, client)
  if ('refusal' in admitted) return admitted.refusal
  admitted.server.send(versionMessage('hello', version))
  return new Response(null, { status: 101, webSocket: admitted.viewer })
}

/** The first message a viewer gets, and the answer to its `ping`: the change counter it is at. */
export const versionMessage = (type: 'hello' | 'pong', version: number) => JSON.stringify({ type, version })

/** Sends changed seats' states to every viewer; `seats` is only built when someone is watching. */
export function broadcastDelta(ctx: DurableObjectState, version: number, seats: () => [string, string][]) {
  const sockets = ctx.getWebSockets()
  if (sockets.length === 0) return
  const message = JSON.stringify({ type: 'delta', version, seats: seats() })
  for (const ws of sockets) {
    try {
      ws.send(message)
    } catch {
      // a closing socket; the runtime drops it
    }
  }
}
