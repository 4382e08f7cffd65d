import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import puppeteer from 'puppeteer-core';
import { build } from 'vite';
import { chromeArgs, chromePath } from '../support/chrome.js';

/**
 * The package as a publisher ships it and a user installs it: a copy of the repository without dist/ (as
 * a fresh clone is) is packed with `npm pack`, whose `prepack` builds it; the tarball is installed into a
 * scratch app that has nothing else (no framework, no TypeScript types of any framework). Everything below
 * runs against that installed copy.
 */

const run = promisify(execFile);
const repository = resolve(import.meta.dirname, '../..');
const bin = (tool: string) => join(repository, 'node_modules/.bin', tool);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const FRAMEWORKS = ['react', 'preact', 'solid', 'vue', 'svelte'];

interface PackResult {
  filename: string;
  files: Array<{ path: string }>;
}

/** A copy of what `git clone` would check out (plus new files not yet committed), sharing node_modules. */
async function freshClone(into: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: repository,
    maxBuffer: 16 * 1024 * 1024,
  });
  const files = stdout.split('\0').filter((file) => file && existsSync(join(repository, file)));
  assert.ok(!files.some((file) => file.startsWith('dist/')), 'dist/ is not in the repository');
  for (const file of files) await cp(join(repository, file), join(into, file));
  await symlink(join(repository, 'node_modules'), join(into, 'node_modules'), 'dir');
}

/** Runs tsc --strict on `files` in `app`; rejects with tsc's output when it fails. */
async function typeCheck(app: string, files: string[], options: Record<string, unknown> = {}): Promise<void> {
  const config = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022', 'DOM', 'DOM.Iterable'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noEmit: true,
      skipLibCheck: false,
      types: [],
      ...options,
    },
    files,
  };
  const name = `tsconfig.${files.join('-').replace(/\W/g, '_')}.json`;
  await writeFile(join(app, name), JSON.stringify(config));
  try {
    await run(bin('tsc'), ['-p', name], { cwd: app });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`tsc failed on ${files.join(', ')}:\n${stdout}${stderr}`, { cause: error });
  }
}

describe('the npm tarball, installed into a scratch app', { timeout: 240_000 }, () => {
  let work: string;
  let app: string;
  let packed: PackResult;
  let manifest: {
    exports: Record<string, string | Record<string, string>>;
    sideEffects: string[];
    repository?: { url?: string };
    homepage?: string;
    bugs?: { url?: string };
  };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'wepay-risk-token-pack-'));
    const clone = join(work, 'clone');
    app = join(work, 'app');
    await freshClone(clone);
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
      cwd: clone,
      maxBuffer: 16 * 1024 * 1024,
    });
    [packed] = JSON.parse(stdout) as [PackResult];

    await mkdir(app);
    await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'scratch-app', private: true, type: 'module' }));
    // The registry is only asked for what the npm cache lacks; the tarball's one dependency is usually cached.
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', join(work, packed.filename)], {
      cwd: app,
    });
    manifest = JSON.parse(await readFile(join(app, 'node_modules/wepay-risk-token/package.json'), 'utf8'));
  });

  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  describe('contents', () => {
    it('ships dist/, built by prepack, with every file the exports map names', () => {
      const shipped = new Set(packed.files.map((file) => file.path));
      const targets = Object.values(manifest.exports).flatMap((target) =>
        typeof target === 'string' ? [target] : Object.values(target),
      );
      for (const target of targets) assert.ok(shipped.has(target.replace(/^\.\//, '')), `${target} is shipped`);
      for (const framework of FRAMEWORKS) assert.ok(manifest.exports[`./${framework}`], `./${framework} is exported`);
      assert.ok(manifest.exports['./testing'] && manifest.exports['./custom-elements.json']);
    });

    it('ships the test kit guide and the changelog, and no tests', () => {
      const shipped = new Set(packed.files.map((file) => file.path));
      assert.ok(shipped.has('docs/testing.md') && shipped.has('CHANGELOG.md'));
      const tests = packed.files.filter((file) => /(^|\/)test\/|\.test\.ts$/.test(file.path));
      assert.deepEqual(tests, []);
    });

    it('the framework entries are type-only: empty modules, not among the sideEffects', async () => {
      for (const framework of FRAMEWORKS) {
        const code = await readFile(join(app, `node_modules/wepay-risk-token/dist/frameworks/${framework}.js`), 'utf8');
        const statements = code.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '').trim();
        assert.equal(statements, 'export {};', framework);
        assert.ok(!manifest.sideEffects.some((path) => path.includes('frameworks')), framework);
      }
    });

    it("names its repository, homepage and issue tracker, for the registry's page", () => {
      const repository = 'github.com/wepay-risk-token/wepay-risk-token';
      assert.equal(manifest.repository?.url, `git+https://${repository}.git`);
      assert.equal(manifest.homepage, `https://${repository}#readme`);
      assert.equal(manifest.bugs?.url, `https://${repository}/issues`);
    });

    it('resolves wepay-risk-token/custom-elements.json to the manifest of <wepay-risk-token>', async () => {
      const path = createRequire(join(app, 'package.json')).resolve('wepay-risk-token/custom-elements.json');
      assert.match(await readFile(path, 'utf8'), /"tagName": "wepay-risk-token"/);
    });
  });

  it('Node imports ., ./server and ./testing with no DOM', async () => {
    await writeFile(
      join(app, 'imports.js'),
      `const root = await import('wepay-risk-token');
const server = await import('wepay-risk-token/server');
const testing = await import('wepay-risk-token/testing');
console.log(JSON.stringify({
  dom: typeof document + ' ' + typeof window,
  element: typeof root.WePayRiskTokenElement,
  riskHeaders: typeof server.riskHeaders,
  installFakeRisk: typeof testing.installFakeRisk,
  wePay: typeof globalThis.WePay,
}));`,
    );
    const { stdout } = await run(process.execPath, ['imports.js'], { cwd: app });
    assert.deepEqual(JSON.parse(stdout), {
      dom: 'undefined undefined',
      element: 'function',
      riskHeaders: 'function',
      installFakeRisk: 'function',
      wePay: 'undefined',
    });
  });

  describe('types', () => {
    it('the scratch app has no framework to resolve', () => {
      for (const name of [...FRAMEWORKS, 'solid-js', '@types/react']) {
        assert.ok(!existsSync(join(app, 'node_modules', name)), `${name} is not installed`);
      }
    });

    it('tsc --strict (skipLibCheck off) accepts a consumer of ., ./server and ./testing', async () => {
      await writeFile(
        join(app, 'consumer.ts'),
        `import {
  WePayRiskTokenError,
  type WePayRiskTokenElement,
  type WePayRiskTokenErrorReason,
  type WePayRiskTokenReadyEvent,
} from 'wepay-risk-token';
import { clientIpFrom, riskTokenFrom } from 'wepay-risk-token/server';
import { installFakeRisk, type FakeRiskOptions } from 'wepay-risk-token/testing';

const element: WePayRiskTokenElement | null = document.querySelector('wepay-risk-token');
element?.addEventListener('wepay-risk-token-ready', (event: WePayRiskTokenReadyEvent) => event.detail.token);
export const reason: WePayRiskTokenErrorReason = new WePayRiskTokenError('timeout', 'late').reason;
const options: FakeRiskOptions = { latency: 10, fault: 'never' };
installFakeRisk(options).uninstall();
export const token: string | null = riskTokenFrom(new URLSearchParams('wepay_risk_token=x'));
export const ip: string | null = clientIpFrom({ headers: {}, socket: { remoteAddress: '127.0.0.1' } });
`,
      );
      await typeCheck(app, ['consumer.ts']);
    });

    it('tsc --strict accepts riskHeaders(…) passed straight into RequestInit', async () => {
      await writeFile(
        join(app, 'server-consumer.ts'),
        `import { riskHeaders, riskTokenFrom } from 'wepay-risk-token/server';

export function createCard(body: URLSearchParams): Promise<Response> {
  const init: RequestInit = {
    method: 'POST',
    headers: riskHeaders({ token: riskTokenFrom(body), clientIp: '100.166.99.123' }),
  };
  return fetch('https://wepayapi.com/v2/credit_card/create', init);
}
`,
      );
      await typeCheck(app, ['server-consumer.ts']);
    });

    it('a framework entry is opt-in: importing wepay-risk-token/react without React fails to find react', async () => {
      await writeFile(join(app, 'react-consumer.ts'), `import type {} from 'wepay-risk-token/react';\n`);
      await assert.rejects(typeCheck(app, ['react-consumer.ts']), /Cannot find module 'react'/);
    });

    it('a framework entry can be opted into through tsconfig "types" instead (React)', async () => {
      // Another app: the installed packages plus React's types, and no import of the entry in the code.
      const reactApp = join(work, 'react-app');
      await cp(join(app, 'node_modules'), join(reactApp, 'node_modules'), { recursive: true });
      await mkdir(join(reactApp, 'node_modules/@types'));
      await symlink(join(repository, 'node_modules/@types/react'), join(reactApp, 'node_modules/@types/react'), 'dir');
      await writeFile(
        join(reactApp, 'checkout.tsx'),
        `export const right = <wepay-risk-token trigger="eager" timeout={5000} submit-wait="500" />;
// @ts-expect-error -- "later" is not a trigger
export const wrongTrigger = <wepay-risk-token trigger="later" />;
// @ts-expect-error -- "5s" is not a number of milliseconds
export const wrongTimeout = <wepay-risk-token timeout="5s" />;
`,
      );
      await typeCheck(reactApp, ['checkout.tsx'], { jsx: 'react-jsx', types: ['wepay-risk-token/react'] });
    });
  });

  describe('a Vite build of the app, in Chromium', () => {
    let server: Server;
    let origin: string;
    const posts: string[] = [];
    let bundled = '';

    before(async () => {
      await writeFile(
        join(app, 'index.html'),
        `<!doctype html>
<form method="post" action="/checkout"><input name="amount" value="12"><button>Pay</button></form>
<script type="module" src="./main.js"></script>
`,
      );
      // As docs/testing.md shows: the stand-in through `?url&no-inline`, which stays a file after `vite build`.
      await writeFile(
        join(app, 'main.js'),
        `import 'wepay-risk-token';
import riskStandIn from 'wepay-risk-token/testing/risk-stand-in.js?url&no-inline';

const risk = document.createElement('wepay-risk-token');
risk.src = riskStandIn;
risk.trigger = 'eager';
document.querySelector('form').prepend(risk);
`,
      );
      const output = await build({ root: app, configFile: false, logLevel: 'silent', build: { outDir: 'dist' } });
      const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) =>
        'output' in result ? result.output : [],
      );
      bundled = chunks.map((chunk) => (chunk.type === 'chunk' ? chunk.code : '')).join('\n');

      const dist = join(app, 'dist');
      const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
      server = createServer(async (request, response) => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (request.method === 'POST' && url.pathname === '/checkout') {
          let body = '';
          for await (const chunk of request) body += chunk;
          posts.push(body);
          response.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><p>Thank you');
          return;
        }
        const path = join(dist, url.pathname === '/' ? 'index.html' : url.pathname);
        if (!path.startsWith(dist) || !existsSync(path)) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, { 'Content-Type': types[extname(path)] ?? 'application/octet-stream' });
        response.end(await readFile(path));
      });
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      const address = server.address();
      assert.ok(address && typeof address === 'object');
      origin = `http://127.0.0.1:${address.port}`;
    });

    after(() => server?.close());

    it('bundles the element without lit-html', () => {
      assert.match(bundled, /wepay-risk-token/);
      assert.doesNotMatch(bundled, /lit-html/);
    });

    it('keeps the stand-in a file of its own, not a data: URL', () => {
      const reference = /["'`](\/assets\/risk-stand-in-[\w-]+\.js)["'`]/.exec(bundled);
      assert.ok(reference, 'the bundle refers to /assets/risk-stand-in-….js');
      assert.ok(existsSync(join(app, 'dist', reference[1] ?? '')));
      assert.doesNotMatch(bundled, /data:text\/javascript/);
    });

    it('posts the token with the form, once, after a trusted click on Pay', async () => {
      const browser = await puppeteer.launch({ executablePath: chromePath, args: chromeArgs });
      try {
        const page = await browser.newPage();
        await page.goto(origin);
        await page.waitForFunction(() => document.querySelector('wepay-risk-token')?.getAttribute('state') === 'ready');
        const token = await page.$eval('wepay-risk-token', (element) => element.token);
        await Promise.all([page.waitForNavigation(), page.click('button')]);

        assert.equal(posts.length, 1);
        const fields = new URLSearchParams(posts[0]);
        assert.deepEqual(fields.getAll('wepay_risk_token'), [token]);
        assert.match(token ?? '', UUID);
        assert.equal(fields.get('amount'), '12');
      } finally {
        await browser.close();
      }
    });
  });
});
