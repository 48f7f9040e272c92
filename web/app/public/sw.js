// Offline once loaded: every same-origin GET is answered from the network when it can be and from the
// cache when it cannot, and the cache keeps the newest copy. WebSocket traffic never passes here. The
// simulation worker's script and the wasm it loads are fetched through here too (a dedicated worker
// belongs to the page's service worker), so they are kept like the rest.
const CACHE = 'postcard-sim-v1';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((c) => c.addAll(['./', './index.html', './sim/postcard-sim.mjs', './sim/postcard-sim.wasm'])).catch(() => {}));
  self.skipWaiting();
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  event.respondWith(fetch(req).then((res) => {
    if (res.ok) {
      const copy = res.clone();
      caches.open(CACHE).then((c) => c.put(req, copy));
    }
    return res;
  }).catch(() => caches.match(req, { ignoreSearch: true }).then((hit) => hit ?? caches.match('./index.html'))));
});
