// The place in the queue, followed live: the on-sale's WebSocket (`…/queue/live`) pushes the same JSON as
// `GET …/queue` whenever the place changes. A dropped socket reconnects with backoff (at most every 10 s), and
// while there is none the queue is read every few seconds instead, so the page never stands still.
import { useEffect, useRef, useState } from 'preact/hooks'
import { api } from '../../lib/api.ts'
import { type OnSale, queueApiPath } from './admission.ts'
import type { QueueAnswer } from './types.ts'

const pollEveryMs = 5_000

const isAnswer = (data: unknown): data is QueueAnswer =>
  typeof data === 'object' && data !== null && 'queue' in data && 'place' in data

/** Follows the queue while `active`; each answer goes to `onAnswer`. Returns whether the socket is up. */
export function useQueueLive(
  sale: OnSale,
  active: boolean,
  onAnswer: (answer: QueueAnswer) => void,
): boolean {
  const [connected, setConnected] = useState(false)
  const handler = useRef(onAnswer)
  handler.current = onAnswer
  const path = queueApiPath(sale)

  useEffect(() => {
    if (!active) return
    let socket: WebSocket | undefined
    let retry: ReturnType<typeof setTimeout> | undefined
    let ping: ReturnType<typeof setInterval> | undefined
    let poll: ReturnType<typeof setInterval> | undefined
    let closed = false
    let attempts = 0
    const read = () =>
      api<QueueAnswer>(path).then(
        (answer) => !closed && handler.current(answer),
        () => undefined, // offline for a moment: the next poll or the socket catches up
      )
    const startPolling = () => {
      if (poll === undefined) poll = setInterval(read, pollEveryMs)
    }
    const stopPolling = () => {
      clearInterval(poll)
      poll = undefined
    }
    const connect = () => {
      const url = new URL(`${path}/live`, location.href)
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
      try {
        socket = new WebSocket(url)
      } catch {
        startPolling()
        return
      }
      socket.onopen = () => {
        attempts = 0
        setConnected(true)
        stopPolling()
        ping = setInterval(() => socket?.readyState === WebSocket.OPEN && socket.send('ping'), 25_000)
      }
      socket.onmessage = (event) => {
        let data: unknown
        try {
          data = JSON.parse(String(event.data))
        } catch {
          return // a pong
        }
        if (isAnswer(data)) handler.current(data)
      }
      socket.onclose = () => {
        setConnected(false)
        clearInterval(ping)
        if (closed) return
        // Meanwhile the place is read by polling, and at once so nothing pushed during the gap is missed.
        startPolling()
        void read()
        retry = setTimeout(connect, Math.min(10_000, 500 * 2 ** attempts++))
      }
    }
    connect()
    return () => {
      closed = true
      clearTimeout(retry)
      clearInterval(ping)
      stopPolling()
      socket?.close()
      setConnected(false)
    }
  }, [path, active])
  return connected
}
