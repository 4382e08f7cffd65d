/// <reference types="node" />
/**
 * Real HTTP plumbing for the server tests: servers on 127.0.0.1 (ephemeral ports), a tiny reverse proxy that
 * forwards and appends X-Forwarded-For / Forwarded like nginx or a load balancer would, and a client that
 * can bind a chosen loopback source address so the shopper and each proxy have distinct addresses.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts `handler` on 127.0.0.1 (or `host`) at an ephemeral port. */
export async function listen(handler: http.RequestListener, host = '127.0.0.1'): Promise<Listening> {
  const server = http.createServer({ keepAlive: false }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface ProxyOptions {
  /** Source address the proxy connects upstream from (what the next hop sees as its socket address). */
  readonly localAddress: string;
  /** Which header the proxy appends to. The other one is passed through untouched. */
  readonly header: 'x-forwarded-for' | 'forwarded';
  /**
   * Append this address instead of the real peer address: stands in for an edge (CDN) that received the
   * shopper's connection from the public internet, which tests on loopback cannot do for real.
   */
  readonly pretendPeer?: string;
}

/** A reverse proxy on 127.0.0.1 that forwards everything to `upstreamPort` and appends the peer address. */
export function startProxy(upstreamPort: number, options: ProxyOptions): Promise<Listening> {
  return listen((req, res) => {
    const peer = options.pretendPeer ?? (req.socket.remoteAddress as string);
    const headers: http.OutgoingHttpHeaders = { ...req.headers, connection: 'close' };
    if (options.header === 'x-forwarded-for') {
      const previous = req.headers['x-forwarded-for'];
      headers['x-forwarded-for'] = previous ? `${previous}, ${peer}` : peer;
    } else {
      const node = peer.includes(':') ? `"[${peer}]:4711"` : peer;
      const previous = req.headers.forwarded;
      headers.forwarded = `${previous ? `${previous}, ` : ''}for=${node};proto=http;by=_proxy`;
    }
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        localAddress: options.localAddress,
        method: req.method,
        path: req.url,
        headers,
        agent: false,
      },
      (upstreamResponse) => {
        res.writeHead(upstreamResponse.statusCode ?? 502, upstreamResponse.headers);
        upstreamResponse.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
    req.pipe(upstream);
  });
}

export interface SendOptions {
  readonly method?: string;
  readonly path?: string;
  readonly headers?: http.OutgoingHttpHeaders | ReadonlyArray<[string, string]>;
  readonly body?: string | Uint8Array;
  /** The shopper's source address (a 127/8 address on Linux). */
  readonly localAddress?: string;
  readonly host?: string;
}

export interface Reply {
  readonly status: number;
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

/** Sends one request on a fresh connection and reads the whole reply. */
export function send(port: number, options: SendOptions = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let headers: http.OutgoingHttpHeaders | string[] = { ...(options.headers as http.OutgoingHttpHeaders) };
    if (Array.isArray(options.headers)) {
      // Raw [name, value] pairs: lets a test send the same header on several lines. Node adds no Host
      // header to a raw list, so add one.
      headers = [['Host', `127.0.0.1:${port}`], ...(options.headers as ReadonlyArray<[string, string]>)].flat();
    }
    const request = http.request(
      {
        host: options.host ?? '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path ?? '/',
        headers,
        localAddress: options.localAddress,
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body, json: () => JSON.parse(body) });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Whether this machine lets a client bind `address` (Linux routes all of 127/8 to loopback; macOS does not). */
export async function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, address, () => server.close(() => resolve(true)));
  });
}
