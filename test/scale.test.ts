import { expect, nextFrame } from '@open-wc/testing';
import '../src/index.js';
import type { WePayRiskTokenElement, WePayRiskTokenTrigger } from '../src/index.js';
import { postSink, postsTo } from './support/frames.js';
import { has } from './support/engine.js';
import { afterPendingTasks } from './support/hostile.js';
import { trackAsyncResources } from './support/leaks.js';
import {
  openGate,
  requestCount,
  resetRiskJs,
  scriptsFor,
  standInCounters,
  standInUrl,
  stateBecomes,
  trackPageErrors,
  UUID,
} from './support/risk-js.js';
import { pressEnterIn } from './support/shopper.js';

/** Timers the leak instrumentation does not see: for the test's own bounds. */
const untrackedSetTimeout = window.setTimeout.bind(window) as (handler: () => void, ms: number) => number;
const untrackedClearTimeout = window.clearTimeout.bind(window) as (id?: number) => void;

/** `stateBecomes`, failing with a message instead of hanging when the element never gets there. */
async function reaches(el: WePayRiskTokenElement, state: string): Promise<void> {
  let bound: number | undefined;
  const stuck = new Promise<never>((_, reject) => {
    bound = untrackedSetTimeout(
      () => reject(new Error(`a ${el.trigger} element did not become ${state} (it is ${el.state})`)),
      5_000,
    );
  });
  try {
    await Promise.race([stateBecomes(el, state), stuck]);
  } finally {
    untrackedClearTimeout(bound);
  }
}

describe('<wepay-risk-token> at scale', () => {
  let cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step();
    cleanup = [];
    resetRiskJs();
  });

  it('100 forms on one page: one request for Risk.js, one generate_risk_token(), the same UUID in all 100 inputs', async () => {
    const src = standInUrl();
    const page = document.createElement('div');
    const triggers: WePayRiskTokenTrigger[] = ['eager', 'idle', 'visible', 'interaction'];
    const tokens: Array<Promise<string>> = [];
    for (let i = 0; i < 100; i += 1) {
      const form = document.createElement('form');
      const el = document.createElement('wepay-risk-token');
      el.src = src;
      // Half start at once; the rest join the shared load and generation their own way, or through generate().
      el.trigger = i % 2 === 0 ? 'eager' : triggers[(i >> 1) % triggers.length]!;
      tokens.push(
        new Promise((resolve, reject) => {
          el.addEventListener('wepay-risk-token-ready', (event) => resolve(event.detail.token), { once: true });
          el.addEventListener('wepay-risk-token-error', (event) => reject(event.detail.error), { once: true });
        }),
      );
      form.append(el);
      page.append(form);
    }
    document.body.append(page);
    cleanup.push(() => page.remove());
    // Elements waiting for a shopper's touch get their token on the first submit or generate(); ask now.
    for (const el of page.querySelectorAll('wepay-risk-token')) {
      if (el.trigger === 'interaction') el.generate().catch(() => undefined);
    }

    const all = await Promise.all(tokens);
    expect(new Set(all).size).to.equal(1);
    expect(all[0]).to.match(UUID);
    const forms = [...page.querySelectorAll('form')];
    expect(forms).to.have.length(100);
    for (const form of forms) expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([all[0]]);
    expect(await requestCount(src)).to.equal(1);
    expect(scriptsFor(src)).to.have.length(1);
    expect(standInCounters()).to.include({ runs: 1, generateCalls: 1 });
  });

  it('1,000 connects and disconnects, in every trigger and every state, leave no timer, idle callback, observer or listener behind', async function () {
    // About 2 s here; room for a busy machine.
    this.timeout(30_000);
    const pageErrors = trackPageErrors();
    cleanup.push(() => pageErrors.stop());
    const gate = `scale-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    // Held at the gate while loading; once loaded, get_risk_token() never leaves 0, so every run stays in flight.
    const src = standInUrl({ gate, fault: 'never' });
    cleanup.push(() => openGate(gate));

    const form = document.createElement('form');
    const field = Object.assign(document.createElement('input'), { name: 'email' });
    form.append(field);
    document.body.append(form);
    cleanup.push(() => form.remove());

    const triggers: WePayRiskTokenTrigger[] = ['eager', 'idle', 'visible', 'interaction', 'manual'];
    const everyElement: WePayRiskTokenElement[] = [];
    const create = (trigger: WePayRiskTokenTrigger) => {
      const el = document.createElement('wepay-risk-token');
      el.trigger = trigger;
      el.src = src;
      everyElement.push(el);
      return el;
    };
    const kept = triggers.map(create);

    type Until = 'connected' | 'loading' | 'generating';
    /**
     * Cycle `i` of a phase: every trigger in turn, on alternate rounds the same five elements (moved around, as
     * a framework does) or new ones (re-rendered), most disconnected at once, some only once they got as far
     * as `until` allows.
     */
    const cycle = async (i: number, untilOfRound: (round: number) => Until) => {
      const round = Math.floor(i / triggers.length);
      const el = round % 2 === 0 ? kept[i % triggers.length]! : create(triggers[i % triggers.length]!);
      const until = untilOfRound(round);
      form.append(el);
      if (until !== 'connected') {
        if (el.trigger === 'interaction') field.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
        if (el.trigger === 'manual') el.generate().catch(() => undefined);
        await reaches(el, until);
      }
      el.remove();
    };

    const resources = trackAsyncResources();
    cleanup.push(() => resources.restore());
    resources.start();
    try {
      // 500 cycles while the Risk.js response is held: one round in five waits until loading.
      for (let i = 0; i < 500; i += 1) await cycle(i, (round) => (round % 5 === 2 ? 'loading' : 'connected'));

      const script = scriptsFor(src)[0]!;
      const loaded = new Promise((resolve) => script.addEventListener('load', resolve, { once: true }));
      await openGate(gate);
      await loaded;

      // 500 cycles with Risk.js loaded: one round in five waits until generating (polling), one until loading.
      for (let i = 0; i < 500; i += 1) {
        await cycle(i, (round) => (round % 5 === 2 ? 'generating' : round % 5 === 4 ? 'loading' : 'connected'));
      }
    } finally {
      resources.stop();
    }
    // Give anything still scheduled (intersection observers, idle callbacks, timers due now) its chance to run.
    await nextFrame();
    await nextFrame();
    await afterPendingTasks();

    // The cycles really used each kind of resource (hundreds of each; idle callbacks where the engine has
    // them, timers in their place elsewhere), and gave every one back.
    const created = resources.created();
    const kinds: Array<keyof typeof created> = ['timers', 'observations', 'listeners'];
    if (has('requestIdleCallback')) kinds.push('idleCallbacks');
    for (const kind of kinds) {
      expect(created[kind], kind).to.be.greaterThan(50);
    }
    expect(resources.pending()).to.deep.equal({ timers: 0, idleCallbacks: 0, observations: 0, listeners: [] });
    // A run cut short by removal does not go on to say it is generating.
    expect(new Set(everyElement.map((el) => el.getAttribute('state')))).to.deep.equal(new Set(['idle']));
    expect(await requestCount(src)).to.equal(1);
    expect(standInCounters()).to.include({ runs: 1, generateCalls: 1 });
    expect(pageErrors.errors).to.deep.equal([]);
  });

  it('connects and disconnects that reach ready, or hold a submit, leave no timer, idle callback, observer or listener behind', async function () {
    this.timeout(60_000);
    const pageErrors = trackPageErrors();
    cleanup.push(() => pageErrors.stop());
    const gate = `scale-ready-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
    const src = standInUrl({ gate });
    cleanup.push(() => openGate(gate));
    const sink = await postSink();
    const form = Object.assign(document.createElement('form'), {
      method: 'post',
      action: sink.action,
      target: sink.target,
    });
    const field = Object.assign(document.createElement('input'), { name: 'email' });
    form.append(field);
    document.body.append(form);
    cleanup.push(() => form.remove());

    const triggers: WePayRiskTokenTrigger[] = ['eager', 'idle', 'visible', 'interaction', 'manual'];
    const kept = triggers.map((trigger) => Object.assign(document.createElement('wepay-risk-token'), { trigger, src }));
    const resources = trackAsyncResources();
    cleanup.push(() => resources.restore());
    resources.start();
    let released = 0;
    try {
      // While Risk.js is held: the shopper presses Enter, the element holds the submit, and then it is removed.
      // A required one drops the submit; any other sends it without a token.
      for (let i = 0; i < 20; i += 1) {
        const el = Object.assign(document.createElement('wepay-risk-token'), {
          trigger: 'manual',
          src,
          required: i % 2 === 0,
        });
        form.append(el);
        await pressEnterIn(field);
        expect(form.getAttribute('aria-busy')).to.equal('true');
        const landed = sink.landed();
        el.remove();
        if (el.required) continue;
        await landed;
        released += 1;
      }
      await openGate(gate);

      // With Risk.js loaded, in every trigger: new elements reach ready, and kept ones come back with their
      // token, arming and disarming its expiry timer.
      for (let i = 0; i < 200; i += 1) {
        const el =
          i % 2 === 0
            ? kept[i % kept.length]!
            : Object.assign(document.createElement('wepay-risk-token'), { trigger: triggers[i % 5], src });
        form.append(el);
        if (el.state !== 'ready') {
          if (el.trigger === 'interaction') field.dispatchEvent(new FocusEvent('focusin', { bubbles: true }));
          if (el.trigger === 'manual') el.generate().catch(() => undefined);
          await reaches(el, 'ready');
        }
        el.remove();
      }
    } finally {
      resources.stop();
    }
    await nextFrame();
    await nextFrame();
    await afterPendingTasks();

    const created = resources.created();
    for (const kind of ['timers', 'listeners'] as const) expect(created[kind], kind).to.be.greaterThan(50);
    expect(resources.pending()).to.deep.equal({ timers: 0, idleCallbacks: 0, observations: 0, listeners: [] });
    expect(kept.map((el) => el.state)).to.deep.equal(['ready', 'ready', 'ready', 'ready', 'ready']);
    const posts = await postsTo(sink.id);
    expect(posts).to.have.length(released);
    expect(released).to.equal(10);
    expect(standInCounters()).to.include({ runs: 1, generateCalls: 1 });
    expect(pageErrors.errors).to.deep.equal([]);
  });
});
