const WORKER = '/test/support/other-origins-worker.js';

/**
 * Serves `https://*.test` to framed test pages from this test server (see `other-origins-worker.js`), until
 * the returned function is called. Pages framed before this resolves are not served.
 */
export async function serveOtherOrigins(): Promise<() => Promise<void>> {
  const registration = await navigator.serviceWorker.register(WORKER, { scope: '/__page' });
  const worker = (registration.installing ?? registration.waiting ?? registration.active)!;
  if (worker.state !== 'activated') {
    await new Promise<void>((resolve) => {
      worker.addEventListener('statechange', () => worker.state === 'activated' && resolve());
    });
  }
  return async () => {
    await registration.unregister();
  };
}

/** `src` (a stand-in URL of the test server) as if served from `origin`. */
export function onOrigin(origin: string, src: string): string {
  const url = new URL(src, location.href);
  return `${origin}${url.pathname}${url.search}`;
}
