import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromiumLauncher } from './test/support/chrome.js';
import { firefoxLauncher } from './test/support/firefox.js';
import { quietReporter } from './test/support/reporter.js';
import { testServerMiddleware } from './test/support/test-server.js';
import { wepayHostsPlugin } from './test/support/wepay-hosts.js';
import { webkitLauncher } from './test/support/webkit.js';

/**
 * The engines the browser tests run in, one per run: TEST_BROWSER picks it (Chromium by default), and
 * `npm run test:browser` runs each in turn (test/support/each-browser.js).
 */
const launchers = { chromium: chromiumLauncher, firefox: firefoxLauncher, webkit: webkitLauncher };
const engine = process.env.TEST_BROWSER || 'chromium';
if (!Object.hasOwn(launchers, engine)) {
  throw new Error(`TEST_BROWSER="${engine}" is not one of ${Object.keys(launchers).join(', ')}.`);
}

/** Lit's notice that the tests load its development build, which they do on purpose (its checks stay on). */
const litDevModeNotice = ({ args: [message] }) =>
  typeof message === 'string' && message.startsWith('Lit is in dev mode.');

export default {
  files: ['test/*.test.ts'],
  nodeResolve: true,
  // One page at a time: headless Chromium hides all but one tab, and hidden pages get no animation frames,
  // intersections or focus, which the element's triggers and the tests depend on.
  concurrency: 1,
  // A browser's first page can take a while on a cold, busy 2-core machine (Firefox after `npm ci`, say).
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  // A file of some 50 trusted-input tests can take over the default two minutes on a loaded 2-core machine;
  // cut short, its page's held requests then starve the next file.
  testsFinishTimeout: 300_000,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), wepayHostsPlugin()],
  middleware: [testServerMiddleware()],
  browsers: [launchers[engine]()],
  filterBrowserLogs: (log) => !litDevModeNotice(log),
  reporters: [quietReporter()],
  testFramework: {
    config: { timeout: 10000 },
  },
};
