import { defineConfig } from 'vite';

/**
 * `vite build` makes `dist/wepay-risk-token.min.js`: one minified ES module with Lit inside that defines the
 * element, for pages that use a plain `<script type="module">`. The per-module build for bundlers (Lit left
 * external) and the `.d.ts` files come from `tsc -p tsconfig.build.json`.
 *
 * The element renders no template and imports only `ReactiveElement` from `lit`, whose entry also pulls in
 * lit-html for its side effects; the bundle takes `ReactiveElement` from where `lit` re-exports it.
 */
export default defineConfig({
  resolve: {
    alias: [{ find: /^lit$/, replacement: '@lit/reactive-element' }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2022',
    minify: true,
    sourcemap: true,
    lib: {
      entry: 'src/index.ts',
      formats: ['es'],
      fileName: () => 'wepay-risk-token.min.js',
    },
  },
});
