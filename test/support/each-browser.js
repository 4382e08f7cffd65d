/**
 * Runs the browser tests in each engine, one after another (at once they would compete for a small machine's
 * CPU), and fails if any engine failed:
 *
 *   node test/support/each-browser.js [chromium] [firefox] [webkit] [web-test-runner arguments…]
 *
 * Without engine names, all three. Other arguments (test files, `--port`) go to every web-test-runner run.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ENGINES = ['chromium', 'firefox', 'webkit'];
const args = process.argv.slice(2);
const named = args.filter((arg) => ENGINES.includes(arg));
const runnerArgs = args.filter((arg) => !ENGINES.includes(arg));
const runner = join(dirname(createRequire(import.meta.url).resolve('@web/test-runner')), 'bin.js');

const results = [];
for (const engine of named.length > 0 ? named : ENGINES) {
  const started = Date.now();
  const { status } = spawnSync(process.execPath, [runner, ...runnerArgs], {
    stdio: 'inherit',
    env: { ...process.env, TEST_BROWSER: engine },
  });
  results.push({ engine, passed: status === 0, seconds: Math.round((Date.now() - started) / 1000) });
}

console.log(
  `\nBrowser tests: ${results.map(({ engine, passed, seconds }) => `${engine} ${passed ? 'passed' : 'FAILED'} (${seconds} s)`).join(', ')}`,
);
process.exitCode = results.every(({ passed }) => passed) ? 0 : 1;
