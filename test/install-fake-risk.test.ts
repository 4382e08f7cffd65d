import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { WePayRiskTokenError } from '../src/index.js';
import { installFakeRisk, type FakeRisk } from '../src/testing/index.js';
import { postSink, postsTo } from './support/frames.js';
import { eachTestOnACleanPage, requestCount, scriptsFor, standInUrl, UUID } from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

describe('installFakeRisk() in a browser (wepay-risk-token/testing)', () => {
  eachTestOnACleanPage();
  let fake: FakeRisk | undefined;

  afterEach(() => {
    fake?.uninstall();
    fake = undefined;
  });

  async function checkout(trigger: string) {
    const sink = await postSink();
    const src = standInUrl();
    const form = await fixture<HTMLFormElement>(html`
      <form method="post" action=${sink.action} target=${sink.target}>
        <wepay-risk-token src=${src} trigger=${trigger}></wepay-risk-token>
        <button>Pay</button>
      </form>
    `);
    return { form, sink, src, el: form.querySelector('wepay-risk-token')!, button: form.querySelector('button')! };
  }

  it('gives the element its token without loading any script, and the form posts it', async () => {
    fake = installFakeRisk();
    const { el, sink, src, button } = await checkout('eager');
    expect(await el.generate()).to.equal(fake.token);
    expect(fake.token).to.match(UUID);

    const landed = sink.landed();
    await clickAsShopper(button);
    await landed;

    expect((await postsTo(sink.id)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[fake.token]]);
    expect(scriptsFor(src)).to.have.length(0);
    expect(await requestCount(src)).to.equal(0);
    expect(fake.calls.generate).to.equal(1);
  });

  it('with latency, a click before the token is held until the token comes, then posts it', async () => {
    fake = installFakeRisk({ latency: 200 });
    const { sink, button } = await checkout('manual');

    const landed = sink.landed();
    await clickAsShopper(button);
    await landed;

    expect((await postsTo(sink.id)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[fake.token]]);
  });

  it('with a fault, the element reports it, and a click on Pay posts the form once with an empty token', async () => {
    fake = installFakeRisk({ fault: 'value' });
    const { el, form, sink, button } = await checkout('manual');
    const failure = await el.generate().then(
      () => null,
      (error: WePayRiskTokenError) => error,
    );

    expect(failure?.reason).to.equal('invalid-token');
    expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal(['']);
    const landed = sink.landed();
    await clickAsShopper(button);
    await landed;
    expect((await postsTo(sink.id)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([['']]);
  });
});
