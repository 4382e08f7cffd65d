/// <reference types="node" />
/**
 * The Node helper over the shared vectors of fixtures/risk-header-vectors.json, which the PHP, Python and
 * Ruby recipes of docs/server.md answer too (recipes.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { nodeAnswer, RECIPE_CALLS } from './vectors.js';

describe('wepay-risk-token/server over the shared vectors', () => {
  it('sends the expected headers for every posted token and every request', () => {
    assert.ok(RECIPE_CALLS.length > 100, 'the vectors were read');
    for (const call of RECIPE_CALLS) assert.deepEqual(nodeAnswer(call), call.expected, JSON.stringify(call));
  });
});
