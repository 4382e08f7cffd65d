import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import * as esbuild from 'esbuild';
import puppeteer, { type Browser } from 'puppeteer-core';
import { chromeArgs, chromePath } from '../support/chrome.js';
import { documentationBlocks, type CodeBlock } from './blocks.js';
import { runNodeSnippet, type NodeSnippet } from './node-snippets.js';
import { openPage, startPageServer, type PageServer } from './pages.js';
import { shellProblems, type ShellContext } from './shell.js';
import { blockName, createWorkspace, svelteCheck, typeCheck, vueCheck, type Diagnostic } from './workspace.js';

/**
 * Every fenced code block of README.md and docs/*.md works as a user pastes it, against the built package
 * (`npm run build` first): `wepay-risk-token` resolves through package.json's `exports` into `dist/`. A new
 * page in docs/ is covered as soon as it exists.
 *
 * - `ts`, `tsx`: type-checked by tsc under `strict`; `vue` by vue-tsc with `strictTemplates`; `svelte` by
 *   svelte-check.
 * - `js`: type-checked by tsc as JavaScript (`checkJs`), then run: in Node when it needs Node's built-in
 *   modules (a server, a tool's config), else in Chromium. A Node block must exit with 0; one that makes a
 *   server must listen, and is posted a token on each route it declares: WePay's API (a stand-in in its
 *   process, node-snippet-preload.js) must receive it as `WePay-Risk-Token`.
 * - `html` and Chromium `js`: the blocks under one heading make one page, its `html` (or, if it has none, the
 *   markup of the page before it in the same file), then its `js`, bundled by esbuild as an app's bundler
 *   would. A page that does not load the package itself gets `dist/wepay-risk-token.min.js`, as the README's
 *   Install shows. Risk.js is the stand-in (`dist/testing/risk-stand-in.js`), answered at WePay's URL by
 *   request interception; nothing leaves the machine. Every element that gets its token by itself must get a
 *   UUID, and no error or warning may reach the console. A page with a form is then submitted with a trusted
 *   click: to each server of its Markdown file, whose call to WePay must carry the element's token; or,
 *   where the file has none, to a local server that must receive the token in the element's field.
 * - `sh`: each command must exist here: an npm script of package.json, a dependency, an installed tool, the
 *   files it names. `json` must parse. `http`: `Name: value` lines; a Content-Security-Policy must be one
 *   that test/csp-profiling.test.ts or test/csp.test.ts serves.
 * - `php`, `python`, `ruby` blocks are run by the server helper's own tests, not here.
 * - A block marked `<!-- snippet: fragment -->` on the line before its fence is not run. A `ts`, `tsx` or
 *   `js` fragment is still type-checked; only what it leaves to its context may be missing.
 */

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const STAND_IN = join(repo, 'dist/testing/risk-stand-in.js');
if (!existsSync(join(repo, 'dist/index.js')) || !existsSync(STAND_IN)) {
  throw new Error('The snippets use the built package: run `npm run build` first.');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const RUN_ELSEWHERE: Record<string, string> = {
  php: "run by the server helper's own tests",
  python: "run by the server helper's own tests",
  ruby: "run by the server helper's own tests",
};
/**
 * What a fragment may leave to its context: names (TS2304, TS2552) and modules (TS2307) it does not declare,
 * and the types of callback parameters that such a name would give (TS7006).
 */
const LEFT_TO_CONTEXT = new Set(['TS2304', 'TS2552', 'TS2307', 'TS7006']);
/** The languages tsc checks (`js` as JavaScript, the others under strict). */
const TYPESCRIPT = new Set(['ts', 'tsx']);

const blocks = await documentationBlocks(repo);
const workspace = await createWorkspace(repo, blocks);
const where = (block: CodeBlock) => `${block.file}:${block.line}`;

/** Whether a `js` block needs Node: esbuild cannot bundle it for a browser because it imports Node's built-ins. */
async function needsNode(block: CodeBlock): Promise<boolean> {
  try {
    await esbuild.build({
      entryPoints: [join(workspace.dir, workspace.fileOf(block))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      logLevel: 'silent',
    });
    return false;
  } catch (error) {
    const { errors = [] } = error as esbuild.BuildFailure;
    return errors.some((message) => message.notes.some((note) => note.text.includes('is built into node')));
  }
}

const runnable = blocks.filter((block) => !block.fragment);
const nodeBlocks = new Set<CodeBlock>();
for (const block of runnable.filter((each) => each.lang === 'js')) {
  if (await needsNode(block)) nodeBlocks.add(block);
}
/** A Node block that makes a server (and so must start it): one the test posts to. */
const isServer = (block: CodeBlock) =>
  nodeBlocks.has(block) && /\bexpress\(\)|\bcreateServer\(|\.listen\(/.test(block.code);

/** The blocks under one heading that run in Chromium, as one page. */
interface PageOfBlocks {
  name: string;
  file: string;
  section: string;
  blocks: CodeBlock[];
}
const pages: PageOfBlocks[] = [];
for (const block of runnable.filter((each) => each.lang === 'html' || (each.lang === 'js' && !nodeBlocks.has(each)))) {
  const last = pages.at(-1);
  if (last && last.file === block.file && last.section === block.section) last.blocks.push(block);
  else pages.push({ name: `page-${blockName(block)}`, file: block.file, section: block.section, blocks: [block] });
}
/** A page's markup: its own `html` blocks, or, for a page of scripts only, the markup of the page before it. */
function markupOf(page: PageOfBlocks): string[] {
  const html = page.blocks.filter((block) => block.lang === 'html').map((block) => block.code);
  const before = pages[pages.indexOf(page) - 1];
  return html.length > 0 || before?.file !== page.file ? html : markupOf(before);
}
const submits = (page: PageOfBlocks) =>
  markupOf(page).some((code) => /<form[\s>]/.test(code) && /<button[\s>]/.test(code));

const PACKAGE_SCRIPT =
  '<script type="module" src="/node_modules/wepay-risk-token/dist/wepay-risk-token.min.js"></script>';
const IMPORTS_PACKAGE = /(?:^|\n)\s*import\s+(?:[^'"]*\s+from\s+)?['"]wepay-risk-token['"]/;

/** Writes a page's HTML and bundles its scripts; returns the bundler's complaint, if any. */
async function buildPage(page: PageOfBlocks): Promise<string | null> {
  const html = markupOf(page);
  const scripts = page.blocks.filter((block) => block.lang === 'js');
  const loadsPackage =
    html.some((code) => code.includes('wepay-risk-token.min.js')) ||
    scripts.some((block) => IMPORTS_PACKAGE.test(block.code));
  const body = [
    ...html,
    loadsPackage ? '' : PACKAGE_SCRIPT,
    scripts.length > 0 ? `<script type="module" src="/pages/${page.name}.js"></script>` : '',
  ];
  const dir = join(workspace.dir, 'pages');
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, `${page.name}.html`),
    `<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>${page.file} § ${page.section}</title></head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`,
  );
  if (scripts.length === 0) return null;
  const entry = scripts.map((block) => `import '../${workspace.fileOf(block)}';`).join('\n');
  try {
    await esbuild.build({
      stdin: { contents: entry, resolveDir: dir, sourcefile: `${page.name}.entry.js` },
      bundle: true,
      platform: 'browser',
      format: 'esm',
      outfile: join(dir, `${page.name}.js`),
      logLevel: 'silent',
    });
    return null;
  } catch (error) {
    return (error as esbuild.BuildFailure).errors.map((message) => message.text).join('\n');
  }
}

/** The diagnostics of one block's file, each at its line in the Markdown file. */
function diagnosticsOf(all: Diagnostic[], block: CodeBlock): string[] {
  const file = workspace.fileOf(block);
  return all
    .filter((diagnostic) => diagnostic.file === file)
    .filter((diagnostic) => !block.fragment || !LEFT_TO_CONTEXT.has(diagnostic.code))
    .map((diagnostic) => `${block.file}:${block.line + diagnostic.line} ${diagnostic.code} ${diagnostic.message}`);
}

const nodeProcesses = new Map<CodeBlock, NodeSnippet>();
/** A Node snippet's process, started once. */
function nodeSnippet(block: CodeBlock): NodeSnippet {
  let snippet = nodeProcesses.get(block);
  if (!snippet) {
    snippet = runNodeSnippet(workspace.dir, workspace.fileOf(block));
    nodeProcesses.set(block, snippet);
  }
  return snippet;
}

const shellContext: ShellContext = {
  repo,
  packageJson: JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as ShellContext['packageJson'],
};
const TESTED_POLICIES = ['test/csp-profiling.test.ts', 'test/csp.test.ts']
  .map((file) => readFileSync(join(repo, file), 'utf8'))
  .join('\n');

/**
 * A type-checker's run over some blocks, started by the first test that needs it (one at a time, as the
 * machine may be small). A complaint about anything but those blocks' files (a bad option, a file the
 * checker named otherwise) fails every test that reads the run, so a check can never pass unseen.
 */
function checkOnce(
  test: (block: CodeBlock) => boolean,
  check: (checked: CodeBlock[]) => Promise<Diagnostic[]>,
): () => Promise<Diagnostic[]> {
  let started: Promise<Diagnostic[]> | undefined;
  return () =>
    (started ??= (async () => {
      const checked = blocks.filter(test);
      const diagnostics = await check(checked);
      const files = new Set(checked.map((block) => workspace.fileOf(block)));
      const elsewhere = diagnostics.filter((diagnostic) => !files.has(diagnostic.file));
      if (elsewhere.length > 0) throw new Error(`not about a snippet:\n${JSON.stringify(elsewhere, null, 2)}`);
      return diagnostics;
    })());
}
const checks = {
  ts: checkOnce(
    (block) => TYPESCRIPT.has(block.lang),
    (checked) => typeCheck(repo, workspace, checked, 'ts'),
  ),
  js: checkOnce(
    (block) => block.lang === 'js',
    (checked) => typeCheck(repo, workspace, checked, 'js'),
  ),
  vue: checkOnce(
    (block) => block.lang === 'vue' && !block.fragment,
    (checked) => vueCheck(repo, workspace, checked),
  ),
  svelte: checkOnce(
    (block) => block.lang === 'svelte' && !block.fragment,
    (checked) => svelteCheck(repo, workspace, checked),
  ),
};

let pageBuilds: Map<PageOfBlocks, string | null>;
let browser: Browser;
let pageServer: PageServer;
let standInSource: string;

before(async () => {
  pageBuilds = new Map();
  for (const page of pages) pageBuilds.set(page, await buildPage(page));
  standInSource = readFileSync(STAND_IN, 'utf8');
  [browser, pageServer] = await Promise.all([
    puppeteer.launch({ executablePath: chromePath, args: chromeArgs }),
    startPageServer(workspace.dir, STAND_IN),
  ]);
});

after(async () => {
  await Promise.all([...nodeProcesses.values()].map((snippet) => snippet.stop()));
  await browser?.close();
  await pageServer?.close();
  await workspace.remove();
  const count = (test: (block: CodeBlock) => boolean) => blocks.filter(test).length;
  const fragments = blocks.filter((block) => block.fragment);
  console.log(
    `Snippets: ${blocks.length} blocks in ${new Set(blocks.map((block) => block.file)).size} files; ` +
      `${pages.length} Chromium pages, ${nodeBlocks.size} Node runs, ` +
      `${count((block) => !block.fragment && ['ts', 'tsx', 'vue', 'svelte'].includes(block.lang))} type-checked only; ` +
      `${fragments.length} fragments not run${fragments.length > 0 ? ` (${fragments.map(where).join(', ')})` : ''}; ` +
      `${count((block) => block.lang in RUN_ELSEWHERE)} left to other tests.`,
  );
});

/** One test per block that is checked on its own (Chromium blocks are checked as pages, below). */
function testBlock(block: CodeBlock): void {
  const title = `${where(block)} ${block.lang || '(no language)'}`;
  if (block.fragment) {
    if (TYPESCRIPT.has(block.lang) || block.lang === 'js') {
      it(`${title}: a fragment${block.fragment.why ? ` (${block.fragment.why})` : ''}, not run; type-checks but for what it leaves to its context`, async () => {
        assert.deepEqual(diagnosticsOf(await checks[block.lang === 'js' ? 'js' : 'ts'](), block), []);
      });
    } else {
      it(
        `${title}: a fragment`,
        { skip: `a ${block.lang} fragment is not checked${block.fragment.why ? `: ${block.fragment.why}` : ''}` },
        () => {},
      );
    }
    return;
  }
  if (TYPESCRIPT.has(block.lang)) {
    it(`${title}: type-checks under strict`, async () => {
      assert.deepEqual(diagnosticsOf(await checks.ts(), block), []);
    });
  } else if (block.lang === 'vue' || block.lang === 'svelte') {
    it(`${title}: type-checks (${block.lang === 'vue' ? 'vue-tsc, strictTemplates' : 'svelte-check'})`, async () => {
      assert.deepEqual(diagnosticsOf(await checks[block.lang as 'vue' | 'svelte'](), block), []);
    });
  } else if (block.lang === 'js' && isServer(block)) {
    const routes = [...block.code.matchAll(/\.post\(\s*['"`](\/[^'"`]*)['"`]/g)].map((match) => match[1]!);
    it(`${title}: type-checks; runs in Node as a server; WePay gets the token posted to ${routes.join(', ') || 'it'}`, async () => {
      assert.deepEqual(diagnosticsOf(await checks.js(), block), []);
      const server = nodeSnippet(block);
      const port = await server.listening;
      if (port === null) assert.fail(`it exited without listening: ${JSON.stringify(await server.exited)}`);
      for (const route of routes) {
        const token = randomUUID();
        const response = await fetch(`http://127.0.0.1:${port}${route}`, {
          method: 'POST',
          body: new URLSearchParams({ wepay_risk_token: token }),
          signal: AbortSignal.timeout(30_000),
        });
        assert.ok(response.status < 400, `POST ${route}: ${response.status} ${await response.text()}`);
        const call = await server.nextWePayCall();
        assert.equal(
          call.headers['wepay-risk-token'],
          token,
          `POST ${route}: WePay got ${JSON.stringify(call.headers)}`,
        );
      }
    });
  } else if (block.lang === 'js' && nodeBlocks.has(block)) {
    it(`${title}: type-checks; runs in Node and exits with 0`, async () => {
      assert.deepEqual(diagnosticsOf(await checks.js(), block), []);
      const { code, stderr } = await nodeSnippet(block).exited;
      assert.equal(code, 0, stderr);
    });
  } else if (block.lang === 'js' || block.lang === 'html') {
    return;
  } else if (block.lang === 'sh') {
    it(`${title}: every command exists here`, () => {
      assert.deepEqual(shellProblems(shellContext, block.code), []);
    });
  } else if (block.lang === 'json') {
    it(`${title}: parses`, () => {
      JSON.parse(block.code);
    });
  } else if (block.lang === 'http') {
    it(`${title}: header lines; a Content-Security-Policy is one the CSP tests serve`, () => {
      for (const line of block.code.split('\n').filter((text) => text.trim() !== '')) {
        const header = /^([\w-]+): (.+)$/.exec(line);
        assert.ok(header, `not a header line: ${line}`);
        if (header[1]!.toLowerCase() === 'content-security-policy') {
          assert.ok(TESTED_POLICIES.includes(header[2]!), `no CSP test serves: ${header[2]}`);
        }
      }
    });
  } else if (block.lang in RUN_ELSEWHERE) {
    it(`${title}`, { skip: RUN_ELSEWHERE[block.lang] }, () => {});
  } else {
    it(`${title}: has a language this test checks`, () => {
      assert.fail(`no check for a "${block.lang}" block: name its language (ts, js, html, sh, json, http…)`);
    });
  }
}

/** One test per Chromium page; a page with a form, one per server it posts to. */
function testPage(page: PageOfBlocks): void {
  const title = `${page.file} § ${page.section} (${page.blocks.map((block) => `${block.lang}:${block.line}`).join(' + ')})`;
  const serverBlocks = blocks.filter((block) => block.file === page.file && isServer(block));

  async function open(origin: string) {
    const built = pageBuilds.get(page);
    assert.equal(built, null, `esbuild: ${built}`);
    for (const block of page.blocks.filter((each) => each.lang === 'js')) {
      assert.deepEqual(diagnosticsOf(await checks.js(), block), []);
    }
    const opened = await openPage({ browser, pageServer, path: `/pages/${page.name}.html`, origin, standInSource });
    for (const element of opened.elements) {
      assert.equal(element.state, 'ready', `an element ended in "${element.state}"; ${opened.problems.join('; ')}`);
      assert.match(element.token ?? '', UUID);
    }
    return opened;
  }

  if (!submits(page)) {
    it(`${title}: runs in Chromium; each element gets its token`, async () => {
      const opened = await open(pageServer.origin);
      await opened.settled();
      await opened.close();
      assert.deepEqual(opened.problems, []);
    });
  } else if (serverBlocks.length === 0) {
    it(`${title}: runs in Chromium; its form posts the token`, async () => {
      const opened = await open(pageServer.origin);
      assert.ok(opened.form, 'a form with <wepay-risk-token> and a submit button');
      await opened.submit();
      const post = await pageServer.nextPost();
      await opened.settled();
      await opened.close();
      assert.deepEqual(
        post.fields.filter(([name]) => name === opened.form!.field),
        [[opened.form.field, opened.form.token]],
      );
      assert.match(opened.form.token ?? '', UUID);
      assert.deepEqual(opened.problems, []);
    });
  } else {
    for (const server of serverBlocks) {
      it(`${title}: runs in Chromium; its form posts to the server at ${where(server)}, which sends WePay the token`, async () => {
        const port = await nodeSnippet(server).listening;
        assert.ok(port !== null, `the server at ${where(server)} did not start`);
        const opened = await open(`http://127.0.0.1:${port}`);
        assert.ok(opened.form, 'a form with <wepay-risk-token> and a submit button');
        await opened.submit();
        const call = await nodeSnippet(server).nextWePayCall();
        await opened.settled();
        await opened.close();
        assert.match(opened.form.token ?? '', UUID);
        assert.equal(call.headers['wepay-risk-token'], opened.form.token, JSON.stringify(call.headers));
        if ('client-ip' in call.headers) assert.equal(call.headers['client-ip'], '127.0.0.1');
        assert.deepEqual(opened.problems, []);
      });
    }
  }
}

for (const file of new Set(blocks.map((block) => block.file))) {
  describe(file, () => {
    for (const block of blocks.filter((each) => each.file === file)) testBlock(block);
    for (const page of pages.filter((each) => each.file === file)) testPage(page);
  });
}
