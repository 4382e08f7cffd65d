import { defineConfig } from '@playwright/test';

const port = Number(process.env.SHOP_PORT ?? 5181);

export default defineConfig({
  testDir: '.',
  reporter: 'line',
  // Your app; here a one-page shop.
  webServer: {
    command: 'node shop.js',
    cwd: import.meta.dirname,
    env: { PORT: String(port) },
    url: `http://127.0.0.1:${port}/`,
  },
  use: {
    baseURL: `http://127.0.0.1:${port}/`,
    // Any Chrome or Chromium; this repository runs its examples with Debian's. Without executablePath,
    // Playwright uses the browser that `npx playwright install chromium` downloads.
    launchOptions: { executablePath: process.env.CHROME_PATH || '/usr/bin/chromium' },
  },
});
