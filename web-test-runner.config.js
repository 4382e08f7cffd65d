import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { testServerMiddleware } from './test/support/test-server.js';

/** Debian's Chromium by default; CHROME_PATH points at any other Chrome or Chromium. */
const executablePath = process.env.CHROME_PATH || '/usr/bin/chromium';

export default {
  files: ['test/*.test.ts'],
  nodeResolve: true,
  // One page at a time: headless Chromium hides all but one tab, and hidden pages get no animation frames,
  // intersections or focus, which the element's triggers and the tests depend on.
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' })],
  middleware: [testServerMiddleware()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        headless: true,
        args: [
          '--headless=new',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
  testFramework: {
    config: { timeout: 10000 },
  },
};
