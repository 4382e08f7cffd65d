/**
 * What the element's production build costs a page, in bytes after `gzip -9` (zlib level 9), measured one way
 * for the benchmark and for the size test (`test/node/size.test.ts`):
 * - the element module: `dist/index.js` (the production build, without the development build's messages and
 *   warnings) bundled by esbuild, minified, with `@lit/reactive-element` external — what an app's bundler adds
 *   on top of the Lit it may already have;
 * - the standalone file: `dist/wepay-risk-token.min.js` exactly as `npm run build` writes it (ReactiveElement
 *   inside) — what a page without a bundler downloads;
 * - ReactiveElement alone, bundled and minified the same way, for comparison.
 *
 * `bench/size-limits.json` holds, per measure, the `limit` the size test enforces (the size reached, like
 * size-limit) and the `goal` of issue 17. Run `npx tsx bench/size.ts` (after `npm run build`) to print them.
 */
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

export type SizeName = 'elementModule' | 'standalone';

export interface SizeBudget {
  /** Bytes the size test allows: the smallest size reached so far, or the goal once it is met. */
  limit: number;
  /** Bytes issue 17 aims for. */
  goal: number;
}

export interface Sizes {
  elementModule: number;
  standalone: number;
  reactiveElement: number;
}

export const SIZE_LABELS: Record<keyof Sizes, string> = {
  elementModule: 'dist/index.js, Lit external (esbuild, minified)',
  standalone: 'dist/wepay-risk-token.min.js, ReactiveElement inside (as built)',
  reactiveElement: 'ReactiveElement alone (esbuild, minified)',
};

const root = fileURLToPath(new URL('..', import.meta.url));
const ELEMENT_MODULE = `${root}dist/index.js`;
const STANDALONE = `${root}dist/wepay-risk-token.min.js`;
const LIMITS = `${root}bench/size-limits.json`;

const gzipped = (bytes: Uint8Array) => gzipSync(bytes, { level: 9 }).length;

async function minifiedBundle(
  entry: { file: string } | { code: string },
  external: string[] = [],
): Promise<Uint8Array> {
  const input =
    'file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.code, resolveDir: root, loader: 'js' as const } };
  const result = await build({
    ...input,
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    external,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}

/** The built files must be built from the current source, or their sizes say nothing. */
async function assertBuiltFromCurrentSource(): Promise<void> {
  const builtAt = async (file: string) => {
    const built = await stat(file).catch(() => undefined);
    if (!built) throw new Error(`${file} is missing: run npm run build first.`);
    return built.mtimeMs;
  };
  const built = Math.min(await builtAt(ELEMENT_MODULE), await builtAt(STANDALONE));
  const { metafile } = await build({
    entryPoints: [`${root}src/index.ts`],
    absWorkingDir: root,
    bundle: true,
    packages: 'external',
    metafile: true,
    write: false,
    logLevel: 'silent',
  });
  for (const source of Object.keys(metafile.inputs)) {
    if ((await stat(`${root}${source}`)).mtimeMs > built) {
      throw new Error(`${source} is newer than the build in dist/: run npm run build first.`);
    }
  }
}

export async function measureSizes(): Promise<Sizes> {
  await assertBuiltFromCurrentSource();
  const [elementModule, standalone, reactiveElement] = await Promise.all([
    minifiedBundle({ file: ELEMENT_MODULE }, ['@lit/reactive-element']),
    readFile(STANDALONE),
    minifiedBundle({ code: "export { ReactiveElement } from '@lit/reactive-element';" }),
  ]);
  return {
    elementModule: gzipped(elementModule),
    standalone: gzipped(standalone),
    reactiveElement: gzipped(reactiveElement),
  };
}

export async function readSizeBudgets(): Promise<Record<SizeName, SizeBudget>> {
  return JSON.parse(await readFile(LIMITS, 'utf8')) as Record<SizeName, SizeBudget>;
}

const bytes = (value: number) => `${value.toLocaleString('en-US')} B`;

/** The sizes beside their limits and goals, as a Markdown table. */
export function sizeTable(sizes: Sizes, budgets: Record<SizeName, SizeBudget>): string {
  const rows = (Object.keys(SIZE_LABELS) as Array<keyof Sizes>).map((name) => {
    const budget = name === 'reactiveElement' ? undefined : budgets[name];
    const cells = [
      SIZE_LABELS[name],
      bytes(sizes[name]),
      budget ? bytes(budget.limit) : '',
      budget ? bytes(budget.goal) : '',
    ];
    return `| ${cells.join(' | ')} |`;
  });
  return ['| gzip -9 | size | limit | goal |', '|---|--:|--:|--:|', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(sizeTable(await measureSizes(), await readSizeBudgets()));
}
