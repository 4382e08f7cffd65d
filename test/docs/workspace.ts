import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { CodeBlock } from './blocks.js';

/**
 * A scratch project holding each snippet as a file, where `wepay-risk-token` resolves as in a user's app:
 * `node_modules/wepay-risk-token` links to this repository, so imports go through its `exports` into `dist/`.
 * Every other package the snippets import links to this repository's `node_modules`.
 */
export interface Workspace {
  dir: string;
  /** The file a block was written to, relative to `dir`. */
  fileOf(block: CodeBlock): string;
  remove(): Promise<void>;
}

const EXTENSIONS: Record<string, string> = { ts: 'ts', tsx: 'tsx', js: 'js', vue: 'vue', svelte: 'svelte' };
/** Subdirectories with a tsconfig of their own: vue-tsc and svelte-check each check one directory. */
const SUBDIRECTORIES: Record<string, string> = { vue: 'vue', svelte: 'svelte' };

export function blockName(block: CodeBlock): string {
  return `${block.file.replace(/\.md$/, '').replaceAll('/', '-')}-L${block.line}`;
}

export async function createWorkspace(repo: string, blocks: CodeBlock[]): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'wepay-risk-token-docs-'));
  const modules = join(dir, 'node_modules');
  await mkdir(modules);
  for (const entry of await readdir(join(repo, 'node_modules'))) {
    await symlink(join(repo, 'node_modules', entry), join(modules, entry));
  }
  await symlink(repo, join(modules, 'wepay-risk-token'));
  await writeFile(join(dir, 'package.json'), JSON.stringify({ private: true, type: 'module' }));

  const files = new Map<CodeBlock, string>();
  for (const block of blocks) {
    const extension = EXTENSIONS[block.lang];
    if (!extension) continue;
    const subdirectory = SUBDIRECTORIES[block.lang];
    const file = subdirectory ? `${subdirectory}/${blockName(block)}.${extension}` : `${blockName(block)}.${extension}`;
    await mkdir(join(dir, subdirectory ?? '.'), { recursive: true });
    await writeFile(join(dir, file), block.code);
    files.set(block, file);
  }
  return {
    dir,
    fileOf(block) {
      const file = files.get(block);
      if (!file) throw new Error(`${block.file}:${block.line}: no file for a ${block.lang} block`);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A compiler's complaint, at a line of a snippet file (1-based). */
export interface Diagnostic {
  file: string;
  line: number;
  code: string;
  message: string;
}

const run = promisify(execFile);

/** Runs a tool from this repository's node_modules/.bin; its output whether it passed or failed. */
async function output(repo: string, tool: string, args: string[], cwd: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(join(repo, 'node_modules/.bin', tool), args, {
      cwd,
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout + stderr;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return stdout + stderr;
  }
}

/**
 * `file(line,col): error TS1234: message`, as tsc and vue-tsc print with `--pretty false`, with the lines of a
 * long message. An error of the whole project (a bad option) has no file: its `file` is `''`.
 */
function tscDiagnostics(text: string): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const line of text.split('\n')) {
    const match = /^(?:(.+?)\((\d+),\d+\): )?error (TS\d+): (.*)$/.exec(line);
    if (match)
      diagnostics.push({ file: match[1] ?? '', line: Number(match[2] ?? 0), code: match[3]!, message: match[4]! });
    else if (diagnostics.length > 0 && line.startsWith(' ')) diagnostics.at(-1)!.message += `\n${line}`;
  }
  return diagnostics;
}

const COMPILER_OPTIONS = {
  target: 'ES2022',
  lib: ['ES2022', 'DOM', 'DOM.Iterable'],
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  moduleDetection: 'force',
  jsx: 'react-jsx',
  noEmit: true,
  skipLibCheck: true,
  types: ['node'],
};

/**
 * Type-checks the snippet files of `blocks` with tsc: TypeScript under `strict`, as a user's strict project
 * would; JavaScript with `checkJs` but without `strict`, so calls that do not fit an API fail as they would
 * in an editor, while the null checks that plain JavaScript does not ask for do not.
 */
export async function typeCheck(
  repo: string,
  workspace: Workspace,
  blocks: CodeBlock[],
  language: 'ts' | 'js',
): Promise<Diagnostic[]> {
  if (blocks.length === 0) return [];
  const config = `tsconfig.${language}.json`;
  const compilerOptions =
    language === 'ts' ? { ...COMPILER_OPTIONS, strict: true } : { ...COMPILER_OPTIONS, allowJs: true, checkJs: true };
  await writeFile(
    join(workspace.dir, config),
    JSON.stringify({ compilerOptions, files: blocks.map((block) => workspace.fileOf(block)) }),
  );
  return tscDiagnostics(await output(repo, 'tsc', ['-p', config, '--pretty', 'false'], workspace.dir));
}

/** Vue single-file components, with vue-tsc and `strictTemplates`. */
export async function vueCheck(repo: string, workspace: Workspace, blocks: CodeBlock[]): Promise<Diagnostic[]> {
  if (blocks.length === 0) return [];
  await writeFile(
    join(workspace.dir, 'vue/tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...COMPILER_OPTIONS, strict: true, types: [] },
      vueCompilerOptions: { strictTemplates: true },
      files: blocks.map((block) => workspace.fileOf(block).slice('vue/'.length)),
    }),
  );
  return tscDiagnostics(await output(repo, 'vue-tsc', ['-p', 'vue/tsconfig.json', '--pretty', 'false'], workspace.dir));
}

/** Svelte components, with svelte-check. */
export async function svelteCheck(repo: string, workspace: Workspace, blocks: CodeBlock[]): Promise<Diagnostic[]> {
  if (blocks.length === 0) return [];
  await writeFile(
    join(workspace.dir, 'svelte/tsconfig.json'),
    JSON.stringify({
      compilerOptions: { ...COMPILER_OPTIONS, strict: true, verbatimModuleSyntax: true, types: [] },
      include: ['**/*.svelte'],
    }),
  );
  // svelte-check reads a svelte.config.js if it finds one; an empty one keeps it from looking further up.
  await writeFile(join(workspace.dir, 'svelte/svelte.config.js'), 'export default {};\n');
  const text = await output(
    repo,
    'svelte-check',
    ['--workspace', 'svelte', '--tsconfig', './tsconfig.json', '--output', 'machine'],
    workspace.dir,
  );
  if (!/COMPLETED/.test(text)) throw new Error(`svelte-check did not complete:\n${text}`);
  return text
    .split('\n')
    .map((line) => /^\d+ ERROR "([^"]+)" (\d+):\d+ "(.*)"$/.exec(line))
    .filter((match) => match !== null)
    .map(([, file, line, message]) => ({
      file: `svelte/${file}`,
      line: Number(line),
      code: 'svelte',
      message: message!,
    }));
}
