import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../src/index.js';
import { postedToken, resetRiskJs, standInUrl, UUID } from './support/risk-js.js';

describe('smoke', () => {
  afterEach(resetRiskJs);
  it('posts a token', async () => {
    const form = await fixture<HTMLFormElement>(html`<form><wepay-risk-token trigger="eager" src=${standInUrl()}></wepay-risk-token></form>`);
    const el = form.querySelector('wepay-risk-token')!;
    await oneEvent(el, 'wepay-risk-token-ready');
    expect(postedToken(form)).to.match(UUID);
  });
});
