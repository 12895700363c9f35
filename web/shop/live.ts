// Live seat status over the show's WebSocket (`GET /api/shows/{id}/live`): deltas of [seatId, state], each with
// a version; a skipped version (or a reconnect) means something was missed, so the caller reloads the seat map.
// While no socket can be had (viewers are capped per show and per network), the seat map is reloaded instead.
import { useEffect, useRef, useState } from 'preact/hooks'
import type { SeatState } from './types.ts'

type Message =
  | { type: 'hello'; version: number }
  | { type: 'delta'; version: number; seats: [string, SeatState][] }
  | { type: 'pong' }

export function useLiveSeats(
  showId: string,
  knownVersion: number | undefined,
  onDelta: (seats: [string, SeatState][], version: number) => void,
  onGap: () => void,
): boolean {
  const [connected, setConnected] = useState(false)
  const version = useRef(knownVersion)
  version.current = knownVersion
  const handlers = useRef({ onDelta, onGap })
  handlers.current = { onDelta, onGap }
  const ready = knownVersion !== undefined

  useEffect(() => {
    if (!ready) return
    let socket: WebSocket | undefined
    let retry: ReturnType<typeof setTimeout> | undefined
    let ping: ReturnType<typeof setInterval> | undefined
    let closed = false
    let attempts = 0
    const connect = () => {
      const url = new URL(`/api/shows/${encodeURIComponent(showId)}/live`, location.href)
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
      socket = new WebSocket(url)
      socket.onopen = () => {
        attempts = 0
        setConnected(true)
        ping = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send('ping'), 25_000)
      }
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as Message
        if (message.type === 'hello') {
          if (version.current !== undefined && message.version !== version.current) handlers.current.onGap()
        } else if (message.type === 'delta') {
          if (version.current !== undefined && message.version > version.current + 1) handlers.current.onGap()
          else handlers.current.onDelta(message.seats, message.version)
        }
      }
      socket.onclose = () => {
        setConnected(false)
        clearInterval(ping)
        if (closed) return
        // Refused (the show has as many live viewers as it takes) or unreachable: meanwhile the seat map is
        // followed by reloading it at each retry (at most every 10 s).
        if (attempts > 0) handlers.current.onGap()
        retry = setTimeout(connect, Math.min(10_000, 500 * 2 ** attempts++))
      }
    }
    connect()
    return () => {
      closed = true
      clearTimeout(retry)
      clearInterval(ping)
      socket?.close()
    }
  }, [showId, ready])
  return connected
}
