/// <reference types="node" />
/**
 * The JavaScript and TypeScript blocks of docs/server.md, as a reader pastes them: type-checked against the
 * built package (`npm run build` first), then run with Node from the repository root, where
 * `wepay-risk-token/server` resolves to `dist/`. The Express app serves real posts, directly and behind a real
 * proxy, and calls a local stand-in of WePay's API, which records what arrived.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import type http from 'node:http';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';

import ts from 'typescript';

import { docBlock, docBlocks } from './doc-blocks.js';
import { listen, send, startProxy, type Listening } from './http-helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const blocks = docBlocks(new URL('../../docs/server.md', import.meta.url));
const EXPRESS = docBlock(blocks, 'js', 'Express');
const NEXT = docBlock(blocks, 'ts', 'Fetch-style route handlers (Next.js, Hono, Deno, Bun)');
const COMPILE_TRUST = docBlock(blocks, 'js', 'Setting `trustProxy`');

const TOKEN = '123e4567-e89b-12d3-a456-426655440000';
const CARD_REPLY = { credit_card_id: 1234, state: 'new' };
const CARD_FIELDS = {
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  cc_number: '4111111111111111',
  cvv: '123',
  expiration_month: '12',
  expiration_year: '2030',
  postal_code: '94105',
};
/** What the Express and Next.js blocks send to /credit_card/create for CARD_FIELDS. */
const CARD_BODY = {
  client_id: 123,
  user_name: 'Ada Lovelace',
  email: 'ada@example.com',
  cc_number: '4111111111111111',
  cvv: '123',
  expiration_month: 12,
  expiration_year: 2030,
  address: { postal_code: '94105' },
};

interface Received {
  readonly url: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

/** A local stand-in of WePay's API: records each call, answers like /credit_card/create. */
async function startWePayApi(): Promise<Listening & { received: Received[]; url: string }> {
  const received: Received[] = [];
  const server = await listen((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(CARD_REPLY));
    });
  });
  return { ...server, received, url: `http://127.0.0.1:${server.port}/v2` };
}

/** The environment a block runs in: WePay's API is the stand-in; `settings` adds or (undefined) removes. */
function environment(apiUrl: string, settings: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    WEPAY_API: apiUrl,
    WEPAY_ACCESS_TOKEN: 'STAGE_TOKEN',
    WEPAY_CLIENT_ID: '123',
  };
  delete env.NODE_ENV;
  delete env.TRUST_PROXY;
  for (const [name, value] of Object.entries(settings)) if (value !== undefined) env[name] = value;
  return env;
}

/** Runs JavaScript as an ES module from the repository root. */
function node(code: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a block with code after it and resolves with its stdout. */
function runToEnd(code: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = node(code, env);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => (status === 0 ? resolve(stdout) : reject(new Error(stderr))));
  });
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Starts the Express block on a free port and resolves once it accepts connections. */
async function startExpressBlock(env: NodeJS.ProcessEnv): Promise<{ port: number; stop(): void }> {
  const port = await freePort();
  const child = node(EXPRESS, { ...env, PORT: String(port) });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<never>((_, reject) =>
    child.on('exit', (code) => reject(new Error(`the Express block exited (${code}): ${stderr}`))),
  );
  const accepting = async (): Promise<void> => {
    for (;;) {
      const connected = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, '127.0.0.1', () => resolve(true));
        socket.on('error', () => resolve(false));
        socket.on('connect', () => socket.end());
      });
      if (connected) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.race([accepting(), exited]);
  exited.catch(() => {});
  return { port, stop: () => child.kill() };
}

const FORM = 'application/x-www-form-urlencoded';
const formBody = (token: string) => new URLSearchParams({ wepay_risk_token: token, ...CARD_FIELDS }).toString();

describe('docs/server.md: the JavaScript and TypeScript blocks type-check against the built package', () => {
  it('every js and ts block is one this file runs', () => {
    const runnable = blocks.filter((block) => block.lang === 'js' || block.lang === 'ts').map((block) => block.code);
    assert.deepEqual(runnable.sort(), [EXPRESS, NEXT, COMPILE_TRUST].sort());
  });

  it('tsc --strict accepts each as a module, JavaScript included (checkJs)', () => {
    const files = new Map([
      [`${ROOT}docs/server-express.mjs`, EXPRESS],
      [`${ROOT}docs/server-next-route.ts`, NEXT],
      [`${ROOT}docs/server-compile-trust.mjs`, COMPILE_TRUST],
    ]);
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts'],
      types: ['node'],
      strict: true,
      allowJs: true,
      checkJs: true,
      noEmit: true,
      skipLibCheck: true,
    };
    const host = ts.createCompilerHost(options);
    const { getSourceFile, fileExists, readFile } = host;
    host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
    host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
    host.getSourceFile = (name, language, ...rest) =>
      files.has(name)
        ? ts.createSourceFile(name, files.get(name) as string, language)
        : getSourceFile.call(host, name, language, ...rest);
    const program = ts.createProgram([...files.keys()], options, host);
    const diagnostics = [...files.keys()].flatMap((name) =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(name))
        .map((d) => `${name.slice(ROOT.length)}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`),
    );
    assert.deepEqual(diagnostics, []);
  });
});

describe('docs/server.md: the Express block, run as pasted', () => {
  let api: Awaited<ReturnType<typeof startWePayApi>>;
  before(async () => {
    api = await startWePayApi();
  });
  after(() => api.close());

  it('in production behind one load balancer: both headers, the shopper found behind a forged entry', async (t) => {
    const app = await startExpressBlock(environment(api.url, { TRUST_PROXY: '1', NODE_ENV: 'production' }));
    t.after(() => app.stop());
    const lb = await startProxy(app.port, {
      localAddress: '127.0.0.1',
      header: 'x-forwarded-for',
      pretendPeer: '100.166.99.123',
    });
    t.after(() => lb.close());
    const before = api.received.length;
    const reply = await send(lb.port, {
      method: 'POST',
      path: '/checkout',
      headers: { 'content-type': FORM, 'x-forwarded-for': '1.2.3.4' },
      body: formBody(TOKEN.toUpperCase()),
    });
    assert.equal(reply.status, 200, reply.body);
    assert.deepEqual(reply.json(), CARD_REPLY);
    const [call] = api.received.slice(before) as [Received];
    assert.equal(call.url, '/v2/credit_card/create');
    assert.equal(call.headers['wepay-risk-token'], TOKEN);
    assert.equal(call.headers['client-ip'], '100.166.99.123');
    assert.equal(call.headers.authorization, 'Bearer STAGE_TOKEN');
    assert.deepEqual(JSON.parse(call.body), CARD_BODY);
  });

  it('on your machine: the socket peer 127.0.0.1 is sent, as allowPrivateIp is on', async (t) => {
    const app = await startExpressBlock(environment(api.url, {}));
    t.after(() => app.stop());
    const before = api.received.length;
    const reply = await send(app.port, {
      method: 'POST',
      path: '/checkout',
      headers: { 'content-type': FORM },
      body: formBody(TOKEN),
    });
    assert.equal(reply.status, 200, reply.body);
    const [call] = api.received.slice(before) as [Received];
    assert.equal(call.headers['wepay-risk-token'], TOKEN);
    assert.equal(call.headers['client-ip'], '127.0.0.1');
  });

  it('on your machine with TRUST_PROXY=1: no proxy wrote X-Forwarded-For, so no Client-IP even with allowPrivateIp', async (t) => {
    const app = await startExpressBlock(environment(api.url, { TRUST_PROXY: '1' }));
    t.after(() => app.stop());
    const before = api.received.length;
    const reply = await send(app.port, {
      method: 'POST',
      path: '/checkout',
      headers: { 'content-type': FORM },
      body: formBody(TOKEN),
    });
    assert.equal(reply.status, 200, reply.body);
    const [call] = api.received.slice(before) as [Received];
    assert.equal(call.headers['wepay-risk-token'], TOKEN);
    assert.equal(call.headers['client-ip'], undefined);
  });

  it('a multipart form fails with the strict error, and nothing is sent to WePay', async (t) => {
    const app = await startExpressBlock(environment(api.url, {}));
    t.after(() => app.stop());
    const form = new FormData();
    for (const [name, value] of Object.entries({ wepay_risk_token: TOKEN, ...CARD_FIELDS })) form.set(name, value);
    const multipart = new Response(form);
    const before = api.received.length;
    const reply = await send(app.port, {
      method: 'POST',
      path: '/checkout',
      headers: { 'content-type': multipart.headers.get('content-type') as string },
      body: new Uint8Array(await multipart.arrayBuffer()),
    });
    assert.equal(reply.status, 500);
    // Express's error page outside production: the error's stack.
    assert.match(reply.body, /RiskHeaderError: riskTokenFrom: the body is undefined: no body parser read this request/);
    assert.equal(api.received.length, before);
  });
});

describe('docs/server.md: the Next.js route handler, run as pasted', () => {
  it('sends both headers for a multipart and a urlencoded post behind one proxy', async (t) => {
    const api = await startWePayApi();
    t.after(() => api.close());
    const { outputText } = ts.transpileModule(NEXT, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    });
    const harness = `
const fields = ${JSON.stringify({ wepay_risk_token: TOKEN.toUpperCase(), ...CARD_FIELDS })};
const multipart = new FormData();
for (const [name, value] of Object.entries(fields)) multipart.set(name, value);
const results = [];
for (const body of [multipart, new URLSearchParams(fields)]) {
  const request = new Request('http://shop.test/api/checkout', {
    method: 'POST',
    body,
    headers: { 'x-forwarded-for': '1.2.3.4, 100.166.99.123' },
  });
  const response = await POST(request);
  results.push({ status: response.status, body: await response.json() });
}
console.log(JSON.stringify(results));
`;
    const results = JSON.parse(await runToEnd(outputText + harness, environment(api.url, {})));
    assert.deepEqual(results, [
      { status: 200, body: CARD_REPLY },
      { status: 200, body: CARD_REPLY },
    ]);
    assert.equal(api.received.length, 2);
    for (const call of api.received) {
      assert.equal(call.headers['wepay-risk-token'], TOKEN);
      assert.equal(call.headers['client-ip'], '100.166.99.123');
      assert.deepEqual(JSON.parse(call.body), CARD_BODY);
    }
  });
});

describe('docs/server.md: the compileTrust block, run as pasted', () => {
  it('finds the shopper behind loopback and 10.0.0.0/8 proxies', async () => {
    const harness = `
const request = (peer, forwardedFor) => ({ socket: { remoteAddress: peer }, headers: { 'x-forwarded-for': forwardedFor } });
console.log(JSON.stringify([
  shopperIp(request('127.0.0.1', '1.2.3.4, 8.8.8.8, 10.1.2.3')),
  shopperIp(request('10.1.2.3', '8.8.8.8')),
  shopperIp(request('8.8.4.4', '8.8.8.8')),
]));
`;
    const answers = JSON.parse(await runToEnd(COMPILE_TRUST + harness, environment('', {})));
    assert.deepEqual(answers, ['8.8.8.8', '8.8.8.8', '8.8.4.4']);
  });
});
