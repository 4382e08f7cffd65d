import { expect, fixture, html } from '@open-wc/testing';
import 'wepay-risk-token';
import { installFakeRisk } from 'wepay-risk-token/testing';

describe('the checkout form', () => {
  it('posts the risk token that Risk.js (here the stand-in) made', async () => {
    const form = await fixture(html`
      <form method="post" action="/checkout">
        <wepay-risk-token src="/risk-stand-in.js"></wepay-risk-token>
        <button>Pay</button>
      </form>
    `);
    const token = await form.querySelector('wepay-risk-token').generate();

    expect(token).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new FormData(form).get('wepay_risk_token')).to.equal(token);
  });

  it('still posts, with an empty token, when Risk.js fails', async () => {
    const fake = installFakeRisk({ fault: 'throws' });
    try {
      const form = await fixture(html`
        <form method="post" action="/checkout">
          <wepay-risk-token trigger="manual"></wepay-risk-token>
          <button>Pay</button>
        </form>
      `);
      const error = await form
        .querySelector('wepay-risk-token')
        .generate()
        .catch((error) => error);

      expect(error.reason).to.equal('api-error');
      expect(new FormData(form).get('wepay_risk_token')).to.equal('');
    } finally {
      fake.uninstall();
    }
  });
});
