import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import type {
  WePayRiskTokenErrorEvent,
  WePayRiskTokenReadyEvent,
  WePayRiskTokenSubmitDetail,
  WePayRiskTokenSubmitEvent,
} from '../src/events.js';
import { nextEvent, postSink, postsTo } from './support/frames.js';
import { eachTestOnACleanPage, openGate, standInUrl, stateBecomes, UUID } from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

async function checkout(src: string, { wait = 3000, required = false, trigger = 'manual', timeout = 10_000 } = {}) {
  const sink = await postSink();
  const form = await fixture<HTMLFormElement>(html`
    <form method="post" action=${sink.action} target=${sink.target}>
      <wepay-risk-token
        src=${src}
        trigger=${trigger}
        timeout=${String(timeout)}
        submit-wait=${String(wait)}
        ?required=${required}
      ></wepay-risk-token>
      <button name="pay" value="card">Pay</button>
    </form>
  `);
  const el = form.querySelector('wepay-risk-token')!;
  return { form, el, sink, pay: form.querySelector('button')! };
}

const gateName = () => `monitoring-${Math.random().toString(36).slice(2)}`;

/** Every `wepay-risk-token-submit` event that reaches the document, by element. */
function recordSubmits(): Array<{ target: EventTarget | null; detail: WePayRiskTokenSubmitDetail }> {
  const seen: Array<{ target: EventTarget | null; detail: WePayRiskTokenSubmitDetail }> = [];
  const record = (event: WePayRiskTokenSubmitEvent) => seen.push({ target: event.target, detail: event.detail });
  document.addEventListener('wepay-risk-token-submit', record);
  after(() => document.removeEventListener('wepay-risk-token-submit', record));
  return seen;
}

describe('<wepay-risk-token> monitoring', () => {
  eachTestOnACleanPage();
  const submits = recordSubmits();
  beforeEach(() => submits.splice(0));

  describe('wepay-risk-token-ready: timings', () => {
    it('says how long loading, generating and profiling took, in whole milliseconds', async () => {
      const { el } = await checkout(standInUrl({ latency: 20 }));
      const ready = nextEvent<WePayRiskTokenReadyEvent>(el, 'wepay-risk-token-ready');
      void el.generate();
      const { detail } = await ready;
      expect(detail.token).to.match(UUID);
      expect(Object.keys(detail.timings).sort()).to.deep.equal(['generate', 'load', 'profile']);
      const { load, generate, profile } = detail.timings;
      for (const ms of [load, generate]) expect(Number.isInteger(ms) && ms >= 0, String(ms)).to.equal(true);
      expect(profile === null || (Number.isInteger(profile) && profile >= 0), String(profile)).to.equal(true);
    });

    it('load is 0 when Risk.js was already on the page; profile is null while the profiling script still loads', async () => {
      const profileGate = gateName();
      const src = standInUrl({ profile: `${location.origin}/__profile-gate/${profileGate}` });
      const pasted = document.createElement('script');
      pasted.src = src;
      const loaded = nextEvent(pasted, 'load');
      document.head.append(pasted);
      await loaded;

      const { el } = await checkout(src);
      const ready = nextEvent<WePayRiskTokenReadyEvent>(el, 'wepay-risk-token-ready');
      void el.generate();
      const { timings } = (await ready).detail;
      expect(timings.load).to.equal(0);
      expect(timings.profile).to.equal(null);
      await openGate(profileGate);
    });
  });

  describe('wepay-risk-token-error: elapsed', () => {
    it('says how long the run went before it failed', async () => {
      const gate = gateName();
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
      try {
        const { el } = await checkout(standInUrl({ gate }), { timeout: 1000 });
        const error = nextEvent<WePayRiskTokenErrorEvent>(el, 'wepay-risk-token-error');
        el.generate().catch(() => undefined);
        await clock.tickAsync(1000);
        const { detail } = await error;
        expect(detail.reason).to.equal('load-failed');
        expect(detail.elapsed).to.equal(1000);
      } finally {
        clock.restore();
        await openGate(gate);
      }
    });

    it('is 0 for a refusal no run preceded (a required submit without consent)', async () => {
      const { el, pay } = await checkout(standInUrl(), { required: true });
      el.consent = 'pending';
      const error = nextEvent<WePayRiskTokenErrorEvent>(el, 'wepay-risk-token-error');
      await clickAsShopper(pay);
      expect((await error).detail).to.include({ reason: 'no-consent', elapsed: 0 });
    });
  });

  describe('wepay-risk-token-submit', () => {
    it("'token': the held submit went with the token", async () => {
      const gate = gateName();
      const { el, sink, pay } = await checkout(standInUrl({ gate }));
      await clickAsShopper(pay);
      const landed = sink.landed();
      await openGate(gate);
      await landed;
      expect((await postsTo(sink.id))[0]!.get('wepay_risk_token')).to.equal(el.token);
      expect(submits).to.have.length(1);
      expect(submits[0]!.target).to.equal(el);
      expect(submits[0]!.detail.outcome).to.equal('token');
      expect(submits[0]!.detail.held).to.be.at.least(0);
    });

    it("'timeout': submit-wait ran out, the submit went without a token", async () => {
      const gate = gateName();
      const { el, sink, pay } = await checkout(standInUrl({ gate }), { wait: 50 });
      const landed = sink.landed();
      await clickAsShopper(pay);
      await landed;
      expect((await postsTo(sink.id))[0]!.get('wepay_risk_token')).to.equal('');
      expect(submits.map(({ target, detail }) => [target, detail.outcome])).to.deep.equal([[el, 'timeout']]);
      expect(submits[0]!.detail.held).to.be.at.least(0);
      await openGate(gate);
      await stateBecomes(el, 'ready');
    });

    it("'failure': Risk.js did not load, the submit went without a token", async () => {
      sinon.stub(console, 'warn');
      const { el, sink, pay } = await checkout(standInUrl({ status: 404 }));
      const landed = sink.landed();
      await clickAsShopper(pay);
      await landed;
      expect(submits.map(({ target, detail }) => [target, detail.outcome])).to.deep.equal([[el, 'failure']]);
    });

    it("'dropped': a required submit whose token failed was not sent", async () => {
      sinon.stub(console, 'warn');
      const { el, sink, pay } = await checkout(standInUrl({ status: 404 }), { required: true });
      const error = nextEvent<WePayRiskTokenErrorEvent>(el, 'wepay-risk-token-error');
      await clickAsShopper(pay);
      expect((await error).detail.reason).to.equal('load-failed');
      await stateBecomes(el, 'error');
      await new Promise((resolve) => setTimeout(resolve));
      expect(submits.map(({ target, detail }) => [target, detail.outcome])).to.deep.equal([[el, 'dropped']]);
      expect(await postsTo(sink.id)).to.have.length(0);
    });
  });
});
