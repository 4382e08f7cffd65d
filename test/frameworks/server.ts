import { EventEmitter, once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';

/** A POST as the server received it: its path and every field of its body, in order. */
export interface ReceivedPost {
  path: string;
  contentType: string;
  fields: Array<[name: string, value: string]>;
}

export interface FrameworkServer {
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** Every request since the last `reset()`, as `METHOD /path?query`. */
  readonly requests: string[];
  /** Every POST since the last `reset()`. */
  readonly posts: ReceivedPost[];
  /** Requests for Risk.js (the stand-in at `/risk.js`) since the last `reset()`. */
  scriptRequests(): number;
  /** Resolves once `count` POSTs have arrived since the last `reset()`. */
  waitForPosts(count: number, timeout?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

export interface ServerOptions {
  /** Built apps: URL prefix (`react` serves `/react/…`) → the directory Vite wrote. */
  apps: Map<string, string>;
  /** The classic-script Risk.js stand-in (`dist/testing/risk-stand-in.js`). */
  standIn: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** What a form post gets back: an HTML fragment, so htmx can swap it and a native post can show it. */
const PAID = '<p id="paid">Paid</p>';

/** Where Turbo's form posts redirect to: Turbo renders a form response only after a redirect, as Rails sends. */
const REDIRECTS = new Map([['/turbo/checkout', '/turbo/paid.html']]);

/**
 * A server on a free loopback port that answers every request with `handle` (a 500 saying why if it throws):
 * what the framework apps and the back/forward-cache checkout (checkout-server.ts) are served from.
 */
export async function listenOnLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, origin: `http://127.0.0.1:${port}` };
}

/** Resolves once `received()` reaches `count`, checking at each `post` that `arrivals` emits; else throws. */
export async function waitForPosts(
  arrivals: EventEmitter,
  received: () => number,
  count: number,
  timeout: number,
): Promise<void> {
  const signal = AbortSignal.timeout(timeout);
  while (received() < count) {
    try {
      await once(arrivals, 'post', { signal });
    } catch {
      throw new Error(`expected ${count} POST(s) within ${timeout} ms; received ${received()}`);
    }
  }
}

export async function readBody(req: IncomingMessage): Promise<Uint8Array<ArrayBuffer>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Fields of a urlencoded or multipart body, parsed as a server framework would (by Undici's `formData()`). */
async function fieldsOf(body: Uint8Array<ArrayBuffer>, contentType: string): Promise<ReceivedPost['fields']> {
  if (!/^(application\/x-www-form-urlencoded|multipart\/form-data)/.test(contentType)) return [];
  const form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  return [...form.entries()].map(([name, value]) => [name, typeof value === 'string' ? value : `[file ${value.name}]`]);
}

/**
 * One local server for every framework app: it serves the built apps and the Risk.js stand-in, and records
 * every request and every POST body. The stand-in's device profiling loads from `data:` URLs (its default), so
 * there is nothing to answer for it.
 */
export async function startFrameworkServer({ apps, standIn }: ServerOptions): Promise<FrameworkServer> {
  const standInSource = await readFile(standIn);
  let requests: string[] = [];
  let posts: ReceivedPost[] = [];
  const arrivals = new EventEmitter();

  async function serveFile(res: ServerResponse, pathname: string): Promise<void> {
    const [, prefix = '', ...rest] = pathname.split('/');
    const root = apps.get(prefix);
    const relative = normalize(rest.join('/') || 'index.html');
    if (!root || relative.startsWith('..')) return notFound(res);
    try {
      const file = await readFile(join(root, relative.endsWith('/') ? `${relative}index.html` : relative));
      res.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream' });
      res.end(file);
    } catch {
      notFound(res);
    }
  }

  /**
   * The morph apps (morph.test.ts) post to their own page. Turbo's gets a 303 back to it, which Turbo renders as a
   * refresh that morphs; htmx's gets the page's form as the server rendered it (no hidden input) with a decline, to
   * morph in. False for any other post.
   */
  async function answerMorphPost(res: ServerResponse, pathname: string): Promise<boolean> {
    if (apps.has('turbo-morph') && pathname.startsWith('/turbo-morph/')) {
      res.writeHead(303, { location: pathname }).end();
      return true;
    }
    const root = apps.get('htmx-morph');
    const page = normalize(pathname.slice('/htmx-morph/'.length) || 'index.html');
    if (!root || !pathname.startsWith('/htmx-morph/') || page.startsWith('..')) return false;
    const form = /<form[\s\S]*<\/form>/.exec(await readFile(join(root, page), 'utf8'))?.[0] ?? '';
    const declined = form.replace('</form>', '  <p id="declined">Card declined</p>\n    </form>');
    res.writeHead(200, { 'content-type': TYPES['.html'] }).end(declined);
    return true;
  }

  function notFound(res: ServerResponse): void {
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found');
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}${url.search}`);

    if (req.method === 'POST') {
      const contentType = req.headers['content-type'] ?? '';
      const fields = await fieldsOf(await readBody(req), contentType);
      posts.push({ path: url.pathname, contentType, fields });
      arrivals.emit('post');
      if (await answerMorphPost(res, url.pathname)) return;
      const redirect = REDIRECTS.get(url.pathname);
      if (redirect) res.writeHead(303, { location: redirect }).end();
      else res.writeHead(200, { 'content-type': TYPES['.html'] }).end(PAID);
      return;
    }
    // Never cached, so every page load that wants Risk.js shows up here.
    if (url.pathname === '/risk.js') {
      res.writeHead(200, { 'content-type': TYPES['.js'], 'cache-control': 'no-store' }).end(standInSource);
      return;
    }
    // Asked for by every page; a 404 would show up as an error on the page.
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    await serveFile(res, url.pathname);
  }

  const { server, origin } = await listenOnLoopback(handle);

  return {
    origin,
    get requests() {
      return requests;
    },
    get posts() {
      return posts;
    },
    scriptRequests: () => requests.filter((request) => request.startsWith('GET /risk.js')).length,
    waitForPosts: (count, timeout = 10_000) => waitForPosts(arrivals, () => posts.length, count, timeout),
    reset() {
      requests = [];
      posts = [];
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
