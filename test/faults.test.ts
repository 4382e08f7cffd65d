import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import type { WePayRiskTokenElement, WePayRiskTokenErrorReason } from '../src/index.js';
import { postSink, postsTo } from './support/frames.js';
import { afterPendingTasks, watchHiddenValues } from './support/hostile.js';
import { openGate, resetRiskJs, scriptsFor, standInUrl, stateBecomes, trackPageErrors } from './support/risk-js.js';

const SAMPLE_UUID = '123e4567-e89b-12d3-a456-426655440000';

interface Fault {
  title: string;
  params: Record<string, string | number>;
  reason: WePayRiskTokenErrorReason;
  /**
   * For faults that only `timeout` ends: the element's timeout, run on fake timers from the state named, so
   * a slow machine cannot turn the expected reason into another one.
   */
  timesOut?: { after: 'loading' | 'generating'; timeout: number };
  /** Holds the response until the test ends. */
  gated?: boolean;
}

/** A value for `fault=value`: JSON, and a repeat count for strings. */
const value = (json: unknown, repeat = 1) => ({ fault: 'value', value: JSON.stringify(json), repeat });

const FAULTS: Fault[] = [
  { title: 'a 404', params: { status: 404 }, reason: 'load-failed' },
  { title: 'a connection dropped mid-response', params: { drop: 1 }, reason: 'load-failed' },
  {
    title: 'a response slower than `timeout`',
    params: {},
    gated: true,
    timesOut: { after: 'loading', timeout: 500 },
    reason: 'load-failed',
  },
  { title: 'a script that defines nothing', params: { fault: 'empty' }, reason: 'unavailable' },
  { title: 'WePay without risk', params: { fault: 'no-risk' }, reason: 'unavailable' },
  { title: 'methods that throw', params: { fault: 'throws' }, reason: 'api-error' },
  { title: 'get_risk_token() that throws', params: { fault: 'throws-get' }, reason: 'api-error' },
  {
    title: 'get_risk_token() never leaving 0',
    params: { fault: 'never' },
    timesOut: { after: 'generating', timeout: 500 },
    reason: 'timeout',
  },
  { title: 'an object holding a UUID', params: value({ token: SAMPLE_UUID }), reason: 'invalid-token' },
  { title: 'an array of one UUID (whose String() is the UUID)', params: value([SAMPLE_UUID]), reason: 'invalid-token' },
  { title: 'the number 42', params: value(42), reason: 'invalid-token' },
  { title: "the string 'undefined'", params: value('undefined'), reason: 'invalid-token' },
  { title: 'an HTML string', params: value('<img src=x onerror=alert(1)>'), reason: 'invalid-token' },
  {
    title: 'a UUID followed by CR/LF and a header',
    params: value(`${SAMPLE_UUID}\r\nX-Evil: 1`),
    reason: 'invalid-token',
  },
  {
    title: 'a 1 MB string that starts with a UUID',
    params: value(SAMPLE_UUID, Math.ceil(1_048_576 / SAMPLE_UUID.length)),
    reason: 'invalid-token',
  },
];

/** A real form that posts `amount` and the element's field into a frame, through the test server. */
async function checkoutForm(src: string, timeout?: number) {
  const sink = await postSink();
  const form = document.createElement('form');
  form.method = 'post';
  form.action = sink.action;
  form.target = sink.target;
  const amount = Object.assign(document.createElement('input'), { name: 'amount', value: '42.00' });
  const button = Object.assign(document.createElement('button'), { textContent: 'Pay' });
  form.append(amount, button);
  document.body.append(form);
  const values = watchHiddenValues(form);

  const el = document.createElement('wepay-risk-token');
  el.trigger = 'eager';
  el.src = src;
  if (timeout) el.timeout = timeout;
  const errors: Array<CustomEvent<{ reason: WePayRiskTokenErrorReason }>> = [];
  const ready: CustomEvent[] = [];
  el.addEventListener('wepay-risk-token-error', (event) => errors.push(event));
  el.addEventListener('wepay-risk-token-ready', (event) => ready.push(event));
  return {
    form,
    el,
    button,
    sink,
    values,
    errors,
    ready,
    connect: () => form.insertBefore(el, button),
    remove() {
      values.stop();
      form.remove();
      document.querySelector(`iframe[name="${sink.target}"]`)?.remove();
    },
  };
}

function firstEvent(
  el: WePayRiskTokenElement,
  type: 'wepay-risk-token-error' | 'wepay-risk-token-ready',
): Promise<CustomEvent> {
  return new Promise((resolve) => el.addEventListener(type, (event) => resolve(event), { once: true }));
}

describe('<wepay-risk-token> in a hostile world: Risk.js faults', () => {
  let cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
    sinon.restore();
    resetRiskJs();
  });

  for (const fault of FAULTS) {
    it(`${fault.title}: ${fault.reason}, no uncaught error, only "" reaches the input, and the form posts once`, async () => {
      const pageErrors = trackPageErrors();
      cleanup.push(() => pageErrors.stop());
      const alert = sinon.stub(window, 'alert');
      const gate = fault.gated ? `faults-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}` : undefined;
      const src = standInUrl(gate ? { ...fault.params, gate } : fault.params);
      if (gate) {
        // Release the held response and let the script run before the next test resets the page.
        cleanup.push(async () => {
          const script = scriptsFor(src)[0];
          const settled = script && new Promise((resolve) => script.addEventListener('load', resolve, { once: true }));
          await openGate(gate);
          await settled;
        });
      }
      const clock = fault.timesOut ? sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }) : undefined;
      if (clock) cleanup.push(() => clock.restore());
      const checkout = await checkoutForm(src, fault.timesOut?.timeout);
      cleanup.push(() => checkout.remove());
      const { form, el, button, sink, values, errors, ready } = checkout;

      const failed = firstEvent(el, 'wepay-risk-token-error');
      checkout.connect();
      if (clock && fault.timesOut) {
        await stateBecomes(el, fault.timesOut.after);
        await clock.tickAsync(fault.timesOut.timeout);
      }
      await failed;

      expect(errors.map((event) => event.detail.reason)).to.deep.equal([fault.reason]);
      expect(el.state).to.equal('error');
      expect(el.getAttribute('state')).to.equal('error');
      expect(el.token).to.equal(null);
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal(['']);

      // The shopper's click comes in a task of its own.
      await afterPendingTasks();
      const landed = sink.landed();
      button.click();
      // The submit guard holds the submit and tries once more: on fake timers, let that run out.
      if (clock) await clock.tickAsync(10_000);
      await landed;
      const posts = await postsTo(sink.id);
      expect(posts).to.have.length(1);
      expect(posts[0]!.get('amount')).to.equal('42.00');
      expect(posts[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);

      await afterPendingTasks();
      expect(pageErrors.errors).to.deep.equal([]);
      expect(ready).to.deep.equal([]);
      // The submit guard's second attempt may report again, for the same reason.
      expect(new Set(errors.map((event) => event.detail.reason))).to.deep.equal(new Set([fault.reason]));
      expect(new Set(values.values())).to.deep.equal(new Set(['']));
      expect(alert.called).to.equal(false);
      expect(document.querySelector('img[src="x"]')).to.equal(null);
    });
  }

  it('an upper-case UUID is a token: posted lower-cased, and nothing else reaches the input', async () => {
    const pageErrors = trackPageErrors();
    cleanup.push(() => pageErrors.stop());
    const upper = SAMPLE_UUID.toUpperCase();
    const checkout = await checkoutForm(standInUrl({ token: upper }));
    cleanup.push(() => checkout.remove());
    const { form, el, button, sink, values, errors } = checkout;

    const ready = firstEvent(el, 'wepay-risk-token-ready');
    checkout.connect();
    const { detail } = await ready;
    expect(detail.token).to.equal(SAMPLE_UUID);
    expect(el.token).to.equal(SAMPLE_UUID);
    expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([SAMPLE_UUID]);

    const landed = sink.landed();
    button.click();
    await landed;
    const posts = await postsTo(sink.id);
    expect(posts).to.have.length(1);
    expect(posts[0]!.getAll('wepay_risk_token')).to.deep.equal([SAMPLE_UUID]);

    await afterPendingTasks();
    expect(pageErrors.errors).to.deep.equal([]);
    expect(errors).to.deep.equal([]);
    expect(new Set(values.values())).to.deep.equal(new Set(['', SAMPLE_UUID]));
  });
});
