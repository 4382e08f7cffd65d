import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { chromeArgs, chromePath } from './test/support/chrome.js';
import { testServerMiddleware } from './test/support/test-server.js';
import { wepayHostsPlugin } from './test/support/wepay-hosts.js';

export default {
  files: ['test/*.test.ts'],
  nodeResolve: true,
  // One page at a time: headless Chromium hides all but one tab, and hidden pages get no animation frames,
  // intersections or focus, which the element's triggers and the tests depend on.
  concurrency: 1,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), wepayHostsPlugin()],
  middleware: [testServerMiddleware()],
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: chromePath, headless: true, args: chromeArgs },
    }),
  ],
  testFramework: {
    config: { timeout: 10000 },
  },
};
