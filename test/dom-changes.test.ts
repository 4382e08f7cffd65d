import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import type { WePayRiskTokenElement } from '../src/index.js';
import { framePage, nextEvent, postSink, postsTo, type FrameWindow } from './support/frames.js';
import { eachTestOnACleanPage, openGate, standInUrl, stateBecomes, trackPageErrors, UUID } from './support/risk-js.js';
import { clickAsShopper } from './support/shopper.js';

/**
 * A submit held for the token while the page, a framework or a morph changes DOM the element does not own: the
 * form, its place, the element's input, the document it is in. Each case holds a real click, changes the DOM,
 * lets the token come, and asserts on what the test server received.
 */

/**
 * The posts recorded for `sink`, after giving a late extra post time to arrive. The pause only lets a defect
 * show; nothing is asserted about how long anything takes.
 */
async function settledPosts(sink: { id: string }): Promise<URLSearchParams[]> {
  await new Promise((resolve) => setTimeout(resolve, 150));
  return postsTo(sink.id);
}

/** The gates of this test's Risk.js: opened after it whatever happened, so its scripts settle before the next. */
const gates: string[] = [];
const randomName = (prefix: string) => {
  const name = `${prefix}-${Math.random().toString(36).slice(2)}`;
  gates.push(name);
  return name;
};

/** A checkout whose Pay the shopper has pressed, held for a Risk.js that answers once `release()` is called. */
async function heldCheckout({ required = false, submitWait = 3000 } = {}) {
  const gate = randomName('dom');
  const sink = await postSink();
  const page = await fixture<HTMLDivElement>(html`
    <div>
      <form method="post" action=${sink.action} target=${sink.target}>
        <input name="email" value="shopper@example.com" />
        <wepay-risk-token
          trigger="manual"
          ?required=${required}
          submit-wait=${submitWait}
          src=${standInUrl({ gate })}
        ></wepay-risk-token>
        <button name="pay" value="card">Pay</button>
      </form>
    </div>
  `);
  const form = page.querySelector('form')!;
  const el = page.querySelector('wepay-risk-token') as WePayRiskTokenElement;
  const outcomes: string[] = [];
  el.addEventListener('wepay-risk-token-submit', (event) => outcomes.push(event.detail.outcome));
  await clickAsShopper(form.querySelector('button')!);
  expect(form.getAttribute('aria-busy')).to.equal('true');
  return { page, form, el, sink, outcomes, release: () => openGate(gate) };
}

/** The fields of each post, in order. */
const fieldsOf = (posts: URLSearchParams[]) => posts.map((post) => [...post]);

/** Pay pressed in `form`: held until the Risk.js behind `gate` answers, then posted once, with `el`'s token. */
async function expectHeldThenPostedOnce({
  form,
  el,
  sink,
  gate,
}: {
  form: HTMLFormElement;
  el: WePayRiskTokenElement;
  sink: Awaited<ReturnType<typeof postSink>>;
  gate: string;
}) {
  await clickAsShopper(form.querySelector('button')!);
  expect(form.getAttribute('aria-busy')).to.equal('true');
  const landed = sink.landed();
  await openGate(gate);
  await landed;
  expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
}

/** The element left the held form: the form went once, at once, without the element's field, as on removal. */
async function expectSentWithoutToken({
  form,
  sink,
  outcomes,
}: Pick<Awaited<ReturnType<typeof heldCheckout>>, 'form' | 'sink' | 'outcomes'>) {
  expect(fieldsOf(await settledPosts(sink))).to.deep.equal([
    [
      ['email', 'shopper@example.com'],
      ['pay', 'card'],
    ],
  ]);
  expect(outcomes).to.deep.equal(['failure']);
  expect(form.hasAttribute('aria-busy')).to.equal(false);
}

describe('<wepay-risk-token> holding a submit while DOM it does not own changes', () => {
  afterEach(async () => {
    await Promise.all(gates.splice(0).map(openGate));
  });
  eachTestOnACleanPage();
  let pageErrors: ReturnType<typeof trackPageErrors>;
  beforeEach(() => {
    pageErrors = trackPageErrors();
  });
  afterEach(() => {
    pageErrors.stop();
    expect(pageErrors.errors, 'errors on the page').to.deep.equal([]);
  });

  describe('the form', () => {
    it('removed from the page: the submit is dropped at once, as the browser sends no form outside a document', async () => {
      const { form, el, sink, outcomes, release } = await heldCheckout();
      const ended = nextEvent(el, 'wepay-risk-token-submit');
      form.remove();
      await ended;
      expect(outcomes).to.deep.equal(['dropped']);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      // Put back once the token comes: nothing was held for it any more.
      await release();
      document.body.append(form);
      await stateBecomes(el, 'ready');
      expect(await settledPosts(sink)).to.have.length(0);
      form.remove();
    });

    it('moved in the same task (a framework re-parenting it): still held, and posted once with the token', async () => {
      const { page, form, el, sink, outcomes, release } = await heldCheckout();
      const wrapper = document.createElement('section');
      page.append(wrapper);
      wrapper.append(form);
      await new Promise((resolve) => setTimeout(resolve));
      expect(form.getAttribute('aria-busy')).to.equal('true');
      const landed = sink.landed();
      await release();
      await landed;
      expect(fieldsOf(await settledPosts(sink))).to.deep.equal([
        [
          ['email', 'shopper@example.com'],
          ['wepay_risk_token', el.token],
          ['pay', 'card'],
        ],
      ]);
      expect(outcomes).to.deep.equal(['token']);
    });

    it("moved into an iframe's document: still held, and posted once with the token", async () => {
      const frame = await fixture<HTMLIFrameElement>(html`<iframe></iframe>`);
      const { form, el, sink, outcomes, release } = await heldCheckout();
      frame.contentDocument!.body.append(form);
      const landed = sink.landed();
      await release();
      await landed;
      expect(fieldsOf(await settledPosts(sink)).map((fields) => fields.map(([name]) => name))).to.deep.equal([
        ['email', 'wepay_risk_token', 'pay'],
      ]);
      expect((await postsTo(sink.id))[0]!.get('wepay_risk_token')).to.equal(el.token);
      expect(el.token).to.match(UUID);
      expect(outcomes).to.deep.equal(['token']);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
    });
  });

  describe('the element', () => {
    it("moved into another document's form: the first form's submit goes at once without the token", async () => {
      const frame = await fixture<HTMLIFrameElement>(html`<iframe></iframe>`);
      const other = frame.contentDocument!.createElement('form');
      frame.contentDocument!.body.append(other);
      const { form, el, sink, outcomes, release } = await heldCheckout();
      const landed = sink.landed();
      other.append(frame.contentDocument!.adoptNode(el));
      await landed;
      await expectSentWithoutToken({ form, sink, outcomes });
      await release();
    });

    // submit-wait is a minute: only the element's change, not the end of the wait, can end this hold (a
    // `required` element's refusal: test/submission.test.ts).
    it('pointed at another form (form="id") during the hold: the first form goes at once without its token, as when the element leaves it', async () => {
      const { page, form, el, sink, outcomes, release } = await heldCheckout({ submitWait: 60_000 });
      page.append(Object.assign(document.createElement('form'), { id: 'elsewhere' }));
      const landed = sink.landed();
      el.form = 'elsewhere';
      await landed;
      await expectSentWithoutToken({ form, sink, outcomes });
      await release();
    });

    it('renamed during the hold: the order posts the token once, under the new name', async () => {
      const { el, sink, release } = await heldCheckout();
      el.setAttribute('name', 'risk');
      const landed = sink.landed();
      await release();
      await landed;
      const posts = await settledPosts(sink);
      expect(posts.map((post) => [post.getAll('risk'), post.has('wepay_risk_token')])).to.deep.equal([
        [[el.token], false],
      ]);
    });

    it('with its input renamed, re-pointed, emptied and removed during the hold: the order posts the token once', async () => {
      const { el, sink, release } = await heldCheckout();
      const input = el.querySelector('input')!;
      input.name = 'other';
      input.setAttribute('form', 'nowhere');
      input.value = 'stale';
      input.remove();
      const landed = sink.landed();
      await release();
      await landed;
      expect((await settledPosts(sink)).map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
      expect(el.token).to.match(UUID);
    });

    it('with form="id" naming a form added after it: that form is held, and posts the token once', async () => {
      const gate = randomName('later-form');
      const sink = await postSink();
      const page = await fixture<HTMLDivElement>(html`
        <div><wepay-risk-token form="later-form" trigger="manual" src=${standInUrl({ gate })}></wepay-risk-token></div>
      `);
      const form = Object.assign(document.createElement('form'), { id: 'later-form', method: 'post' });
      form.setAttribute('action', sink.action);
      form.setAttribute('target', sink.target);
      form.append(document.createElement('button'));
      page.append(form);
      await expectHeldThenPostedOnce({ form, el: page.querySelector('wepay-risk-token')!, sink, gate });
    });

    it('with its form in a nested shadow root: held there, and posts the token once', async () => {
      const gate = randomName('nested-shadow');
      const sink = await postSink();
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const outer = host.attachShadow({ mode: 'open' });
      outer.innerHTML = '<div></div>';
      const inner = outer.querySelector('div')!.attachShadow({ mode: 'open' });
      inner.innerHTML = `<form method="post" action="${sink.action}" target="${sink.target}">
        <wepay-risk-token trigger="manual" src="${standInUrl({ gate })}"></wepay-risk-token><button>Pay</button></form>`;
      const el = inner.querySelector('wepay-risk-token')!;
      await expectHeldThenPostedOnce({ form: inner.querySelector('form')!, el, sink, gate });
      expect(el.token).to.match(UUID);
    });
  });

  describe('a morph of the held form (the server re-renders it, as after a cart update)', () => {
    /** What each library's morph of `form` into `markup` is, on a page that loaded the library. */
    const MORPHS = {
      'htmx 4 (outerMorph)': `
        import htmx from '/node_modules/htmx.org/dist/htmx.esm.js';
        window.morph = (form, text) => htmx.swap({ target: form, text, swap: 'outerMorph', sourceElement: form });`,
      'Turbo 8 (morphElements, idiomorph)': `
        import { morphElements, session } from '/node_modules/@hotwired/turbo/dist/turbo.es2017-esm.js';
        session.drive = false;
        window.morph = (form, text) => {
          const template = document.createElement('template');
          template.innerHTML = text;
          morphElements(form, template.content.firstElementChild);
        };`,
    };

    for (const [library, script] of Object.entries(MORPHS)) {
      it(`${library}: the form stays aria-busy while held, and posts once with the token`, async () => {
        const gate = randomName('morph');
        const sink = await postSink();
        // The server's HTML: no hidden input, no `state`, no `aria-busy`; the morph adds a note.
        const markup = (note: string) => `<form method="post" action="${sink.action}">
          <input name="email" value="shopper@example.com" />
          <wepay-risk-token trigger="manual" src="${standInUrl({ gate })}"></wepay-risk-token>${note}
          <button id="pay" name="pay" value="card">Pay</button></form>`;
        const { frame, window: page } = await framePage(
          `<script type="module">import '/src/index.ts';${script}</script><body>${markup('')}</body>`,
        );
        const morph = (page as FrameWindow & { morph(form: Element, text: string): Promise<void> }).morph;
        const frameErrors: unknown[] = [];
        page.addEventListener('error', (event) => frameErrors.push(event.message));
        const form = page.document.querySelector('form')!;
        const el = page.document.querySelector('wepay-risk-token')!;
        await clickAsShopper(page.document.querySelector('#pay')!);
        expect(form.getAttribute('aria-busy')).to.equal('true');

        await morph(form, markup('<p>Cart updated.</p>'));
        await new Promise((resolve) => setTimeout(resolve));
        expect(page.document.querySelector('p')?.textContent, 'the morph ran').to.equal('Cart updated.');
        expect([page.document.querySelector('form'), page.document.querySelector('wepay-risk-token')]).to.deep.equal([
          form,
          el,
        ]);
        expect(form.getAttribute('aria-busy')).to.equal('true');

        const landed = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
        await openGate(gate);
        await landed;
        const posts = await settledPosts(sink);
        expect(posts.map((post) => post.getAll('wepay_risk_token'))).to.deep.equal([[el.token]]);
        expect(el.token).to.match(UUID);
        expect(frameErrors).to.deep.equal([]);
      });
    }
  });
});
