import angular from '@analogjs/vite-plugin-angular';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import vue from '@vitejs/plugin-vue';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type PluginOption } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '../..');

/** What `import 'wepay-risk-token'` resolves to: the package as `npm run build` made it. */
export const PACKAGE_ENTRY = join(repo, 'dist/index.js');
/** The Risk.js stand-in as the package ships it (a classic script, as Risk.js is). */
export const STAND_IN = join(repo, 'dist/testing/risk-stand-in.js');

export interface AppBuild {
  /** URL prefix and output directory name. */
  name: string;
  /** Directory under `test/frameworks/` holding the app's source. */
  source: string;
  /** HTML entry pages. */
  pages: string[];
  plugins?: PluginOption[];
  /** React's StrictMode checks run only in a development build. */
  development?: boolean;
}

const APPS: AppBuild[] = [
  { name: 'react', source: 'react', pages: ['index.html'] },
  { name: 'react-dev', source: 'react', pages: ['index.html'], development: true },
  {
    name: 'vue',
    source: 'vue',
    pages: ['index.html'],
    // As a Vue user must: without it Vue tries to resolve the tag as a component and warns.
    plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === 'wepay-risk-token' } } })],
  },
  { name: 'svelte', source: 'svelte', pages: ['index.html'], plugins: [svelte()] },
  {
    name: 'angular',
    source: 'angular',
    pages: ['index.html'],
    // Angular's ahead-of-time compiler with strict template type-checking, as `ng build` runs it: the build
    // fails on a tag or a binding it does not know, so the components must declare CUSTOM_ELEMENTS_SCHEMA.
    plugins: [angular({ tsconfig: join(here, 'angular/tsconfig.json'), disableTypeChecking: false })],
  },
  { name: 'turbo', source: 'turbo', pages: ['index.html', 'terms.html', 'paid.html'] },
  { name: 'htmx', source: 'htmx', pages: ['hx-post.html', 'hx-include.html', 'hx-include-named.html'] },
];

export interface BuiltApps {
  /** URL prefix → directory holding the built app. */
  dirs: Map<string, string>;
  remove(): Promise<void>;
}

/** Builds the apps (by default every app above) with Vite into a temporary directory, each served under `/<name>/`. */
export async function buildApps(apps: AppBuild[] = APPS): Promise<BuiltApps> {
  if (!existsSync(PACKAGE_ENTRY) || !existsSync(STAND_IN)) {
    throw new Error('The framework apps import the built package: run `npm run build` first.');
  }
  const out = await mkdtemp(join(tmpdir(), 'wepay-risk-token-frameworks-'));
  const dirs = new Map<string, string>();
  for (const app of apps) {
    const root = join(here, app.source);
    const outDir = join(out, app.name);
    await build({
      root,
      base: `/${app.name}/`,
      configFile: false,
      logLevel: 'warn',
      mode: app.development ? 'development' : 'production',
      define: { 'process.env.NODE_ENV': JSON.stringify(app.development ? 'development' : 'production') },
      plugins: app.plugins ?? [],
      resolve: { alias: [{ find: /^wepay-risk-token$/, replacement: PACKAGE_ENTRY }] },
      oxc: { jsx: { runtime: 'automatic', development: app.development ?? false } },
      build: {
        outDir,
        emptyOutDir: true,
        rolldownOptions: {
          input: app.pages.map((page) => join(root, page)),
          // Angular's compiler takes seconds, which Rolldown reports as slow plugin callbacks: not a problem here.
          checks: { bundlerTimings: false },
        },
      },
    });
    dirs.set(app.name, outDir);
  }
  return { dirs, remove: () => rm(out, { recursive: true, force: true }) };
}
