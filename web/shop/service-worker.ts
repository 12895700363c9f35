// The shop's service worker (built by web/build.ts to /sw.js, scope /, registered when a buyer opens their
// wallet): it keeps the shop's page and every JS and CSS file of this build, so "我的门票" opens with no signal
// after one online visit. It answers only two kinds of request and lets every other one through untouched:
// - a page of the shop: network first (online always gets the newest page, which names the newest files),
//   the kept page when the network fails;
// - a file of this build: the kept copy (hashed names never change under their name).
// The API is never answered from here, not even the wallet: the page keeps the tickets itself (wallet-store.ts)
// and falls back to them, so refunds, sign-out and past tickets are handled in one place. The admin console,
// the gate (its own worker, /gate-sw.js) and the API are outside it.

import { keepShell, pageFromNetworkOrShell, serviceWorker } from '../lib/service-worker-shell.ts'

// Filled in by the build: the files to keep, and a version that changes whenever they do.
declare const PRECACHE: string[]
declare const CACHE_VERSION: string

const cacheName = keepShell('shop-shell-', CACHE_VERSION, PRECACHE)
/** Every shop page is the same document; the app routes itself. */
const shellPage = '/'
const kept = new Set(PRECACHE)
/** Paths the shop does not own: other apps, the API and the server's own pages. */
const notShop = /^\/(api|admin|gate|partner|docs|openapi\.json|\.well-known|healthz)(\/|$)/

serviceWorker.addEventListener('fetch', (event) => {
  const request = event.request
  const url = new URL(request.url)
  if (request.method !== 'GET' || url.origin !== location.origin || notShop.test(url.pathname)) return
  if (request.mode === 'navigate') {
    pageFromNetworkOrShell(event, shellPage, cacheName)
    return
  }
  if (!kept.has(url.pathname)) return
  event.respondWith(caches.match(request, { cacheName }).then((copy) => copy ?? fetch(request)))
})
