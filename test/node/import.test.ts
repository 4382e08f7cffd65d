import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));

describe('importing the package without a DOM (SSR, build tools)', () => {
  it('does not throw and exports the element class and error', async () => {
    assert.equal(typeof globalThis.document, 'undefined');
    const root = await import('../../src/index.js');
    assert.equal(typeof root.WePayRiskTokenElement, 'function');
    assert.equal(typeof root.WePayRiskTokenError, 'function');
    assert.equal(new root.WePayRiskTokenError('timeout', 'late').reason, 'timeout');
  });

  it('does not throw when imported from the built package either', async () => {
    const built = await import('../../dist/index.js');
    assert.equal(typeof built.WePayRiskTokenElement, 'function');
  });

  it('resolves through the package exports map, as users import it (after npm run build)', async () => {
    const root = await import('wepay-risk-token');
    const server = await import('wepay-risk-token/server');
    assert.equal(typeof root.WePayRiskTokenElement, 'function');
    assert.equal(typeof server.riskHeaders, 'function');
    assert.deepEqual(
      server.riskHeaders({ token: '123E4567-E89B-12D3-A456-426655440000', clientIp: '100.166.99.123' }),
      {
        'WePay-Risk-Token': '123e4567-e89b-12d3-a456-426655440000',
        'Client-IP': '100.166.99.123',
      },
    );
  });

  it('defining again is a no-op where there is no custom element registry', async () => {
    const { defineWePayRiskToken } = await import('../../src/index.js');
    assert.doesNotThrow(() => defineWePayRiskToken());
  });
});

/**
 * What a runtime without a DOM sees after importing `module` (an absolute file URL) in a fresh Node with `conditions`:
 * the exports' types, and whether `HTMLElement` or `customElements` exist afterwards.
 */
async function importInFreshNode(module: string, conditions: string[] = []) {
  const script = `
    const module = await import(${JSON.stringify(module)});
    module.defineWePayRiskToken?.();
    console.log(JSON.stringify({
      element: typeof module.WePayRiskTokenElement,
      error: typeof module.WePayRiskTokenError,
      HTMLElement: typeof globalThis.HTMLElement,
      customElements: typeof globalThis.customElements,
    }));`;
  const { stdout } = await run(process.execPath, [
    ...conditions.map((condition) => `--conditions=${condition}`),
    '--input-type=module',
    '--eval',
    script,
  ]);
  return JSON.parse(stdout) as Record<string, string>;
}

/** Imported, the class and error exported, and nothing left behind that makes the runtime look like a browser. */
const IMPORTED_AS_WITHOUT_A_DOM = {
  element: 'function',
  error: 'function',
  HTMLElement: 'undefined',
  customElements: 'undefined',
};

describe("importing without a DOM where Lit's browser build is picked (its class extends HTMLElement as it loads)", () => {
  it('node --conditions=browser imports dist/index.js', async () => {
    const lit = await run(process.execPath, [
      '--conditions=browser',
      '--input-type=module',
      '--eval',
      `console.log(import.meta.resolve('@lit/reactive-element'))`,
    ]);
    assert.equal(
      lit.stdout.trim(),
      pathToFileURL(`${root}node_modules/@lit/reactive-element/reactive-element.js`).href,
    );
    assert.deepEqual(
      await importInFreshNode(pathToFileURL(`${root}dist/index.js`).href, ['browser']),
      IMPORTED_AS_WITHOUT_A_DOM,
    );
  });

  it('a bundle for workerd (esbuild, conditions workerd, worker, browser) runs in plain Node', async (t) => {
    const folder = await mkdtemp(join(tmpdir(), 'wepay-risk-token-workerd-'));
    t.after(() => rm(folder, { recursive: true, force: true }));
    const bundle = join(folder, 'worker.js');
    const { metafile } = await build({
      entryPoints: [`${root}dist/index.js`],
      absWorkingDir: root,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      conditions: ['workerd', 'worker', 'browser'],
      outfile: bundle,
      metafile: true,
      logLevel: 'silent',
    });
    assert.ok(Object.keys(metafile.inputs).includes('node_modules/@lit/reactive-element/reactive-element.js'));
    assert.deepEqual(await importInFreshNode(pathToFileURL(bundle).href), IMPORTED_AS_WITHOUT_A_DOM);
  });

  it('plain Node imports dist/wepay-risk-token.min.js (Lit inside)', async () => {
    const file = `${root}dist/wepay-risk-token.min.js`;
    assert.match(await readFile(file, 'utf8'), /extends HTMLElement\b/);
    assert.deepEqual(await importInFreshNode(pathToFileURL(file).href), IMPORTED_AS_WITHOUT_A_DOM);
  });

  it("leaves Lit's Node build its own HTMLElement shim, which server-side rendering of other Lit elements needs", async () => {
    const { stdout } = await run(process.execPath, [
      '--input-type=module',
      '--eval',
      `await import(${JSON.stringify(pathToFileURL(`${root}dist/index.js`).href)});
       const { ReactiveElement } = await import('@lit/reactive-element');
       console.log(typeof Object.getPrototypeOf(ReactiveElement).prototype.setAttribute);`,
    ]);
    assert.equal(stdout.trim(), 'function');
  });
});
