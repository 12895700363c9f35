// What the shop's and the gate's service workers share: just enough of the service worker types (the web project's
// libs are DOM, not WebWorker), and keeping one build's shell in a cache named after the build, so a new build's
// worker installs its own files and, once active, drops every earlier build's.

export interface ExtendableEvent extends Event {
  waitUntil(promise: Promise<unknown>): void
}
export interface FetchEvent extends ExtendableEvent {
  request: Request
  respondWith(response: Promise<Response>): void
}
interface ServiceWorkerScope {
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
}

export const serviceWorker = self as unknown as ServiceWorkerScope

/**
 * Keeps `files` in the cache `<prefix><version>` on install and, on activation, deletes the other caches of this
 * prefix. Answers the cache's name, for the worker's own fetch handler.
 */
export function keepShell(prefix: string, version: string, files: string[]): string {
  const cacheName = `${prefix}${version}`
  serviceWorker.addEventListener('install', (event) => {
    event.waitUntil(
      caches
        .open(cacheName)
        .then((cache) => cache.addAll(files))
        .then(() => serviceWorker.skipWaiting()),
    )
  })
  serviceWorker.addEventListener('activate', (event) => {
    event.waitUntil(
      caches
        .keys()
        .then((names) =>
          Promise.all(
            names
              .filter((name) => name.startsWith(prefix) && name !== cacheName)
              .map((name) => caches.delete(name)),
          ),
        )
        .then(() => serviceWorker.clients.claim()),
    )
  })
  return cacheName
}

/** A page request: the network's newest page (it names the newest files), else the kept shell page. */
export function pageFromNetworkOrShell(event: FetchEvent, shellPage: string, cacheName: string) {
  event.respondWith(
    fetch(event.request).catch(
      async () => (await caches.match(shellPage, { cacheName })) ?? Response.error(),
    ),
  )
}
