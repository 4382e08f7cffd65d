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

  it('resolves through the package exports map, as users import it (after npm run build)', async () => {
    const root = await import('wepay-risk-token');
    const server = await import('wepay-risk-token/server');
    assert.equal(typeof root.WePayRiskTokenElement, 'function');
    assert.equal(typeof server.riskHeaders, 'function');
    assert.deepEqual(
      server.riskHeaders({ token: '123E4567-E89B-12D3-A456-426655440000', clientIp: '100.166.99.123' }),
      {
        'WePay-Risk-Token': '123e4567-e89b-12d3-a456-426655440000',
        'Client-IP': '100.166.99.123',
      },
    );
  });

  it('defining again is a no-op where there is no custom element registry', async () => {
    const { defineWePayRiskToken } = await import('../../src/index.js');
    assert.doesNotThrow(() => defineWePayRiskToken());
  });
});
