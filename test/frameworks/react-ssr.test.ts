import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromeArgs, chromePath } from '../support/chrome.js';
import { STAND_IN } from './apps.js';
import { listenOnLoopback, readBody } from './server.js';

/**
 * Server-rendered React (what Next.js does with a client component): `react-ssr/checkout.jsx` rendered to a string
 * in Node, then hydrated in Chromium by a bundle that imports the package first, as Next.js runs a client
 * component's module before React hydrates its markup. docs/frameworks.md tells React users with server rendering
 * to render the hidden input inside the tag and to listen through a ref; these cases show why, and that it works
 * with React's production and development builds (which report attribute mismatches).
 */

const here = dirname(fileURLToPath(import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MODES = ['production', 'development'] as const;
type Mode = (typeof MODES)[number];

interface PageRecords {
  readyTokens: string[];
  hydrationErrors: string[];
}
interface TokenElement extends HTMLElement {
  readonly state: string;
  readonly token: string | null;
}

/** Lit's notice that the development build runs, which the development bundle loads on purpose. */
const isLitDevModeNotice = (text: string) => text.startsWith('Lit is in dev mode.');

describe('<wepay-risk-token> in server-rendered React, hydrated (Chromium)', { timeout: 120_000 }, () => {
  let folder: string;
  let render: (checkout: string) => string;
  let browser: Browser;
  let page: Page;
  let origin: string;
  let close: () => Promise<void>;
  let posts: URLSearchParams[] = [];
  /** Uncaught errors, console errors and warnings of the current case's page. */
  let messages: string[] = [];

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'wepay-risk-token-react-ssr-'));
    const common = { bundle: true, jsx: 'automatic', logLevel: 'warning', absWorkingDir: here } as const;
    await build({
      ...common,
      entryPoints: [join(here, 'react-ssr/server.jsx')],
      platform: 'node',
      format: 'cjs',
      outfile: join(folder, 'server.cjs'),
    });
    for (const mode of MODES) {
      await build({
        ...common,
        entryPoints: [join(here, 'react-ssr/client.jsx')],
        platform: 'browser',
        format: 'esm',
        // As Vite and Next.js build for each: the package's `development` condition in development only.
        conditions: mode === 'development' ? ['development'] : [],
        define: { 'process.env.NODE_ENV': JSON.stringify(mode) },
        outfile: join(folder, `client-${mode}.js`),
      });
    }
    ({ render } = createRequire(import.meta.url)(join(folder, 'server.cjs')) as { render: typeof render });

    const standIn = await readFile(STAND_IN);
    ({ origin, close } = await listen(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method === 'POST') {
        posts.push(new URLSearchParams(new TextDecoder().decode(await readBody(req))));
        res.writeHead(200, { 'content-type': 'text/html' }).end('<p id="paid">Paid</p>');
      } else if (url.pathname === '/') {
        const checkout = url.searchParams.get('checkout') ?? '';
        const mode = url.searchParams.get('mode') ?? '';
        const html = `<!doctype html><html lang="en"><head><title>Checkout</title></head><body><div id="root">${render(checkout)}</div><script type="module" src="/client-${mode}.js"></script></body></html>`;
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      } else if (/^\/client-(production|development)\.js$/.test(url.pathname)) {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(await readFile(join(folder, url.pathname)));
      } else if (url.pathname === '/risk.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' }).end(standIn);
      } else {
        res.writeHead(204).end();
      }
    }));

    browser = await puppeteer.launch({ executablePath: chromePath, args: chromeArgs });
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    // Risk.js at its real URL, answered by the stand-in: the documented markup keeps the default `src`.
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.hostname === 'static.wepay.com') void request.continue({ url: `${origin}/risk.js${url.search}` });
      else void request.continue();
    });
    page.on('pageerror', (error) => messages.push(String(error)));
    page.on('console', (message) => {
      const text = message.text();
      if (['error', 'warn'].includes(message.type()) && !isLitDevModeNotice(text)) messages.push(text);
    });
  });

  after(async () => {
    await browser?.close();
    await close?.();
    await rm(folder, { recursive: true, force: true });
  });

  beforeEach(() => {
    posts = [];
    messages = [];
  });

  /** Opens `checkout` hydrated by the `mode` bundle; resolves with the element's token once it has one. */
  async function openUntilReady(checkout: string, mode: Mode): Promise<string> {
    await page.goto(`${origin}/?checkout=${checkout}&mode=${mode}`);
    await page.waitForFunction(() => document.querySelector<TokenElement>('wepay-risk-token')?.state === 'ready');
    const token = await page.evaluate(() => document.querySelector<TokenElement>('wepay-risk-token')?.token);
    assert.ok(typeof token === 'string' && UUID.test(token), `a UUID, got ${token}`);
    return token;
  }

  const records = () =>
    page.evaluate((): PageRecords => {
      const { readyTokens, hydrationErrors } = globalThis as unknown as PageRecords;
      return { readyTokens, hydrationErrors };
    });

  it('the server renders the tag with the hidden input, the package imported in Node without a DOM', () => {
    assert.equal(typeof globalThis.HTMLElement, 'undefined');
    assert.match(
      render('documented'),
      /<wepay-risk-token><input type="hidden" name="wepay_risk_token"\/><\/wepay-risk-token>/,
    );
  });

  for (const mode of MODES) {
    it(`${mode}: the documented markup hydrates without a mismatch or a warning, and the form posts the token`, async () => {
      const token = await openUntilReady('documented', mode);
      const { readyTokens, hydrationErrors } = await records();
      assert.deepEqual(hydrationErrors, []);
      assert.deepEqual(readyTokens, [token], 'the listener added through the ref hears wepay-risk-token-ready');
      assert.equal(await page.$$eval('wepay-risk-token > input', (inputs) => inputs.length), 1);
      await Promise.all([page.waitForNavigation(), page.click('#pay')]);
      assert.equal(posts.length, 1);
      assert.deepEqual(posts[0]!.getAll('wepay_risk_token'), [token]);
      assert.deepEqual(messages, []);
    });
  }

  it('a bare <wepay-risk-token /> fails to hydrate: React finds a hidden input it did not render', async () => {
    await openUntilReady('bare', 'production');
    const { hydrationErrors } = await records();
    assert.equal(hydrationErrors.length, 1);
    assert.match(hydrationErrors[0]!, /Minified React error #418/);
  });

  it('an onwepay-risk-token-* prop is not attached when React hydrates (React issue #35446): hence the ref', async () => {
    await openUntilReady('prop-listener', 'production');
    const { readyTokens, hydrationErrors } = await records();
    assert.deepEqual(hydrationErrors, []);
    assert.deepEqual(readyTokens, []);
  });
});

/** `listenOnLoopback`, with a `close` that ends kept-alive connections too. */
async function listen(handle: Parameters<typeof listenOnLoopback>[0]) {
  const { server, origin } = await listenOnLoopback(handle);
  const close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((error) => (error ? reject(error) : resolve()));
    });
  return { origin, close };
}
