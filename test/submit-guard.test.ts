import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import type { WePayRiskTokenElement, WePayRiskTokenErrorReason } from '../src/index.js';
import { postSink, postsTo } from './support/frames.js';
import {
  eachTestOnACleanPage,
  openGate,
  profilingFinished,
  standInUrl,
  stateBecomes,
  trackPageErrors,
  UUID,
} from './support/risk-js.js';
import { clickAsShopper, pressEnterIn } from './support/shopper.js';

interface CheckoutOptions {
  src: string;
  wait?: number;
  timeout?: number;
  required?: boolean;
  trigger?: string;
}

/** A checkout form posting to the test server, with the app's own submit listener counting submits. */
async function checkout({ src, wait = 3000, timeout = 10_000, required = false, trigger = 'manual' }: CheckoutOptions) {
  const sink = await postSink();
  const form = await fixture<HTMLFormElement>(html`
    <form method="post" action=${sink.action} target=${sink.target}>
      <input name="email" value="shopper@example.com" />
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
  const appSubmits: SubmitEvent[] = [];
  form.addEventListener('submit', (event) => appSubmits.push(event as SubmitEvent));
  const el = form.querySelector('wepay-risk-token')!;
  return { form, el, sink, appSubmits, pay: form.querySelector('button')!, email: form.querySelector('input')! };
}

const gated = (name: string, params: Record<string, string | number> = {}) =>
  standInUrl({ gate: `${name}-${Math.random()}`, ...params });
const gateOf = (src: string) => new URL(src, location.href).searchParams.get('gate')!;

/**
 * The posts recorded for `sink`, after giving a late extra post time to arrive. The pause only lets a defect
 * show; nothing is asserted about how long anything takes.
 */
async function settledPosts(sink: { id: string }): Promise<URLSearchParams[]> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  return postsTo(sink.id);
}

describe('<wepay-risk-token> submit guard', () => {
  const events = eachTestOnACleanPage();

  it('holds a submit made before the token, then sends it once with the token', async () => {
    const src = gated('hold');
    const { form, el, sink, appSubmits, pay } = await checkout({ src });
    await clickAsShopper(pay);
    expect(form.getAttribute('aria-busy')).to.equal('true');
    expect(appSubmits).to.have.length(0);
    expect(el.state).to.equal('loading');

    const landed = sink.landed();
    await openGate(gateOf(src));
    await landed;
    const posts = await settledPosts(sink);
    expect(posts).to.have.length(1);
    expect(posts[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
    expect(posts[0]!.get('email')).to.equal('shopper@example.com');
    expect(appSubmits).to.have.length(1);
    expect(form.hasAttribute('aria-busy')).to.equal(false);
  });

  it("sends a held submit once Risk.js's profiling script has run, so the session is profiled before the shopper leaves", async () => {
    const profileGate = `profile-${Math.random().toString(36).slice(2)}`;
    const src = standInUrl({ profile: `${location.origin}/__profile-gate/${profileGate}` });
    const { form, el, sink, pay } = await checkout({ src });
    await clickAsShopper(pay);
    await stateBecomes(el, 'ready');
    expect(await settledPosts(sink)).to.have.length(0);
    expect(form.getAttribute('aria-busy')).to.equal('true');

    const landed = sink.landed();
    await openGate(profileGate);
    await landed;
    expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
  });

  it('does not wait for a profiling script that fails (an ad blocker): the held submit goes with the token', async () => {
    const { el, sink, pay } = await checkout({ src: standInUrl({ profile: 'http://127.0.0.1:1' }), wait: 60_000 });
    const landed = sink.landed();
    await clickAsShopper(pay);
    await landed;
    expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
    expect(el.token).to.match(UUID);
  });

  it('does not wait for a profiling script that failed before the token came (asynchronous Risk.js)', async () => {
    const src = standInUrl({ profile: 'http://127.0.0.1:1', latency: 300 });
    const { el, sink, pay } = await checkout({ src, wait: 60_000 });
    const landed = sink.landed();
    await clickAsShopper(pay);
    await landed;
    expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
    expect(el.token).to.match(UUID);
  });

  it('does not wait for profiling that Risk.js started before the element asked (the page generated first)', async () => {
    const profileGate = `profile-${Math.random().toString(36).slice(2)}`;
    const src = standInUrl({ profile: `${location.origin}/__profile-gate/${profileGate}` });
    const script = Object.assign(document.createElement('script'), { src });
    await new Promise((resolve) => {
      script.addEventListener('load', resolve, { once: true });
      document.head.append(script);
    });
    (window as unknown as { WePay: { risk: { generate_risk_token(): void } } }).WePay.risk.generate_risk_token();
    const { el, sink, pay } = await checkout({ src, wait: 60_000 });
    const landed = sink.landed();
    await clickAsShopper(pay);
    await landed;
    expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
    await openGate(profileGate);
  });

  it('starts getting the token at once, whatever the trigger', async () => {
    const { el, sink, pay } = await checkout({ src: standInUrl(), trigger: 'visible' });
    const landed = sink.landed();
    await clickAsShopper(pay);
    await landed;
    expect((await postsTo(sink.id))[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
  });

  it('lets a submit through untouched once the token is ready and its device profiling has run', async () => {
    const { form, el, sink, appSubmits, pay } = await checkout({ src: standInUrl() });
    const token = await el.generate();
    await profilingFinished();
    const landed = sink.landed();
    await clickAsShopper(pay);
    expect(appSubmits).to.have.length(1);
    expect(form.hasAttribute('aria-busy')).to.equal(false);
    await landed;
    expect((await settledPosts(sink)).map((post) => post.get('wepay_risk_token'))).to.deep.equal([token]);
  });

  it('holds a submit made with the Enter key', async () => {
    const { el, sink, email } = await checkout({ src: standInUrl() });
    const landed = sink.landed();
    await pressEnterIn(email);
    await landed;
    const posts = await settledPosts(sink);
    expect(posts).to.have.length(1);
    expect(posts[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
  });

  it('re-submits with the same submitter: its name=value, formaction, formmethod, formtarget, formnovalidate', async () => {
    const sink = await postSink();
    const form = await fixture<HTMLFormElement>(html`
      <form method="get" action="/nowhere" target="_self">
        <input name="zip" required />
        <wepay-risk-token src=${standInUrl()} trigger="manual"></wepay-risk-token>
        <button name="pay" value="plain">Pay</button>
        <button
          name="pay"
          value="express"
          formaction=${sink.action}
          formmethod="post"
          formtarget=${sink.target}
          formnovalidate
        >
          Express
        </button>
      </form>
    `);
    const landed = sink.landed();
    await clickAsShopper(form.querySelectorAll('button')[1]!);
    await landed;
    const posts = await settledPosts(sink);
    expect(posts).to.have.length(1);
    expect(posts[0]!.getAll('pay')).to.deep.equal(['express']);
    expect(posts[0]!.get('wepay_risk_token')).to.match(UUID);
  });

  it('sends a held submit once, however often the shopper presses again', async () => {
    const src = gated('again');
    const { sink, appSubmits, pay, email } = await checkout({ src });
    await clickAsShopper(pay);
    await clickAsShopper(pay);
    await pressEnterIn(email);
    const landed = sink.landed();
    await openGate(gateOf(src));
    await landed;
    expect(await settledPosts(sink)).to.have.length(1);
    expect(appSubmits).to.have.length(1);
  });

  it('fails open: when submit-wait runs out, the form goes without a token, once', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { form, el, sink, appSubmits, pay } = await checkout({ src: standInUrl({ fault: 'never' }), wait: 3000 });
      await clickAsShopper(pay);
      await stateBecomes(el, 'generating');
      clock.tick(2999);
      expect(appSubmits).to.have.length(0);
      const landed = sink.landed();
      clock.tick(1);
      expect(appSubmits, 'the release waits for the next task').to.have.length(0);
      clock.tick(1);
      expect(appSubmits).to.have.length(1);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      clock.tick(60_000);
      expect(appSubmits).to.have.length(1);
      clock.restore();
      await landed;
      const posts = await settledPosts(sink);
      expect(posts).to.have.length(1);
      expect(posts[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
    } finally {
      clock.restore();
    }
  });

  it('fails open at once when Risk.js fails, without waiting out submit-wait', async () => {
    const { sink, appSubmits, pay } = await checkout({ src: standInUrl({ status: 404 }), wait: 60_000 });
    const landed = sink.landed();
    await clickAsShopper(pay);
    await landed;
    expect(appSubmits).to.have.length(1);
    expect((await settledPosts(sink))[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
  });

  it('submit-wait="0" turns the guard off', async () => {
    const { sink, appSubmits, pay } = await checkout({ src: standInUrl({ fault: 'never' }), wait: 0 });
    const landed = sink.landed();
    await clickAsShopper(pay);
    expect(appSubmits).to.have.length(1);
    await landed;
    expect((await settledPosts(sink))[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
  });

  describe('a shopper who pays while the element is in error sends the order exactly once', () => {
    // Each makes the element fail once with `reason`; the retry at submit then fails the same way, some of
    // them within microtasks of the held submit, while the browser is still firing it.
    const failures: Array<[WePayRiskTokenErrorReason, string, () => CheckoutOptions]> = [
      ['load-failed', 'a 404', () => ({ src: standInUrl({ status: 404 }) })],
      ['load-failed', 'a refused src', () => ({ src: 'ftp://127.0.0.1/risk.js' })],
      ['unavailable', 'an empty script', () => ({ src: standInUrl({ fault: 'empty' }) })],
      ['api-error', 'methods that throw', () => ({ src: standInUrl({ fault: 'throws' }) })],
      ['invalid-token', 'a non-UUID token', () => ({ src: standInUrl({ fault: 'value', value: '"not-a-uuid"' }) })],
      ['timeout', 'no token ever', () => ({ src: standInUrl({ fault: 'never' }), timeout: 200 })],
    ];
    type Checkout = Awaited<ReturnType<typeof checkout>>;
    const presses: Array<[string, (page: Checkout) => Promise<void>]> = [
      ['a real click on Pay', (page) => clickAsShopper(page.pay)],
      ['Enter in a field', (page) => pressEnterIn(page.email)],
    ];
    for (const [reason, cause, options] of failures) {
      for (const [how, press] of presses) {
        it(`${reason} (${cause}), ${how}`, async () => {
          const page = await checkout(options());
          const failed = (await page.el.generate().catch((error: { reason: string }) => error)) as { reason: string };
          expect(failed.reason).to.equal(reason);
          expect(page.el.state).to.equal('error');

          const landed = page.sink.landed();
          await press(page);
          await landed;
          const posts = await settledPosts(page.sink);
          expect(posts).to.have.length(1);
          expect(posts[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
          expect(page.appSubmits).to.have.length(1);
        });
      }
    }

    it('expired (Risk.js gives the expired token again), a real click on Pay', async () => {
      const clock = sinon.useFakeTimers({ now: Date.now(), toFake: ['Date'] });
      try {
        const page = await checkout({ src: standInUrl({ token: '123e4567-e89b-42d3-a456-426655440000' }) });
        await page.el.generate();
        clock.tick(48 * 60 * 60 * 1000);
        const failed = (await page.el.generate().catch((error: { reason: string }) => error)) as { reason: string };
        expect(failed.reason).to.equal('expired');

        const landed = page.sink.landed();
        await clickAsShopper(page.pay);
        await landed;
        const posts = await settledPosts(page.sink);
        expect(posts).to.have.length(1);
        expect(posts[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
      } finally {
        clock.restore();
      }
    });
  });

  describe('required', () => {
    it('does not send the form when the wait runs out, and reports timeout', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const { form, el, appSubmits, pay } = await checkout({ src: standInUrl({ fault: 'never' }), required: true });
        await clickAsShopper(pay);
        await stateBecomes(el, 'generating');
        const error = events.next(el, 'wepay-risk-token-error');
        clock.tick(3000);
        expect((await error).detail.reason).to.equal('timeout');
        expect(appSubmits).to.have.length(0);
        expect(form.hasAttribute('aria-busy')).to.equal(false);
        clock.tick(60_000);
        expect(appSubmits).to.have.length(0);
      } finally {
        clock.restore();
      }
    });

    it("sends the form with the token when the wait runs out while Risk.js's profiling script still loads", async () => {
      const profileGate = `profile-${Math.random().toString(36).slice(2)}`;
      const src = standInUrl({ profile: `${location.origin}/__profile-gate/${profileGate}` });
      const { el, sink, pay } = await checkout({ src, required: true, wait: 500 });
      const landed = sink.landed();
      await clickAsShopper(pay);
      await landed;
      expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
      expect(el.token).to.match(UUID);
      await openGate(profileGate);
    });

    it('reports the real cause when Risk.js fails, and does not send the form', async () => {
      const { el, sink, appSubmits, pay } = await checkout({ src: standInUrl({ status: 404 }), required: true });
      await clickAsShopper(pay);
      const { detail } = await events.next(el, 'wepay-risk-token-error');
      expect(detail.reason).to.equal('load-failed');
      expect(appSubmits).to.have.length(0);
      expect(await settledPosts(sink)).to.have.length(0);
    });

    it('sends the form once the token is there', async () => {
      const { el, sink, pay } = await checkout({ src: standInUrl(), required: true });
      const landed = sink.landed();
      await clickAsShopper(pay);
      await landed;
      expect((await settledPosts(sink)).map((post) => post.get('wepay_risk_token'))).to.deep.equal([el.token]);
      expect(el.token).to.match(UUID);
    });

    it('with submit-wait="0", a submit without a token is not sent', async () => {
      const { el, appSubmits, pay } = await checkout({ src: standInUrl({ fault: 'never' }), required: true, wait: 0 });
      const error = events.next(el, 'wepay-risk-token-error');
      await clickAsShopper(pay);
      expect((await error).detail.reason).to.equal('timeout');
      expect(appSubmits).to.have.length(0);
    });

    it('removing the element drops the held submit and reports it: the form is never sent without a token', async () => {
      const src = gated('required-removed');
      const { form, el, sink, appSubmits, pay } = await checkout({ src, required: true });
      await clickAsShopper(pay);
      const error = new Promise<CustomEvent>((resolve) =>
        el.addEventListener('wepay-risk-token-error', (event) => resolve(event), { once: true }),
      );
      el.remove();
      expect((await error).detail.reason).to.equal('removed');
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      await openGate(gateOf(src));
      expect(await settledPosts(sink)).to.have.length(0);
      expect(appSubmits).to.have.length(0);
    });

    it('moving the element within its form goes on holding, and sends the form once with the token', async () => {
      const src = gated('required-moved');
      const { form, el, sink, pay } = await checkout({ src, required: true });
      await clickAsShopper(pay);
      form.prepend(el);
      await new Promise((resolve) => setTimeout(resolve));
      expect(form.getAttribute('aria-busy')).to.equal('true');
      const landed = sink.landed();
      await openGate(gateOf(src));
      await landed;
      const posts = await settledPosts(sink);
      expect(posts.map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
      expect(el.token).to.match(UUID);
    });

    it('moving the element to another form drops the held submit of the first', async () => {
      const src = gated('required-elsewhere');
      const { form, el, sink, pay } = await checkout({ src, required: true });
      const other = document.createElement('form');
      form.after(other);
      await clickAsShopper(pay);
      const error = events.next(el, 'wepay-risk-token-error');
      other.append(el);
      expect((await error).detail.reason).to.equal('removed');
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      await openGate(gateOf(src));
      expect(await settledPosts(sink)).to.have.length(0);
      other.remove();
    });
  });

  describe('removal and moves', () => {
    it('removing the element sends a held submit without a token, once', async () => {
      const src = gated('removed');
      const { form, el, sink, appSubmits, pay } = await checkout({ src });
      await clickAsShopper(pay);
      expect(appSubmits).to.have.length(0);
      const landed = sink.landed();
      el.remove();
      await landed;
      expect(appSubmits).to.have.length(1);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      const posts = await settledPosts(sink);
      expect(posts).to.have.length(1);
      expect(posts[0]!.has('wepay_risk_token')).to.equal(false);
      await openGate(gateOf(src));
    });

    it('moving the element within its form goes on holding, and sends the form once with the token', async () => {
      const src = gated('moved');
      const { form, el, sink, appSubmits, pay } = await checkout({ src });
      await clickAsShopper(pay);
      pay.before(el);
      await new Promise((resolve) => setTimeout(resolve));
      expect(appSubmits).to.have.length(0);
      const landed = sink.landed();
      await openGate(gateOf(src));
      await landed;
      expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
    });
  });

  describe('submits it never holds', () => {
    it('a <form method="dialog"> closes its dialog at once', async () => {
      const dialog = await fixture<HTMLDialogElement>(html`
        <dialog>
          <form method="dialog">
            <wepay-risk-token src=${gated('dialog')} trigger="manual"></wepay-risk-token>
            <button value="cancel">Cancel</button>
          </form>
        </dialog>
      `);
      dialog.showModal();
      await clickAsShopper(dialog.querySelector('button')!);
      expect(dialog.open).to.equal(false);
      expect(dialog.returnValue).to.equal('cancel');
      expect(dialog.querySelector('wepay-risk-token')!.state).to.equal('idle');
    });

    it('a submitter with formmethod="dialog"', async () => {
      const dialog = await fixture<HTMLDialogElement>(html`
        <dialog>
          <form method="post" action="/nowhere">
            <wepay-risk-token src=${gated('formmethod-dialog')} trigger="manual"></wepay-risk-token>
            <button formmethod="dialog" value="cancel">Cancel</button>
          </form>
        </dialog>
      `);
      dialog.showModal();
      await clickAsShopper(dialog.querySelector('button')!);
      expect(dialog.open).to.equal(false);
      expect(dialog.querySelector('form')!.hasAttribute('aria-busy')).to.equal(false);
    });
  });

  it('sends the order when the submitter stopped being a submit button during the hold', async () => {
    const errors = trackPageErrors();
    try {
      const src = gated('submitter-changed');
      const { sink, pay } = await checkout({ src });
      await clickAsShopper(pay);
      pay.type = 'button';
      const landed = sink.landed();
      await openGate(gateOf(src));
      await landed;
      const posts = await settledPosts(sink);
      expect(posts).to.have.length(1);
      expect(posts[0]!.get('wepay_risk_token')).to.match(UUID);
      expect(errors.errors).to.deep.equal([]);
    } finally {
      errors.stop();
    }
  });

  describe('what the page’s own submit listeners see', () => {
    it('listeners on the form, the document and the window, and capture listeners added later, see one submit', async () => {
      const src = gated('listeners');
      const { form, el, sink, pay } = await checkout({ src });
      const seen: string[] = [];
      const record = (where: string) => (event: Event) => event.target === form && seen.push(where);
      const listeners: Array<[EventTarget, string, boolean]> = [
        [document, 'document', false],
        [window, 'window', false],
        [window, 'window capture', true],
        [document, 'document capture', true],
      ];
      const added = listeners.map(([target, where, capture]) => [target, record(where), capture] as const);
      for (const [target, listener, capture] of added) target.addEventListener('submit', listener, { capture });
      try {
        await clickAsShopper(pay);
        const landed = sink.landed();
        await openGate(gateOf(src));
        await landed;
        expect(seen.sort()).to.deep.equal(['document', 'document capture', 'window', 'window capture']);
        expect(el.token).to.match(UUID);
      } finally {
        for (const [target, listener, capture] of added) target.removeEventListener('submit', listener, { capture });
      }
    });

    it('a window capture listener added before the element connected sees the held submit too', async () => {
      const seen: boolean[] = [];
      const early = (event: Event) => seen.push(event.defaultPrevented);
      window.addEventListener('submit', early, { capture: true });
      try {
        const src = gated('early-listener');
        const { sink, pay } = await checkout({ src });
        await clickAsShopper(pay);
        const landed = sink.landed();
        await openGate(gateOf(src));
        await landed;
        expect(seen).to.have.length(2);
      } finally {
        window.removeEventListener('submit', early, { capture: true });
      }
    });
  });

  describe('apps that submit with fetch', () => {
    it('their listener gets exactly one submit, with the token in FormData, and nothing is posted natively', async () => {
      const src = gated('fetch');
      const { form, el, sink, pay } = await checkout({ src });
      const seen: Array<FormDataEntryValue | null> = [];
      const handled = new Promise<void>((resolve) =>
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          seen.push(new FormData(form).get('wepay_risk_token'));
          resolve();
        }),
      );
      await clickAsShopper(pay);
      expect(seen).to.deep.equal([]);
      await openGate(gateOf(src));
      await handled;
      expect(seen).to.deep.equal([el.token]);
      expect(el.token).to.match(UUID);
      await el.generate();
      expect(seen).to.have.length(1);
      expect(await settledPosts(sink)).to.have.length(0);
    });

    it('a submit some listener already cancelled is not held or re-sent', async () => {
      const cancel = (event: Event) => event.preventDefault();
      window.addEventListener('submit', cancel, { capture: true });
      try {
        const { form, el, appSubmits, pay } = await checkout({ src: standInUrl() });
        await clickAsShopper(pay);
        expect(appSubmits).to.have.length(1);
        expect(form.hasAttribute('aria-busy')).to.equal(false);
        expect(el.state).to.equal('idle');
      } finally {
        window.removeEventListener('submit', cancel, { capture: true });
      }
    });
  });

  it('honours the form attribute when the element sits outside its form', async () => {
    const sink = await postSink();
    const wrapper = await fixture<HTMLDivElement>(html`
      <div>
        <form id="guarded-outside" method="post" action=${sink.action} target=${sink.target}><button>Pay</button></form>
        <wepay-risk-token form="guarded-outside" trigger="manual" src=${gated('outside')}></wepay-risk-token>
      </div>
    `);
    const el = wrapper.querySelector('wepay-risk-token') as WePayRiskTokenElement;
    await clickAsShopper(wrapper.querySelector('button')!);
    expect(wrapper.querySelector('form')!.getAttribute('aria-busy')).to.equal('true');
    const landed = sink.landed();
    await openGate(gateOf(el.src));
    await landed;
    expect((await settledPosts(sink)).map((post) => post.get('wepay_risk_token'))).to.deep.equal([el.token]);
    expect(el.token).to.match(UUID);
  });

  it('guards a form inside a shadow root, where submit events never reach the window', async () => {
    const sink = await postSink();
    const src = gated('shadow');
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<form method="post" action="${sink.action}" target="${sink.target}">
      <wepay-risk-token trigger="manual" src="${src}"></wepay-risk-token><button>Pay</button></form>`;
    const form = root.querySelector('form')!;
    const el = root.querySelector('wepay-risk-token') as WePayRiskTokenElement;
    await clickAsShopper(root.querySelector('button')!);
    expect(form.getAttribute('aria-busy')).to.equal('true');
    const landed = sink.landed();
    await openGate(gateOf(src));
    await landed;
    const posts = await settledPosts(sink);
    expect(posts).to.have.length(1);
    expect(posts[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
  });
});
