import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';

interface Declaration {
  tagName?: string;
  attributes?: Array<{ name: string }>;
  events?: Array<{ name: string }>;
}

describe('dist/custom-elements.json (made by npm run build from the JSDoc in src)', () => {
  it('describes <wepay-risk-token> with every attribute and event of the public contract', async () => {
    const manifest = JSON.parse(await readFile('dist/custom-elements.json', 'utf8')) as {
      modules: Array<{ declarations?: Declaration[] }>;
    };
    const element = manifest.modules.flatMap((module) => module.declarations ?? []).find((d) => d.tagName);
    assert.equal(element?.tagName, 'wepay-risk-token');
    const attributes = new Set(element.attributes?.map((attribute) => attribute.name));
    for (const name of ['name', 'src', 'trigger', 'timeout', 'submit-wait', 'required', 'nonce', 'form', 'state']) {
      assert.ok(attributes.has(name), `attribute ${name}`);
    }
    assert.deepEqual(element.events?.map((event) => event.name).sort(), [
      'wepay-risk-token-error',
      'wepay-risk-token-expired',
      'wepay-risk-token-ready',
    ]);
  });
});
