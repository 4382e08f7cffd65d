/**
 * The demo server: `npm run demo`.
 *
 * One Node http server on 127.0.0.1 that
 * - serves the checkout page (demo/index.html, its slots filled for the scenario in the query) and, through
 *   Vite in middleware mode, the TypeScript it loads (`/demo/demo.ts`, `/src/…`, the Risk.js stand-in, `@lit/reactive-element`),
 *   so nothing needs building;
 * - answers the Risk.js stand-in's device-profiling requests (`/fp/check.js`, `/fp/clear.png`), as WePay's
 *   profiling host would;
 * - answers `POST /checkout` like a merchant's server: risk headers from `wepay-risk-token/server`, then
 *   `POST {WEPAY_API_BASE}/credit_card/create`, then a page showing all of it.
 * WePay's API is, unless `WEPAY_API_BASE` says otherwise, a local stand-in on a port of its own.
 *
 * Environment (read only when run as the main module; `startDemo` takes options instead):
 * - `PORT`: default 5173; when busy, a free port is used instead.
 * - `RISK_JS=real`: pages use WePay's real Risk.js unless their query says `?risk=stand-in`.
 * - `WEPAY_API_BASE`: e.g. `https://stage.wepayapi.com/v2`; default the local stand-in.
 * - `WEPAY_ACCESS_TOKEN`: sent as `Authorization: Bearer …` when set. `WEPAY_CLIENT_ID`: sent as `client_id`.
 */
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer as createViteServer, type LogLevel } from 'vite';
import { checkout, type WePayApi } from './checkout.js';
import { readBody } from './request-body.js';
import { renderCheckoutPage, renderMessagePage, renderResultPage, type DemoSetup } from './pages.js';
import { scenarioFrom, scenarioQuery, type RiskSource } from './scenario.js';
import { startWePayApiStandIn, type WePayApiStandIn } from './wepay-api-stand-in.js';

export interface DemoOptions {
  /** Default 5173; `0` picks a free port. A busy port falls back to a free one. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** Which Risk.js pages use when their query does not say: default `'stand-in'`. */
  riskJs?: RiskSource;
  /** WePay API base URL; default: start the local stand-in. */
  apiBase?: string | undefined;
  accessToken?: string | undefined;
  clientId?: string | undefined;
  /** Vite's log level; default `'warn'`. */
  logLevel?: LogLevel;
}

export interface DemoServer {
  /** The checkout page, e.g. `http://127.0.0.1:5173/`. */
  url: string;
  /** The WePay API base the server calls (the stand-in's URL unless `apiBase` was given). */
  apiUrl: string;
  apiIsStandIn: boolean;
  /** Set when the requested port was busy and another was used. */
  busyPort: number | null;
  close(): Promise<void>;
}

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE_TEMPLATE = fileURLToPath(new URL('./index.html', import.meta.url));
const DEFAULT_PORT = 5173;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

const BASE_HEADERS = {
  'Cache-Control': 'no-store',
  // Not `no-referrer`: that turns the form post's Origin into `null`, which the checkout check refuses.
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
};
/**
 * With the stand-in nothing may leave the machine, and this policy makes the browser hold the page to it.
 * WePay does not document what its real Risk.js loads, so real-mode pages go without one.
 */
const STAND_IN_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
/** The stand-in's device-profiling requests: an empty script and a 1×1 image answer them. */
const PROFILING_SCRIPT_PATH = '/fp/check.js';
const PROFILING_BEACON_PATH = '/fp/clear.png';
const PIXEL_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR42mNgAAIAAAUAAen63NgAAAAASUVORK5CYII=',
  'base64',
);
/** The result page runs no script at all. */
const RESULT_PAGE_CSP =
  "default-src 'none'; style-src 'self'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** An API base URL the demo may call: https, or http on this machine only (an access token may ride along). */
function checkedApiBase(base: string): string {
  let url: URL;
  try {
    url = new URL(base);
  } catch {
    throw new Error(`WEPAY_API_BASE is not a URL: ${base}`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname))) {
    throw new Error(`WEPAY_API_BASE must be https (plain http only on this machine): ${base}`);
  }
  return url.href.replace(/\/+$/, '');
}

function isLoopbackHost(hostHeader: string | undefined): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(`http://${hostHeader ?? ''}`).hostname);
  } catch {
    return false;
  }
}

function send(response: http.ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', ...BASE_HEADERS, ...headers });
  response.end(body);
}

/** The urlencoded form body, or `null` when it is too large. */
async function readForm(request: http.IncomingMessage): Promise<URLSearchParams | null> {
  const body = await readBody(request);
  return body === null ? null : new URLSearchParams(body);
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(error);
    server.once('error', fail);
    server.listen(port, host, () => {
      server.off('error', fail);
      resolve();
    });
  });
}

/** Starts the demo: the WePay API stand-in (unless `apiBase` is given), Vite, and the page server. */
export async function startDemo(options: DemoOptions = {}): Promise<DemoServer> {
  const host = options.host ?? '127.0.0.1';
  const defaultRisk = options.riskJs ?? 'stand-in';
  const standIn: WePayApiStandIn | null = options.apiBase ? null : await startWePayApiStandIn({ host });
  const apiBase = standIn?.url ?? checkedApiBase(options.apiBase ?? '');
  const api: WePayApi = {
    base: apiBase,
    accessToken: options.accessToken,
    clientId: options.clientId,
    standInUrl: standIn?.url,
  };
  const setup: DemoSetup = { defaultRisk, apiBase, apiIsStandIn: standIn !== null };

  const server = http.createServer();
  const vite = await createViteServer({
    configFile: false,
    root: REPO_ROOT,
    appType: 'custom',
    // Its own cache, so the demo's pre-bundled `@lit/reactive-element` never fights another Vite setup in this repo.
    cacheDir: path.join(REPO_ROOT, 'node_modules/.vite-demo'),
    logLevel: options.logLevel ?? 'warn',
    clearScreen: false,
    // Found up front, so Vite never reloads the page mid-visit to add a dependency it discovered late.
    optimizeDeps: { entries: ['demo/demo.ts'], include: ['@lit/reactive-element'] },
    server: { middlewareMode: true, ws: { server } },
  });

  let ownOrigin = '';
  /** The origins a browser may show for this server: its address, and the loopback names for it. */
  let ownOrigins = new Set<string>();

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', ownOrigin);
    const method = request.method ?? 'GET';
    const scenario = scenarioFrom(url.searchParams, defaultRisk);
    const scenarioSearch = scenarioQuery(scenario, defaultRisk);

    if ((url.pathname === '/' || url.pathname === '/index.html') && (method === 'GET' || method === 'HEAD')) {
      const template = await readFile(PAGE_TEMPLATE, 'utf8');
      const page = await vite.transformIndexHtml(
        url.pathname + url.search,
        renderCheckoutPage(template, scenario, setup),
      );
      send(response, 200, page, scenario.risk === 'stand-in' ? { 'Content-Security-Policy': STAND_IN_PAGE_CSP } : {});
      return;
    }

    if (url.pathname === '/checkout') {
      if (method !== 'POST') {
        response.writeHead(303, { Location: `/${scenarioSearch}`, ...BASE_HEADERS }).end();
        return;
      }
      // A page on another site must not make this server call WePay with your access token.
      const origin = request.headers.origin;
      const sameSite = request.headers['sec-fetch-site'] === 'same-origin';
      if (origin !== undefined && !ownOrigins.has(origin) && !sameSite) {
        send(response, 403, renderMessagePage('Forbidden', `Checkout posts must come from ${ownOrigin}.`));
        return;
      }
      const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/x-www-form-urlencoded') {
        send(response, 415, renderMessagePage('Unsupported form encoding', 'Post the form urlencoded (the default).'));
        return;
      }
      const body = await readForm(request);
      if (body === null) {
        send(response, 413, renderMessagePage('Too large', 'That form post is larger than a checkout form can be.'));
        return;
      }
      const result = await checkout(request, body, api, { allowPrivateIp: scenario.allowPrivateIp });
      send(response, 200, renderResultPage(result, setup, `/${scenarioSearch}`), {
        'Content-Security-Policy': RESULT_PAGE_CSP,
      });
      return;
    }

    // The stand-in profiles the device against this server, as WePay's Risk.js does against t.wepay.com.
    if (url.pathname === PROFILING_SCRIPT_PATH || url.pathname === PROFILING_BEACON_PATH) {
      const script = url.pathname === PROFILING_SCRIPT_PATH;
      response.writeHead(200, { ...BASE_HEADERS, 'Content-Type': script ? 'text/javascript' : 'image/png' });
      response.end(script ? '' : PIXEL_PNG);
      return;
    }

    vite.middlewares(request, response, () => {
      send(response, 404, renderMessagePage('Not found', `Nothing is served at ${url.pathname}.`));
    });
  }

  server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
    // Other names for this server may be DNS rebinding: answer only to the address it listens on.
    if (!isLoopbackHost(request.headers.host)) {
      send(response, 421, renderMessagePage('Misdirected request', 'This demo answers on 127.0.0.1 only.'));
      return;
    }
    handle(request, response).catch((error: unknown) => {
      console.error(error);
      if (!response.headersSent) send(response, 500, renderMessagePage('Demo server error', String(error)));
      else response.destroy();
    });
  });

  const requestedPort = options.port ?? DEFAULT_PORT;
  let busyPort: number | null = null;
  try {
    await listen(server, requestedPort, host);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || requestedPort === 0) throw error;
    busyPort = requestedPort;
    await listen(server, 0, host);
  }
  const { port } = server.address() as AddressInfo;
  ownOrigin = `http://${host}:${port}`;
  ownOrigins = new Set([ownOrigin, ...[...LOOPBACK_HOSTS].map((name) => `http://${name}:${port}`)]);

  return {
    url: `${ownOrigin}/`,
    apiUrl: apiBase,
    apiIsStandIn: standIn !== null,
    busyPort,
    async close() {
      await vite.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await standIn?.close();
    },
  };
}

function portFromEnv(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) throw new Error(`PORT must be a port number, not "${value}"`);
  return Number(value);
}

function riskFromEnv(value: string | undefined): RiskSource {
  if (value === undefined || value === '' || value === 'stand-in') return 'stand-in';
  if (value === 'real') return 'real';
  throw new Error(`RISK_JS must be "real" or "stand-in", not "${value}"`);
}

async function main(): Promise<void> {
  const env = process.env;
  const demo = await startDemo({
    port: portFromEnv(env['PORT']),
    riskJs: riskFromEnv(env['RISK_JS']),
    apiBase: env['WEPAY_API_BASE'] || undefined,
    accessToken: env['WEPAY_ACCESS_TOKEN'] || undefined,
    clientId: env['WEPAY_CLIENT_ID'] || undefined,
    logLevel: 'info',
  });
  const risk = riskFromEnv(env['RISK_JS']);
  const lines = [
    '',
    '  wepay-risk-token demo',
    '',
    `  ➜ Checkout page:  ${demo.url}`,
    `  ➜ WePay API:      ${demo.apiUrl}${demo.apiIsStandIn ? `  (local stand-in; its calls: ${demo.apiUrl}/__calls)` : ''}`,
    `  ➜ Risk.js:        ${risk === 'real' ? 'WePay’s real script (needs internet; ?risk=stand-in for the stand-in)' : 'offline stand-in (?risk=real for WePay’s)'}`,
    `  ➜ Access token:   ${env['WEPAY_ACCESS_TOKEN'] ? 'set (sent as Authorization)' : 'not set (no Authorization header)'}`,
    '',
  ];
  if (demo.busyPort !== null) lines.splice(2, 0, `  Port ${demo.busyPort} is busy; using another one.`);
  console.log(lines.join('\n'));

  const stop = () => {
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
