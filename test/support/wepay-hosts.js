import { createServer } from 'node:http';
import { TLSSocket } from 'node:tls';
import { selfSignedCertificate } from './certificate.js';

/**
 * A test-runner plugin that lets a test page use WePay's real URLs offline. The server command `wepay-hosts`
 * (payload `{ on: boolean, blocked?: string[] }`) turns on, or off, the answering of the test page's requests to
 * WePay's hosts (and a shop's) by this test server; everything else goes on as usual.
 * - `https://static.wepay.com/…?QUERY` is answered by `/risk.js?QUERY` (the stand-in and its faults);
 * - `https://t.wepay.com/PATH?QUERY` by `PATH?QUERY` (the profiling answers), so the server records it;
 * - `http://shop.test/PATH?QUERY` by `PATH?QUERY`: a shop's pages (`/__page?…`) on a host that is not loopback;
 * - `http://127.0.0.2/PATH?QUERY` by `PATH?QUERY`: a loopback host the browser never connects to;
 * - a host listed in `blocked` fails as an ad blocker makes it fail.
 *
 * Chromium and Firefox (puppeteer pages) get it through request interception; a blocked host fails with
 * `net::ERR_BLOCKED_BY_CLIENT`. WebKit over WebDriver has no request interception: its launcher sends its
 * traffic through a `WePayHostsProxy` instead (`launcher.wepayHosts`), which ends a blocked host's requests
 * unanswered. Other launchers get `{ supported: false, reason }` so that a test can say why it cannot run.
 * Pages are reused by later test files: turn it off after use.
 */
const HOSTS = new Map([
  ['static.wepay.com', (url) => `/risk.js${url.search}`],
  ['t.wepay.com', (url) => `${url.pathname}${url.search}`],
  ['shop.test', (url) => `${url.pathname}${url.search}`],
  ['127.0.0.2', (url) => `${url.pathname}${url.search}`],
]);

/** The response headers worth passing on: the body is handed over decoded, whole. */
const KEPT_HEADERS = ['content-type', 'cache-control'];

/** The test server's answer for `url` on one of WePay's hosts: `{ status, headers, body }`. */
async function localAnswer(localOrigin, url) {
  const response = await fetch(`${localOrigin}${HOSTS.get(url.hostname)(url)}`);
  const body = Buffer.from(await response.arrayBuffer());
  const headers = Object.fromEntries(
    KEPT_HEADERS.filter((name) => response.headers.has(name)).map((name) => [name, response.headers.get(name)]),
  );
  return { status: response.status, headers, body };
}

/**
 * An HTTP proxy for a browser without request interception (WebKit): it answers WePay's hosts from the test server
 * as the plugin says, opening each `CONNECT` tunnel into a TLS server of its own with a self-signed certificate
 * made with `openssl` at start (the browser is told to accept it), and refuses every other host as a machine
 * without a network would. Requests to loopback hosts must not be sent here (`no_proxy`).
 */
export class WePayHostsProxy {
  #server;
  #tls;
  /** What the test page asked for; one page runs at a time. */
  #state = { on: false, blocked: new Set(), localOrigin: '' };

  static async start() {
    const proxy = new WePayHostsProxy();
    await proxy.#listen();
    return proxy;
  }

  /** `http://127.0.0.1:PORT`, for `http_proxy` and `https_proxy`. */
  get url() {
    return `http://127.0.0.1:${this.#server.address().port}`;
  }

  /** Answers WePay's hosts from `localOrigin`, or stops; hosts in `blocked` fail. */
  configure({ on, blocked = [] }, localOrigin) {
    this.#state = { on: Boolean(on), blocked: new Set(blocked), localOrigin };
  }

  /** Whether a request to `hostname` is answered now (checked per request too: tunnels are kept alive). */
  #answers(hostname) {
    return this.#state.on && HOSTS.has(hostname) && !this.#state.blocked.has(hostname);
  }

  async #listen() {
    const credentials = await selfSignedCertificate([...HOSTS.keys()], 'wepay-hosts test proxy');

    /** Answers a request the browser sent through the proxy (`http:`) or through a tunnel (`https:`). */
    const answer = async (request, response, url) => {
      if (!this.#answers(url.hostname)) {
        request.socket.destroy();
        return;
      }
      try {
        const { status, headers, body } = await localAnswer(this.#state.localOrigin, url);
        response.writeHead(status, headers).end(body);
      } catch {
        request.socket.destroy();
      }
    };
    this.#tls = createServer((request, response) =>
      answer(request, response, new URL(request.url, `https://${request.headers.host}`)),
    );
    this.#server = createServer((request, response) => answer(request, response, new URL(request.url)));
    this.#server.on('connect', (request, socket, head) => {
      const { hostname } = new URL(`https://${request.url}`);
      socket.on('error', () => socket.destroy());
      if (!this.#answers(hostname)) {
        socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
        return;
      }
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n', () => {
        socket.unshift(head);
        const tls = new TLSSocket(socket, { isServer: true, ...credentials });
        tls.on('error', () => tls.destroy());
        this.#tls.emit('connection', tls);
      });
    });
    await new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(0, '127.0.0.1', resolve);
    });
  }

  async close() {
    this.#server?.closeAllConnections();
    this.#tls?.closeAllConnections();
    await new Promise((resolve) => (this.#server ? this.#server.close(resolve) : resolve()));
  }
}

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
    if (!HOSTS.has(url.hostname)) {
      await request.continue();
      return;
    }
    try {
      await request.respond(await localAnswer(localOrigin(), url));
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
      if (browser.wepayHosts instanceof WePayHostsProxy) {
        browser.wepayHosts.configure(payload ?? {}, localOrigin());
        return { supported: true };
      }
      if (browser.type !== 'puppeteer') {
        return {
          supported: false,
          reason: `answering WePay's hosts locally needs request interception or the test proxy, which ${browser.name} lacks`,
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
