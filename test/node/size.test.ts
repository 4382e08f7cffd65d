import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  SIZE_LABELS,
  measureSizes,
  readSizeBudgets,
  type SizeBudget,
  type SizeName,
  type Sizes,
} from '../../bench/size.js';

/**
 * Works like size-limit: bench/size-limits.json records the sizes reached as limits, and any growth past one
 * fails. A size that shrinks may be recorded as the new limit; a goal that is met becomes the limit.
 */
describe('bundle size (gzip -9, measured by bench/size.ts)', () => {
  let sizes: Sizes;
  let budgets: Record<SizeName, SizeBudget>;

  before(async () => {
    [sizes, budgets] = await Promise.all([measureSizes(), readSizeBudgets()]);
  });

  for (const name of ['elementModule', 'standalone'] as const) {
    describe(SIZE_LABELS[name], () => {
      it('does not grow past its limit', (t) => {
        const { limit, goal } = budgets[name];
        t.diagnostic(`${sizes[name]} B; limit ${limit} B; goal ${goal} B`);
        assert.ok(
          sizes[name] <= limit,
          `${sizes[name]} B is over the limit of ${limit} B in bench/size-limits.json: find what grew (an esbuild metafile shows where the bytes go).`,
        );
      });

      it('has the goal as its limit once the goal is met', () => {
        const { limit, goal } = budgets[name];
        if (sizes[name] > goal) return;
        assert.ok(
          limit <= goal,
          `${sizes[name]} B meets the goal of ${goal} B: set "limit" to ${goal} in bench/size-limits.json.`,
        );
      });
    });
  }
});
