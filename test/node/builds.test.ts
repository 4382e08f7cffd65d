import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { promisify } from 'node:util';

/**
 * `npm run build` makes two builds of the element (vite.config.ts): the production build, which the default
 * export condition resolves to, and the development build (`dist/development/`,
 * `dist/wepay-risk-token.development.js`), which the `development` condition resolves to. Only the development
 * build explains itself in sentences.
 */

const run = promisify(execFile);
const repository = resolve(import.meta.dirname, '../..');
const dist = join(repository, 'dist');

/** Sentences of the development build, from each source file that has some (errors.ts, settings.ts, …). */
const SENTENCES = [
  'No risk token in time; a required submit was not sent.',
  'is not valid; expected',
  'no form owns this element, so its token posts nowhere',
  'in one form; it is posted once.',
  'wait must be milliseconds (a number from 0)',
  '#WePay-tags profiles another session than the token.',
  'was refused: a page script may allow it with',
  'is not an https origin',
  'Trusted Types: the page must allow the policy',
  'Risk.js did not load within',
  'gave no token within',
  'that is not a UUID.',
];

/** The `.js` files under `directory`, recursively. */
async function scripts(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const readAll = async (files: string[]) => (await Promise.all(files.map((file) => readFile(file, 'utf8')))).join('\n');

describe('the production and development builds (after npm run build)', () => {
  let production: string[];
  let development: string[];

  before(async () => {
    const all = await scripts(dist);
    const isDevelopment = (file: string) =>
      file.startsWith(join(dist, 'development')) || file.endsWith('.development.js');
    production = all.filter((file) => !isDevelopment(file));
    development = all.filter(isDevelopment);
  });

  it('the development build holds every sentence, in its modules and in its standalone file', async () => {
    const modules = await readAll(development.filter((file) => !file.endsWith('.development.js')));
    const standalone = await readFile(join(dist, 'wepay-risk-token.development.js'), 'utf8');
    for (const sentence of SENTENCES) {
      assert.ok(modules.includes(sentence), `dist/development/ says "${sentence}"`);
      assert.ok(standalone.includes(sentence), `dist/wepay-risk-token.development.js says "${sentence}"`);
    }
  });

  it('the production build holds none of them, nor any console.warn', async () => {
    assert.ok(
      production.includes(join(dist, 'index.js')) && production.includes(join(dist, 'wepay-risk-token.min.js')),
    );
    for (const file of production) {
      const code = await readFile(file, 'utf8');
      for (const sentence of SENTENCES) assert.ok(!code.includes(sentence), `${file} says "${sentence}"`);
      assert.doesNotMatch(code, /console\.warn/, file);
    }
  });

  it('exports "." lists types first and development before default', async () => {
    const { exports } = JSON.parse(await readFile(join(repository, 'package.json'), 'utf8')) as {
      exports: Record<string, Record<string, string>>;
    };
    assert.deepEqual(exports['.'], {
      types: './dist/index.d.ts',
      development: './dist/development/index.js',
      default: './dist/index.js',
    });
    assert.deepEqual(Object.keys(exports['.']!), ['types', 'development', 'default']);
  });

  /** What Node, run with `options`, resolves `wepay-risk-token` to and what its errors say. */
  async function inNode(options: string[]): Promise<{ resolved: string; message: string; warned: string[] }> {
    const script = `
      const warned = [];
      console.warn = (message) => warned.push(String(message));
      const { WePayRiskTokenError } = await import('wepay-risk-token');
      console.log(JSON.stringify({
        resolved: import.meta.resolve('wepay-risk-token'),
        message: new WePayRiskTokenError('timeout').message,
        warned,
      }));`;
    const { stdout } = await run(process.execPath, [...options, '--input-type=module', '-e', script], {
      cwd: repository,
    });
    const result = JSON.parse(stdout) as { resolved: string; message: string; warned: string[] };
    return { ...result, resolved: new URL(result.resolved).pathname };
  }

  it('node resolves the package to the production build, whose error message is the reason', async () => {
    const { resolved, message } = await inNode([]);
    assert.equal(resolved, join(dist, 'index.js'));
    assert.equal(message, 'timeout');
  });

  it('node --conditions=development resolves it to the development build, whose error message says why', async () => {
    const { resolved, message, warned } = await inNode(['--conditions=development']);
    assert.equal(resolved, join(dist, 'development/index.js'));
    assert.equal(message, 'No risk token in time; a required submit was not sent.');
    // The condition reaches @lit/reactive-element too: its development build announces itself.
    assert.ok(warned.some((warning) => warning.startsWith('Lit is in dev mode')));
  });
});
