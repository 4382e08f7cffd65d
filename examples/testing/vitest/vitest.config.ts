import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  test: {
    // Or 'jsdom'. Neither runs Risk.js: installFakeRisk() defines window.WePay.risk instead.
    environment: 'happy-dom',
  },
});
