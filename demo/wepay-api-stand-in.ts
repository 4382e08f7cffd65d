/**
 * A local stand-in for WePay's v2 API, so the demo can show what WePay would receive without an account or
 * an internet connection. It records every call's method, path and risk headers, and answers
 * `POST /credit_card/create` the way WePay does, with a small JSON body.
 *
 * - `POST /credit_card/create` (JSON body): `200 { "credit_card_id": …, "state": "new" }`; a body that is not
 *   a JSON object gets WePay's error shape with status 400. Other paths: WePay's error shape with 404.
 * - `GET /__calls`: every recorded call, oldest first; `GET /__calls/ID`: one call.
 * - Each answer to an API call carries `X-Stand-In-Call-Id`, so the demo server can look its record up.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from './request-body.js';

/** What the stand-in keeps of one API call. */
export interface RecordedCall {
  id: number;
  method: string;
  path: string;
  /** The two risk headers exactly as they arrived, or `null` when absent. */
  headers: {
    'WePay-Risk-Token': string | null;
    'Client-IP': string | null;
  };
  /** Whether an `Authorization` header came; its value is never kept. */
  authorized: boolean;
  status: number;
  response: unknown;
}

export interface WePayApiStandIn {
  /** Base URL to use as `WEPAY_API_BASE`, without a trailing slash. */
  url: string;
  calls: readonly RecordedCall[];
  close(): Promise<void>;
}

const FIRST_CREDIT_CARD_ID = 1234;

function header(request: http.IncomingMessage, name: string): string | null {
  const value = request.headers[name.toLowerCase()];
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const body = await readBody(request);
  if (body === null) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** WePay's error body: `error`, `error_description`, `error_code`. */
function wepayError(description: string, code: number): unknown {
  return { error: 'invalid_request', error_description: description, error_code: code };
}

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    ...extra,
  });
  response.end(JSON.stringify(body, null, 2));
}

/** Starts the stand-in on `host:port` (`port` 0, the default, picks a free one). */
export async function startWePayApiStandIn({ port = 0, host = '127.0.0.1' } = {}): Promise<WePayApiStandIn> {
  const calls: RecordedCall[] = [];
  let nextCardId = FIRST_CREDIT_CARD_ID;

  const server = http.createServer(async (request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://stand-in');
    const method = request.method ?? 'GET';

    if (pathname === '/__calls' && method === 'GET') {
      sendJson(response, 200, calls);
      return;
    }
    const one = /^\/__calls\/(\d+)$/.exec(pathname);
    if (one && method === 'GET') {
      const call = calls.find((candidate) => candidate.id === Number(one[1]));
      if (call) sendJson(response, 200, call);
      else sendJson(response, 404, { error: 'no such call' });
      return;
    }

    let status: number;
    let body: unknown;
    if (pathname === '/credit_card/create' && method === 'POST') {
      const card = await readJson(request);
      if (typeof card === 'object' && card !== null && !Array.isArray(card)) {
        status = 200;
        body = { credit_card_id: nextCardId++, state: 'new' };
      } else {
        status = 400;
        body = wepayError('The request body must be a JSON object.', 1001);
      }
    } else {
      request.resume();
      status = 404;
      body = wepayError(`${method} ${pathname} is not an API call this stand-in knows.`, 1001);
    }

    const call: RecordedCall = {
      id: calls.length + 1,
      method,
      path: pathname,
      headers: { 'WePay-Risk-Token': header(request, 'WePay-Risk-Token'), 'Client-IP': header(request, 'Client-IP') },
      authorized: header(request, 'Authorization') !== null,
      status,
      response: body,
    };
    calls.push(call);
    sendJson(response, status, body, { 'X-Stand-In-Call-Id': String(call.id) });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;

  return {
    url: `http://${host}:${address.port}`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
