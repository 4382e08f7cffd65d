/// <reference types="node" />
/**
 * End-to-end tests over real HTTP on 127.0.0.1: a plain node:http server and an Express app, reached
 * directly or through one or two real reverse proxies that append X-Forwarded-For / Forwarded, with a
 * shopper who sends their own forged headers.
 *
 * Addresses (Linux routes all of 127.0.0.0/8 to loopback, so each party gets its own source address):
 *   shopper 127.0.0.5 → CDN proxy (connects out from 127.0.0.2) → LB proxy (from 127.0.0.3) → origin
 */
import assert from 'node:assert/strict';
import type http from 'node:http';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';

import express from 'express';

import {
  clientIpFrom,
  riskHeaders,
  riskTokenFrom,
  type ClientIpOptions,
  type RiskHeaders,
} from '../../src/server/index.js';
import { canBind, listen, send, startProxy, type Listening } from './http-helpers.js';

const SHOPPER = '127.0.0.5';
const CDN = '127.0.0.2';
const LB = '127.0.0.3';
const SPOOF = '1.2.3.4';
const TOKEN = '123e4567-e89b-12d3-a456-426655440000';

/** The trust configurations every origin evaluates for every request. */
const CONFIGS = {
  none: {},
  hops1: { trustProxy: 1 },
  hops2: { trustProxy: 2 },
  lb: { trustProxy: [LB] },
  cdnLb: { trustProxy: [CDN, LB] },
  cidr: { trustProxy: ['127.0.0.2/31'] }, // exactly CDN and LB, not the shopper
  fwd1: { header: 'forwarded', trustProxy: 1 },
  fwd2: { header: 'forwarded', trustProxy: 2 },
  fwdList: { header: 'forwarded', trustProxy: [CDN, LB] },
} satisfies Record<string, ClientIpOptions>;
type ConfigName = keyof typeof CONFIGS;

/** The same trust settings in Express's own terms (X-Forwarded-For only), for a differential check. */
const EXPRESS_TRUST: Partial<Record<ConfigName, unknown>> = {
  none: false,
  hops1: 1,
  hops2: 2,
  lb: LB,
  cdnLb: [CDN, LB],
  cidr: '127.0.0.2/31',
};

interface Report {
  socket: string;
  ip: Record<ConfigName, string | null>;
  risk: Record<ConfigName, RiskHeaders>;
  riskDev: Record<ConfigName, RiskHeaders>;
  expressIp?: Partial<Record<ConfigName, string>>;
}

function report(req: http.IncomingMessage): Report {
  const ip = {} as Report['ip'];
  const risk = {} as Report['risk'];
  const riskDev = {} as Report['riskDev'];
  for (const [name, options] of Object.entries(CONFIGS) as Array<[ConfigName, ClientIpOptions]>) {
    ip[name] = clientIpFrom(req, options);
    const input = { token: req.headers['x-test-token'], clientIp: ip[name] };
    risk[name] = riskHeaders(input);
    riskDev[name] = riskHeaders(input, { allowPrivateIp: true });
  }
  return { socket: req.socket.remoteAddress as string, ip, risk, riskDev };
}

function plainHandler(req: http.IncomingMessage, res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(report(req)));
}

function expressApp(): express.Express {
  const app = express();
  app.get('/', (req, res) => {
    const result = report(req);
    // Express's own answer under the equivalent 'trust proxy' setting (read lazily by req.ip).
    result.expressIp = {};
    for (const [name, trust] of Object.entries(EXPRESS_TRUST) as Array<[ConfigName, unknown]>) {
      app.set('trust proxy', trust);
      result.expressIp[name] = req.ip as string;
    }
    app.set('trust proxy', false);
    res.json(result);
  });
  app.post('/token/urlencoded', express.urlencoded({ extended: false }), (req, res) => {
    res.json({ token: riskTokenFrom(req.body) });
  });
  app.post('/token/extended', express.urlencoded({ extended: true }), (req, res) => {
    res.json({ token: riskTokenFrom(req.body) });
  });
  app.post('/token/json', express.json(), (req, res) => {
    res.json({ token: riskTokenFrom(req.body), polluted: ({} as Record<string, unknown>).wepay_risk_token ?? null });
  });
  // Strict mode: the error a misconfigured route gets, as its message.
  const strictToken: express.RequestHandler = (req, res) => {
    try {
      res.json({ token: riskTokenFrom(req.body, { strict: true }) });
    } catch (error) {
      res.json({ error: (error as Error).message });
    }
  };
  app.post('/token/strict/urlencoded', express.urlencoded({ extended: false }), strictToken);
  app.post('/token/strict/no-parser', strictToken);
  // The whole flow a shop runs before calling /credit_card/create, behind one load balancer.
  app.post('/checkout', express.urlencoded({ extended: false }), (req, res) => {
    res.json(riskHeaders({ token: riskTokenFrom(req.body), clientIp: clientIpFrom(req, { trustProxy: 1 }) }));
  });
  return app;
}

/** A Fetch-API style route handler (as in Next.js / Hono / Deno), adapted onto node:http. */
async function fetchStyleHandler(request: Request, remoteAddress: string | undefined): Promise<Response> {
  const contentType = request.headers.get('content-type') ?? '';
  const body = contentType.startsWith('multipart/form-data')
    ? await request.formData()
    : new URLSearchParams(await request.text());
  const clientIp = clientIpFrom(request, { trustProxy: 1, remoteAddress });
  return Response.json({
    clientIp,
    token: riskTokenFrom(body),
    headers: riskHeaders({ token: riskTokenFrom(body), clientIp }, { allowPrivateIp: true }),
  });
}

function fetchAdapter(req: http.IncomingMessage, res: http.ServerResponse): void {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    headers.append(req.rawHeaders[i] as string, req.rawHeaders[i + 1] as string);
  const init: RequestInit & { duplex?: 'half' } = { method: req.method, headers };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    init.body = Readable.toWeb(req) as unknown as ReadableStream;
    init.duplex = 'half';
  }
  const request = new Request(`http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`, init);
  fetchStyleHandler(request, req.socket.remoteAddress).then(
    async (response) => {
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    },
    (error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    },
  );
}

const multiLoopback = await canBind(SHOPPER);

/** Checks that whenever we give an answer, Express with the same trust setting gives the same one. */
function assertAgreesWithExpress(result: Report): void {
  if (!result.expressIp) return;
  for (const [name, expressIp] of Object.entries(result.expressIp) as Array<[ConfigName, string]>) {
    const ours = result.ip[name];
    if (ours !== null) assert.equal(ours, expressIp.replace(/^::ffff:/, ''), `${name}: ours vs Express`);
  }
}

for (const kind of ['node:http', 'express'] as const) {
  describe(
    `${kind} server behind 0, 1 and 2 real proxies`,
    { skip: !multiLoopback && 'needs 127.0.0.0/8 source addresses' },
    () => {
      let origin: Listening;
      const servers: Listening[] = [];
      /** Ports to send to: direct, via LB (XFF), via CDN→LB (XFF), and the same chains writing Forwarded. */
      const port = { direct: 0, lb: 0, cdnLb: 0, cdnLbPublic: 0, cdnLbUnknown: 0, fwdLb: 0, fwdCdnLbPublic: 0 };

      before(async () => {
        origin = await listen(kind === 'express' ? (expressApp() as unknown as http.RequestListener) : plainHandler);
        servers.push(origin);
        const proxy = async (
          upstream: number,
          localAddress: string,
          header: 'x-forwarded-for' | 'forwarded',
          pretendPeer?: string,
        ) => {
          const p = await startProxy(upstream, { localAddress, header, ...(pretendPeer ? { pretendPeer } : {}) });
          servers.push(p);
          return p.port;
        };
        port.direct = origin.port;
        port.lb = await proxy(origin.port, LB, 'x-forwarded-for');
        port.cdnLb = await proxy(port.lb, CDN, 'x-forwarded-for');
        port.cdnLbPublic = await proxy(port.lb, CDN, 'x-forwarded-for', '100.166.99.123');
        port.cdnLbUnknown = await proxy(port.lb, CDN, 'x-forwarded-for', 'unknown');
        port.fwdLb = await proxy(origin.port, LB, 'forwarded');
        port.fwdCdnLbPublic = await proxy(port.fwdLb, CDN, 'forwarded', '2606:4700:4700::1111');
      });
      after(async () => {
        await Promise.all(servers.map((s) => s.close()));
      });

      const forged = { 'x-forwarded-for': SPOOF, forwarded: `for=${SPOOF}`, 'x-test-token': TOKEN.toUpperCase() };
      const get = async (p: number, headers: Record<string, string> | Array<[string, string]> = forged) => {
        const reply = await send(p, { localAddress: SHOPPER, headers });
        assert.equal(reply.status, 200, reply.body);
        const result = reply.json<Report>();
        assertAgreesWithExpress(result);
        return result;
      };

      it('0 proxies: the socket address; forged headers are ignored by every correct configuration', async () => {
        const r = await get(port.direct);
        assert.equal(r.socket, SHOPPER);
        for (const name of ['none', 'lb', 'cdnLb', 'cidr', 'fwdList'] as const) assert.equal(r.ip[name], SHOPPER, name);
        assert.deepEqual(r.risk.none, { 'WePay-Risk-Token': TOKEN }, 'loopback shopper is private: no Client-IP');
        assert.deepEqual(r.riskDev.none, { 'WePay-Risk-Token': TOKEN, 'Client-IP': SHOPPER });
      });

      it('1 proxy (load balancer): trustProxy 1 or the LB address finds the shopper, not the forged entry', async () => {
        const r = await get(port.lb);
        assert.equal(r.socket, LB);
        assert.equal(r.ip.none, LB);
        for (const name of ['hops1', 'lb', 'cdnLb', 'cidr'] as const) assert.equal(r.ip[name], SHOPPER, name);
        assert.deepEqual(r.riskDev.hops1, { 'WePay-Risk-Token': TOKEN, 'Client-IP': SHOPPER });
        // Counting more hops than exist is a misconfiguration that hands the choice to the shopper:
        assert.equal(r.ip.hops2, SPOOF);
      });

      it('2 proxies (CDN + load balancer): trustProxy 2 or both proxy addresses', async () => {
        const r = await get(port.cdnLb);
        assert.equal(r.ip.none, LB);
        assert.equal(r.ip.hops1, CDN);
        assert.equal(r.ip.lb, CDN);
        for (const name of ['hops2', 'cdnLb', 'cidr'] as const) assert.equal(r.ip[name], SHOPPER, name);
      });

      it('2 proxies with a public shopper address: Client-IP is sent without allowPrivateIp', async () => {
        const r = await get(port.cdnLbPublic);
        for (const name of ['hops2', 'cdnLb', 'cidr'] as const) {
          assert.equal(r.ip[name], '100.166.99.123', name);
          assert.deepEqual(r.risk[name], { 'WePay-Risk-Token': TOKEN, 'Client-IP': '100.166.99.123' }, name);
        }
        // Under-trusting yields a proxy's (private) address, which riskHeaders then leaves out.
        assert.equal(r.ip.hops1, CDN);
        assert.deepEqual(r.risk.hops1, { 'WePay-Risk-Token': TOKEN });
      });

      it('a trusted proxy that writes "unknown": null, never the proxy or the forged entry', async () => {
        const r = await get(port.cdnLbUnknown);
        assert.equal(r.ip.hops2, null);
        assert.equal(r.ip.cdnLb, null);
        assert.equal(r.ip.cidr, null);
        assert.deepEqual(r.risk.hops2, { 'WePay-Risk-Token': TOKEN });
      });

      it('a forged X-Forwarded-For on several header lines, plus garbage, still loses', async () => {
        const lines: Array<[string, string]> = [
          ['X-Forwarded-For', '9.9.9.9'],
          ['X-Forwarded-For', `garbage, ${SPOOF}`],
          ['X-Test-Token', TOKEN],
        ];
        const viaLb = await get(port.lb, lines);
        assert.equal(viaLb.ip.hops1, SHOPPER);
        assert.equal(viaLb.ip.cidr, SHOPPER);
        const viaBoth = await get(port.cdnLb, lines);
        assert.equal(viaBoth.ip.hops2, SHOPPER);
        assert.equal(viaBoth.ip.cdnLb, SHOPPER);
        // Direct: the lines arrive joined in order, so (wrongly) trusting 1 hop reads the last forged one.
        const direct = await get(port.direct, lines);
        assert.equal(direct.ip.hops1, SPOOF);
        assert.equal(direct.ip.hops2, null, 'garbage is never skipped over');
        assert.equal(direct.ip.none, SHOPPER);
      });

      it('RFC 7239 Forwarded chain (IPv6, quoted, with port): header "forwarded" reads it, XFF mode ignores it', async () => {
        const r = await get(port.fwdCdnLbPublic);
        assert.equal(r.ip.fwd2, '2606:4700:4700::1111');
        assert.equal(r.ip.fwdList, '2606:4700:4700::1111');
        assert.equal(r.ip.fwd1, CDN);
        assert.deepEqual(r.risk.fwd2, { 'WePay-Risk-Token': TOKEN, 'Client-IP': '2606:4700:4700::1111' });
        // The proxies never touched X-Forwarded-For: only the forged entry is there, and 2 hops do not fit.
        assert.equal(r.ip.hops2, null);
        const viaLb = await get(port.fwdLb);
        assert.equal(viaLb.ip.fwd1, SHOPPER);
        assert.equal(viaLb.ip.fwdList, SHOPPER);
      });
    },
  );
}

describe('dual-stack and IPv6 sockets', () => {
  let server: Listening | undefined;
  before(async () => {
    try {
      server = await listen(plainHandler, '::');
    } catch {
      server = undefined;
    }
  });
  after(async () => {
    await server?.close();
  });

  it('an IPv4 client on a dual-stack socket (::ffff:127.0.0.1) comes out as 127.0.0.1', async (t) => {
    if (!server) return t.skip('no IPv6 on this machine');
    const r = (await send(server.port)).json<Report>();
    assert.equal(r.socket, '::ffff:127.0.0.1');
    assert.equal(r.ip.none, '127.0.0.1');
    assert.equal(r.ip.lb, '127.0.0.1');
    assert.deepEqual(r.riskDev.none, { 'Client-IP': '127.0.0.1' });
  });
  it('an IPv6 loopback client comes out as ::1', async (t) => {
    if (!server) return t.skip('no IPv6 on this machine');
    let r: Report;
    try {
      r = (await send(server.port, { host: '::1' })).json<Report>();
    } catch {
      return t.skip('::1 unreachable');
    }
    assert.equal(r.ip.none, '::1');
    assert.deepEqual(r.risk.none, {});
    assert.deepEqual(r.riskDev.none, { 'Client-IP': '::1' });
  });
});

describe('riskTokenFrom with bodies posted over HTTP to Express', () => {
  let app: Listening;
  let lb: Listening;
  before(async () => {
    app = await listen(expressApp() as unknown as http.RequestListener);
    lb = await startProxy(app.port, { localAddress: '127.0.0.1', header: 'x-forwarded-for', pretendPeer: '8.8.8.8' });
  });
  after(async () => {
    await Promise.all([app.close(), lb.close()]);
  });

  const post = async (path: string, contentType: string, body: string) => {
    const reply = await send(app.port, { method: 'POST', path, headers: { 'content-type': contentType }, body });
    assert.equal(reply.status, 200, reply.body);
    return reply.json<{ token: string | null; polluted?: unknown; error?: string }>();
  };
  const FORM = 'application/x-www-form-urlencoded';

  it('urlencoded: one field → lower-cased token', async () => {
    assert.equal((await post('/token/urlencoded', FORM, `wepay_risk_token=${TOKEN.toUpperCase()}&x=1`)).token, TOKEN);
    assert.equal((await post('/token/extended', FORM, `wepay_risk_token=${TOKEN}`)).token, TOKEN);
  });
  it('urlencoded: a field repeated with the same token (either case) → the token', async () => {
    const twice = `wepay_risk_token=${TOKEN}&wepay_risk_token=${TOKEN.toUpperCase()}`;
    assert.equal((await post('/token/urlencoded', FORM, twice)).token, TOKEN);
    assert.equal((await post('/token/extended', FORM, twice)).token, TOKEN);
  });
  it('urlencoded: a field repeated with differing values → null', async () => {
    for (const body of [
      'wepay_risk_token=a&wepay_risk_token=b',
      `wepay_risk_token=${TOKEN}&wepay_risk_token=f81d4fae-7dec-11d0-a765-00a0c91e6bf6`,
      `wepay_risk_token=${TOKEN}&wepay_risk_token=undefined`,
      `wepay_risk_token=${TOKEN}&wepay_risk_token=`,
    ]) {
      assert.equal((await post('/token/urlencoded', FORM, body)).token, null, body);
      assert.equal((await post('/token/extended', FORM, body)).token, null, body);
    }
  });
  it('urlencoded: nested, prototype and header-breaking values → null', async () => {
    assert.equal((await post('/token/extended', FORM, `wepay_risk_token[a]=${TOKEN}`)).token, null);
    assert.equal((await post('/token/extended', FORM, `wepay_risk_token[]=${TOKEN}`)).token, null);
    assert.equal((await post('/token/extended', FORM, `__proto__[wepay_risk_token]=${TOKEN}`)).token, null);
    assert.equal((await post('/token/urlencoded', FORM, `wepay_risk_token=${TOKEN}%0D%0AX-Evil%3A%201`)).token, null);
    assert.equal((await post('/token/urlencoded', FORM, 'wepay_risk_token=0')).token, null);
    assert.equal((await post('/token/urlencoded', FORM, 'wepay_risk_token=')).token, null);
  });
  it('JSON: a string field works; arrays, numbers and __proto__ tricks → null, nothing polluted', async () => {
    const JSON_TYPE = 'application/json';
    assert.equal((await post('/token/json', JSON_TYPE, JSON.stringify({ wepay_risk_token: TOKEN }))).token, TOKEN);
    assert.equal((await post('/token/json', JSON_TYPE, JSON.stringify({ wepay_risk_token: [TOKEN] }))).token, null);
    assert.equal((await post('/token/json', JSON_TYPE, JSON.stringify({ wepay_risk_token: 1 }))).token, null);
    const hostile = `{"__proto__": {"wepay_risk_token": "${TOKEN}"}, "constructor": {"prototype": {"wepay_risk_token": "${TOKEN}"}}}`;
    const r = await post('/token/json', JSON_TYPE, hostile);
    assert.equal(r.token, null);
    assert.equal(r.polluted, null);
    assert.equal((await post('/token/json', JSON_TYPE, '[1,2]')).token, null);
  });
  it('strict: a urlencoded post reads as without strict; a form without the field is null', async () => {
    assert.equal((await post('/token/strict/urlencoded', FORM, `wepay_risk_token=${TOKEN}`)).token, TOKEN);
    assert.equal((await post('/token/strict/urlencoded', FORM, 'card=4111')).token, null);
  });
  it('strict: a multipart form posted to express.urlencoded(), or a route without a body parser, says so', async () => {
    const form = new FormData();
    form.set('wepay_risk_token', TOKEN);
    const multipart = new Response(form);
    const reply = await send(app.port, {
      method: 'POST',
      path: '/token/strict/urlencoded',
      headers: { 'content-type': multipart.headers.get('content-type') as string },
      body: new Uint8Array(await multipart.arrayBuffer()),
    });
    assert.match(reply.json<{ error: string }>().error, /^riskTokenFrom: the body is undefined: no body parser read/);
    const unparsed = await post('/token/strict/no-parser', FORM, `wepay_risk_token=${TOKEN}`);
    assert.match(unparsed.error ?? '', /the body is undefined: .*express\.urlencoded/);
  });
  it('the checkout flow behind one load balancer: both headers, with the field posted once or twice', async () => {
    for (const body of [`wepay_risk_token=${TOKEN}`, `wepay_risk_token=${TOKEN}&card=4111&wepay_risk_token=${TOKEN}`]) {
      const reply = await send(lb.port, {
        method: 'POST',
        path: '/checkout',
        headers: { 'content-type': FORM, 'x-forwarded-for': SPOOF },
        body,
      });
      assert.deepEqual(reply.json(), { 'WePay-Risk-Token': TOKEN, 'Client-IP': '8.8.8.8' }, body);
    }
  });
});

describe('a Fetch-style route handler (Request/Response) over HTTP', () => {
  let app: Listening;
  let lb: Listening;
  before(async () => {
    app = await listen(fetchAdapter);
    lb = await startProxy(app.port, {
      localAddress: '127.0.0.1',
      header: 'x-forwarded-for',
      pretendPeer: '2001:4860:4860::8888',
    });
  });
  after(async () => {
    await Promise.all([app.close(), lb.close()]);
  });

  it('reads a multipart FormData body and the client IP behind one proxy', async () => {
    const form = new FormData();
    form.set('wepay_risk_token', TOKEN.toUpperCase());
    form.set('card', '4111');
    const encoded = new Response(form);
    const reply = await send(lb.port, {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type') as string, 'x-forwarded-for': SPOOF },
      body: new Uint8Array(await encoded.arrayBuffer()),
    });
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(reply.json(), {
      clientIp: '2001:4860:4860::8888',
      token: TOKEN,
      headers: { 'WePay-Risk-Token': TOKEN, 'Client-IP': '2001:4860:4860::8888' },
    });
  });
  const postMultipart = async (values: string[]) => {
    const form = new FormData();
    for (const value of values) form.append('wepay_risk_token', value);
    const encoded = new Response(form);
    const reply = await send(lb.port, {
      method: 'POST',
      headers: { 'content-type': encoded.headers.get('content-type') as string },
      body: new Uint8Array(await encoded.arrayBuffer()),
    });
    return reply.json<{ token: unknown }>().token;
  };
  it('a multipart field repeated with the same token → the token', async () => {
    assert.equal(await postMultipart([TOKEN, TOKEN.toUpperCase()]), TOKEN);
  });
  it('a multipart field repeated with differing values → no token', async () => {
    assert.equal(await postMultipart([TOKEN, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6']), null);
    assert.equal(await postMultipart([TOKEN, '']), null);
  });
  it('reads a urlencoded body; directly (no proxy) trusting 1 hop with no XFF → null', async () => {
    const reply = await send(app.port, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `wepay_risk_token=${TOKEN}`,
    });
    assert.deepEqual(reply.json(), { clientIp: null, token: TOKEN, headers: { 'WePay-Risk-Token': TOKEN } });
  });
});
