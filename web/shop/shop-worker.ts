// Registers the shop's service worker (built by web/build.ts to /sw.js, scope /) the first time a buyer opens
// their wallet: from then on the shop's pages load with no network and the wallet falls back to the tickets
// kept on the device. Buyers who never open their tickets are never asked to download the app shell.
export function registerShopWorker() {
  if (!('serviceWorker' in navigator)) return
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
    console.warn('service worker not registered', error)
  })
}
