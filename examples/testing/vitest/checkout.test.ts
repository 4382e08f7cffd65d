import { afterEach, describe, expect, it } from 'vitest';
import 'wepay-risk-token';
import { installFakeRisk, type FakeRisk } from 'wepay-risk-token/testing';

function renderCheckout(): HTMLFormElement {
  document.body.innerHTML = `
    <form method="post" action="/checkout">
      <wepay-risk-token trigger="manual" timeout="200"></wepay-risk-token>
      <button>Pay</button>
    </form>`;
  return document.querySelector('form')!;
}

describe('the checkout form', () => {
  let fake: FakeRisk;

  afterEach(() => {
    fake.uninstall();
    document.body.replaceChildren();
  });

  it('posts the risk token', async () => {
    fake = installFakeRisk({ token: '123e4567-e89b-12d3-a456-426655440000' });
    const form = renderCheckout();

    await form.querySelector('wepay-risk-token')!.generate();

    expect(new FormData(form).get('wepay_risk_token')).toBe('123e4567-e89b-12d3-a456-426655440000');
  });

  it('still posts, with an empty token, when Risk.js never answers', async () => {
    fake = installFakeRisk({ fault: 'never' });
    const form = renderCheckout();

    await expect(form.querySelector('wepay-risk-token')!.generate()).rejects.toMatchObject({ reason: 'timeout' });

    expect(new FormData(form).get('wepay_risk_token')).toBe('');
  });
});
