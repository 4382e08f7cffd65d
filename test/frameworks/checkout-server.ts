import { EventEmitter } from 'node:events';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { PACKAGE_ENTRY, STAND_IN } from './apps.js';
import { listenOnLoopback, readBody, waitForPosts } from './server.js';

/** The standalone element as `npm run build` made it: ReactiveElement inside, production build. */
const STANDALONE = join(PACKAGE_ENTRY, '../wepay-risk-token.min.js');

/** The checkout's form field that carries the token, and the shopper's other field. */
export const FIELD = 'wepay_risk_token';
export const EMAIL = 'shopper@example.com';

/** A transparent 1×1 GIF: the profiling beacon's answer. */
const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

export interface CheckoutServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The fields of every POST since the last `reset()`, in order. */
  readonly posts: Array<Array<[name: string, value: string]>>;
  /** Every GET since the last `reset()`, as `/path?query`. */
  readonly gets: string[];
  /** Resolves once `count` POSTs have arrived since the last `reset()`. */
  waitForPosts(count: number, timeout?: number): Promise<void>;
  /**
   * Answers the profiling script (`/fp/check.js`), the requests held so far and every later one. Until then, and
   * again after `reset()`, it holds them unanswered: Risk.js's device profiling is still loading.
   */
  answerProfiling(): void;
  reset(): void;
  close(): Promise<void>;
}

/**
 * The checkout: `submitWait` ms for `submit-wait`, and the query string of the Risk.js stand-in (its `profile`,
 * `latency`, `auto`). The page records in `window.checkoutLog`, as text, each page transition (with the form's
 * `aria-busy` as the page is hidden) and each `wepay-risk-token-submit` outcome. Nothing in it keeps it out of the
 * back/forward cache: no `unload` listener, no `Cache-Control: no-store`, no connection left open once profiling is
 * answered.
 */
function checkoutPage(riskQuery: string, submitWait: string): string {
  const src = `/risk.js?${riskQuery}`.replaceAll('&', '&amp;');
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Checkout</title>
    <script>
      window.checkoutLog = [];
      addEventListener('pageshow', (event) => checkoutLog.push('pageshow persisted=' + event.persisted));
      addEventListener('pagehide', (event) => {
        const busy = document.forms.checkout.getAttribute('aria-busy');
        checkoutLog.push('pagehide persisted=' + event.persisted + ' aria-busy=' + busy);
      });
      document.addEventListener('wepay-risk-token-submit', (event) => {
        checkoutLog.push('wepay-risk-token-submit ' + event.detail.outcome);
      });
    </script>
    <script type="module" src="/wepay-risk-token.min.js"></script>
  </head>
  <body>
    <form id="checkout" method="post" action="/pay">
      <input name="email" value="${EMAIL}" />
      <wepay-risk-token src="${src}" submit-wait="${submitWait}"></wepay-risk-token>
      <button id="pay">Pay</button>
    </form>
  </body>
</html>`;
}

/** The page the shopper comes from and goes Back to. */
const SHOP_PAGE = `<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>Shop</title></head>
  <body><a href="/checkout">Checkout</a></body>
</html>`;

const PAID_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8" /><title>Paid</title></head><body><p id="paid">Paid</p></body></html>';

async function formFields(req: IncomingMessage): Promise<Array<[string, string]>> {
  return [...new URLSearchParams(Buffer.from(await readBody(req)).toString('utf8'))];
}

/**
 * A shop on loopback for the back/forward-cache test: `/shop`, `/checkout?risk=…&wait=…`, the built standalone
 * element, the Risk.js stand-in at `/risk.js` with its device profiling at `/fp/`, and `/pay`, which records every
 * POST.
 */
export async function startCheckoutServer(): Promise<CheckoutServer> {
  const [element, standIn] = await Promise.all([readFile(STANDALONE), readFile(STAND_IN)]);
  let posts: Array<Array<[string, string]>> = [];
  let gets: string[] = [];
  let profilingAnswered = false;
  const heldProfiling: ServerResponse[] = [];
  const arrivals = new EventEmitter();

  const answerProfilingScript = (res: ServerResponse) =>
    res.writeHead(200, { 'content-type': 'text/javascript' }).end('');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST' && url.pathname === '/pay') {
      posts.push(await formFields(req));
      arrivals.emit('post');
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAID_PAGE);
      return;
    }
    gets.push(`${url.pathname}${url.search}`);
    switch (url.pathname) {
      case '/shop':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SHOP_PAGE);
        return;
      case '/checkout': {
        const page = checkoutPage(url.searchParams.get('risk') ?? '', url.searchParams.get('wait') ?? '3000');
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
        return;
      }
      case '/wepay-risk-token.min.js':
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(element);
        return;
      case '/risk.js':
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(standIn);
        return;
      case '/fp/check.js':
        if (profilingAnswered) answerProfilingScript(res);
        else heldProfiling.push(res);
        return;
      case '/fp/clear.png':
        res.writeHead(200, { 'content-type': 'image/gif' }).end(PIXEL_GIF);
        return;
      case '/favicon.ico':
        res.writeHead(204).end();
        return;
      default:
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  }

  const { server, origin } = await listenOnLoopback(handle);

  return {
    origin,
    get posts() {
      return posts;
    },
    get gets() {
      return gets;
    },
    waitForPosts: (count, timeout = 15_000) => waitForPosts(arrivals, () => posts.length, count, timeout),
    answerProfiling() {
      profilingAnswered = true;
      for (const res of heldProfiling.splice(0)) answerProfilingScript(res);
    },
    reset() {
      posts = [];
      gets = [];
      profilingAnswered = false;
      for (const res of heldProfiling.splice(0)) res.destroy();
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of heldProfiling.splice(0)) res.destroy();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
