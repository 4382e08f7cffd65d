import { afterEach, describe, expect, it } from 'vitest';
import '../../src/index.js';
import type { WePayRiskTokenErrorEvent, WePayRiskTokenReadyEvent } from '../../src/index.js';
import { installFakeRisk, type FakeRisk, type FakeRiskOptions } from '../../src/testing/index.js';

const TOKEN = '123e4567-e89b-12d3-a456-426655440000';

/** A checkout form with the element, in the happy-dom document, as a user's unit test sets one up. */
function checkout(attributes = 'trigger="eager"') {
  document.body.innerHTML = `<form><input name="amount" value="12"><wepay-risk-token ${attributes}></wepay-risk-token></form>`;
  return { form: document.querySelector('form')!, element: document.querySelector('wepay-risk-token')! };
}

describe('<wepay-risk-token> with installFakeRisk() in happy-dom', () => {
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
    expect(ready.detail.token).toBe(TOKEN);
    expect(new FormData(form).get('wepay_risk_token')).toBe(TOKEN);
    expect(document.querySelectorAll('script')).toHaveLength(0);
    expect(fake?.calls.generate).toBe(1);
  });

  it('resolves generate() with a token that comes after `latency`', async () => {
    install({ latency: 30 });
    const { form, element } = checkout('trigger="manual"');
    await expect(element.generate()).resolves.toBe(fake?.token);
    expect(new FormData(form).get('wepay_risk_token')).toBe(fake?.token);
  });

  it.each([
    { fault: 'throws', reason: 'api-error' },
    { fault: 'throws-get', reason: 'api-error' },
    { fault: 'never', reason: 'timeout' },
    { fault: 'value', reason: 'invalid-token' },
  ] as const)('reports $reason for fault $fault, and the form posts an empty token', async ({ fault, reason }) => {
    install({ fault });
    const { form, element } = checkout('trigger="manual" timeout="100"');
    const error = new Promise<WePayRiskTokenErrorEvent>((resolve) =>
      element.addEventListener('wepay-risk-token-error', resolve, { once: true }),
    );
    await expect(element.generate()).rejects.toMatchObject({ reason });
    expect((await error).detail.reason).toBe(reason);
    expect(new FormData(form).get('wepay_risk_token')).toBe('');
  });
});
