import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import sinon from 'sinon';
import '../src/index.js';
import type { WePayRiskTokenElement } from '../src/index.js';
import { postSink, postsTo } from './support/frames.js';
import {
  openGate,
  eachTestOnACleanPage,
  standInUrl,
  stateBecomes,
  UUID,
} from './support/risk-js.js';

/** A checkout form posting to the test server, with the app's own submit listener counting submits. */
async function checkout(attributes: { src: string; wait?: number; required?: boolean; trigger?: string }) {
  const sink = await postSink();
  const form = await fixture<HTMLFormElement>(html`
    <form method="post" action=${sink.action} target=${sink.target}>
      <input name="email" value="shopper@example.com" />
      <wepay-risk-token
        src=${attributes.src}
        trigger=${attributes.trigger ?? 'manual'}
        submit-wait=${String(attributes.wait ?? 3000)}
        ?required=${attributes.required ?? false}
      ></wepay-risk-token>
      <button name="pay" value="card">Pay</button>
    </form>
  `);
  const appSubmits: SubmitEvent[] = [];
  form.addEventListener('submit', (event) => appSubmits.push(event as SubmitEvent));
  const el = form.querySelector('wepay-risk-token')!;
  return { form, el, sink, appSubmits, button: form.querySelector('button')!, input: form.querySelector('input')! };
}

const gateOf = (src: string) => new URL(src, location.href).searchParams.get('gate')!;

describe('<wepay-risk-token> submit guard', () => {
  const events = eachTestOnACleanPage();

  it('holds a submit made before the token, then sends it once with the token', async () => {
    const src = standInUrl({ gate: `hold-${Math.random()}` });
    const { form, el, sink, appSubmits, button } = await checkout({ src });
    button.click();
    expect(form.getAttribute('aria-busy')).to.equal('true');
    expect(appSubmits).to.have.length(0);
    expect(el.state).to.equal('loading');

    const landed = sink.landed();
    await openGate(gateOf(src));
    await landed;
    const posts = await postsTo(sink.id);
    expect(posts).to.have.length(1);
    expect(posts[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
    expect(posts[0]!.get('email')).to.equal('shopper@example.com');
    expect(appSubmits).to.have.length(1);
    expect(form.hasAttribute('aria-busy')).to.equal(false);
  });

  it('starts getting the token at once, whatever the trigger', async () => {
    const { el, sink, button } = await checkout({ src: standInUrl(), trigger: 'visible' });
    const landed = sink.landed();
    button.click();
    await landed;
    expect((await postsTo(sink.id))[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
  });

  it('lets a submit through untouched once the token is ready', async () => {
    const { form, el, sink, appSubmits } = await checkout({ src: standInUrl() });
    const token = await el.generate();
    const landed = sink.landed();
    form.requestSubmit();
    expect(appSubmits).to.have.length(1);
    expect(form.hasAttribute('aria-busy')).to.equal(false);
    await landed;
    expect((await postsTo(sink.id)).map((post) => post.get('wepay_risk_token'))).to.deep.equal([token]);
  });

  it('holds a submit made with the Enter key', async () => {
    const { el, sink, input } = await checkout({ src: standInUrl() });
    input.focus();
    const landed = sink.landed();
    await sendKeys({ press: 'Enter' });
    await landed;
    const posts = await postsTo(sink.id);
    expect(posts).to.have.length(1);
    expect(posts[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
  });

  it('re-submits with the same submitter: its name=value, formaction, formmethod, formtarget, formnovalidate', async () => {
    const sink = await postSink();
    const src = standInUrl();
    const form = await fixture<HTMLFormElement>(html`
      <form method="get" action="/nowhere" target="_self">
        <input name="zip" required />
        <wepay-risk-token src=${src} trigger="manual"></wepay-risk-token>
        <button name="pay" value="plain">Pay</button>
        <button name="pay" value="express" formaction=${sink.action} formmethod="post" formtarget=${sink.target} formnovalidate>
          Express
        </button>
      </form>
    `);
    const landed = sink.landed();
    form.querySelectorAll('button')[1]!.click();
    await landed;
    const posts = await postsTo(sink.id);
    expect(posts).to.have.length(1);
    expect(posts[0]!.getAll('pay')).to.deep.equal(['express']);
    expect(posts[0]!.get('wepay_risk_token')).to.match(UUID);
  });

  it('sends a held submit once, however often the shopper presses again', async () => {
    const src = standInUrl({ gate: `again-${Math.random()}` });
    const { form, sink, appSubmits, button } = await checkout({ src });
    button.click();
    button.click();
    form.requestSubmit();
    const landed = sink.landed();
    await openGate(gateOf(src));
    await landed;
    expect(await postsTo(sink.id)).to.have.length(1);
    expect(appSubmits).to.have.length(1);
  });

  it('fails open: when submit-wait runs out, the form goes without a token, once', async () => {
    const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      const { form, el, sink, appSubmits, button } = await checkout({ src: standInUrl({ fault: 'never' }), wait: 3000 });
      button.click();
      await stateBecomes(el, 'generating');
      clock.tick(2999);
      expect(appSubmits).to.have.length(0);
      const landed = sink.landed();
      clock.tick(1);
      expect(appSubmits).to.have.length(1);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      clock.tick(60_000);
      expect(appSubmits).to.have.length(1);
      clock.restore();
      await landed;
      const posts = await postsTo(sink.id);
      expect(posts).to.have.length(1);
      expect(posts[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
    } finally {
      clock.restore();
    }
  });

  it('fails open at once when Risk.js fails, without waiting out submit-wait', async () => {
    const { sink, appSubmits, button } = await checkout({ src: standInUrl({ status: 404 }), wait: 60_000 });
    const landed = sink.landed();
    button.click();
    await landed;
    expect(appSubmits).to.have.length(1);
    expect((await postsTo(sink.id))[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
  });

  it('submit-wait="0" turns the guard off', async () => {
    const { sink, appSubmits, button } = await checkout({ src: standInUrl({ fault: 'never' }), wait: 0 });
    const landed = sink.landed();
    button.click();
    expect(appSubmits).to.have.length(1);
    await landed;
    expect((await postsTo(sink.id))[0]!.getAll('wepay_risk_token')).to.deep.equal(['']);
  });

  describe('required', () => {
    it('does not send the form when the wait runs out, and reports timeout', async () => {
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      try {
        const { form, el, appSubmits, button } = await checkout({ src: standInUrl({ fault: 'never' }), required: true });
        button.click();
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

    it('reports the real cause when Risk.js fails, and does not send the form', async () => {
      const { el, sink, appSubmits, button } = await checkout({ src: standInUrl({ status: 404 }), required: true });
      button.click();
      const { detail } = await events.next(el, 'wepay-risk-token-error');
      expect(detail.reason).to.equal('load-failed');
      expect(appSubmits).to.have.length(0);
      expect(await postsTo(sink.id)).to.have.length(0);
    });

    it('sends the form once the token is there', async () => {
      const { el, sink, button } = await checkout({ src: standInUrl(), required: true });
      const landed = sink.landed();
      button.click();
      await landed;
      expect((await postsTo(sink.id))[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
    });

    it('with submit-wait="0", a submit without a token is not sent', async () => {
      const { el, appSubmits, button } = await checkout({ src: standInUrl({ fault: 'never' }), required: true, wait: 0 });
      const error = events.next(el, 'wepay-risk-token-error');
      button.click();
      expect((await error).detail.reason).to.equal('timeout');
      expect(appSubmits).to.have.length(0);
    });
  });

  describe('apps that submit with fetch', () => {
    it('their listener gets exactly one submit, with the token in FormData, and nothing is posted natively', async () => {
      const src = standInUrl({ gate: `fetch-${Math.random()}` });
      const { form, el, sink, button } = await checkout({ src });
      const seen: Array<FormDataEntryValue | null> = [];
      const handled = new Promise<void>((resolve) =>
        form.addEventListener('submit', (event) => {
          event.preventDefault();
          seen.push(new FormData(form).get('wepay_risk_token'));
          resolve();
        }),
      );
      button.click();
      expect(seen).to.deep.equal([]);
      await openGate(gateOf(src));
      await handled;
      expect(seen).to.deep.equal([el.token]);
      expect(el.token).to.match(UUID);
      await el.generate();
      expect(seen).to.have.length(1);
      expect(await postsTo(sink.id)).to.have.length(0);
    });

    it('a submit some listener already cancelled is not held or re-sent', async () => {
      const cancel = (event: Event) => event.preventDefault();
      window.addEventListener('submit', cancel, { capture: true });
      try {
        const { form, el, appSubmits, button } = await checkout({ src: standInUrl() });
        button.click();
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
        <wepay-risk-token form="guarded-outside" trigger="manual" src=${standInUrl()}></wepay-risk-token>
      </div>
    `);
    const el = wrapper.querySelector('wepay-risk-token') as WePayRiskTokenElement;
    const landed = sink.landed();
    wrapper.querySelector('button')!.click();
    expect(wrapper.querySelector('form')!.getAttribute('aria-busy')).to.equal('true');
    await landed;
    expect((await postsTo(sink.id))[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
  });

  it('guards a form inside a shadow root, where submit events never reach the window', async () => {
    const sink = await postSink();
    const host = await fixture<HTMLDivElement>(html`<div></div>`);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = `<form method="post" action="${sink.action}" target="${sink.target}">
      <wepay-risk-token trigger="manual" src="${standInUrl()}"></wepay-risk-token><button>Pay</button></form>`;
    const form = root.querySelector('form')!;
    const el = root.querySelector('wepay-risk-token') as WePayRiskTokenElement;
    const landed = sink.landed();
    root.querySelector('button')!.click();
    expect(form.getAttribute('aria-busy')).to.equal('true');
    await landed;
    const posts = await postsTo(sink.id);
    expect(posts).to.have.length(1);
    expect(posts[0]!.get('wepay_risk_token')).to.equal(el.token);
    expect(el.token).to.match(UUID);
  });

  it('releases a held submit at once when the element is removed', async () => {
    const src = standInUrl({ gate: `removed-${Math.random()}` });
    const { form, el, sink, appSubmits, button } = await checkout({ src });
    button.click();
    expect(appSubmits).to.have.length(0);
    const landed = sink.landed();
    el.remove();
    expect(appSubmits).to.have.length(1);
    expect(form.hasAttribute('aria-busy')).to.equal(false);
    await landed;
    expect(await postsTo(sink.id)).to.have.length(1);
    await openGate(gateOf(src));
  });
});
