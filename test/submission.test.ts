/**
 * What a form sends with the element, compared with what the same page sends without it (issue 19): a submit
 * held for the token leaves exactly as the browser would have sent it at the press, with one token field more.
 * The test server records every request a form sends (`formSink()`), so each comparison is of real requests:
 * method, path and query, enctype, target frame, and the fields in order. Order is part of "exactly": a
 * submitter that can no longer send the held submit is stood in for where it was at the press.
 *
 * Also here: the submits the guard must not hold (a script's own submit event, a new window's), `formnovalidate`
 * and a re-pointed `form` under `required`, and `generate({ wait })`. A prerendered `#WePay-tags` naming another
 * session is test/profiling.test.ts's.
 */
import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import '../src/index.js';
import { WePayRiskTokenError } from '../src/index.js';
import {
  formSink,
  pageWith,
  readSent,
  tokensIn,
  withoutToken,
  type Field,
  type FormSink,
  type Sent,
  type SentRequest,
} from './support/form-sink.js';
import {
  eachTestOnACleanPage,
  openGate,
  requestCount,
  resetRiskJs,
  standInUrl,
  stateBecomes,
  UUID,
} from './support/risk-js.js';
import { clickAsShopper, pressEnterIn } from './support/shopper.js';

const TOKEN_FIELD = 'wepay_risk_token';

/**
 * A design system's submit button, as Shoelace's and Web Awesome's `<sl-button type="submit">` work: its own
 * button is in its shadow root, where it cannot submit the form, so a click appends a temporary native submit
 * button carrying its name, value and `form*` attributes to the form, clicks it and removes it at once.
 */
class DesignSystemButton extends HTMLElement {
  constructor() {
    super();
    this.attachShadow({ mode: 'open' }).innerHTML = '<button type="button"><slot></slot></button>';
    this.addEventListener('click', () => {
      const form = this.closest('form');
      if (!form || this.getAttribute('type') !== 'submit') return;
      const button = document.createElement('button');
      button.type = 'submit';
      button.hidden = true;
      for (const name of ['name', 'value', 'formaction', 'formenctype', 'formmethod', 'formnovalidate', 'formtarget']) {
        const value = this.getAttribute(name);
        if (value !== null) button.setAttribute(name, value);
      }
      form.append(button);
      button.click();
      button.remove();
    });
  }
}
customElements.define('ds-button', DesignSystemButton);

/** Every script whose `load` or `error` has fired (a document capture listener sees both). */
const settledScripts = new WeakSet<EventTarget>();
for (const type of ['load', 'error'])
  document.addEventListener(type, ({ target }) => settledScripts.add(target!), true);

/** Resolves once the profiling script Risk.js added has loaded or failed: a token is then posted at once. */
async function profilingSettled(): Promise<void> {
  const script = document.querySelector('#WePay-tags script');
  if (!script || settledScripts.has(script)) return;
  await new Promise((resolve) => {
    script.addEventListener('load', resolve, { once: true });
    script.addEventListener('error', resolve, { once: true });
  });
}

/** Where the element stands when the shopper presses, or `without` for the same page without the element. */
type TokenCase = 'without' | 'ready' | 'late' | 'failed';

interface Scenario {
  title: string;
  /** The form's method and enctype attributes. */
  form?: string;
  /** The submitter's markup; it is the form's first submit button, so Enter in a field presses it too. */
  submitter(sink: FormSink): string;
  /**
   * Whether to press Enter in a field too: where that sends something a click does not (an image button's
   * `(0, 0)`) or where the stand-in sends it. A design system's button is not a native one.
   */
  enter: boolean;
  /** What the page does right after the press, while the submit may be held. */
  then?(form: HTMLFormElement): void;
  /** What the page without the element sends, so the scenario tests what its title says. */
  sends?(sent: Sent, press: Press): void;
}

type Press = 'click' | 'Enter';

/** An image button's picture, 80 × 40. */
const PAY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="80" height="40" fill="teal"/></svg>',
)}`;

const fieldsOf = (sent: Sent) => (sent.method === 'GET' ? sent.query : sent.body);

const SCENARIOS: Scenario[] = [
  {
    title: 'a <button> without a name',
    submitter: () => '<button data-submitter>Pay</button>',
    enter: false,
  },
  {
    title: 'a <button name value>',
    submitter: () => '<button data-submitter name="pay" value="card">Pay</button>',
    enter: true,
    sends: (sent) => expect(fieldsOf(sent)).to.deep.include(['pay', 'card']),
  },
  {
    title: 'an <input type=submit> without a name or value',
    submitter: () => '<input type="submit" data-submitter />',
    enter: false,
  },
  {
    title: 'an <input type=submit name> without a value attribute',
    submitter: () => '<input type="submit" data-submitter name="pay" />',
    enter: true,
    sends: (sent) => expect(fieldsOf(sent).map(([name]) => name)).to.include('pay'),
  },
  {
    title: 'an <input type=submit name value>',
    submitter: () => '<input type="submit" data-submitter name="pay" value="Pay now" />',
    enter: false,
    sends: (sent) => expect(fieldsOf(sent)).to.deep.include(['pay', 'Pay now']),
  },
  {
    title: 'an <input type=image name> (its click coordinates)',
    submitter: () =>
      `<input type="image" data-submitter name="pay" alt="Pay" src="${PAY_IMAGE}" width="80" height="40" />`,
    enter: true,
    sends(sent, press) {
      const coordinates = fieldsOf(sent).filter(([name]) => name === 'pay.x' || name === 'pay.y');
      expect(coordinates.map(([name]) => name)).to.deep.equal(['pay.x', 'pay.y']);
      // A click in the middle of the image; Enter has no position.
      if (press === 'click') for (const [, at] of coordinates) expect(Number(at)).to.be.greaterThan(5);
      else expect(coordinates.map(([, at]) => at)).to.deep.equal(['0', '0']);
    },
  },
  {
    title: 'an <input type=image> without a name',
    submitter: () => `<input type="image" data-submitter alt="Pay" src="${PAY_IMAGE}" width="80" height="40" />`,
    enter: false,
    sends: (sent) => expect(fieldsOf(sent).map(([name]) => name)).to.include.members(['x', 'y']),
  },
  {
    title: 'formaction',
    submitter: (sink) =>
      `<button data-submitter name="pay" value="express" formaction="${sink.url('/express?via=button')}">Express</button>`,
    enter: false,
    sends: (sent) => expect([sent.path, sent.query]).to.deep.equal(['/express', [['via', 'button']]]),
  },
  {
    title: 'formmethod="get" in a post form',
    submitter: () => '<button data-submitter name="pay" value="card" formmethod="get">Pay</button>',
    enter: false,
    sends: (sent) => expect(sent.method).to.equal('GET'),
  },
  {
    title: 'formmethod="post" in a get form',
    form: 'method="get"',
    submitter: () => '<button data-submitter name="pay" value="card" formmethod="post">Pay</button>',
    enter: false,
    sends: (sent) => expect(sent.method).to.equal('POST'),
  },
  {
    title: 'formenctype="multipart/form-data"',
    submitter: () => '<button data-submitter name="pay" value="card" formenctype="multipart/form-data">Pay</button>',
    enter: false,
    sends: (sent) => expect(sent.enctype).to.equal('multipart/form-data'),
  },
  {
    title: 'formenctype="application/x-www-form-urlencoded" in a multipart form',
    form: 'method="post" enctype="multipart/form-data"',
    submitter: () =>
      '<button data-submitter name="pay" value="card" formenctype="application/x-www-form-urlencoded">Pay</button>',
    enter: false,
    sends: (sent) => expect(sent.enctype).to.equal('application/x-www-form-urlencoded'),
  },
  {
    title: 'formenctype="text/plain"',
    submitter: () => '<button data-submitter name="pay" value="card" formenctype="text/plain">Pay</button>',
    enter: false,
    sends: (sent) => expect(sent.enctype).to.equal('text/plain'),
  },
  {
    title: 'formtarget',
    submitter: (sink) =>
      `<button data-submitter name="pay" value="card" formtarget="${sink.target('other')}">Pay</button>`,
    enter: false,
    sends: (sent) => expect(sent.frame).to.equal('other'),
  },
  // The submitters below cannot send the held submit themselves once it is released: a stand-in carries what
  // they carried.
  {
    title: 'a submitter the page removes after the press (formaction, formmethod="get", formtarget)',
    submitter: (sink) =>
      `<button data-submitter name="pay" value="card" formaction="${sink.url('/removed?via=button')}" formmethod="get"
        formtarget="${sink.target('other')}">Pay</button>`,
    enter: true,
    then: (form) => form.querySelector('[data-submitter]')!.remove(),
    sends: (sent) => expect([sent.method, sent.path, sent.frame]).to.deep.equal(['GET', '/removed', 'other']),
  },
  {
    title: 'an <input type=submit name> without a value the page removes after the press (formmethod, formenctype)',
    form: 'method="get" enctype="multipart/form-data"',
    submitter: () =>
      `<input type="submit" data-submitter name="pay" formmethod="post"
        formenctype="application/x-www-form-urlencoded" />`,
    enter: false,
    then: (form) => form.querySelector('[data-submitter]')!.remove(),
    sends(sent) {
      expect([sent.method, sent.enctype]).to.deep.equal(['POST', 'application/x-www-form-urlencoded']);
      // The engine's label, which a <button> stand-in would not send.
      expect(fieldsOf(sent).find(([name]) => name === 'pay')?.[1]).to.match(/^Submit/);
    },
  },
  {
    title: 'an <input type=image name> the page removes after the press (formaction)',
    submitter: (sink) =>
      `<input type="image" data-submitter name="pay" alt="Pay" src="${PAY_IMAGE}" width="80" height="40"
        formaction="${sink.url('/image')}" />`,
    enter: true,
    then: (form) => form.querySelector('[data-submitter]')!.remove(),
    sends: (sent) => expect(fieldsOf(sent).map(([name]) => name)).to.include.members(['pay.x', 'pay.y']),
  },
  {
    title: 'a submitter the page disables after the press, against a double charge (formenctype="multipart/form-data")',
    submitter: () =>
      '<button data-submitter name="pay" value="card" formenctype="multipart/form-data" formnovalidate>Pay</button>',
    enter: true,
    then: (form) => form.querySelector<HTMLButtonElement>('[data-submitter]')!.toggleAttribute('disabled', true),
    sends: (sent) => expect(sent.enctype).to.equal('multipart/form-data'),
  },
  {
    title: 'a form whose fields and buttons the page re-renders (innerHTML) while held (formenctype="text/plain")',
    submitter: (sink) =>
      `<button data-submitter name="pay" value="card" formenctype="text/plain" formaction="${sink.url('/plain')}">
        Pay</button>`,
    enter: true,
    then(form) {
      const fields = form.querySelector('.fields')!;
      const markup = fields.innerHTML;
      fields.innerHTML = markup;
    },
    sends: (sent) => expect([sent.path, sent.enctype]).to.deep.equal(['/plain', 'text/plain']),
  },
  {
    title: 'a form the page re-renders whole (innerHTML), the element too, while held',
    submitter: (sink) =>
      `<button data-submitter name="pay" value="card" formaction="${sink.url('/whole')}">Pay</button>`,
    enter: false,
    then(form) {
      const markup = form.innerHTML;
      form.innerHTML = markup;
    },
  },
  {
    title: "a design system's temporary button, Shoelace's or Web Awesome's (formaction, formenctype, formtarget)",
    form: 'method="get"',
    submitter: (sink) =>
      `<ds-button data-submitter type="submit" name="pay" value="ds" formaction="${sink.url('/ds')}" formmethod="post"
        formenctype="multipart/form-data" formtarget="${sink.target('other')}">Pay</ds-button>`,
    enter: false,
    sends: (sent) =>
      expect([sent.method, sent.path, sent.enctype, sent.frame, fieldsOf(sent).at(-1)]).to.deep.equal([
        'POST',
        '/ds',
        'multipart/form-data',
        'other',
        ['pay', 'ds'],
      ]),
  },
];

function formMarkup(scenario: Scenario, sink: FormSink, element: string): string {
  return `<form ${scenario.form ?? 'method="post"'} action="${sink.url('/checkout?step=pay')}" target="${sink.target()}">
    <div class="fields">
      <input name="email" value="shopper@example.com" />
      <input type="hidden" name="cart" value="42 &amp; more" />
      <textarea name="note">Leave it at the door,
please — café</textarea>
      <select name="ship"><option>standard</option><option selected>express</option></select>
      <input type="checkbox" name="terms" value="yes" checked />
      ${scenario.submitter(sink)}
      <input name="gift" value="no" />
      <button name="other" value="not-pressed">Other</button>
    </div>
    ${element}
  </form>`;
}

/** The gates a test held Risk.js behind: opened after it, so a failing test leaves no script loading. */
const gates: string[] = [];
function newGate(): string {
  gates.push(`submission-${Math.random().toString(36).slice(2)}`);
  return gates.at(-1)!;
}

interface Run {
  tokenCase: TokenCase;
  sink: FormSink;
  /** The first request the sink received. */
  sent: Sent;
  token: string;
}

/**
 * Runs `scenario` on a fresh page and resolves with the first request the server received, and the token the
 * element had then. With the element, its token is ready before the press, comes late (Risk.js held at the
 * server until after the press) or fails late (a 404, held the same way).
 */
async function run(scenario: Scenario, press: Press, tokenCase: TokenCase): Promise<Run> {
  // Each run on a page without Risk.js; the run before has left none loading.
  resetRiskJs();
  const sink = await formSink(['main', 'other']);
  const gate = newGate();
  const held = tokenCase === 'late' || tokenCase === 'failed';
  const src =
    tokenCase === 'ready' ? standInUrl() : standInUrl({ gate, ...(tokenCase === 'failed' && { status: 404 }) });
  const element =
    tokenCase === 'without'
      ? ''
      : `<wepay-risk-token src="${src}" trigger="manual" submit-wait="60000"></wepay-risk-token>`;
  const form = (await pageWith(formMarkup(scenario, sink, element))).querySelector('form')!;
  const el = form.querySelector('wepay-risk-token');
  if (tokenCase === 'ready') {
    await el!.generate();
    await profilingSettled();
  }

  const landed = sink.landed();
  if (press === 'click') await clickAsShopper(form.querySelector('[data-submitter]')!);
  else await pressEnterIn(form.querySelector('[name="email"]')!);
  expect(form.getAttribute('aria-busy'), `${tokenCase}: held`).to.equal(held ? 'true' : null);
  scenario.then?.(form);
  if (held) await openGate(gate);
  const frame = await landed;
  const [first] = await sink.sent();
  // The element in the form when the submit left: a re-render while it was held replaced the one pressed with.
  const token = (held ? form.querySelector('wepay-risk-token') : el)?.token ?? '';
  return { tokenCase, sink, sent: await readSent(first!, frame), token };
}

/** A pause only to let a late or second request show; nothing is asserted about how long anything takes. */
const requestsSettle = () => new Promise((resolve) => setTimeout(resolve, 100));

const nextTask = () => new Promise((resolve) => setTimeout(resolve));

/** Counts the entry lists the browser builds for `form`: one for each submit it really sends. */
function countSends(form: HTMLFormElement): { count: number } {
  const sends = { count: 0 };
  form.addEventListener('formdata', () => (sends.count += 1));
  return sends;
}

describe('<wepay-risk-token> and what a form sends', () => {
  afterEach(() => Promise.all(gates.splice(0).map(openGate)));
  const events = eachTestOnACleanPage();

  describe('a held submit leaves exactly as the browser would have sent it at the press, plus the token', () => {
    for (const scenario of SCENARIOS) {
      describe(scenario.title, () => {
        for (const press of ['click', 'Enter'] as const) {
          if (press === 'Enter' && !scenario.enter) continue;
          it(`${press}: the same request as on the page without the element, token ready, late or failed`, async function () {
            this.timeout(30_000);
            const unguarded = await run(scenario, press, 'without');
            const expected = unguarded.sent;
            scenario.sends?.(expected, press);
            expect(tokensIn(expected)).to.deep.equal([]);

            const runs = [unguarded];
            for (const tokenCase of ['ready', 'late', 'failed'] as const) {
              const guarded = await run(scenario, press, tokenCase);
              runs.push(guarded);
              const { sent, token } = guarded;
              expect(withoutToken(sent), tokenCase).to.deep.equal(expected);
              expect(tokensIn(sent), `${tokenCase}: the token field`).to.deep.equal([[TOKEN_FIELD, token]]);
              if (tokenCase === 'failed') expect(token).to.equal('');
              else expect(token, tokenCase).to.match(UUID);
            }
            await requestsSettle();
            for (const { tokenCase, sink } of runs) {
              expect(await sink.sent(), `${tokenCase}: requests sent`).to.have.length(1);
            }
          });
        }
      });
    }
  });

  describe('a submit event the page dispatches itself, before the token', () => {
    /** Dispatches a script's submit event at a checkout form, with or without the element; what was sent. */
    async function dispatchSubmit(withElement: boolean): Promise<{ sends: number; sent: SentRequest[] }> {
      resetRiskJs();
      const sink = await formSink();
      const gate = newGate();
      const page = await pageWith(`<form method="post" action="${sink.url('/checkout')}" target="${sink.target()}">
        <input name="email" value="shopper@example.com" />
        ${withElement ? `<wepay-risk-token src="${standInUrl({ gate })}" trigger="manual"></wepay-risk-token>` : ''}
        <button name="pay" value="card">Pay</button>
      </form>`);
      const form = page.querySelector('form')!;
      const el = form.querySelector('wepay-risk-token');
      const seen: Event[] = [];
      form.addEventListener('submit', (event) => seen.push(event));
      const sends = countSends(form);
      const landed = sink.landed();
      form.dispatchEvent(new Event('submit', { cancelable: true }));
      // The page's own listener has it at once: nothing held it.
      expect(seen).to.have.length(1);
      expect(form.hasAttribute('aria-busy')).to.equal(false);
      if (el) {
        // Past the moment a held submit would go: the token is in, its profiling has run, two tasks later.
        const token = el.generate();
        await openGate(gate);
        await token;
        await profilingSettled();
        await nextTask();
        await nextTask();
        expect(seen, 'submit events once the token is in').to.have.length(1);
      }
      if (sends.count > 0) await landed;
      await requestsSettle();
      return { sends: sends.count, sent: await sink.sent() };
    }

    it('is not held: the form sends what it sends without the element (nothing in Chromium and WebKit, once in Firefox)', async () => {
      const without = await dispatchSubmit(false);
      const guarded = await dispatchSubmit(true);
      expect(guarded.sends).to.equal(without.sends);
      expect(guarded.sent).to.have.length(without.sent.length);
      for (const [index, request] of guarded.sent.entries()) {
        const sent = await readSent(request, 'main');
        expect(withoutToken(sent)).to.deep.equal(await readSent(without.sent[index]!, 'main'));
        expect(tokensIn(sent)).to.deep.equal([[TOKEN_FIELD, '']]);
      }
    });
  });

  describe('required, with Risk.js blocked', () => {
    async function checkout(formAttributes = '') {
      resetRiskJs();
      const sink = await formSink();
      const gate = newGate();
      const page =
        await pageWith(`<form method="post" action="${sink.url('/checkout')}" target="${sink.target()}" ${formAttributes}>
        <input name="coupon" value="SAVE10" required />
        <wepay-risk-token required src="${standInUrl({ gate, status: 404 })}" trigger="manual" submit-wait="60000"></wepay-risk-token>
        <button name="op" value="coupon" formnovalidate>Apply coupon</button>
        <button name="op" value="pay">Pay</button>
      </form>`);
      const form = page.querySelector('form')!;
      const [coupon, pay] = form.querySelectorAll('button');
      return { sink, gate, form, el: form.querySelector('wepay-risk-token')!, coupon: coupon!, pay: pay! };
    }

    it('an "Apply coupon" button with formnovalidate is held like any submit, then sent without a token', async () => {
      const { sink, gate, form, el, coupon } = await checkout();
      await clickAsShopper(coupon);
      expect(form.getAttribute('aria-busy')).to.equal('true');
      const error = events.next(el, 'wepay-risk-token-error');
      const landed = sink.landed();
      await openGate(gate);
      expect((await error).detail.reason).to.equal('load-failed');
      await landed;
      await requestsSettle();
      const sent = await Promise.all((await sink.sent()).map((request) => readSent(request, 'main')));
      expect(sent.map((request) => request.body)).to.deep.equal([
        [
          ['coupon', 'SAVE10'],
          [TOKEN_FIELD, ''],
          ['op', 'coupon'],
        ],
      ]);
    });

    for (const [title, formAttributes] of [
      ['Pay is not sent, and an error event says why', ''],
      ['a form-level novalidate keeps required in force: Pay is not sent', 'novalidate'],
    ] as const) {
      it(title, async () => {
        const { sink, gate, form, el, pay } = await checkout(formAttributes);
        const sends = countSends(form);
        await clickAsShopper(pay);
        expect(form.getAttribute('aria-busy')).to.equal('true');
        const error = events.next(el, 'wepay-risk-token-error');
        await openGate(gate);
        expect((await error).detail.reason).to.equal('load-failed');
        // The token flow reports the failure; the held submit is dropped right after.
        await nextTask();
        expect(form.hasAttribute('aria-busy')).to.equal(false);
        await requestsSettle();
        expect(sends.count).to.equal(0);
        expect(await sink.sent()).to.deep.equal([]);
      });
    }
  });

  it('a required element re-rendered with its whole form (innerHTML) while a submit is held: the new one sends its token', async () => {
    const sink = await formSink();
    const gate = newGate();
    const page = await pageWith(`<form method="post" action="${sink.url('/checkout')}" target="${sink.target()}">
      <wepay-risk-token required src="${standInUrl({ gate })}" trigger="manual" submit-wait="60000"></wepay-risk-token>
      <button name="pay" value="card">Pay</button>
    </form>`);
    const form = page.querySelector('form')!;
    await clickAsShopper(form.querySelector('button')!);
    const markup = form.innerHTML;
    form.innerHTML = markup;
    const landed = sink.landed();
    await openGate(gate);
    await landed;
    await requestsSettle();
    const el = form.querySelector('wepay-risk-token')!;
    expect(el.token).to.match(UUID);
    const sent = await Promise.all((await sink.sent()).map((request) => readSent(request, 'main')));
    expect(sent.map((request) => request.body)).to.deep.equal([
      [
        [TOKEN_FIELD, el.token],
        ['pay', 'card'],
      ],
    ]);
  });

  it('a required element that the page points at another form while a submit is held does not let it go without a token', async () => {
    const guest = await formSink();
    const account = await formSink();
    const gate = newGate();
    const ids = { guest: `guest-${gate}`, account: `account-${gate}` };
    const page = await pageWith(`
      <form id="${ids.guest}" method="post" action="${guest.url('/guest')}" target="${guest.target()}">
        <input name="email" value="guest@example.com" /><button name="pay" value="guest">Pay</button>
      </form>
      <form id="${ids.account}" method="post" action="${account.url('/account')}" target="${account.target()}">
        <button name="pay" value="account">Pay</button>
      </form>
      <wepay-risk-token form="${ids.guest}" required src="${standInUrl({ gate })}" trigger="manual" submit-wait="60000"></wepay-risk-token>`);
    const [guestForm, accountForm] = page.querySelectorAll('form');
    const el = page.querySelector('wepay-risk-token')!;
    await clickAsShopper(guestForm!.querySelector('button')!);
    expect(guestForm!.getAttribute('aria-busy')).to.equal('true');
    const error = events.next(el, 'wepay-risk-token-error');
    el.form = ids.account;
    // At once, as when the element is removed: not when the token comes.
    expect((await error).detail.reason).to.equal('removed');
    expect(guestForm!.hasAttribute('aria-busy')).to.equal(false);
    await openGate(gate);
    await stateBecomes(el, 'ready');
    expect(el.token).to.match(UUID);
    expect(new FormData(accountForm!).get(TOKEN_FIELD)).to.equal(el.token);
    await requestsSettle();
    expect(await guest.sent()).to.deep.equal([]);
    expect(await account.sent()).to.deep.equal([]);
  });

  describe('generate({ wait })', () => {
    it('rejects with reason timeout once wait has passed, while getting the token goes on', async () => {
      const gate = newGate();
      const src = standInUrl({ gate });
      const page = await pageWith(`<form><wepay-risk-token src="${src}" trigger="manual"></wepay-risk-token></form>`);
      const el = page.querySelector('wepay-risk-token')!;
      const clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let outcome: unknown;
      try {
        void el.generate({ wait: 200 }).then(
          (token) => (outcome = token),
          (error: unknown) => (outcome = error),
        );
        await clock.tickAsync(199);
        expect(outcome).to.equal(undefined);
        await clock.tickAsync(1);
        expect(outcome).to.be.instanceOf(WePayRiskTokenError);
        expect((outcome as WePayRiskTokenError).reason).to.equal('timeout');
        expect(el.state).to.equal('loading');
      } finally {
        clock.restore();
      }
      await openGate(gate);
      await stateBecomes(el, 'ready');
      expect(el.token).to.match(UUID);
      expect(await requestCount(src)).to.equal(1);
    });

    for (const wait of [-1, 'x', Number.NaN]) {
      it(`rejects a wait of ${String(wait)} with a TypeError, and starts nothing`, async () => {
        const src = standInUrl();
        const page = await pageWith(`<form><wepay-risk-token src="${src}" trigger="manual"></wepay-risk-token></form>`);
        const el = page.querySelector('wepay-risk-token')!;
        const error = await el.generate({ wait: wait as number }).catch((rejection: unknown) => rejection);
        expect(error).to.be.instanceOf(TypeError);
        expect(el.state).to.equal('idle');
        expect(await requestCount(src)).to.equal(0);
      });
    }
  });

  describe('a submit that opens a new window is not held: sent later, a browser would block it as a pop-up', () => {
    const variants = [
      { title: 'target="_blank" on the form', form: 'target="_blank"', button: '' },
      { title: 'formtarget="_blank" on the button', form: '', button: 'formtarget="_blank"' },
      {
        title: 'target=" _self" on the form (a window\'s name: the browser does not trim it)',
        form: 'target=" _self"',
        button: '',
      },
    ];
    /** What the submits that reached the page's last listener, at the window, would send. */
    const reached: Field[][] = [];
    /**
     * That listener cancels them, once they have passed every other: a new window would hide the test page in
     * headless Chromium, and the test files after this one would get no frames or input there.
     */
    const cancel = (event: Event) => {
      reached.push([...new FormData(event.target as HTMLFormElement, (event as SubmitEvent).submitter)] as Field[]);
      event.preventDefault();
    };
    beforeEach(() => window.addEventListener('submit', cancel));
    afterEach(() => {
      window.removeEventListener('submit', cancel);
      reached.length = 0;
    });

    for (const variant of variants) {
      async function pay(element: string) {
        resetRiskJs();
        const page = await pageWith(`<form method="post" action="/__sent/new-window/checkout" ${variant.form}>
          <input name="email" value="shopper@example.com" />
          ${element}
          <button name="pay" value="card" ${variant.button}>Pay</button>
        </form>`);
        const form = page.querySelector('form')!;
        await clickAsShopper(form.querySelector('button')!);
        return { form, el: form.querySelector('wepay-risk-token') };
      }
      const element = (gate: string, required = false) =>
        `<wepay-risk-token src="${standInUrl({ gate })}" trigger="manual" submit-wait="60000" ${required ? 'required' : ''}></wepay-risk-token>`;

      it(`${variant.title}: goes at the click without a token, as on the page without the element`, async () => {
        await pay('');
        const [expected, ...more] = reached.splice(0);
        expect(more).to.deep.equal([]);
        expect(expected).to.deep.include(['pay', 'card']);
        const { form } = await pay(element(newGate()));
        expect(form.hasAttribute('aria-busy')).to.equal(false);
        const [sent, ...again] = reached.splice(0);
        expect(again).to.deep.equal([]);
        expect(sent!.filter(([name]) => name !== TOKEN_FIELD)).to.deep.equal(expected);
        expect(sent!.filter(([name]) => name === TOKEN_FIELD)).to.deep.equal([[TOKEN_FIELD, '']]);
      });

      it(`${variant.title}, required: not sent without a token, and an error event says why`, async () => {
        const gate = newGate();
        const { form, el } = await pay(element(gate, true));
        const { detail } = await events.next(el!, 'wepay-risk-token-error');
        expect(detail.reason).to.equal('timeout');
        expect(form.hasAttribute('aria-busy')).to.equal(false);
        await openGate(gate);
        await stateBecomes(el!, 'ready');
        await profilingSettled();
        await nextTask();
        await nextTask();
        expect(reached).to.deep.equal([]);
      });
    }
  });
});
