import { EventEmitter, once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Browser, HTTPRequest } from 'puppeteer-core';

/** A form post as the page server received it. */
export interface ReceivedPost {
  path: string;
  contentType: string;
  fields: Array<[name: string, value: string]>;
}

/** The local server the snippet pages are served from. */
export interface PageServer {
  origin: string;
  /** Resolves with the next POST that arrives; rejects after `timeout` ms. */
  nextPost(timeout?: number): Promise<ReceivedPost>;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
};

async function fieldsOf(req: IncomingMessage, contentType: string): Promise<ReceivedPost['fields']> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(contentType)) return [];
  const form = await new Response(Buffer.concat(chunks), { headers: { 'content-type': contentType } }).formData();
  return [...form.entries()].map(([name, value]) => [name, typeof value === 'string' ? value : `[file ${value.name}]`]);
}

/**
 * Serves the workspace's pages (`/pages/…`) and packages (`/node_modules/…`, so a page can load
 * `/node_modules/wepay-risk-token/dist/wepay-risk-token.min.js` as the README shows), the Risk.js stand-in at
 * `/risk-stand-in.js` (where docs/testing.md serves it) and the device-profiling requests it makes. A POST is
 * recorded and answered as a shop answers an order: `303` to `/paid` (Turbo renders a form's answer only
 * after a redirect).
 */
export async function startPageServer(workspaceDir: string, standIn: string): Promise<PageServer> {
  const posts = new EventEmitter();
  const received: ReceivedPost[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { pathname } = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST') {
      const contentType = req.headers['content-type'] ?? '';
      received.push({ path: pathname, contentType, fields: await fieldsOf(req, contentType) });
      posts.emit('post');
      res.writeHead(303, { location: '/paid' }).end();
      return;
    }
    if (pathname === '/paid') {
      res
        .writeHead(200, { 'content-type': TYPES['.html'] })
        .end('<!doctype html><title>Paid</title><p id="paid">Paid</p>');
      return;
    }
    if (pathname === '/risk-stand-in.js') {
      res.writeHead(200, { 'content-type': TYPES['.js'] }).end(await readFile(standIn));
      return;
    }
    if (pathname === '/fp/check.js' || pathname === '/fp/clear.png' || pathname === '/favicon.ico') {
      res.writeHead(200, { 'content-type': TYPES[extname(pathname)] ?? 'image/x-icon' }).end();
      return;
    }
    const relative = normalize(decodeURIComponent(pathname)).slice(1);
    if (!/^(pages|node_modules)\//.test(relative)) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(join(workspaceDir, relative));
      res.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    async nextPost(timeout = 30_000) {
      const signal = AbortSignal.timeout(timeout);
      while (received.length === 0) {
        try {
          await once(posts, 'post', { signal });
        } catch {
          throw new Error(`no form post within ${timeout} ms`);
        }
      }
      return received.shift()!;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** WePay's Risk.js at the URLs the element and WePay's docs use; answered with the stand-in. */
const RISK_JS = /^https:\/\/static\.wepay\.com\/min\/js\/risk(?:\.1\.latest)?\.js(?:\?.*)?$/;
/** Device profiling the stand-in starts, at the origin it was served from. */
const PROFILING = /^https:\/\/([\w-]+\.)*wepay\.com\/fp\//;
const SUBMIT_MARK = 'data-snippet-submit';

/** What the page functions read from the element. */
interface TokenElement extends HTMLElement {
  readonly name: string;
  readonly state: string;
  readonly token: string | null;
}

/** A snippet page, open in Chromium. */
export interface SnippetPage {
  /** Uncaught errors, console errors and warnings, and requests for anything off this machine, so far. */
  problems: string[];
  /** Each `<wepay-risk-token>` that gets its token by itself (not `trigger="manual"` or `"interaction"`). */
  elements: Array<{ state: string; token: string | null }>;
  /** The first form holding a `<wepay-risk-token>` and a submit button: the field its element posts, and its token. */
  form: { field: string; token: string | null } | null;
  /** Presses that form's submit button as a shopper does (puppeteer's trusted click). */
  submit(): Promise<void>;
  /** Resolves once the page has made no request for a while: what the submit started has run. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export interface PageOptions {
  browser: Browser;
  pageServer: PageServer;
  /** The page's path on the page server: `/pages/…html`. */
  path: string;
  /** The origin to open the page on: the page server's, or that of a server snippet that takes the page's posts. */
  origin: string;
  standInSource: string;
}

/**
 * Opens a page in a fresh browser context and waits until every element that gets its token by itself has
 * it (or failed). Opened on a server snippet's origin, the page's GETs are answered by the page server and
 * its POSTs go to the snippet. Nothing may leave the machine: Risk.js is the stand-in.
 */
export async function openPage({
  browser,
  pageServer,
  path,
  origin,
  standInSource,
}: PageOptions): Promise<SnippetPage> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`uncaught: ${String(error)}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warn')
      problems.push(`console.${message.type()}: ${message.text()}`);
  });
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    answer(request).catch((error: unknown) => problems.push(`interception: ${String(error)}`));
  });

  async function answer(request: HTTPRequest): Promise<void> {
    const url = new URL(request.url());
    if (RISK_JS.test(url.href)) {
      await request.respond({ status: 200, contentType: 'text/javascript', body: standInSource });
    } else if (PROFILING.test(url.href)) {
      await request.respond({
        status: 200,
        contentType: url.pathname.endsWith('.js') ? 'text/javascript' : 'image/png',
        body: '',
      });
    } else if (url.origin === pageServer.origin || (url.origin === origin && request.method() === 'POST')) {
      await request.continue();
    } else if (url.origin === origin) {
      const response = await fetch(new URL(url.pathname + url.search, pageServer.origin), { redirect: 'manual' });
      await request.respond({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      });
    } else if (url.protocol === 'data:') {
      await request.continue();
    } else {
      problems.push(`a request off this machine: ${request.method()} ${url.href}`);
      await request.abort('blockedbyclient');
    }
  }

  try {
    await page.goto(new URL(path, origin).href, { waitUntil: 'load' });
    await page.waitForFunction(() =>
      [...document.querySelectorAll<TokenElement>('wepay-risk-token')].every(
        (element) =>
          ['manual', 'interaction'].includes(element.getAttribute('trigger') ?? '') ||
          element.state === 'ready' ||
          element.state === 'error',
      ),
    );
    const elements = await page.$$eval('wepay-risk-token', (all: TokenElement[]) =>
      all
        .filter((element) => !['manual', 'interaction'].includes(element.getAttribute('trigger') ?? ''))
        .map((element) => ({ state: element.state, token: element.token })),
    );
    const form = await page.evaluate((mark) => {
      for (const candidate of document.querySelectorAll('form')) {
        const element = candidate.querySelector<TokenElement>('wepay-risk-token');
        const button = [...candidate.querySelectorAll('button')].find((each) => each.type === 'submit');
        if (!element || !button) continue;
        button.setAttribute(mark, '');
        return { field: element.name, token: element.token };
      }
      return null;
    }, SUBMIT_MARK);
    return {
      problems,
      elements,
      form,
      submit: () => page.click(`[${SUBMIT_MARK}]`),
      settled: () => page.waitForNetworkIdle({ idleTime: 250 }),
      close: () => context.close(),
    };
  } catch (error) {
    await context.close();
    throw error;
  }
}
