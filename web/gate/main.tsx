// The gate scanner (served at /gate, installable): enrollment, then scanning with camera, USB scanner or
// typed code, deciding offline with the shared decision module; a service worker keeps it working offline.
import '../lib/base.css'
import './gate.css'
import { render } from 'preact'
import { useEffect, useState } from 'preact/hooks'
import { Loading, Shell } from '../lib/ui.tsx'
import type { DeviceState } from './device-state.ts'
import { GateDeviceRuntime } from './gate-device.ts'
import { messages } from './messages.ts'
import { EnrollPage } from './pages/enroll.tsx'
import { ScanPage } from './pages/scan.tsx'

const runtime = new GateDeviceRuntime()

function useDeviceState(): DeviceState {
  const [state, setState] = useState(runtime.state)
  useEffect(() => runtime.subscribe(setState), [])
  return state
}

function App() {
  const t = messages.useT()
  const state = useDeviceState()
  document.title = t('title')
  return (
    <Shell brand={<a href="/gate">{t('title')}</a>}>
      <h1>{t('title')}</h1>
      {!state.ready ? (
        <Loading />
      ) : state.enrolled ? (
        <ScanPage runtime={runtime} state={state} />
      ) : (
        <EnrollPage runtime={runtime} />
      )}
    </Shell>
  )
}

/** Installable: the manifest, and a service worker that keeps the app shell for offline use. */
function installable() {
  const link = document.createElement('link')
  link.rel = 'manifest'
  link.href = '/gate.webmanifest'
  document.head.append(link)
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.register('/gate-sw.js', { scope: '/gate' }).catch((error: unknown) => {
      console.warn('service worker not registered', error)
    })
  }
}

installable()
render(<App />, document.getElementById('app')!)
void runtime.start()
