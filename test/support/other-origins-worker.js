/**
 * A service worker for the framed test pages (`/__page`): it answers their requests to any `https://*.test`
 * host from this test server, path and query kept. So a page can load a script from "another site" (`.test`
 * is reserved: no real host has it), and the server's request log sees every request the page makes there.
 */
self.addEventListener('install', () => self.skipWaiting());

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.protocol !== 'https:' || !url.hostname.endsWith('.test')) return;
  event.respondWith(fetch(url.pathname + url.search, { cache: 'no-store' }));
});
