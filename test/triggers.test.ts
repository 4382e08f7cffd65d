import { expect, fixture, html, nextFrame } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import type { WePayRiskTokenElement } from '../src/index.js';
import { IDLE_TIMEOUT_MS } from '../src/triggers.js';
import { has, itNeeds } from './support/engine.js';
import { afterPendingTasks } from './support/hostile.js';
import {
  idOf,
  openGate,
  postedToken,
  eachTestOnACleanPage,
  requestCount,
  scriptsFor,
  standInCounters,
  standInUrl,
  stateBecomes,
  UUID,
} from './support/risk-js.js';

/**
 * Makes idle callbacks wait until the test runs them: the returned list collects them. Where the engine has no
 * `requestIdleCallback` (WebKit), one is defined for the test, which the element then uses as it would the
 * browser's. Undone by `sinon.restore()`.
 */
function holdIdleCallbacks(): IdleRequestCallback[] {
  const held: IdleRequestCallback[] = [];
  const hold = (callback: IdleRequestCallback) => held.push(callback);
  if (has('requestIdleCallback')) {
    sinon.stub(window, 'requestIdleCallback').callsFake(hold);
  } else {
    sinon.define(window, 'requestIdleCallback', hold);
    sinon.define(window, 'cancelIdleCallback', () => undefined);
  }
  return held;
}

/** Resolves once the browser has computed whether `target` intersects the viewport. */
function intersectionComputed(target: Element): Promise<boolean> {
  return new Promise((resolve) => {
    const observer = new IntersectionObserver(([entry]) => {
      observer.disconnect();
      resolve(entry!.isIntersecting);
    });
    observer.observe(target);
  });
}

async function mount(trigger: string, src: string) {
  const form = await fixture<HTMLFormElement>(html`
    <form>
      <input name="email" />
      <wepay-risk-token trigger=${trigger} src=${src}></wepay-risk-token>
    </form>
  `);
  return { form, el: form.querySelector('wepay-risk-token')!, input: form.querySelector('input')! };
}

describe('<wepay-risk-token> triggers', () => {
  const events = eachTestOnACleanPage();

  describe('idle (the default)', () => {
    it('requests nothing before the window load event, then loads and generates', async () => {
      const src = standInUrl();
      const gate = `load-${idOf(src)}`;
      const page = `<!doctype html>
        <script type="module" src="/src/index.ts"></script>
        <form><wepay-risk-token src="${src}"></wepay-risk-token></form>
        <img src="/__held?gate=${gate}" alt="">`;
      const frame = await fixture<HTMLIFrameElement>(
        html`<iframe src=${`/__page?html=${encodeURIComponent(page)}`}></iframe>`,
      );
      const frameWindow = frame.contentWindow as Window & typeof globalThis;
      await new Promise<void>((resolve) => {
        const check = () =>
          frameWindow.customElements?.get('wepay-risk-token') &&
          frameWindow.document.querySelector('wepay-risk-token')?.isConnected
            ? resolve()
            : requestAnimationFrame(check);
        check();
      });
      const el = frameWindow.document.querySelector('wepay-risk-token') as WePayRiskTokenElement;
      await afterPendingTasks(frameWindow);
      expect(frameWindow.document.readyState).not.to.equal('complete');
      expect(el.state).to.equal('idle');
      expect(await requestCount(src)).to.equal(0);

      const ready = new Promise<CustomEvent>((resolve) =>
        el.addEventListener('wepay-risk-token-ready', (event) => resolve(event as CustomEvent), { once: true }),
      );
      await openGate(gate);
      const { detail } = await ready;
      expect(detail.token).to.match(UUID);
      expect(await requestCount(src)).to.equal(1);
      const form = frameWindow.document.querySelector('form')!;
      expect(new frameWindow.FormData(form).get('wepay_risk_token')).to.equal(detail.token);
    });

    itNeeds('requestIdleCallback', 'injects and then generates in separate, bounded idle callbacks', async () => {
      const idle = sinon.spy(window, 'requestIdleCallback');
      const src = standInUrl();
      const { el } = await mount('idle', src);
      await events.next(el, 'wepay-risk-token-ready');
      const ours = idle.getCalls().filter((call) => call.args[1]?.timeout === IDLE_TIMEOUT_MS);
      expect(ours).to.have.length(2);
      expect(IDLE_TIMEOUT_MS).to.be.within(1, 5000);
    });

    it('falls back to a timer where requestIdleCallback is missing', async () => {
      // WebKit has none already; elsewhere take it away.
      if (has('requestIdleCallback')) sinon.stub(window, 'requestIdleCallback').value(undefined);
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const src = standInUrl();
        const { el } = await mount('idle', src);
        expect(scriptsFor(src)).to.have.length(0);
        clock.tick(1);
        expect(scriptsFor(src)).to.have.length(1);
        await stateBecomes(el, 'generating');
        expect(standInCounters().generateCalls).to.equal(0);
        await clock.tickAsync(1);
        expect(standInCounters().generateCalls).to.equal(1);
        const ready = events.next(el, 'wepay-risk-token-ready');
        clock.tick(100);
        expect((await ready).detail.token).to.match(UUID);
      } finally {
        clock.restore();
      }
    });
  });

  describe('eager', () => {
    it('injects the script as soon as the element is connected', () => {
      const src = standInUrl();
      const form = document.createElement('form');
      const el = document.createElement('wepay-risk-token');
      el.trigger = 'eager';
      el.src = src;
      form.append(el);
      expect(scriptsFor(src)).to.have.length(0);
      document.body.append(form);
      expect(scriptsFor(src)).to.have.length(1);
      expect(scriptsFor(src)[0]!.async).to.equal(true);
      form.remove();
    });

    it('generates as soon as Risk.js has loaded', async () => {
      const { form, el } = await mount('eager', standInUrl());
      const { detail } = await events.next(el, 'wepay-risk-token-ready');
      expect(postedToken(form)).to.equal(detail.token);
    });
  });

  describe('visible', () => {
    it('waits until the form enters the viewport', async () => {
      const src = standInUrl();
      const wrapper = await fixture<HTMLDivElement>(html`
        <div>
          <div style="height: 300vh"></div>
          <form><wepay-risk-token trigger="visible" src=${src}></wepay-risk-token></form>
        </div>
      `);
      const form = wrapper.querySelector('form')!;
      const el = wrapper.querySelector('wepay-risk-token')!;
      expect(await intersectionComputed(form)).to.equal(false);
      await nextFrame();
      expect(await requestCount(src)).to.equal(0);
      expect(el.state).to.equal('idle');

      form.scrollIntoView();
      const { detail } = await events.next(el, 'wepay-risk-token-ready');
      expect(postedToken(form)).to.equal(detail.token);
      window.scrollTo(0, 0);
    });
  });

  describe('interaction', () => {
    it('does nothing until the shopper touches the form', async () => {
      const src = standInUrl();
      const outside = await fixture<HTMLInputElement>(html`<input aria-label="outside" />`);
      const { el } = await mount('interaction', src);
      outside.focus();
      outside.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
      await afterPendingTasks();
      expect(await requestCount(src)).to.equal(0);
      expect(el.state).to.equal('idle');
    });

    for (const [kind, touch] of [
      ['focus', (input: HTMLInputElement) => input.focus()],
      ['pointer', (input: HTMLInputElement) => input.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))],
      [
        'key',
        (input: HTMLInputElement) => input.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true })),
      ],
    ] as const) {
      it(`starts on the first ${kind} event inside the form`, async () => {
        const src = standInUrl();
        const { form, el, input } = await mount('interaction', src);
        touch(input);
        const { detail } = await events.next(el, 'wepay-risk-token-ready');
        expect(postedToken(form)).to.equal(detail.token);
        expect(await requestCount(src)).to.equal(1);
      });
    }
  });

  describe('manual', () => {
    it('does nothing until generate() is called', async () => {
      const src = standInUrl();
      const { form, el, input } = await mount('manual', src);
      input.focus();
      await afterPendingTasks();
      await afterPendingTasks();
      expect(await requestCount(src)).to.equal(0);
      expect(el.state).to.equal('idle');

      const token = await el.generate();
      expect(postedToken(form)).to.equal(token);
    });
  });

  describe('once the token is there', () => {
    for (const trigger of ['interaction', 'visible'] as const) {
      it(`trigger="${trigger}" firing later changes nothing: one load, one generate_risk_token(), the same token`, async () => {
        const src = standInUrl();
        const form = await fixture<HTMLFormElement>(html`
          <form style="margin-top: 200vh">
            <input name="email" />
            <wepay-risk-token trigger=${trigger} src=${src}></wepay-risk-token>
          </form>
        `);
        const el = form.querySelector('wepay-risk-token')!;
        const token = await el.generate();
        form.style.marginTop = '0';
        form.querySelector('input')!.focus();
        await intersectionComputed(form);
        await afterPendingTasks();
        await afterPendingTasks();
        expect(el.token).to.equal(token);
        expect(postedToken(form)).to.equal(token);
        expect(await requestCount(src)).to.equal(1);
        expect(standInCounters().generateCalls).to.equal(1);
      });
    }

    it('an idle period that comes later changes nothing: one load, one generate_risk_token(), the same token', async () => {
      const idle = holdIdleCallbacks();
      const src = standInUrl();
      const { form, el } = await mount('idle', src);
      const token = await el.generate();
      for (const callback of idle) callback({ didTimeout: false, timeRemaining: () => 50 });
      sinon.restore();
      await afterPendingTasks();
      expect(el.token).to.equal(token);
      expect(postedToken(form)).to.equal(token);
      expect(await requestCount(src)).to.equal(1);
      expect(standInCounters().generateCalls).to.equal(1);
    });
  });

  it('a submit made while an idle run is still loading Risk.js generates as soon as it has loaded', async () => {
    const src = standInUrl({ gate: `urgent-${Math.random()}` });
    const { el } = await mount('idle', src);
    await stateBecomes(el, 'loading');
    const pending = el.generate();
    const idle = holdIdleCallbacks();
    await openGate(new URL(src, location.href).searchParams.get('gate')!);
    const token = await pending;
    expect(token).to.match(UUID);
    expect(idle, 'no idle wait after the load').to.deep.equal([]);
  });

  it('a trigger changed before it fired takes over', async () => {
    const src = standInUrl();
    const { el } = await mount('manual', src);
    el.trigger = 'eager';
    await events.next(el, 'wepay-risk-token-ready');
    expect(await requestCount(src)).to.equal(1);
  });
});
