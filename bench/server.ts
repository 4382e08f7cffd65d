/**
 * The benchmark's local server on 127.0.0.1. It serves the contenders' pages, the element's standalone
 * module and the Risk.js stand-in — held back for the run's `arrival` ms, as a slow third party is, or
 * failed at once (the connection dropped before any answer), as an ad blocker does. It answers the
 * stand-in's device-profiling requests and the checkout posts, noting when each arrived, so that a posted
 * token can be called profiled (its session was profiled before the post) or not.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createSecureServer } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { CONTENDERS, type ContenderId } from './contenders.js';

/** Now, in epoch ms with sub-ms precision: the scale of the page's `performance.timeOrigin + performance.now()`. */
export const epochNow = () => performance.timeOrigin + performance.now();

/** When Risk.js arrives: after so many ms, or never (`blocked`: the request fails at once). */
export type Arrival = number | 'blocked';

export interface Post {
  /** What the form posted as `wepay_risk_token` (empty when the field was missing). */
  token: string;
  /** When the post arrived, epoch ms. */
  at: number;
}

export interface BenchServer {
  origin: string;
  /** The page of `contender` for run `run`, whose Risk.js arrives as `arrival` says. */
  pageUrl(contender: ContenderId, run: string, arrival: Arrival): string;
  /** The post of run `run`, once it arrives; `undefined` if it has not within `timeout` ms. */
  post(run: string, timeout: number): Promise<Post | undefined>;
  /**
   * How many ms the first profiling request for the session that run `run` posted came before that post
   * (negative: after it); null when none came, or nothing was posted.
   */
  profileLead(run: string): number | null;
  /** Serves `body` at `path` on every origin of the server (a page, a build of the element). */
  serve(path: string, contentType: string, body: string | Uint8Array): void;
  /**
   * The same answers over HTTPS (HTTP/2, as CDNs serve them, or HTTP/1.1) on a port of its own, each new
   * connection held `delay` ms before its TLS handshake may start, as DNS, TCP and TLS set-up take on a slow
   * mobile network; Risk.js at `/min/js/risk.js` too, as on WePay's host. `connections` counts the connections
   * made, per host name asked for (SNI).
   */
  slowTls(options: { key: Buffer; cert: Buffer; delay: number }): Promise<SlowTls>;
  close(): Promise<void>;
}

export interface SlowTls {
  port: number;
  connections: Map<string, number>;
}

/** A 1×1 transparent GIF, the profiling beacon's answer. */
const PIXEL = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

const NO_STORE = { 'cache-control': 'no-store' };

export async function startBenchServer(): Promise<BenchServer> {
  const [standalone, standIn] = await Promise.all([
    readFile('dist/wepay-risk-token.min.js'),
    readFile('dist/testing/risk-stand-in.js'),
  ]);
  const posts = new Map<string, Post>();
  const postWaiters = new Map<string, (post: Post) => void>();
  const profiled = new Map<string, number>();
  const served = new Map<string, { contentType: string; body: string | Uint8Array }>();
  const closers: Array<() => Promise<void>> = [];

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const [, first, second] = url.pathname.split('/');
    if (first === 'page' && request.method === 'GET') {
      const contender = CONTENDERS.find((candidate) => candidate.id === second);
      const run = url.searchParams.get('run');
      const arrival = url.searchParams.get('arrival');
      if (!contender || !run || !arrival) return void response.writeHead(404).end();
      // `profile=/`: the stand-in profiles against this server, which times when each session was profiled.
      const html = contender.page(`/risk.js?arrival=${arrival}&profile=/`, `/checkout/${encodeURIComponent(run)}`);
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...NO_STORE }).end(html);
    } else if (served.has(url.pathname)) {
      const { contentType, body } = served.get(url.pathname)!;
      response.writeHead(200, { 'content-type': contentType, ...NO_STORE }).end(body);
    } else if (url.pathname === '/risk.js' || url.pathname === '/min/js/risk.js') {
      const arrival = url.searchParams.get('arrival');
      if (arrival === 'blocked') return void request.socket.destroy();
      await new Promise((resolve) => setTimeout(resolve, Number(arrival ?? 0)));
      response.writeHead(200, { 'content-type': 'text/javascript', ...NO_STORE }).end(standIn);
    } else if (url.pathname === '/wepay-risk-token.min.js') {
      response.writeHead(200, { 'content-type': 'text/javascript', ...NO_STORE }).end(standalone);
    } else if (first === 'fp') {
      const session = url.searchParams.get('session_id');
      if (session && !profiled.has(session)) profiled.set(session, epochNow());
      if (second === 'clear.png') response.writeHead(200, { 'content-type': 'image/gif', ...NO_STORE }).end(PIXEL);
      else response.writeHead(200, { 'content-type': 'text/javascript', ...NO_STORE }).end('');
    } else if (first === 'checkout' && second && request.method === 'POST') {
      const at = epochNow();
      let body = '';
      for await (const chunk of request) body += chunk;
      const run = decodeURIComponent(second);
      const post = { token: new URLSearchParams(body).get('wepay_risk_token') ?? '', at };
      posts.set(run, post);
      postWaiters.get(run)?.(post);
      response
        .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><title>Thank you</title>');
    } else {
      response.writeHead(404).end();
    }
  }

  const server = createServer((request, response) => void answer(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function slowTls({ key, cert, delay }: { key: Buffer; cert: Buffer; delay: number }) {
    const connections = new Map<string, number>();
    // The compatibility API answers as `node:http` does, which is all `answer` uses.
    const https = createSecureServer(
      { key, cert, allowHTTP1: true },
      (request, response) => void answer(request as unknown as IncomingMessage, response as unknown as ServerResponse),
    );
    https.on('secureConnection', ({ servername }) => {
      const host = servername || '(no SNI)';
      connections.set(host, (connections.get(host) ?? 0) + 1);
    });
    // The client's hello waits in the socket until the handshake starts.
    const sockets = new Set<Socket>();
    const front = createTcpServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      setTimeout(() => https.emit('connection', socket), delay);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    closers.push(
      () =>
        new Promise((resolve) => {
          for (const socket of sockets) socket.destroy();
          front.close(() => resolve());
        }),
    );
    return { port: (front.address() as AddressInfo).port, connections };
  }

  return {
    origin,
    pageUrl: (contender, run, arrival) =>
      `${origin}/page/${contender}?run=${encodeURIComponent(run)}&arrival=${arrival}`,
    post(run, timeout) {
      const arrived = posts.get(run);
      if (arrived) return Promise.resolve(arrived);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          postWaiters.delete(run);
          resolve(undefined);
        }, timeout);
        postWaiters.set(run, (post) => {
          clearTimeout(timer);
          postWaiters.delete(run);
          resolve(post);
        });
      });
    },
    profileLead(run) {
      const post = posts.get(run);
      const profiledAt = post && profiled.get(post.token.toLowerCase());
      return post && profiledAt !== undefined ? post.at - profiledAt : null;
    },
    serve: (path, contentType, body) => void served.set(path, { contentType, body }),
    slowTls,
    async close() {
      await Promise.all(closers.map((close) => close()));
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
