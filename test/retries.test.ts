import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import type { WePayRiskTokenElement } from '../src/index.js';
import { RETRY_DELAYS_MS } from '../src/retry.js';
import { nextEvent } from './support/frames.js';
import { eachTestOnACleanPage, requestCount, standInUrl } from './support/risk-js.js';

const TEN_MINUTES = 10 * 60_000;

describe('<wepay-risk-token> retries after load-failed', () => {
  eachTestOnACleanPage();
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    sinon.stub(console, 'warn');
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => clock.restore());

  /** An element whose Risk.js is blocked (404), once its first load has failed. */
  async function blocked(consent = 'granted') {
    const src = standInUrl({ status: 404 });
    const form = await fixture<HTMLFormElement>(html`
      <form><wepay-risk-token src=${src} trigger="manual" consent=${consent}></wepay-risk-token></form>
    `);
    const el = form.querySelector('wepay-risk-token')!;
    return { src, el };
  }

  /** Resolves with the element's next error, which the real network brings. */
  const nextFailure = (el: WePayRiskTokenElement) =>
    nextEvent<CustomEvent<{ reason: string }>>(el, 'wepay-risk-token-error').then(({ detail }) => detail.reason);

  async function firstLoadFails(el: WePayRiskTokenElement) {
    const failed = nextFailure(el);
    el.generate().catch(() => undefined);
    expect(await failed).to.equal('load-failed');
  }

  it('tries again at 5 s, 15 s and 45 s after each failure, then no more over ten minutes', async () => {
    const { src, el } = await blocked();
    await firstLoadFails(el);
    expect(await requestCount(src)).to.equal(1);
    let requests = 1;
    for (const delay of RETRY_DELAYS_MS) {
      await clock.tickAsync(delay - 1);
      expect(await requestCount(src), `before ${delay} ms`).to.equal(requests);
      const failed = nextFailure(el);
      await clock.tickAsync(1);
      expect(await failed).to.equal('load-failed');
      requests += 1;
      expect(await requestCount(src), `at ${delay} ms`).to.equal(requests);
    }
    await clock.tickAsync(TEN_MINUTES);
    expect(await requestCount(src)).to.equal(1 + RETRY_DELAYS_MS.length);
  });

  it('no more than that where Object.prototype holds the indices past the last delay (prototype pollution)', async () => {
    const { el } = await blocked();
    const prototype = Object.prototype as Record<number, unknown>;
    const past = [0, 1, 2, 3, 4].map((step) => RETRY_DELAYS_MS.length + step);
    for (const index of past) prototype[index] = 1;
    try {
      await firstLoadFails(el);
      for (const delay of RETRY_DELAYS_MS) {
        const failed = nextFailure(el);
        await clock.tickAsync(delay);
        expect(await failed).to.equal('load-failed');
      }
      // A retry starts a load at once: the state says `loading` before any request goes out.
      const states: string[] = [];
      const observer = new MutationObserver(() => states.push(el.state));
      observer.observe(el, { attributes: true, attributeFilter: ['state'] });
      await clock.tickAsync(TEN_MINUTES);
      observer.disconnect();
      expect(states).not.to.include('loading');
    } finally {
      for (const index of past) delete prototype[index];
    }
  });

  it('tries again at once when the browser comes back online', async () => {
    const { src, el } = await blocked();
    await firstLoadFails(el);
    const failed = nextFailure(el);
    window.dispatchEvent(new Event('online'));
    expect(await failed).to.equal('load-failed');
    expect(await requestCount(src)).to.equal(2);
  });

  it('never while the page is hidden: a retry that falls due waits until it is visible', async () => {
    const { src, el } = await blocked();
    await firstLoadFails(el);
    const visibility = sinon.stub(Document.prototype, 'visibilityState').get(() => 'hidden');
    await clock.tickAsync(TEN_MINUTES);
    expect(await requestCount(src)).to.equal(1);
    visibility.get(() => 'visible');
    const failed = nextFailure(el);
    document.dispatchEvent(new Event('visibilitychange'));
    expect(await failed).to.equal('load-failed');
    expect(await requestCount(src)).to.equal(2);
  });

  it('not once consent is withdrawn, nor after the element left the page', async () => {
    const first = await blocked();
    await firstLoadFails(first.el);
    first.el.consent = 'denied';
    const second = await blocked();
    await firstLoadFails(second.el);
    second.el.remove();
    await clock.tickAsync(TEN_MINUTES);
    window.dispatchEvent(new Event('online'));
    await clock.tickAsync(1000);
    expect(await requestCount(first.src)).to.equal(1);
    expect(await requestCount(second.src)).to.equal(1);
  });
});
