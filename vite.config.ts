import { defineConfig } from 'vite';

/**
 * `vite build` makes `dist/wepay-risk-token.min.js`: one minified ES module, with `@lit/reactive-element` inside,
 * that defines the element, for pages that use a plain `<script type="module">`. `vite build --mode stand-in`
 * makes `dist/testing/risk-stand-in.js`, the offline Risk.js stand-in, as a classic script (as Risk.js is). The
 * per-module build for bundlers (`@lit/reactive-element` left external) and the `.d.ts` files come from
 * `tsc -p tsconfig.build.json`.
 */
export default defineConfig(({ mode }) =>
  mode === 'stand-in'
    ? {
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
      }
    : {
        build: {
          outDir: 'dist',
          emptyOutDir: false,
          target: 'es2022',
          minify: true,
          sourcemap: true,
          // Library builds in ES format keep their whitespace unless the output itself is minified.
          rolldownOptions: { output: { minify: true } },
          lib: {
            entry: 'src/index.ts',
            formats: ['es'],
            fileName: () => 'wepay-risk-token.min.js',
          },
        },
      },
);
