import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

describe('importing the package without a DOM (SSR, build tools)', () => {
  it('does not throw and exports the element class and error', async () => {
    assert.equal(typeof globalThis.document, 'undefined');
    const root = await import('../../src/index.js');
    assert.equal(typeof root.WePayRiskTokenElement, 'function');
    assert.equal(typeof root.WePayRiskTokenError, 'function');
    assert.equal(new root.WePayRiskTokenError('timeout', 'late').reason, 'timeout');
  });

  it('does not throw when imported from the built package either', async () => {
    const built = await import('../../dist/index.js');
    assert.equal(typeof built.WePayRiskTokenElement, 'function');
  });

  it('defining again is a no-op where there is no custom element registry', async () => {
    const { defineWePayRiskToken } = await import('../../src/index.js');
    assert.doesNotThrow(() => defineWePayRiskToken());
  });
});
