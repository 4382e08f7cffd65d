import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import sinon from 'sinon';
import { WePayRiskTokenElement, WePayRiskTokenError, DEFAULT_SRC } from '../src/index.js';
import { POLL_INTERVAL_MS } from '../src/token.js';
import { afterPendingTasks } from './support/hostile.js';
import {
  postedToken,
  eachTestOnACleanPage,
  profilingFinished,
  profilingRequests,
  requestCount,
  riskJsMode,
  scriptsFor,
  standInCounters,
  standInUrl,
  stateBecomes,
  trackPageErrors,
  UUID,
} from './support/risk-js.js';

async function formWith(
  element: ReturnType<typeof html>,
): Promise<{ form: HTMLFormElement; el: WePayRiskTokenElement }> {
  const form = await fixture<HTMLFormElement>(html`<form>${element}</form>`);
  return { form, el: form.querySelector('wepay-risk-token')! };
}

describe(`<wepay-risk-token> with ${riskJsMode().name}`, () => {
  const events = eachTestOnACleanPage();

  describe('the element', () => {
    it('is defined by importing the package root, as WePayRiskTokenElement', () => {
      expect(customElements.get('wepay-risk-token')).to.equal(WePayRiskTokenElement);
      expect(document.createElement('wepay-risk-token')).to.be.instanceOf(WePayRiskTokenElement);
    });

    it('has the documented defaults', () => {
      const el = document.createElement('wepay-risk-token');
      expect(el.name).to.equal('wepay_risk_token');
      expect(el.src).to.equal(DEFAULT_SRC);
      expect(el.src).to.equal('https://static.wepay.com/min/js/risk.js');
      expect(el.trigger).to.equal('idle');
      expect(el.timeout).to.equal(10000);
      expect(el.form).to.equal(null);
      expect(el.token).to.equal(null);
      expect(el.state).to.equal('idle');
    });

    it('reads every attribute into the property of the same name', async () => {
      const { el } = await formWith(
        html`<wepay-risk-token
          name="risk"
          src="/elsewhere.js"
          trigger="manual"
          timeout="2500"
          form="f"
        ></wepay-risk-token>`,
      );
      expect([el.name, el.src, el.trigger, el.timeout, el.form]).to.deep.equal([
        'risk',
        '/elsewhere.js',
        'manual',
        2500,
        'f',
      ]);
    });

    it('has a property for every observed attribute', () => {
      const observed = (WePayRiskTokenElement as unknown as { observedAttributes: string[] }).observedAttributes;
      const el = document.createElement('wepay-risk-token');
      expect(observed).to.include.members(['name', 'src', 'trigger', 'timeout', 'form']);
      for (const attribute of observed) {
        const property = attribute.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
        expect(property in el, `property for ${attribute}`).to.equal(true);
      }
    });

    it('carries only the attributes the page gave it, plus state', async () => {
      const { el } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      el.name = 'risk_token';
      el.timeout = 1234;
      el.submitWait = 500;
      el.required = true;
      await el.updateComplete;
      expect(el.getAttributeNames().sort()).to.deep.equal(['state', 'trigger']);
      expect(el.name).to.equal('risk_token');
    });

    it('posts no field of its own to tools that collect every [name] (htmx 4 hx-include)', async () => {
      const { form } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      expect(form.querySelectorAll('[name]')).to.have.length(1);
      expect(form.querySelector('[name]')!.localName).to.equal('input');
    });

    it("is one of its form's controls, so such tools skip it even when the page names it, yet posts nothing itself", async () => {
      const { form, el } = await formWith(html`<wepay-risk-token name="risk" trigger="manual"></wepay-risk-token>`);
      expect([...form.elements]).to.include(el);
      expect([...new FormData(form).keys()]).to.deep.equal(['risk']);
    });

    it('renders nothing visible and has no shadow root', async () => {
      const { el } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      expect(el.shadowRoot).to.equal(null);
      const box = el.getBoundingClientRect();
      expect(box.width * box.height).to.equal(0);
    });

    it('reflects its state as an attribute from the start', async () => {
      const { el } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      expect(el.getAttribute('state')).to.equal('idle');
    });
  });

  describe('the hidden input', () => {
    it('is exactly one <input type="hidden"> in the light DOM, posting "" until the token is ready', async () => {
      const { form, el } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      const inputs = el.querySelectorAll('input');
      expect(inputs).to.have.length(1);
      expect(inputs[0]!.type).to.equal('hidden');
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal(['']);
    });

    it('posts the UUID once ready', async () => {
      const { form, el } = await formWith(
        html`<wepay-risk-token trigger="eager" src=${standInUrl()}></wepay-risk-token>`,
      );
      const { detail } = await events.next(el, 'wepay-risk-token-ready');
      expect(detail.token).to.match(UUID);
      expect(postedToken(form)).to.equal(detail.token);
      expect(el.token).to.equal(detail.token);
      expect(el.state).to.equal('ready');
      expect(el.getAttribute('state')).to.equal('ready');
    });

    it('posts the token of the session Risk.js profiled', async () => {
      const { form, el } = await formWith(
        html`<wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>`,
      );
      const token = await el.generate();
      await profilingFinished();
      expect(postedToken(form)).to.equal(token);
      expect(await profilingRequests(token)).to.deep.equal({ script: 1, beacon: 1 });
    });

    it('writes the token before the ready event, so synchronous listeners see it in FormData', async () => {
      const { form, el } = await formWith(
        html`<wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>`,
      );
      const seen = new Promise<FormDataEntryValue | null>((resolve) =>
        el.addEventListener('wepay-risk-token-ready', () => resolve(postedToken(form)), { once: true }),
      );
      const token = await el.generate();
      expect(await seen).to.equal(token);
    });

    it('is renamed with `name`', async () => {
      const { form, el } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      el.name = 'risk';
      await el.updateComplete;
      expect([...new FormData(form).keys()]).to.deep.equal(['risk']);
      expect(el.querySelectorAll('input')).to.have.length(1);
    });

    it('belongs to the form named by `form` when the element sits outside it', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`
        <div>
          <form id="checkout-outside"></form>
          <wepay-risk-token form="checkout-outside" trigger="eager" src=${standInUrl()}></wepay-risk-token>
        </div>
      `);
      const form = wrapper.querySelector('form')!;
      const el = wrapper.querySelector('wepay-risk-token')!;
      const { detail } = await events.next(el, 'wepay-risk-token-ready');
      expect(postedToken(form)).to.equal(detail.token);
    });

    it('adopts a server-rendered hidden input instead of adding a second one', async () => {
      const { form, el } = await formWith(
        html`<wepay-risk-token trigger="manual"
          ><input type="hidden" name="wepay_risk_token" value=""
        /></wepay-risk-token>`,
      );
      expect(el.querySelectorAll('input')).to.have.length(1);
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal(['']);
    });
  });

  describe('generate()', () => {
    it('loads Risk.js, generates now and resolves with the UUID (manual trigger)', async () => {
      const src = standInUrl();
      const { form, el } = await formWith(html`<wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>`);
      expect(await requestCount(src)).to.equal(0);
      const token = await el.generate();
      expect(token).to.match(UUID);
      expect(postedToken(form)).to.equal(token);
      expect(standInCounters().generateCalls).to.equal(1);
      expect(await requestCount(src)).to.equal(1);
    });

    it('resolves at once with the same token when already ready', async () => {
      const { el } = await formWith(html`<wepay-risk-token trigger="eager" src=${standInUrl()}></wepay-risk-token>`);
      const { detail } = await events.next(el, 'wepay-risk-token-ready');
      expect(await el.generate()).to.equal(detail.token);
      expect(standInCounters().generateCalls).to.equal(1);
    });

    it('joins a run in flight instead of starting another', async () => {
      const { el } = await formWith(html`<wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>`);
      const [first, second] = await Promise.all([el.generate(), el.generate()]);
      expect(first).to.equal(second);
      expect(standInCounters().runs).to.equal(1);
    });

    it('rejects with a WePayRiskTokenError whose reason says why', async () => {
      const { el } = await formWith(
        html`<wepay-risk-token trigger="manual" src=${standInUrl({ fault: 'empty' })}></wepay-risk-token>`,
      );
      const error = await el.generate().then(
        () => expect.fail('generate() resolved'),
        (rejection: unknown) => rejection,
      );
      expect(error).to.be.instanceOf(WePayRiskTokenError);
      expect((error as WePayRiskTokenError).reason).to.equal('unavailable');
    });

    it('works before the element is connected', async () => {
      const el = document.createElement('wepay-risk-token');
      el.src = standInUrl();
      expect(await el.generate()).to.match(UUID);
    });
  });

  describe('events', () => {
    it('wepay-risk-token-ready bubbles, is composed and carries the token', async () => {
      const { el } = await formWith(html`<wepay-risk-token trigger="eager" src=${standInUrl()}></wepay-risk-token>`);
      const event = await events.next(el, 'wepay-risk-token-ready');
      expect(event.bubbles).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(event.target).to.equal(el);
      expect(event.detail.token).to.equal(el.token);
    });

    it('wepay-risk-token-error bubbles, is composed and carries reason and error', async () => {
      const { el } = await formWith(
        html`<wepay-risk-token trigger="eager" src=${standInUrl({ status: 404 })}></wepay-risk-token>`,
      );
      const event = await events.next(el, 'wepay-risk-token-error');
      expect(event.bubbles).to.equal(true);
      expect(event.composed).to.equal(true);
      expect(event.detail.reason).to.equal('load-failed');
      expect(event.detail.error).to.be.instanceOf(WePayRiskTokenError);
      expect(event.detail.error.reason).to.equal('load-failed');
    });
  });

  describe('getting the token', () => {
    it('moves through loading and generating to ready', async () => {
      const src = standInUrl({ gate: `states-${Math.random()}` });
      const { el } = await formWith(html`<wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>`);
      const states: string[] = [];
      new MutationObserver(() => states.push(el.getAttribute('state')!)).observe(el, { attributeFilter: ['state'] });
      const token = el.generate();
      await fetch(`/__gates/${new URL(src, location.href).searchParams.get('gate')}`, { method: 'POST' });
      await token;
      await Promise.resolve();
      expect(states).to.deep.equal(['loading', 'generating', 'ready']);
    });

    for (const pending of ['0', '"0"', '""', 'null', 'undefined']) {
      it(`treats get_risk_token() returning ${pending} as "not yet" while a Risk.js that makes its token later is at work`, async () => {
        const { form, el } = await formWith(
          html`<wepay-risk-token trigger="eager" src=${standInUrl({ pending, latency: 20 })}></wepay-risk-token>`,
        );
        const { detail } = await events.next(el, 'wepay-risk-token-ready');
        expect(detail.token).to.match(UUID);
        expect(postedToken(form)).to.equal(detail.token);
        expect(standInCounters().getCalls).to.be.greaterThan(1);
      });
    }

    it('polls get_risk_token() at most 50 ms apart, so the token is posted within 50 ms of existing', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const { form, el } = await formWith(
          html`<wepay-risk-token trigger="eager" src=${standInUrl({ latency: 1010 })}></wepay-risk-token>`,
        );
        await stateBecomes(el, 'generating');
        await clock.tickAsync(1010);
        const callsWhenMade = standInCounters().getCalls;
        expect(el.state).to.equal('generating');
        expect(POLL_INTERVAL_MS).to.be.at.most(50);
        // The token exists from 1010 ms; a poll at most 50 ms apart has seen it by 1050 ms.
        await clock.tickAsync(40);
        expect(el.state).to.equal('ready');
        expect(postedToken(form)).to.match(UUID);
        expect(standInCounters().getCalls).to.equal(callsWhenMade + 1);
      } finally {
        clock.restore();
      }
    });

    it('never writes a value that is not a UUID: invalid-token', async () => {
      const { form, el } = await formWith(
        html`<wepay-risk-token
          trigger="eager"
          src=${standInUrl({ fault: 'value', value: '"not-a-uuid"' })}
        ></wepay-risk-token>`,
      );
      const { detail } = await events.next(el, 'wepay-risk-token-error');
      expect(detail.reason).to.equal('invalid-token');
      expect(postedToken(form)).to.equal('');
      expect(el.token).to.equal(null);
      expect(el.state).to.equal('error');
    });

    it('treats the nil UUID as invalid-token, as the server helper does', async () => {
      const nil = '"00000000-0000-0000-0000-000000000000"';
      const { form, el } = await formWith(
        html`<wepay-risk-token trigger="eager" src=${standInUrl({ fault: 'value', value: nil })}></wepay-risk-token>`,
      );
      expect((await events.next(el, 'wepay-risk-token-error')).detail.reason).to.equal('invalid-token');
      expect(postedToken(form)).to.equal('');
    });

    it('gives up with timeout when no UUID comes within `timeout`', async () => {
      // On fake timers, so that a slow load on a busy machine cannot run out the same `timeout` first.
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const { form, el } = await formWith(
          html`<wepay-risk-token
            trigger="eager"
            timeout="100"
            src=${standInUrl({ fault: 'never' })}
          ></wepay-risk-token>`,
        );
        await stateBecomes(el, 'generating');
        const error = events.next(el, 'wepay-risk-token-error');
        await clock.tickAsync(99);
        expect(el.state).to.equal('generating');
        await clock.tickAsync(1);
        expect((await error).detail.reason).to.equal('timeout');
        expect(postedToken(form)).to.equal('');
      } finally {
        clock.restore();
      }
    });

    it('reports api-error when a Risk.js method throws', async () => {
      const { el } = await formWith(
        html`<wepay-risk-token trigger="eager" src=${standInUrl({ fault: 'throws' })}></wepay-risk-token>`,
      );
      const { detail } = await events.next(el, 'wepay-risk-token-error');
      expect(detail.reason).to.equal('api-error');
    });

    it('reports unavailable when Risk.js loads without WePay.risk', async () => {
      const { el } = await formWith(
        html`<wepay-risk-token trigger="eager" src=${standInUrl({ fault: 'no-risk' })}></wepay-risk-token>`,
      );
      const { detail } = await events.next(el, 'wepay-risk-token-error');
      expect(detail.reason).to.equal('unavailable');
    });
  });

  describe('failures never break the page', () => {
    for (const [fault, params, reason] of [
      ['a 404', { status: 404 }, 'load-failed'],
      ['a script that defines nothing', { fault: 'empty' }, 'unavailable'],
      ['methods that throw', { fault: 'throws' }, 'api-error'],
      ['a value that is not a UUID', { fault: 'value', value: '42' }, 'invalid-token'],
    ] as const) {
      it(`${fault}: no uncaught error or unhandled rejection, and the form still submits`, async () => {
        const errors = trackPageErrors();
        const { form, el } = await formWith(
          html`<wepay-risk-token trigger="eager" src=${standInUrl(params)}></wepay-risk-token>`,
        );
        const { detail } = await events.next(el, 'wepay-risk-token-error');
        await afterPendingTasks();
        errors.stop();
        expect(detail.reason).to.equal(reason);
        expect(errors.errors).to.deep.equal([]);
        expect(form.checkValidity()).to.equal(true);
        expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal(['']);
      });
    }

    it('removes the failed script tag and tries again on the next generate()', async () => {
      const src = standInUrl({ status: 404 });
      const { el } = await formWith(html`<wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>`);
      await el.generate().catch(() => undefined);
      expect(scriptsFor(src)).to.have.length(0);
      expect(await requestCount(src)).to.equal(1);
      const retry = await el.generate().catch((error: WePayRiskTokenError) => error.reason);
      expect(retry).to.equal('load-failed');
      expect(await requestCount(src)).to.equal(2);
      expect(scriptsFor(src)).to.have.length(0);
    });
  });

  describe('retrying', () => {
    it('a generate() called from the rejection handler of a failed one starts a new attempt', async () => {
      const src = standInUrl({ status: 404 });
      const { el } = await formWith(html`<wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>`);
      const outcome = await el
        .generate()
        .catch(() => el.generate())
        .then(
          () => 'resolved',
          (error: WePayRiskTokenError) => error.reason,
        );
      expect(outcome).to.equal('load-failed');
      expect(await requestCount(src)).to.equal(2);
    });

    it('a generate() called from the error listener starts a new attempt', async () => {
      const src = standInUrl({ status: 404 });
      const { el } = await formWith(html`<wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>`);
      const retried = new Promise<string>((resolve) =>
        el.addEventListener(
          'wepay-risk-token-error',
          () => el.generate().catch((error: WePayRiskTokenError) => resolve(error.reason)),
          {
            once: true,
          },
        ),
      );
      await el.generate().catch(() => undefined);
      expect(await retried).to.equal('load-failed');
      expect(await requestCount(src)).to.equal(2);
    });
  });

  describe('invalid attribute values', () => {
    for (const [attribute, value, property, fallback] of [
      ['timeout', 'soon', 'timeout', 10000],
      ['timeout', '-5', 'timeout', 10000],
      ['trigger', 'later', 'trigger', 'idle'],
      ['name', '', 'name', 'wepay_risk_token'],
      ['timeout', '2147483648', 'timeout', 10000],
      ['submit-wait', '1e12', 'submitWait', 3000],
    ] as const) {
      it(`${attribute}="${value}" falls back to ${fallback} with one warning naming the attribute`, async () => {
        const warn = sinon.stub(console, 'warn');
        const el = document.createElement('wepay-risk-token');
        el.setAttribute(attribute, value);
        expect(el[property]).to.equal(fallback);
        expect(warn.callCount).to.equal(1);
        expect(String(warn.firstCall.args[0])).to.contain(attribute);
      });
    }

    it('numbers set as strings, as frameworks pass static markup to properties, are read as the attributes are', async () => {
      const warn = sinon.stub(console, 'warn');
      const { el } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      Object.assign(el, { timeout: '5000', submitWait: '0' });
      await el.updateComplete;
      expect([el.timeout, el.submitWait]).to.deep.equal([5000, 0]);
      expect(warn.callCount).to.equal(0);
      Object.assign(el, { timeout: 'soon' });
      await el.updateComplete;
      expect(el.timeout).to.equal(10000);
      expect(warn.callCount).to.equal(1);
    });

    it('a bad value set from script also warns once and falls back', async () => {
      const warn = sinon.stub(console, 'warn');
      const { el } = await formWith(html`<wepay-risk-token trigger="manual"></wepay-risk-token>`);
      (el as { trigger: string }).trigger = 'later';
      await el.updateComplete;
      expect(el.trigger).to.equal('idle');
      expect(warn.callCount).to.equal(1);
      expect(String(warn.firstCall.args[0])).to.contain('trigger');
    });
  });

  describe('two elements for one field of one form', () => {
    it('the form posts the field once, and one warning says why', async () => {
      const warn = sinon.stub(console, 'warn');
      const src = standInUrl();
      const form = await fixture<HTMLFormElement>(html`
        <form>
          <wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>
          <wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>
        </form>
      `);
      const [first, second] = form.querySelectorAll('wepay-risk-token');
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal(['']);
      const token = await second!.generate();
      await first!.generate();
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([token]);
      expect(warn.callCount).to.equal(1);
      expect(String(warn.firstCall.args[0])).to.contain('wepay_risk_token');
    });

    it('the same with a field named "elements", which shadows the form\'s own `elements`', async () => {
      const warn = sinon.stub(console, 'warn');
      const src = standInUrl();
      const form = await fixture<HTMLFormElement>(html`
        <form>
          <input type="hidden" name="elements" value="kept" />
          <wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>
          <wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>
        </form>
      `);
      const token = await form.querySelector('wepay-risk-token')!.generate();
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([token]);
      expect(warn.callCount).to.equal(1);
    });

    it("an input the page added for the same field does not replace the element's token", async () => {
      const form = await fixture<HTMLFormElement>(html`
        <form>
          <input type="hidden" name="wepay_risk_token" value="123e4567-e89b-42d3-a456-426655440000" />
          <wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>
        </form>
      `);
      const token = await form.querySelector('wepay-risk-token')!.generate();
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([token]);
    });

    it('a token one of them has is the one posted', async () => {
      sinon.stub(console, 'warn');
      const form = await fixture<HTMLFormElement>(html`
        <form>
          <wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>
          <wepay-risk-token trigger="manual" src=${standInUrl({ fault: 'never' })}></wepay-risk-token>
        </form>
      `);
      const token = await form.querySelector('wepay-risk-token')!.generate();
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([token]);
    });
  });

  describe('removal', () => {
    it('stops polling when removed, and resumes when put back', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const { form, el } = await formWith(
          html`<wepay-risk-token trigger="eager" src=${standInUrl({ latency: 8_000 })}></wepay-risk-token>`,
        );
        await stateBecomes(el, 'generating');
        el.remove();
        const callsAtRemoval = standInCounters().getCalls;
        clock.tick(5_000);
        expect(standInCounters().getCalls).to.equal(callsAtRemoval);
        expect(el.state).to.equal('idle');

        form.append(el);
        await stateBecomes(el, 'generating');
        const ready = oneEvent(el, 'wepay-risk-token-ready');
        clock.tick(5_000);
        const { detail } = await ready;
        expect(postedToken(form)).to.equal(detail.token);
        expect(standInCounters().generateCalls).to.equal(1);
      } finally {
        clock.restore();
      }
    });
  });

  describe('generate() across removal', () => {
    it('a pending generate() waits while the element is away and settles once it is back', async () => {
      const src = standInUrl({ gate: `away-${Math.random()}` });
      const { form, el } = await formWith(html`<wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>`);
      let settled = false;
      const token = el.generate().finally(() => (settled = true));
      el.remove();
      expect(el.state).to.equal('idle');
      const loaded = new Promise((resolve) => scriptsFor(src)[0]!.addEventListener('load', resolve));
      await fetch(`/__gates/${new URL(src, location.href).searchParams.get('gate')}`, { method: 'POST' });
      await loaded;
      await afterPendingTasks();
      expect(settled).to.equal(false);
      expect(el.state).to.equal('idle');
      form.append(el);
      expect(await token).to.match(UUID);
      expect(postedToken(form)).to.equal(await token);
    });
  });

  describe('CSP nonce', () => {
    it('copies the nonce onto the injected script', async () => {
      const src = standInUrl();
      const { el } = await formWith(
        html`<wepay-risk-token trigger="manual" nonce="n0nce" src=${src}></wepay-risk-token>`,
      );
      const token = el.generate();
      expect(scriptsFor(src)[0]!.nonce).to.equal('n0nce');
      await token;
    });

    it('falls back to <meta property="csp-nonce">', async () => {
      const meta = document.createElement('meta');
      meta.setAttribute('property', 'csp-nonce');
      meta.nonce = 'meta-nonce';
      document.head.append(meta);
      try {
        const src = standInUrl();
        const { el } = await formWith(html`<wepay-risk-token trigger="manual" src=${src}></wepay-risk-token>`);
        const token = el.generate();
        expect(scriptsFor(src)[0]!.nonce).to.equal('meta-nonce');
        await token;
      } finally {
        meta.remove();
      }
    });
  });
});
