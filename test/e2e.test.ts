import { expect } from '@open-wc/testing';
import type { WePayRiskTokenElement } from '../src/index.js';
import { framePage, nextEvent, postsTo } from './support/frames.js';
import { requestCount, standInUrl, UUID } from './support/risk-js.js';

describe('the built dist/wepay-risk-token.min.js in a plain page', () => {
  it('posts the token with a plain HTML form to a real endpoint (with the built stand-in)', async () => {
    const src = standInUrl().replace('/risk.js', '/dist/testing/risk-stand-in.js');
    const postId = `e2e-${Math.random().toString(36).slice(2)}`;
    const { frame, window: page } = await framePage(`
      <script type="module" src="/dist/wepay-risk-token.min.js"></script>
      <form method="post" action="/__posts/${postId}">
        <input name="amount" value="42.00">
        <wepay-risk-token src="${src}" trigger="eager"></wepay-risk-token>
        <button>Pay</button>
      </form>`);
    await page.customElements.whenDefined('wepay-risk-token');
    const el = page.document.querySelector('wepay-risk-token') as WePayRiskTokenElement;
    const token =
      el.token ?? (await nextEvent<CustomEvent<{ token: string }>>(el, 'wepay-risk-token-ready')).detail.token;
    expect(token).to.match(UUID);

    const posted = nextEvent(frame, 'load');
    page.document.querySelector('button')!.click();
    await posted;

    const posts = await postsTo(postId);
    expect(posts).to.have.length(1);
    expect(posts[0]!.get('amount')).to.equal('42.00');
    expect(posts[0]!.getAll('wepay_risk_token')).to.deep.equal([token]);
    expect(await requestCount(src)).to.equal(1);
  });

  it('the built stand-in is a classic script, as Risk.js is', async () => {
    const source = await (await fetch('/dist/testing/risk-stand-in.js')).text();
    expect(source).not.to.match(/^\s*(export|import)\b/m);
  });

  it('is one self-contained module: no Lit in dev mode, no imports', async () => {
    const source = await (await fetch('/dist/wepay-risk-token.min.js')).text();
    expect(source).not.to.match(/\bimport\s*[{*"']/);
    expect(source).not.to.contain('Lit is in dev mode');
    expect(source).to.contain('wepay-risk-token');
  });
});
