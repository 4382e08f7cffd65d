import './happy-dom.js';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import '../../src/index.js';
import type { WePayRiskTokenErrorEvent, WePayRiskTokenReadyEvent } from '../../src/index.js';
import { installFakeRisk, type FakeRisk, type FakeRiskOptions } from '../../src/testing/index.js';

const TOKEN = '123e4567-e89b-12d3-a456-426655440000';

/** A checkout form with the element, in the happy-dom document, as a user's unit test sets one up. */
function checkout(attributes = 'trigger="eager"') {
  document.body.innerHTML = `<form><input name="amount" value="12"><wepay-risk-token ${attributes}></wepay-risk-token></form>`;
  return { form: document.querySelector('form')!, element: document.querySelector('wepay-risk-token')! };
}

// A generous bound, so that a token that never comes fails the test instead of hanging the run.
describe('<wepay-risk-token> with installFakeRisk() in happy-dom', { timeout: 30_000 }, () => {
  let fake: FakeRisk | undefined;
  const install = (options: FakeRiskOptions) => (fake = installFakeRisk(options));

  afterEach(() => {
    document.body.replaceChildren();
    fake?.uninstall();
  });

  it('puts the fake token into the form, and loads no script', async () => {
    install({ token: TOKEN });
    const { form, element } = checkout();
    const ready = await new Promise<WePayRiskTokenReadyEvent>((resolve) =>
      element.addEventListener('wepay-risk-token-ready', resolve, { once: true }),
    );
    assert.equal(ready.detail.token, TOKEN);
    assert.equal(new FormData(form).get('wepay_risk_token'), TOKEN);
    assert.equal(document.querySelectorAll('script').length, 0);
    assert.equal(fake?.calls.generate, 1);
  });

  it('resolves generate() with a token that comes after `latency`', async () => {
    install({ latency: 30 });
    const { form, element } = checkout('trigger="manual"');
    assert.equal(await element.generate(), fake?.token);
    assert.equal(new FormData(form).get('wepay_risk_token'), fake?.token);
  });

  const faults = [
    { fault: 'throws', reason: 'api-error' },
    { fault: 'throws-get', reason: 'api-error' },
    { fault: 'never', reason: 'timeout' },
    { fault: 'value', reason: 'invalid-token' },
  ] as const;
  for (const { fault, reason } of faults) {
    it(`reports ${reason} for fault ${fault}, and the form posts an empty token`, async () => {
      install({ fault });
      const { form, element } = checkout('trigger="manual" timeout="100"');
      const error = new Promise<WePayRiskTokenErrorEvent>((resolve) =>
        element.addEventListener('wepay-risk-token-error', resolve, { once: true }),
      );
      await assert.rejects(element.generate(), { reason });
      assert.equal((await error).detail.reason, reason);
      assert.equal(new FormData(form).get('wepay_risk_token'), '');
    });
  }
});
