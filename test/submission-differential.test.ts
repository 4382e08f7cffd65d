/**
 * Held submits, differentially: each form shape below is submitted once on a page without the element and once
 * on the same page with it while Risk.js is held back at the test server, so the guard holds the submit and
 * sends it again itself once the token is in. The server must receive the same request both times, the token
 * field aside: method, path and query, enctype, the frame that navigates, and every field in order (the pressed
 * button's `name=value`, an image button's `x` and `y`, `dirname`, `_charset_`, an empty file, duplicate names,
 * no disabled control). test/submission.test.ts compares each kind of submitter with the token ready, late and
 * failed; this file covers the forms and pages around them: where a submit goes, how it is pressed, and what the
 * page's own listeners do.
 */
import { expect } from '@open-wc/testing';
import { sendKeys, sendMouse } from '@web/test-runner-commands';
import '../src/index.js';
import { formSink, pageWith, readSent, tokensIn, withoutToken, type FormSink, type Sent } from './support/form-sink.js';
import { framePage } from './support/frames.js';
import { eachTestOnACleanPage, openGate, resetRiskJs, standInUrl, UUID } from './support/risk-js.js';
import { clickAsShopper, pressEnterIn } from './support/shopper.js';

const TOKEN_FIELD = 'wepay_risk_token';

/** An image button's picture, 80 × 40. */
const PAY_IMAGE = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><rect width="80" height="40" fill="teal"/></svg>',
)}`;

const image = (attributes: string) =>
  `<input type="image" ${attributes} alt="Pay" src="${PAY_IMAGE}" width="80" height="40" />`;

/**
 * Fields whose entries the browser builds in its own ways: `dirname`, `_charset_`, duplicate names, disabled
 * controls (not sent), a multiple select, a line break in a textarea, an empty file input.
 */
const FIELDS = `
  <input name="email" value="shopper@example.com" dirname="email.dir" />
  <input type="hidden" name="_charset_" />
  <input name="item" value="tea" /><input name="item" value="cups" />
  <input name="coupon" value="SAVE10" disabled />
  <fieldset disabled><input name="fenced" value="not sent" /></fieldset>
  <select name="extras" multiple><option selected>wrap</option><option>card</option><option selected>ribbon</option></select>
  <textarea name="note">Leave it at the door,
please — café</textarea>
  <input type="file" name="receipt" />`;

/** How the shopper submits: a click (at the centre, or at a point of the element's border box), or a key. */
type Press = { click: string; at?: [number, number] } | { enterIn: string } | { key: string; on: string };

interface Case {
  title: string;
  /** The form (and what is around it), with `element` inside the form or nothing. */
  page(sink: FormSink, element: string): string;
  press: Press;
  /** What the page sets up before the press: its own listeners, say. Returns what undoes it. */
  setUp?(page: HTMLElement, sink: FormSink): (() => void) | void;
  /** What the page does right after the press, while the submit may be held. */
  then?(page: HTMLElement): void;
  /** What the page without the element sends, so that the case tests what its title says. */
  sends(sent: Sent): void;
}

/** A checkout form (`form`: its method and other attributes): `FIELDS`, the element among them, then `submitter`, a field and another button after it. */
function checkout(
  sink: FormSink,
  element: string,
  { form = 'method="post"', submitter = '<button name="pay" value="card">Pay</button>' } = {},
): string {
  return `<form id="checkout" ${form} action="${sink.url('/checkout?step=pay')}" target="${sink.target()}">
    ${FIELDS}
    ${element}
    ${submitter}
    <input name="gift" value="no" />
    <button name="other" value="not-pressed">Other</button>
  </form>`;
}

const fieldsOf = (sent: Sent) => (sent.method === 'GET' ? sent.query : sent.body);
const namesOf = (sent: Sent) => fieldsOf(sent).map(([name]) => name);
const valueOf = (sent: Sent, name: string) => fieldsOf(sent).find(([field]) => field === name)?.[1];

const CASES: Case[] = [
  {
    title: 'a <button name value>, clicked',
    page: (sink, element) => checkout(sink, element),
    press: { click: '[name="pay"]' },
    sends(sent) {
      expect(valueOf(sent, 'pay')).to.equal('card');
      // The entry list as the browser builds it: no disabled control, a file input's empty file.
      expect(namesOf(sent)).to.include.members(['email.dir', '_charset_', 'receipt']);
      expect(namesOf(sent)).not.to.include.members(['coupon', 'fenced']);
      expect(valueOf(sent, '_charset_')).to.equal('UTF-8');
    },
  },
  {
    title: 'a <button> without a name, by Enter in a text field (the default button)',
    page: (sink, element) => checkout(sink, element, { submitter: '<button>Pay</button>' }),
    press: { enterIn: '[name="email"]' },
    sends: (sent) => expect(namesOf(sent)).not.to.include('other'),
  },
  {
    title: 'an <input type=submit name> without a value, by Enter in a text field (its label is sent)',
    page: (sink, element) => checkout(sink, element, { submitter: '<input type="submit" name="pay" />' }),
    press: { enterIn: '[name="email"]' },
    sends: (sent) => expect(valueOf(sent, 'pay')).to.match(/^Submit/),
  },
  {
    title: 'a second submit button clicked: its name=value, not the default button’s',
    page: (sink, element) => checkout(sink, element),
    press: { click: '[name="other"]' },
    sends: (sent) => expect(fieldsOf(sent).filter(([name]) => name === 'pay' || name === 'other')).to.have.length(1),
  },
  {
    title: 'an <input type=image name>, by Enter in a text field (0, 0)',
    page: (sink, element) => checkout(sink, element, { submitter: image('name="pay"') }),
    press: { enterIn: '[name="email"]' },
    sends: (sent) => expect([valueOf(sent, 'pay.x'), valueOf(sent, 'pay.y')]).to.deep.equal(['0', '0']),
  },
  {
    title: 'an <input type=image name>, focused and pressed with Space (0, 0)',
    page: (sink, element) => checkout(sink, element, { submitter: image('name="pay"') }),
    press: { key: ' ', on: '[name="pay"]' },
    sends: (sent) => expect([valueOf(sent, 'pay.x'), valueOf(sent, 'pay.y')]).to.deep.equal(['0', '0']),
  },
  {
    title: 'an <input type=image> without a name, focused and pressed with Enter',
    page: (sink, element) => checkout(sink, element, { submitter: image('data-pay') }),
    press: { key: 'Enter', on: '[data-pay]' },
    sends: (sent) => expect(namesOf(sent)).to.include.members(['x', 'y']),
  },
  {
    title: 'Enter in the one text field of a form without a submit button (no submitter)',
    page: (sink, element) =>
      `<form method="post" action="${sink.url('/saved-card')}" target="${sink.target()}">
        <input type="hidden" name="card" value="saved" />
        <input name="cvc" value="123" />
        ${element}
      </form>`,
    press: { enterIn: '[name="cvc"]' },
    sends: (sent) =>
      expect(sent.body).to.deep.equal([
        ['card', 'saved'],
        ['cvc', '123'],
      ]),
  },
  {
    title: 'a submitter outside the form (form="checkout"), clicked',
    page: (sink, element) =>
      `${checkout(sink, element, { submitter: '' })}
      <input name="outside" value="before" form="checkout" />
      <button name="pay" value="outside" form="checkout">Pay</button>`,
    press: { click: 'button[name="pay"]' },
    sends: (sent) =>
      expect(fieldsOf(sent).slice(-2)).to.deep.equal([
        ['outside', 'before'],
        ['pay', 'outside'],
      ]),
  },
  {
    title: 'formnovalidate, with a required field left empty',
    page: (sink, element) =>
      checkout(sink, element, {
        submitter: '<input name="phone" required /><button name="pay" value="later" formnovalidate>Save</button>',
      }),
    press: { click: '[name="pay"]' },
    sends: (sent) => expect(valueOf(sent, 'phone')).to.equal(''),
  },
  {
    title: 'a GET form whose action has a query: the fields replace it',
    page: (sink, element) => checkout(sink, element, { form: 'method="get"' }),
    press: { click: '[name="pay"]' },
    sends(sent) {
      expect(sent.method).to.equal('GET');
      expect(namesOf(sent)).not.to.include('step');
    },
  },
  {
    title: 'method=" dialog": not the keyword, untrimmed, so the browser sends a GET',
    page: (sink, element) => checkout(sink, element, { form: 'method=" dialog"' }),
    press: { click: '[name="pay"]' },
    sends: (sent) => expect(sent.method).to.equal('GET'),
  },
  {
    title: 'formaction with a query, formmethod="get", in a post form',
    page: (sink, element) =>
      checkout(sink, element, {
        submitter: `<button name="pay" value="card" formaction="${sink.url('/express?via=button')}" formmethod="get">Pay</button>`,
      }),
    press: { click: '[name="pay"]' },
    sends: (sent) =>
      expect([sent.method, sent.path, valueOf(sent, 'via')]).to.deep.equal(['GET', '/express', undefined]),
  },
  {
    title: 'formaction and formtarget: another path, into another frame',
    page: (sink, element) =>
      checkout(sink, element, {
        submitter: `<button name="pay" value="card" formaction="${sink.url('/button')}" formtarget="${sink.target('other')}">Pay</button>`,
      }),
    press: { click: '[name="pay"]' },
    sends: (sent) => expect([sent.path, sent.frame]).to.deep.equal(['/button', 'other']),
  },
  {
    title: 'a multipart form with an empty file input',
    page: (sink, element) => checkout(sink, element, { form: 'method="post" enctype="multipart/form-data"' }),
    press: { click: '[name="pay"]' },
    sends(sent) {
      expect(sent.enctype).to.equal('multipart/form-data');
      expect(valueOf(sent, 'receipt')).to.equal('File(, 0, application/octet-stream)');
    },
  },
  {
    title: 'a text/plain form',
    page: (sink, element) => checkout(sink, element, { form: 'method="post" enctype="text/plain"' }),
    press: { enterIn: '[name="email"]' },
    sends: (sent) => expect(sent.enctype).to.equal('text/plain'),
  },
  {
    title: 'accept-charset="windows-1252": the _charset_ field names it',
    page: (sink, element) => checkout(sink, element, { form: 'method="post" accept-charset="windows-1252"' }),
    press: { click: '[name="pay"]' },
    sends: (sent) => expect(valueOf(sent, '_charset_')).to.equal('windows-1252'),
  },
  {
    title: 'dirname on an <input type=submit> in a right-to-left form',
    page: (sink, element) =>
      checkout(sink, element, {
        form: 'method="post" dir="rtl"',
        submitter: '<input type="submit" name="pay" value="Pay" dirname="pay.dir" />',
      }),
    press: { click: '[name="pay"]' },
    sends: (sent) => expect(valueOf(sent, 'pay.dir')).to.equal('rtl'),
  },
  {
    title: '<base target> naming a frame, and a form without target',
    page: (sink, element) =>
      checkout(sink, element).replace(`target="${sink.target()}"`, `data-base-target="${sink.target('other')}"`),
    setUp(page) {
      const base = Object.assign(document.createElement('base'), {
        target: page.querySelector('form')!.dataset.baseTarget!,
      });
      document.head.append(base);
      return () => base.remove();
    },
    press: { click: '[name="pay"]' },
    sends: (sent) => expect(sent.frame).to.equal('other'),
  },
  {
    title: "the page's submit listener adds a field and changes one",
    page: (sink, element) => checkout(sink, element),
    setUp(page) {
      page.addEventListener('submit', (event) => {
        const form = event.target as HTMLFormElement;
        form.append(Object.assign(document.createElement('input'), { type: 'hidden', name: 'added', value: 'yes' }));
        form.querySelector<HTMLInputElement>('[name="gift"]')!.value = 'yes';
      });
    },
    press: { click: '[name="pay"]' },
    sends: (sent) => expect([valueOf(sent, 'added'), valueOf(sent, 'gift')]).to.deep.equal(['yes', 'yes']),
  },
  {
    title: "the page's formdata listener appends an entry",
    page: (sink, element) => checkout(sink, element),
    setUp(page) {
      page.addEventListener('formdata', (event) => (event as FormDataEvent).formData.append('via', 'formdata'));
    },
    press: { enterIn: '[name="email"]' },
    sends: (sent) => expect(namesOf(sent).at(-1)).to.equal('via'),
  },
  {
    title: "an <input type=image name> clicked, and the page's submit listener sends the form elsewhere (its action)",
    page: (sink, element) => checkout(sink, element, { submitter: image('name="pay"') }),
    setUp(page, sink) {
      page.addEventListener('submit', (event) => ((event.target as HTMLFormElement).action = sink.url('/elsewhere')));
    },
    press: { click: '[name="pay"]' },
    sends: (sent) => expect(sent.path).to.equal('/elsewhere'),
  },
  {
    title: "Enter in a form without a submit button, and the page's submit listener sets the form's action and target",
    page: (sink, element) =>
      `<form method="post" action="${sink.url('/saved-card')}" target="${sink.target()}">
        <input name="cvc" value="123" />
        ${element}
      </form>`,
    setUp(page, sink) {
      page.addEventListener('submit', (event) => {
        const form = event.target as HTMLFormElement;
        form.action = sink.url('/verify');
        form.target = sink.target('other');
      });
    },
    press: { enterIn: '[name="cvc"]' },
    sends: (sent) => expect([sent.path, sent.frame]).to.deep.equal(['/verify', 'other']),
  },
  {
    title:
      "a <button name value> the page removes after the press, and the page's submit listener sets the form's method",
    page: (sink, element) => checkout(sink, element),
    setUp(page) {
      page.addEventListener('submit', (event) => ((event.target as HTMLFormElement).method = 'get'));
    },
    press: { click: '[name="pay"]' },
    then: (page) => page.querySelector('[name="pay"]')!.remove(),
    sends: (sent) => expect([sent.method, valueOf(sent, 'pay')]).to.deep.equal(['GET', 'card']),
  },
  {
    title: 'an <input type=image name> with padding and a border, clicked at its centre',
    page: (sink, element) =>
      checkout(sink, element, { submitter: image('name="pay" style="padding: 7px 3px; border: 5px solid"') }),
    press: { click: '[name="pay"]' },
    // Each engine measures from its own corner: Firefox the image's, Chromium the padding's, WebKit the border's.
    sends: (sent) => expect(namesOf(sent)).to.include.members(['pay.x', 'pay.y']),
  },
  {
    title: 'an <input type=image name> clicked on its border, before the image (negative in Chromium and Firefox)',
    page: (sink, element) => checkout(sink, element, { submitter: image('name="pay" style="border: 10px solid"') }),
    press: { click: '[name="pay"]', at: [3, 4] },
    sends: (sent) => expect(namesOf(sent)).to.include.members(['pay.x', 'pay.y']),
  },
  {
    title: "an <input type=image name> clicked, and the page's submit listener records which button was pressed",
    page: (sink, element) =>
      checkout(sink, element, { submitter: `<input type="hidden" name="pressed" />${image('name="pay"')}` }),
    setUp(page) {
      page.addEventListener('submit', (event) => {
        const { target, submitter } = event as SubmitEvent;
        (target as HTMLFormElement).querySelector<HTMLInputElement>('[name="pressed"]')!.value = String(
          submitter?.getAttribute('name'),
        );
      });
    },
    press: { click: '[name="pay"]' },
    sends: (sent) => expect(valueOf(sent, 'pressed')).to.equal('pay'),
  },
  {
    title: 'an <input type=image name> clicked on its border, and removed by the page after the press',
    page: (sink, element) => checkout(sink, element, { submitter: image('name="pay" style="border: 10px solid"') }),
    press: { click: '[name="pay"]', at: [3, 4] },
    then: (page) => page.querySelector('[name="pay"]')!.remove(),
    sends: (sent) => expect(namesOf(sent)).to.include.members(['pay.x', 'pay.y']),
  },
  {
    title: 'an <input type=submit dirname> the page removes after the press',
    page: (sink, element) =>
      checkout(sink, element, { submitter: '<input type="submit" name="pay" value="Pay" dirname="pay.dir" />' }),
    press: { click: '[name="pay"]' },
    then: (page) => page.querySelector('[name="pay"]')!.remove(),
    sends: (sent) => expect(valueOf(sent, 'pay.dir')).to.equal('ltr'),
  },
];

/** The gates a test held Risk.js behind: opened after it, so a failing test leaves no script loading. */
const gates: string[] = [];
function newGate(): string {
  gates.push(`differential-${Math.random().toString(36).slice(2)}`);
  return gates.at(-1)!;
}

/** A pause only to let a late or second request show; nothing is asserted about how long anything takes. */
const requestsSettle = () => new Promise((resolve) => setTimeout(resolve, 100));

async function press(page: HTMLElement, how: Press): Promise<void> {
  if ('enterIn' in how) return pressEnterIn(page.querySelector<HTMLElement>(how.enterIn)!);
  if ('key' in how) {
    page.querySelector<HTMLElement>(how.on)!.focus();
    return sendKeys({ press: how.key });
  }
  const element = page.querySelector(how.click)!;
  if (!how.at) return clickAsShopper(element);
  element.scrollIntoView({ block: 'center' });
  const { left, top } = element.getBoundingClientRect();
  await sendMouse({ type: 'click', position: [Math.round(left + how.at[0]), Math.round(top + how.at[1])] });
}

/**
 * Submits `scenario`'s form on a fresh page, with the element (Risk.js held until after the press) or without
 * it; resolves with every request the server received, and the token the element had when the submit left.
 */
async function run(scenario: Case, withElement: boolean): Promise<{ sent: Sent[]; token: string | null }> {
  resetRiskJs();
  const sink = await formSink(['main', 'other']);
  const gate = newGate();
  const element = withElement
    ? `<wepay-risk-token src="${standInUrl({ gate })}" trigger="manual" submit-wait="60000"></wepay-risk-token>`
    : '';
  const page = await pageWith(scenario.page(sink, element));
  const undo = scenario.setUp?.(page, sink);
  try {
    const form = page.querySelector('form')!;
    const landed = sink.landed();
    await press(page, scenario.press);
    expect(form.getAttribute('aria-busy'), withElement ? 'held' : 'not held').to.equal(withElement ? 'true' : null);
    scenario.then?.(page);
    if (withElement) await openGate(gate);
    const frame = await landed;
    await requestsSettle();
    const token = page.querySelector('wepay-risk-token')?.token ?? null;
    return { sent: await Promise.all((await sink.sent()).map((request) => readSent(request, frame))), token };
  } finally {
    // The next run's form has the same id.
    page.remove();
    undo?.();
  }
}

describe('a held submit, compared with the same page without the element', () => {
  afterEach(() => Promise.all(gates.splice(0).map(openGate)));
  eachTestOnACleanPage();

  for (const scenario of CASES) {
    it(`${scenario.title}: the same request, plus the token`, async function () {
      this.timeout(20_000);
      const without = await run(scenario, false);
      expect(without.sent, 'requests sent without the element').to.have.length(1);
      scenario.sends(without.sent[0]!);
      expect(tokensIn(without.sent[0]!)).to.deep.equal([]);

      const held = await run(scenario, true);
      expect(held.sent, 'requests sent with the element').to.have.length(1);
      expect(withoutToken(held.sent[0]!)).to.deep.equal(without.sent[0]);
      expect(held.token).to.match(UUID);
      expect(tokensIn(held.sent[0]!)).to.deep.equal([[TOKEN_FIELD, held.token]]);
    });
  }

  describe("the page's submit listener cancels the submit (an app that posts with fetch)", () => {
    /** Submits with a listener that cancels every submit; how many it saw, and what the server received. */
    async function cancelled(withElement: boolean): Promise<{ seen: number; sent: number }> {
      resetRiskJs();
      const sink = await formSink();
      const gate = newGate();
      const element = withElement
        ? `<wepay-risk-token src="${standInUrl({ gate })}" trigger="manual" submit-wait="60000"></wepay-risk-token>`
        : '';
      const page = await pageWith(checkout(sink, element));
      let seen = 0;
      page.addEventListener('submit', (event) => {
        seen += 1;
        event.preventDefault();
      });
      const el = page.querySelector('wepay-risk-token');
      const ended = el && new Promise((resolve) => el.addEventListener('wepay-risk-token-submit', resolve));
      await clickAsShopper(page.querySelector('[name="pay"]')!);
      if (withElement) await openGate(gate);
      await ended;
      // The release is sent in a later task than the hold's end.
      await new Promise((resolve) => setTimeout(resolve));
      await requestsSettle();
      page.remove();
      return { seen, sent: (await sink.sent()).length };
    }

    it('nothing is sent, as without the element; the listener sees one submit, the one released', async () => {
      expect(await cancelled(false)).to.deep.equal({ seen: 1, sent: 0 });
      expect(await cancelled(true)).to.deep.equal({ seen: 1, sent: 0 });
    });
  });

  describe('a field the page changes while the submit is held', () => {
    it('is sent as it is at the release, as docs/reference.md says (without the element, the press had sent the old value)', async function () {
      this.timeout(20_000);
      const changeGift = (page: HTMLElement) => (page.querySelector<HTMLInputElement>('[name="gift"]')!.value = 'yes');
      const scenario: Case = {
        title: 'a field changed after the press',
        page: (sink, element) => checkout(sink, element),
        press: { click: '[name="pay"]' },
        then: changeGift,
        sends: (sent) => expect(valueOf(sent, 'gift')).to.equal('no'),
      };
      const without = await run(scenario, false);
      scenario.sends(without.sent[0]!);
      const held = await run(scenario, true);
      expect(valueOf(held.sent[0]!, 'gift')).to.equal('yes');
    });
  });

  describe('a form that navigates its own page', () => {
    /** The form's page in a frame, with the element's module when `element` is not empty. */
    async function runFramed(markup: (sink: FormSink, element: string) => string, withElement: boolean) {
      const sink = await formSink();
      const gate = newGate();
      const element = withElement
        ? `<wepay-risk-token src="${standInUrl({ gate })}" trigger="manual" submit-wait="60000"></wepay-risk-token>`
        : '';
      const { frame, window: page } = await framePage(
        `${withElement ? '<script type="module" src="/src/index.ts"></script>' : ''}${markup(sink, element)}`,
      );
      if (withElement) await page.customElements.whenDefined('wepay-risk-token');
      let token: string | null = null;
      page.document.addEventListener('wepay-risk-token-ready', (event) => (token = event.detail.token));
      const navigated = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
      // The document, before the page navigates away from it (Firefox may have done so by the time the click returns).
      const form = page.document.querySelector('form')!;
      await clickAsShopper(form.querySelector('[name="pay"]')!);
      expect(form.getAttribute('aria-busy'), withElement ? 'held' : 'not held').to.equal(withElement ? 'true' : null);
      if (withElement) await openGate(gate);
      await navigated;
      expect(frame.contentWindow!.location.pathname).to.match(/^\/__sent\//);
      await requestsSettle();
      return { sent: await Promise.all((await sink.sent()).map((request) => readSent(request, 'self'))), token };
    }

    for (const [title, form] of [
      [
        'a form without target',
        (sink: FormSink, element: string) =>
          `<form method="post" action="${sink.url('/checkout?step=pay')}">
            <input name="email" value="shopper@example.com" />${element}<button name="pay" value="card">Pay</button>
          </form>`,
      ],
      [
        'formtarget="_self" in a form whose target is _blank (the submit is held: it opens no window)',
        (sink: FormSink, element: string) =>
          `<form method="get" action="${sink.url('/checkout?step=pay')}" target="_blank">
            <input name="email" value="shopper@example.com" />${element}
            <button name="pay" value="card" formtarget="_self">Pay</button>
          </form>`,
      ],
    ] as const) {
      it(`${title}: the same request, plus the token`, async function () {
        this.timeout(20_000);
        const without = await runFramed(form, false);
        expect(without.sent).to.have.length(1);
        const held = await runFramed(form, true);
        expect(held.sent).to.have.length(1);
        expect(withoutToken(held.sent[0]!)).to.deep.equal(without.sent[0]);
        expect(held.token).to.match(UUID);
        expect(tokensIn(held.sent[0]!)).to.deep.equal([[TOKEN_FIELD, held.token]]);
      });
    }
  });
});
