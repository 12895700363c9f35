// The gate app's service worker (built by web/build.ts to /gate-sw.js, scope /gate): it keeps the app
// shell (the page, the gate's JS and CSS including lazily loaded chunks, manifest and icon) so the scanner
// opens and decides with no network. The API is never cached: the app keeps its data in IndexedDB.

import { keepShell, pageFromNetworkOrShell, serviceWorker } from '../lib/service-worker-shell.ts'

// Filled in by the build: the files to keep, and a version that changes whenever they do.
declare const PRECACHE: string[]
declare const CACHE_VERSION: string

const cacheName = keepShell('gate-shell-', CACHE_VERSION, PRECACHE)
/** Every navigation inside /gate gets the same page; the app routes itself. */
const shellPage = '/gate'

serviceWorker.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== location.origin || url.pathname.startsWith('/api/')) return
  if (request.mode === 'navigate') {
    // Online, the newest page (it names the newest assets); offline, the kept one.
    pageFromNetworkOrShell(event, shellPage, cacheName)
    return
  }
  // Hashed assets never change under their name: the kept copy is as good as the network's.
  event.respondWith(caches.match(request, { cacheName }).then((kept) => kept ?? fetch(request)))
})
