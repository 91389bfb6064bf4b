// Benefits workspace service worker: the app shell works without a network.
//
// scripts/gen-sw.mjs writes this file into dist/sw.js after every build, with
// PRECACHE listing the build's own files (Trunk's hashed names) and VERSION a
// hash of their contents, so the list can never go stale.
//
// - Shell files (index.html, wasm, JS, CSS, icons) are served cache-first.
// - /api is never cached here: the app keeps its own last-synced copy of the
//   partner's data, without personal data, and an outbox of offline edits.
// - A new build installs beside the old one and waits; the page tells the user
//   and posts SKIP_WAITING when they agree; old caches are then deleted.
const VERSION = '__VERSION__';
const PRECACHE = __PRECACHE__;
const PREFIX = 'benefits-shell-';
const CACHE = PREFIX + VERSION;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(PREFIX) && n !== CACHE).map((n) => caches.delete(n)));
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'SKIP_WAITING') self.skipWaiting();
  if (event.data && event.data.type === 'VERSION' && event.ports[0]) event.ports[0].postMessage(VERSION);
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  if (request.mode === 'navigate') {
    // Every app route is the same single-page shell.
    event.respondWith(
      caches.open(CACHE).then(async (cache) => (await cache.match('/index.html')) || fetch(request)),
    );
    return;
  }
  event.respondWith(caches.open(CACHE).then(async (cache) => (await cache.match(request)) || fetch(request)));
});
