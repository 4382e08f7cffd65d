import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** What a shell snippet may call on: this repository's package.json and its files. */
export interface ShellContext {
  repo: string;
  packageJson: {
    name: string;
    scripts: Record<string, string>;
    dependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
}

/** npm's own commands that the docs use and that need no script of the package. */
const NPM_COMMANDS = new Set(['install', 'i', 'ci', 'pack', 'publish']);
const PATH_LIKE = /^(?:\.{0,2}\/)?[\w.@-]+(?:\/[\w.@-]*)+$|\.(?:[cm]?[jt]s|json)$/;
const ASSIGNMENT = /^[A-Za-z_]\w*=/;

/** The words of one simple command, quotes taken off (the docs need no more shell than that). */
function words(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
}

/** A path a command reads, in this repository; the installed package is this repository. */
function repositoryPath({ repo, packageJson }: ShellContext, path: string): string {
  const installed = `node_modules/${packageJson.name}/`;
  return join(repo, path.startsWith(installed) ? path.slice(installed.length) : path);
}

function missingPaths(context: ShellContext, args: string[]): string[] {
  return args
    .filter((arg) => !arg.startsWith('-') && !arg.includes('://') && PATH_LIKE.test(arg))
    .filter((path) => !existsSync(repositoryPath(context, path)))
    .map((path) => `${path} does not exist`);
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', command]).status === 0;
}

/** Why one simple command would not run here: an npm script, a package, a tool or a file that is not there. */
function commandProblems(context: ShellContext, command: string): string[] {
  const all = words(command);
  const start = all.findIndex((word) => !ASSIGNMENT.test(word));
  if (start === -1) return [];
  const [name = '', ...args] = all.slice(start);
  const { packageJson } = context;
  if (name === 'npm') {
    const [subcommand = '', ...rest] = args;
    const separator = rest.indexOf('--');
    const own = separator === -1 ? rest : rest.slice(0, separator);
    const passed = separator === -1 ? [] : rest.slice(separator + 1);
    if (subcommand === 'test') return packageJson.scripts.test ? missingPaths(context, passed) : ['no "test" script'];
    if (subcommand === 'run') {
      const [script = ''] = own;
      return packageJson.scripts[script]
        ? missingPaths(context, passed)
        : [`no npm script "${script}" in package.json`];
    }
    if (!NPM_COMMANDS.has(subcommand)) return [`npm ${subcommand} is not a command the docs may use`];
    const known = new Set([
      packageJson.name,
      ...Object.keys(packageJson.dependencies ?? {}),
      ...Object.keys(packageJson.devDependencies ?? {}),
    ]);
    return own
      .filter((arg) => !arg.startsWith('-'))
      .map((arg) => arg.replace(/(?<=.)@[^/]*$/, ''))
      .filter((packageName) => !known.has(packageName))
      .map((packageName) => `${packageName} is neither this package nor one of its dependencies`);
  }
  if (name === 'npx') {
    const [tool = '', ...rest] = args;
    const problems = existsSync(join(context.repo, 'node_modules/.bin', tool)) ? [] : [`npx ${tool}: not installed`];
    return [...problems, ...missingPaths(context, rest)];
  }
  if (name === 'cp') return missingPaths(context, args.filter((arg) => !arg.startsWith('-')).slice(0, -1));
  return onPath(name) ? missingPaths(context, args) : [`${name}: no such command`];
}

/**
 * Why the lines of a `sh` snippet would not run as written, as a list of problems (empty when they would).
 * Comments and `VAR=value` prefixes are dropped; `&&`, `||`, `;` and `|` split a line into commands.
 */
export function shellProblems(context: ShellContext, code: string): string[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '')
    .flatMap((line) => line.split(/&&|\|\||;|\|/).map((command) => command.trim()))
    .flatMap((command) => commandProblems(context, command).map((problem) => `${command}: ${problem}`));
}
