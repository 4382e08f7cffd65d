import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

/**
 * The framework typings as a user gets them: each fixture imports `wepay-risk-token/<framework>` by the
 * package name, which resolves through the exports map into dist/ (so this runs after `npm run build`).
 * TSX and Vue fixtures mark every wrong usage with `@ts-expect-error` / `@vue-expect-error`, so a wrong
 * usage that stops failing fails the check; Svelte has no such comment in markup, so each wrong usage is a
 * component of its own that must fail with its own message.
 */

const run = promisify(execFile);

/** Runs a tool from node_modules/.bin; resolves with its output whether it passed or failed. */
async function check(tool: string, args: string[]): Promise<{ passed: boolean; output: string }> {
  try {
    const { stdout, stderr } = await run(`node_modules/.bin/${tool}`, args, { maxBuffer: 16 * 1024 * 1024 });
    return { passed: true, output: stdout + stderr };
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    return { passed: false, output: stdout + stderr };
  }
}

describe('framework typings (type-only entry points)', { concurrency: true, timeout: 120_000 }, () => {
  it('wepay-risk-token/react, /preact and /solid: tsc --strict accepts the right TSX and rejects every wrong usage', async () => {
    const { passed, output } = await check('tsc', ['-p', 'test/types/tsx']);
    assert.ok(passed, output);
  });

  it('wepay-risk-token/vue: vue-tsc with strictTemplates accepts the right SFC and rejects every wrong usage', async () => {
    const { passed, output } = await check('vue-tsc', ['-p', 'test/types/vue']);
    assert.ok(passed, output);
  });

  it('wepay-risk-token/svelte: svelte-check accepts the right component and rejects each wrong one', async () => {
    const { output } = await check('svelte-check', [
      '--workspace',
      'test/types/svelte',
      '--tsconfig',
      './tsconfig.json',
      '--output',
      'machine',
    ]);
    const errors = output
      .split('\n')
      .map((line) => /^\d+ ERROR "([^"]+)" \d+:\d+ "(.*)"$/.exec(line))
      .filter((match) => match !== null)
      .map(([, file, message]) => ({ file, message }));
    const errorsIn = (file: string) => errors.filter((error) => error.file === file).map((error) => error.message);

    assert.match(output, /COMPLETED/, output);
    assert.deepEqual(errorsIn('Checkout.svelte'), []);
    const expected: Record<string, RegExp> = {
      'wrong/Trigger.svelte': /Type '\\"later\\"' is not assignable to type 'Trigger \| undefined'/,
      'wrong/Timeout.svelte': /Type '\\"5s\\"' is not assignable to type 'WePayRiskTokenMilliseconds \| undefined'/,
      'wrong/SubmitWait.svelte':
        /Type '\{ ms: number; \}' is not assignable to type 'WePayRiskTokenMilliseconds \| undefined'/,
      'wrong/UnknownString.svelte': /Type 'string' is not assignable to type 'WePayRiskTokenMilliseconds \| undefined'/,
      'wrong/Src.svelte': /Type 'number' is not assignable to type 'string'/,
      'wrong/Listener.svelte': /Type '\(event: MouseEvent\) => void' is not assignable/,
      'wrong/Detail.svelte': /Property 'reason' does not exist on type 'WePayRiskTokenReadyDetail'/,
    };
    for (const [file, message] of Object.entries(expected)) {
      const found = errorsIn(file);
      assert.equal(found.length, 1, `${file}: ${found.join('; ') || 'no error'}`);
      assert.match(found[0] ?? '', message, file);
    }
    assert.equal(errors.length, Object.keys(expected).length, output);
  });
});
