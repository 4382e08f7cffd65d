/**
 * A test-runner plugin that lets a test page use WePay's real URLs offline. The server command `wepay-hosts`
 * (payload `{ on: boolean, blocked?: string[] }`) turns on, or off, request interception in the test's
 * page: requests to WePay's hosts are answered by this test server, everything else goes on as usual.
 * - `https://static.wepay.com/…?QUERY` is answered by `/risk.js?QUERY` (the stand-in and its faults);
 * - `https://t.wepay.com/PATH?QUERY` by `PATH?QUERY` (the profiling answers), so the server records it;
 * - a host listed in `blocked` fails as an ad blocker makes it fail (`net::ERR_BLOCKED_BY_CLIENT`).
 *
 * Request interception needs a puppeteer page (Chromium, or Firefox over BiDi). Other launchers get `{ supported: false, reason }`
 * so that a test can skip, naming the reason. Pages are reused by later test files: turn it off after use.
 */
const HOSTS = new Map([
  ['static.wepay.com', (url) => `/risk.js${url.search}`],
  ['t.wepay.com', (url) => `${url.pathname}${url.search}`],
]);

/** The response headers worth passing on: the body is handed over decoded, whole. */
const KEPT_HEADERS = ['content-type', 'cache-control'];

export function wepayHostsPlugin() {
  let server;
  /** The request listener installed on each page that has interception on. */
  const listeners = new WeakMap();

  function localOrigin() {
    const { address, family, port } = server.address();
    return family === 'IPv6' ? `http://[${address}]:${port}` : `http://${address}:${port}`;
  }

  async function answer(request, blocked) {
    if (request.isInterceptResolutionHandled()) return;
    const url = new URL(request.url());
    if (blocked.has(url.hostname)) {
      await request.abort('blockedbyclient');
      return;
    }
    const local = HOSTS.get(url.hostname);
    if (!local) {
      await request.continue();
      return;
    }
    try {
      const response = await fetch(`${localOrigin()}${local(url)}`);
      const body = Buffer.from(await response.arrayBuffer());
      const headers = Object.fromEntries(
        KEPT_HEADERS.filter((name) => response.headers.has(name)).map((name) => [name, response.headers.get(name)]),
      );
      await request.respond({ status: response.status, headers, body });
    } catch {
      await request.abort('connectionreset');
    }
  }

  return {
    name: 'wepay-hosts',
    serverStart(args) {
      server = args.server;
    },
    async executeCommand({ command, payload, session }) {
      if (command !== 'wepay-hosts') return undefined;
      const browser = session.browser;
      if (browser.type !== 'puppeteer') {
        return {
          supported: false,
          reason: `answering WePay's hosts locally needs puppeteer's request interception (Chromium, Firefox), which ${browser.name} over WebDriver lacks`,
        };
      }
      const page = browser.getPage(session.id);
      const previous = listeners.get(page);
      if (previous) {
        page.off('request', previous);
        listeners.delete(page);
      }
      if (payload?.on) {
        const blocked = new Set(payload.blocked ?? []);
        // A request can outlive its page's interest in it (the frame was removed, the test moved on).
        const listener = (request) => answer(request, blocked).catch(() => undefined);
        listeners.set(page, listener);
        page.on('request', listener);
      }
      await page.setRequestInterception(Boolean(payload?.on));
      return { supported: true };
    },
  };
}
