import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import { EXPIRY_MARGIN_MS, TOKEN_LIFETIME_MS } from '../src/expiry.js';
import { postSink, postsTo } from './support/frames.js';
import {
  eachTestOnACleanPage,
  postedToken,
  recordEvents,
  requestCount,
  resetRiskJs,
  standInCounters,
  standInUrl,
  stateBecomes,
  UUID,
} from './support/risk-js.js';

const HOURS = 60 * 60 * 1000;
/** In the future, so a token made on the fake clock is still fresh once a test restores the real one. */
const START = Date.UTC(2036, 10, 23, 9, 0, 0);

describe('<wepay-risk-token> token expiry', () => {
  let events: ReturnType<typeof recordEvents>;
  let clock: sinon.SinonFakeTimers;

  beforeEach(() => {
    events = recordEvents();
    clock = sinon.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    clock.restore();
    events.stop();
    resetRiskJs();
    for (const frame of document.querySelectorAll('iframe[name^="post-"]')) frame.remove();
  });

  /** A form whose element got its token at START (the stand-in answers 100 ms after being asked). */
  async function readyForm(src = standInUrl({ latency: 100 })) {
    const sink = await postSink();
    const form = await fixture<HTMLFormElement>(html`
      <form method="post" action=${sink.action} target=${sink.target}>
        <wepay-risk-token trigger="eager" src=${src}></wepay-risk-token>
        <button>Pay</button>
      </form>
    `);
    const el = form.querySelector('wepay-risk-token')!;
    await stateBecomes(el, 'generating');
    const ready = events.next(el, 'wepay-risk-token-ready');
    await clock.tickAsync(150);
    const { detail } = await ready;
    return { form, el, sink, src, token: detail.token, button: form.querySelector('button')! };
  }

  it('expires 48 hours after generate_risk_token() was called, less 5 minutes', async () => {
    const { el } = await readyForm();
    expect(TOKEN_LIFETIME_MS).to.equal(48 * HOURS);
    expect(EXPIRY_MARGIN_MS).to.equal(5 * 60 * 1000);
    expect(el.expiresAt).to.be.instanceOf(Date);
    expect(el.expiresAt!.getTime()).to.equal(START + 48 * HOURS - 5 * 60 * 1000);
  });

  it('at expiry empties the input, clears token, sets state expired and fires wepay-risk-token-expired', async () => {
    const { form, el, token } = await readyForm();
    clock.tick(48 * HOURS - 5 * 60 * 1000 - 151);
    expect(el.state).to.equal('ready');
    expect(postedToken(form)).to.equal(token);

    const expired = events.next(el, 'wepay-risk-token-expired');
    clock.tick(1);
    const event = await expired;
    expect(event.detail.token).to.equal(token);
    expect(event.bubbles).to.equal(true);
    expect(event.composed).to.equal(true);
    expect(postedToken(form)).to.equal('');
    expect(el.token).to.equal(null);
    expect(el.expiresAt).to.equal(null);
    expect(el.state).to.equal('expired');
    expect(el.getAttribute('state')).to.equal('expired');
  });

  for (const [wake, dispatch] of [
    ['visibilitychange', () => document.dispatchEvent(new Event('visibilitychange'))],
    ['pageshow', () => window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }))],
  ] as const) {
    it(`checks on ${wake}, as timers do not run while a laptop sleeps`, async () => {
      const { form, el } = await readyForm();
      clock.setSystemTime(START + 49 * HOURS);
      expect(el.state).to.equal('ready');
      dispatch();
      expect(el.state).to.equal('expired');
      expect(postedToken(form)).to.equal('');
    });
  }

  it('a submit with a stale token never posts it: Risk.js is loaded anew and the fresh token goes', async () => {
    const { el, sink, src, token, button } = await readyForm();
    clock.setSystemTime(START + 50 * HOURS);
    const landed = sink.landed();
    button.click();
    expect(el.state).to.equal('loading');
    await stateBecomes(el, 'generating');
    await clock.tickAsync(150);
    clock.restore();
    await landed;
    const posted = (await postsTo(sink.id)).map((post) => post.get('wepay_risk_token'));
    expect(posted).to.have.length(1);
    expect(posted[0]).to.match(UUID);
    expect(posted[0]).not.to.equal(token);
    expect(posted[0]).to.equal(el.token);
    expect(await requestCount(src)).to.equal(2);
    expect(standInCounters().runs).to.equal(2);
  });

  it('generate() after expiry gets a fresh token by loading Risk.js anew', async () => {
    const { el, src, token } = await readyForm();
    clock.tick(48 * HOURS);
    expect(el.state).to.equal('expired');
    const fresh = el.generate();
    await stateBecomes(el, 'generating');
    await clock.tickAsync(150);
    const next = await fresh;
    expect(next).to.match(UUID);
    expect(next).not.to.equal(token);
    expect(el.expiresAt!.getTime()).to.be.greaterThan(START + 48 * HOURS);
    expect(await requestCount(src)).to.equal(2);
  });

  it("renewing keeps the rest of the page's WePay (its JS SDK): only Risk.js's members, risk and tags, go", async () => {
    const sdk = { configure() {} };
    (window as { WePay?: unknown }).WePay = sdk;
    const { el, token } = await readyForm();
    expect(sdk).to.have.property('tags');
    clock.tick(48 * HOURS);
    const fresh = el.generate();
    await stateBecomes(el, 'generating');
    await clock.tickAsync(150);
    expect(await fresh).not.to.equal(token);
    expect((window as { WePay?: unknown }).WePay).to.equal(sdk);
    expect(sdk.configure).to.be.a('function');
    expect(standInCounters().runs).to.equal(2);
  });

  it('renewing beside a WePay whose Risk.js members cannot be removed (frozen) drops that WePay whole', async () => {
    const { el, token } = await readyForm();
    const frozen = Object.freeze((window as { WePay?: object }).WePay!);
    clock.tick(48 * HOURS);
    const fresh = el.generate();
    await stateBecomes(el, 'generating');
    await clock.tickAsync(150);
    expect(await fresh).not.to.equal(token);
    expect((window as { WePay?: unknown }).WePay).not.to.equal(frozen);
  });

  it('if Risk.js gives the expired token again, it is not used: reason expired, the form posts without it', async () => {
    const fixed = '123e4567-e89b-12d3-a456-426655440000';
    const { el, sink, button } = await readyForm(standInUrl({ latency: 100, token: fixed }));
    clock.setSystemTime(START + 50 * HOURS);
    const error = events.next(el, 'wepay-risk-token-error');
    const landed = sink.landed();
    button.click();
    await stateBecomes(el, 'generating');
    await clock.tickAsync(150);
    expect((await error).detail.reason).to.equal('expired');
    clock.restore();
    await landed;
    expect((await postsTo(sink.id)).map((post) => post.get('wepay_risk_token'))).to.deep.equal(['']);
    expect(el.token).to.equal(null);
  });

  it('an element put back after its token expired while away does not post it', async () => {
    const { form, el } = await readyForm();
    el.remove();
    clock.setSystemTime(START + 49 * HOURS);
    form.append(el);
    expect(el.state).to.equal('expired');
    expect(postedToken(form)).to.equal('');
  });
});

describe('<wepay-risk-token> expiry of a token Risk.js already had', () => {
  const events = eachTestOnACleanPage();

  it("counts 48 hours from the page's start, as the token may be that old: it expires early, never late", async () => {
    const src = standInUrl();
    const { WePay } = await loadStandIn(src);
    WePay.risk.generate_risk_token();
    const form = await fixture<HTMLFormElement>(
      html`<form><wepay-risk-token trigger="eager" src=${src}></wepay-risk-token></form>`,
    );
    const el = form.querySelector('wepay-risk-token')!;
    const { detail } = await events.next(el, 'wepay-risk-token-ready');
    expect(detail.token).to.equal(WePay.risk.get_risk_token());
    expect(el.expiresAt!.getTime()).to.equal(Math.floor(performance.timeOrigin) + 48 * HOURS - 5 * 60 * 1000);
  });
});

/** Loads the stand-in at `src` as a page's own `<script>` would, and returns what it defined. */
function loadStandIn(
  src: string,
): Promise<{ WePay: { risk: { generate_risk_token(): void; get_risk_token(): unknown } } }> {
  const script = Object.assign(document.createElement('script'), { src });
  const loaded = new Promise((resolve) => script.addEventListener('load', resolve, { once: true }));
  document.head.append(script);
  return loaded.then(
    () => window as unknown as { WePay: { risk: { generate_risk_token(): void; get_risk_token(): unknown } } },
  );
}
