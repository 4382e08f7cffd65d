import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';

/**
 * The JavaScript of `dist/`, one `vite build --mode <mode>` per output (`npm run build` runs them all; the
 * `.d.ts` files come from `tsc -p tsconfig.build.json`):
 * - `production` (the default): `dist/`, the production build for bundlers and Node — one ES module per source
 *   module, readable, `@lit/reactive-element` left external — with the server helper, the test kit and the
 *   framework entries;
 * - `development`: `dist/development/`, the same element modules with the development build's messages and
 *   warnings (`src/dev.ts`), which the `development` export condition picks;
 * - `standalone`: `dist/wepay-risk-token.min.js`, one minified production module with ReactiveElement inside,
 *   that defines the element, for pages that use a plain `<script type="module">`;
 * - `standalone-development`: `dist/wepay-risk-token.development.js`, the same unminified, with the
 *   development builds of the element and of ReactiveElement;
 * - `stand-in`: `dist/testing/risk-stand-in.js`, the offline Risk.js stand-in, as a classic script (as
 *   Risk.js is).
 */

const DEV_MODULE = fileURLToPath(new URL('src/dev.ts', import.meta.url));

/**
 * The production build: `DEV` is `false`, and Rolldown drops each `if (DEV)` and `DEV ? … : …` branch, with
 * the prose in it, and then what only those branches used.
 */
const production: Plugin = {
  name: 'wepay-risk-token:production',
  enforce: 'pre',
  load: (id) => (id === DEV_MODULE ? 'export const DEV = false;' : undefined),
};

/** A type-only module (the framework entries) would be an empty file; tsc writes `export {};` for it too. */
const typeOnlyModules: Plugin = {
  name: 'wepay-risk-token:type-only-modules',
  // Nothing of the source maps to it.
  renderChunk: (code) => (code.trim() === '' ? { code: 'export {};\n', map: { mappings: '' } } : null),
};

/** One ES module per source module, as `src/` lays them out, with Lit and Node's built-ins external. */
function modules(outDir: string, entry: string[], dev: boolean): UserConfig {
  return {
    plugins: dev ? [typeOnlyModules] : [production, typeOnlyModules],
    build: {
      outDir,
      emptyOutDir: false,
      target: 'es2022',
      minify: false,
      sourcemap: true,
      lib: { entry, formats: ['es'] },
      rolldownOptions: {
        external: [/^@lit\/reactive-element/, /^node:/],
        output: {
          preserveModules: true,
          preserveModulesRoot: 'src',
          entryFileNames: '[name].js',
          // The maps point into src/, which the package ships (as tsc's maps did).
          sourcemapExcludeSources: true,
        },
      },
    },
  };
}

/** `src/index.ts` with ReactiveElement inside, in its production or development build. */
function standalone(fileName: string, dev: boolean): UserConfig {
  return {
    plugins: dev ? [] : [production],
    resolve: { conditions: [dev ? 'development' : 'production', 'browser', 'module'] },
    build: {
      outDir: 'dist',
      emptyOutDir: false,
      target: 'es2022',
      minify: !dev,
      sourcemap: true,
      // Library builds in ES format keep their whitespace unless the output itself is minified. `@__PURE__`
      // annotations are for a bundler, and nothing bundles this file.
      rolldownOptions: { output: { minify: !dev, comments: dev || { annotation: false } } },
      lib: { entry: 'src/index.ts', formats: ['es'], fileName: () => fileName },
    },
  };
}

const FRAMEWORKS = ['preact', 'react', 'solid', 'svelte', 'vue'].map((name) => `src/frameworks/${name}.ts`);

export default defineConfig(({ mode }) => {
  switch (mode) {
    case 'production':
      return modules('dist', ['src/index.ts', 'src/server/index.ts', 'src/testing/index.ts', ...FRAMEWORKS], false);
    case 'development':
      return modules('dist/development', ['src/index.ts'], true);
    case 'standalone':
      return standalone('wepay-risk-token.min.js', false);
    case 'standalone-development':
      return standalone('wepay-risk-token.development.js', true);
    case 'stand-in':
      return {
        build: {
          outDir: 'dist/testing',
          emptyOutDir: false,
          target: 'es2020',
          minify: false,
          lib: {
            entry: 'src/testing/risk-stand-in.ts',
            formats: ['iife'],
            name: 'WePayRiskStandIn',
            fileName: () => 'risk-stand-in.js',
          },
        },
      };
    default:
      throw new Error(`vite.config.ts builds no mode "${mode}".`);
  }
});
