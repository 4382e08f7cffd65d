import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromeLauncher } from '@web/test-runner-chrome';

// The Risk.js stand-in that ships with the package, served by the test server at /risk-stand-in.js.
const riskStandIn = createRequire(import.meta.url).resolve('wepay-risk-token/testing/risk-stand-in.js');

export default {
  rootDir: fileURLToPath(new URL('../../..', import.meta.url)),
  files: [fileURLToPath(new URL('./*.test.js', import.meta.url))],
  // Lit's production build, as users get: no dev-mode notice in the browser log.
  nodeResolve: { exportConditions: ['production'] },
  middleware: [
    async function serveRiskStandIn(context, next) {
      if (context.path !== '/risk-stand-in.js') return next();
      context.type = 'text/javascript';
      context.body = await readFile(riskStandIn);
    },
  ],
  // Any Chrome or Chromium; this repository runs its examples with Debian's, as root, hence no sandbox.
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        args: ['--headless=new', '--no-sandbox'],
      },
    }),
  ],
};
