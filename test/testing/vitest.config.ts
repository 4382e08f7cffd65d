import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The test kit's own tests: `installFakeRisk()` and the element in happy-dom, as a user's unit tests run. */
export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    environment: 'happy-dom',
    include: ['test/testing/*.test.ts'],
    // Expected in a development build of Lit, which the tests import on purpose.
    onConsoleLog: (log) => !log.startsWith('Lit is in dev mode'),
  },
});
