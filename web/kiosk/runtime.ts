// The kiosk device: its token (localStorage), calls with it, the heartbeat loop, the catalogue it refetches when
// a heartbeat names a new version, and the ticket printer's state (paper counted down per ticket printed).
import type {
  KioskEnrolled as Enrolled,
  HeartbeatAnswer as Heartbeat,
  KioskRecord as Kiosk,
  KioskCatalogue,
} from '../../worker/routes/contracts/kiosk.ts'
import { ApiError, api, type RequestOptions } from '../lib/api.ts'

export type { KioskCatalogue }

export const APP_VERSION = '1.0.0'
const storage = {
  token: 'kiosk.token',
  kiosk: 'kiosk.device',
  paper: 'kiosk.paper',
  lastSale: 'kiosk.lastSale',
}
/** Paper used per printed ticket, in % of a roll. */
const PAPER_PER_TICKET = 2

export interface KioskState {
  ready: boolean
  kiosk: Kiosk | null
  catalogue: KioskCatalogue | null
  online: boolean
  paperLevel: number
}

const read = (key: string) => {
  try {
    return localStorage.getItem(key)
  } catch {
    return null
  }
}
const write = (key: string, value: string | null) => {
  try {
    if (value === null) localStorage.removeItem(key)
    else localStorage.setItem(key, value)
  } catch {
    // storage blocked: the kiosk works until reloaded
  }
}

export class KioskRuntime {
  state: KioskState = {
    ready: false,
    kiosk: null,
    catalogue: null,
    online: true,
    paperLevel: Number(read(storage.paper) ?? 100),
  }
  private listeners = new Set<(state: KioskState) => void>()
  private errors: { code: string; message: string; at: string }[] = []
  private timer: ReturnType<typeof setTimeout> | undefined
  private heartbeatSeconds = 60

  subscribe(listener: (state: KioskState) => void) {
    this.listeners.add(listener)
    return () => {
      this.listeners.delete(listener)
    }
  }

  private set(changes: Partial<KioskState>) {
    this.state = { ...this.state, ...changes }
    for (const listener of this.listeners) listener(this.state)
  }

  get printerState() {
    const level = this.state.paperLevel
    return level <= 0 ? 'paper_out' : level <= 15 ? 'paper_low' : 'ready'
  }

  /** A call with the kiosk's token; a refused token means the kiosk was revoked: back to enrollment. */
  async call<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const token = read(storage.token)
    try {
      const result = await api<T>(path, {
        ...options,
        headers: { ...options.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      })
      if (!this.state.online) this.set({ online: true })
      return result
    } catch (error) {
      if (error instanceof ApiError) {
        if (error.status === 401 && token) this.forget()
        if (error.code === 'network') this.set({ online: false })
        if (error.status === 0 || error.status >= 500) this.noteError(error.code, error.message)
      }
      throw error
    }
  }

  noteError(code: string, message: string) {
    this.errors = [
      ...this.errors,
      { code, message: message.slice(0, 300), at: new Date().toISOString() },
    ].slice(-10)
  }

  async start() {
    const kiosk = read(storage.kiosk)
    if (read(storage.token) && kiosk) {
      this.set({ kiosk: JSON.parse(kiosk) as Kiosk })
      await this.refreshCatalogue().catch(() => undefined)
      void this.beat()
    }
    // Set up from a link the console shows (`/kiosk?enroll=CODE`), so staff need no keyboard either.
    const code = new URLSearchParams(location.search).get('enroll')
    if (!this.state.kiosk && code) await this.enroll(code).catch(() => undefined)
    this.set({ ready: true })
  }

  async enroll(code: string) {
    const enrolled = await api<Enrolled>('/api/kiosk/enroll', { body: { code: code.trim() } })
    write(storage.token, enrolled.deviceToken)
    write(storage.kiosk, JSON.stringify(enrolled.kiosk))
    this.heartbeatSeconds = enrolled.heartbeatSeconds
    history.replaceState(null, '', '/kiosk')
    this.set({ kiosk: enrolled.kiosk, catalogue: enrolled.catalogue })
    void this.beat()
  }

  forget() {
    write(storage.token, null)
    write(storage.kiosk, null)
    clearTimeout(this.timer)
    this.set({ kiosk: null, catalogue: null })
  }

  async refreshCatalogue() {
    this.set({ catalogue: await this.call<KioskCatalogue>('/api/kiosk/catalogue') })
  }

  /** One heartbeat now, then every heartbeatSeconds; a new catalogue version is fetched at once. */
  async beat() {
    clearTimeout(this.timer)
    try {
      const answer = await this.call<Heartbeat>('/api/kiosk/heartbeat', {
        body: {
          appVersion: APP_VERSION,
          printerState: this.printerState,
          paperLevel: Math.max(0, Math.round(this.state.paperLevel)),
          ...(read(storage.lastSale) ? { lastSaleAt: read(storage.lastSale) } : {}),
          errors: this.errors,
          ...(this.state.catalogue ? { catalogueVersion: this.state.catalogue.version } : {}),
        },
      })
      this.errors = []
      this.heartbeatSeconds = answer.heartbeatSeconds
      if (answer.catalogueVersion !== this.state.catalogue?.version) await this.refreshCatalogue()
    } catch {
      // offline or refused: noted in state; the next beat tries again
    }
    if (this.state.kiosk) this.timer = setTimeout(() => void this.beat(), this.heartbeatSeconds * 1000)
  }

  /** After printing: paper used, the sale remembered for the next heartbeat (sent at once). */
  printed(tickets: number) {
    const paperLevel = Math.max(0, this.state.paperLevel - tickets * PAPER_PER_TICKET)
    write(storage.paper, String(paperLevel))
    write(storage.lastSale, new Date().toISOString())
    this.set({ paperLevel })
    void this.beat()
  }

  /** Staff refilled the printer (from the maintenance corner). */
  refill() {
    write(storage.paper, '100')
    this.set({ paperLevel: 100 })
    void this.beat()
  }
}
