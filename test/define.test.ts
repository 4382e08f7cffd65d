import { expect } from '@open-wc/testing';
import { defineWePayRiskToken, WePayRiskTokenElement } from '../src/index.js';

describe('defining <wepay-risk-token>', () => {
  it('a second call is a no-op', () => {
    expect(() => defineWePayRiskToken()).not.to.throw();
    expect(customElements.get('wepay-risk-token')).to.equal(WePayRiskTokenElement);
  });

  it('a second copy of the package (the built bundle beside the source) does not throw and keeps the first definition', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => errors.push(event.error);
    window.addEventListener('error', onError);
    const bundle = '/dist/wepay-risk-token.min.js';
    await import(/* @vite-ignore */ bundle);
    window.removeEventListener('error', onError);
    expect(errors).to.deep.equal([]);
    expect(customElements.get('wepay-risk-token')).to.equal(WePayRiskTokenElement);
  });
});
