import { expect, fixture, html } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import type { WePayRiskTokenElement } from '../src/index.js';
import { postSink, postsTo } from './support/frames.js';
import { eachTestOnACleanPage, openGate, requestCount, standInUrl, stateBecomes, UUID } from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

/**
 * The posts recorded for `sink`, after giving a late extra post time to arrive. The pause only lets a defect
 * show; nothing is asserted about how long anything takes.
 */
async function settledPosts(sink: { id: string }): Promise<URLSearchParams[]> {
  await new Promise((resolve) => setTimeout(resolve, 150));
  return postsTo(sink.id);
}

const randomName = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2)}`;

describe('the form is the unit', () => {
  const events = eachTestOnACleanPage();

  describe('two elements in one form', () => {
    for (const [title, names] of [
      ['with the same name', ['wepay_risk_token', 'wepay_risk_token']],
      ['with different names', ['wepay_risk_token', 'other_risk_token']],
    ] as const) {
      it(`Risk.js blocked, ${title}: one click posts the order once, and Risk.js is requested a bounded number of times`, async () => {
        sinon.stub(console, 'warn');
        const src = standInUrl({ status: 404 });
        const sink = await postSink();
        const form = await fixture<HTMLFormElement>(html`
          <form method="post" action=${sink.action} target=${sink.target}>
            <wepay-risk-token name=${names[0]} trigger="manual" src=${src}></wepay-risk-token>
            <wepay-risk-token name=${names[1]} trigger="manual" src=${src}></wepay-risk-token>
            <button>Pay</button>
          </form>
        `);
        const landed = sink.landed();
        await clickAsShopper(form.querySelector('button')!);
        await landed;
        const posts = await settledPosts(sink);
        expect(posts).to.have.length(1);
        expect(form.hasAttribute('aria-busy')).to.equal(false);
        expect(await requestCount(src)).to.be.at.most(2);
      });
    }

    it('Risk.js hanging: the order posts once when the larger submit-wait runs out', async () => {
      const gate = randomName('hang');
      const src = standInUrl({ gate });
      const sink = await postSink();
      const form = await fixture<HTMLFormElement>(html`
        <form method="post" action=${sink.action} target=${sink.target}>
          <wepay-risk-token trigger="manual" submit-wait="100" src=${src}></wepay-risk-token>
          <wepay-risk-token name="second" trigger="manual" submit-wait="300" src=${src}></wepay-risk-token>
          <button>Pay</button>
        </form>
      `);
      const landed = sink.landed();
      await clickAsShopper(form.querySelector('button')!);
      await landed;
      const posts = await settledPosts(sink);
      expect(posts.map((post) => [post.get('wepay_risk_token'), post.get('second')])).to.deep.equal([['', '']]);
      await openGate(gate);
    });

    it('one ready, one failing: the order posts once, with the token that is there', async () => {
      const sink = await postSink();
      const form = await fixture<HTMLFormElement>(html`
        <form method="post" action=${sink.action} target=${sink.target}>
          <wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>
          <wepay-risk-token name="second" trigger="manual" src="https://risk.example/not-allowed.js"></wepay-risk-token>
          <button>Pay</button>
        </form>
      `);
      const [ready] = form.querySelectorAll('wepay-risk-token');
      const token = await ready!.generate();
      const landed = sink.landed();
      await clickAsShopper(form.querySelector('button')!);
      await landed;
      const posts = await settledPosts(sink);
      expect(posts.map((post) => [post.get('wepay_risk_token'), post.get('second')])).to.deep.equal([[token, '']]);
    });

    it('holds once and waits for both tokens, then posts both', async () => {
      const gate = randomName('both');
      const sink = await postSink();
      const form = await fixture<HTMLFormElement>(html`
        <form method="post" action=${sink.action} target=${sink.target}>
          <wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>
          <wepay-risk-token name="second" trigger="manual" src=${standInUrl({ gate })}></wepay-risk-token>
          <button>Pay</button>
        </form>
      `);
      const [first, second] = form.querySelectorAll('wepay-risk-token');
      await clickAsShopper(form.querySelector('button')!);
      await stateBecomes(first!, 'ready');
      expect(await settledPosts(sink)).to.have.length(0);
      expect(form.getAttribute('aria-busy')).to.equal('true');
      const landed = sink.landed();
      await openGate(gate);
      await landed;
      const posts = await settledPosts(sink);
      expect(posts.map((post) => [post.get('wepay_risk_token'), post.get('second')])).to.deep.equal([
        [first!.token, second!.token],
      ]);
    });
  });

  describe('its own field, whatever happens to its children', () => {
    it('puts its input back after innerHTML, a replaced child or a rewritten state, and the next Pay posts the token', async () => {
      const sink = await postSink();
      const form = await fixture<HTMLFormElement>(html`
        <form method="post" action=${sink.action} target=${sink.target}>
          <wepay-risk-token trigger="manual" required src=${standInUrl()}></wepay-risk-token>
          <button>Pay</button>
        </form>
      `);
      const el = form.querySelector('wepay-risk-token')!;
      const token = await el.generate();
      el.innerHTML = '';
      el.removeAttribute('state');
      await el.updateComplete;
      await el.updateComplete;
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([token]);
      expect(el.getAttribute('state')).to.equal('ready');

      el.querySelector('input')!.replaceWith(document.createElement('span'));
      el.querySelector('input')?.setAttribute('value', '');
      await el.updateComplete;
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([token]);

      const landed = sink.landed();
      await clickAsShopper(form.querySelector('button')!);
      await landed;
      expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[token]]);
    });
  });

  describe('a disabled fieldset', () => {
    async function fieldsetCheckout(required: boolean) {
      const sink = await postSink();
      const form = await fixture<HTMLFormElement>(html`
        <form method="post" action=${sink.action} target=${sink.target}>
          <input name="email" value="shopper@example.com" />
          <fieldset disabled>
            <wepay-risk-token trigger="manual" ?required=${required} src=${standInUrl()}></wepay-risk-token>
          </fieldset>
          <button>Pay</button>
        </form>
      `);
      return { form, sink, el: form.querySelector('wepay-risk-token')!, pay: form.querySelector('button')! };
    }

    it('with required, a submit is not sent even when the token is ready: its field would not post (reason disabled)', async () => {
      const { el, sink, pay } = await fieldsetCheckout(true);
      await el.generate();
      const error = events.next(el, 'wepay-risk-token-error');
      await clickAsShopper(pay);
      expect((await error).detail.reason).to.equal('disabled');
      expect(await settledPosts(sink)).to.have.length(0);
    });

    it('without required, the form posts at once, without the field, as the browser does for disabled controls', async () => {
      const { el, form, sink, pay } = await fieldsetCheckout(false);
      const landed = sink.landed();
      await clickAsShopper(pay);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      await landed;
      const posts = await settledPosts(sink);
      expect(posts.map((post) => [...post.keys()])).to.deep.equal([['email']]);
      expect(el.state).not.to.equal('error');
    });
  });

  it('drops a held submit when the page is hidden (Back, or the back/forward cache): nothing posts later', async () => {
    const gate = randomName('pagehide');
    const sink = await postSink();
    const form = await fixture<HTMLFormElement>(html`
      <form method="post" action=${sink.action} target=${sink.target}>
        <wepay-risk-token trigger="manual" src=${standInUrl({ gate })}></wepay-risk-token>
        <button>Pay</button>
      </form>
    `);
    const el = form.querySelector('wepay-risk-token')!;
    await clickAsShopper(form.querySelector('button')!);
    expect(form.getAttribute('aria-busy')).to.equal('true');
    window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true }));
    expect(form.hasAttribute('aria-busy')).to.equal(false);
    await openGate(gate);
    await stateBecomes(el, 'ready');
    expect(await settledPosts(sink)).to.have.length(0);
  });

  it('drops a held submit when the page is hidden just after its profiling script failed (WebKit stops loads on Back)', async () => {
    const gate = randomName('profile-failed');
    const sink = await postSink();
    const form = await fixture<HTMLFormElement>(html`
      <form method="post" action=${sink.action} target=${sink.target}>
        <wepay-risk-token
          trigger="manual"
          src=${standInUrl({ gate, profile: `${location.origin}/__profile-failed/` })}
        ></wepay-risk-token>
        <button>Pay</button>
      </form>
    `);
    const el = form.querySelector('wepay-risk-token')!;
    const outcomes: string[] = [];
    el.addEventListener('wepay-risk-token-submit', (event) => outcomes.push(event.detail.outcome));
    // Back in WebKit: the page's loads stop (the profiling script fails), and pagehide follows in a later task.
    const controller = new AbortController();
    window.addEventListener(
      'error',
      (event) => {
        if ((event.target as HTMLScriptElement).src?.includes('/fp/check.js')) {
          setTimeout(() => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: true })));
        }
      },
      { capture: true, signal: controller.signal },
    );
    await clickAsShopper(form.querySelector('button')!);
    expect(form.getAttribute('aria-busy')).to.equal('true');
    await openGate(gate);
    await stateBecomes(el, 'ready');
    expect(await settledPosts(sink)).to.have.length(0);
    controller.abort();
    expect(outcomes).to.deep.equal(['dropped']);
    expect(form.hasAttribute('aria-busy')).to.equal(false);
  });

  it('holds a submit made after the token exists while its device profiling is still loading', async () => {
    const profileGate = randomName('profile');
    const sink = await postSink();
    const form = await fixture<HTMLFormElement>(html`
      <form method="post" action=${sink.action} target=${sink.target}>
        <wepay-risk-token
          trigger="eager"
          submit-wait="60000"
          src=${standInUrl({ profile: `${location.origin}/__profile-gate/${profileGate}` })}
        ></wepay-risk-token>
        <button>Pay</button>
      </form>
    `);
    const el = form.querySelector('wepay-risk-token')!;
    await stateBecomes(el, 'ready');
    await clickAsShopper(form.querySelector('button')!);
    expect(form.getAttribute('aria-busy')).to.equal('true');
    expect(await settledPosts(sink)).to.have.length(0);
    const landed = sink.landed();
    await openGate(profileGate);
    await landed;
    expect((await settledPosts(sink)).map((post) => post.get('wepay_risk_token'))).to.deep.equal([el.token]);
  });

  it("holds and posts as usual when the page's markup shadows the document's and the form's members", async () => {
    const gate = randomName('shadowed');
    const sink = await postSink();
    // What the element uses that markup can shadow, but neither Risk.js nor the test's own tools need.
    const documentMembers = ['head', 'querySelector', 'querySelectorAll', 'addEventListener', 'baseURI'];
    const formMembers = ['setAttribute', 'removeAttribute', 'ownerDocument', 'isConnected', 'contains', 'append'];
    const page = await fixture<HTMLDivElement>(html`
      <div>
        ${documentMembers.map((name) => html`<img name=${name} alt="" />`)}
        <form method="post" action=${sink.action} target=${sink.target}>
          ${formMembers.map((name) => html`<input type="hidden" name=${name} value="kept" />`)}
          <wepay-risk-token trigger="manual" src=${standInUrl({ gate })}></wepay-risk-token>
          <button name="pay" value="card">Pay</button>
        </form>
      </div>
    `);
    try {
      const form = page.querySelector('form')!;
      const shadowed = (target: object, name: string) => (target as Record<string, unknown>)[name] instanceof Element;
      expect(documentMembers.filter((name) => !shadowed(document, name))).to.deep.equal([]);
      expect(formMembers.filter((name) => !shadowed(form, name))).to.deep.equal([]);
      const el = page.querySelector('wepay-risk-token')!;
      await clickAsShopper(page.querySelector('button')!);
      expect(form.getAttribute('aria-busy')).to.equal('true');
      const landed = sink.landed();
      await openGate(gate);
      await landed;
      const posts = await settledPosts(sink);
      expect(posts.map((post) => [...post])).to.deep.equal([
        [...formMembers.map((name) => [name, 'kept']), ['wepay_risk_token', el.token], ['pay', 'card']],
      ]);
      expect(el.token).to.match(UUID);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
    } finally {
      // The test's own clean-up needs the document as it was.
      page.remove();
    }
  });

  describe('no form owner', () => {
    it('warns once, saying what to do, when an element outside any form has its token', async () => {
      const warn = sinon.stub(console, 'warn');
      const el = await fixture<WePayRiskTokenElement>(
        html`<wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token>`,
      );
      expect(await el.generate()).to.match(UUID);
      el.remove();
      document.body.append(el);
      await el.generate();
      expect(warn.callCount).to.equal(1);
      expect(String(warn.firstCall.args[0])).to.contain('form');
    });

    it('warns for an element in a shadow root whose form is outside it: form ownership does not cross shadow roots', async () => {
      const warn = sinon.stub(console, 'warn');
      const form = await fixture<HTMLFormElement>(html`<form><div></div></form>`);
      const root = form.querySelector('div')!.attachShadow({ mode: 'open' });
      const el = document.createElement('wepay-risk-token');
      el.trigger = 'manual';
      el.src = standInUrl();
      root.append(el);
      await el.generate();
      expect(new FormData(form).getAll('wepay_risk_token')).to.deep.equal([]);
      expect(warn.callCount).to.equal(1);
      expect(String(warn.firstCall.args[0])).to.contain('shadow root');
    });

    it('says nothing for an element in a form', async () => {
      const warn = sinon.stub(console, 'warn');
      const form = await fixture<HTMLFormElement>(
        html`<form><wepay-risk-token trigger="manual" src=${standInUrl()}></wepay-risk-token></form>`,
      );
      await form.querySelector('wepay-risk-token')!.generate();
      expect(warn.callCount).to.equal(0);
    });
  });
});
