// The gate app's service worker (built by web/build.ts to /gate-sw.js, scope /gate): it keeps the app
// shell (the page, the gate's JS and CSS including lazily loaded chunks, manifest and icon) so the scanner
// opens and decides with no network. The API is never cached: the app keeps its data in IndexedDB.

// Filled in by the build: the files to keep, and a version that changes whenever they do.
declare const PRECACHE: string[]
declare const CACHE_VERSION: string

// Just enough of the service worker types (the web project's libs are DOM, not WebWorker).
interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}
interface FetchEvent extends ExtendableEvent {
  request: Request
  respondWith(response: Promise<Response>): void
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
}
const worker = self as unknown as ServiceWorkerScope

const cacheName = `gate-shell-${CACHE_VERSION}`
/** Every navigation inside /gate gets the same page; the app routes itself. */
const shellPage = '/gate'

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(cacheName)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => worker.skipWaiting()),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith('gate-shell-') && name !== cacheName)
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => worker.clients.claim()),
  )
})

worker.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return
  if (request.mode === 'navigate') {
    // Online, the newest page (it names the newest assets); offline, the kept one.
    event.respondWith(
      fetch(request).catch(async () => (await caches.match(shellPage, { cacheName })) ?? Response.error()),
    )
    return
  }
  // Hashed assets never change under their name: the kept copy is as good as the network's.
  event.respondWith(caches.match(request, { cacheName }).then((kept) => kept ?? fetch(request)))
})
