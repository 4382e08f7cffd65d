import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import { formSink, type FormSink, type SentRequest } from './support/form-sink.js';
import { eachTestOnACleanPage, openGate, resetRiskJs, standInUrl, UUID } from './support/risk-js.js';
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

type Field = [name: string, value: string];

/** What a form sent, as the server received it: where, how, into which frame, and its fields in order. */
interface Sent {
  frame: string;
  method: string;
  path: string;
  /** The media type, without the multipart boundary. */
  enctype: string;
  query: Field[];
  body: Field[];
}

async function bodyFields({ contentType, body }: SentRequest): Promise<Field[]> {
  const enctype = contentType.split(';')[0]!.trim().toLowerCase();
  if (enctype === 'multipart/form-data') {
    const entries = [...(await new Response(body, { headers: { 'content-type': contentType } }).formData())];
    return entries.map(([name, value]) => [name, String(value)]);
  }
  if (enctype === 'text/plain') {
    return body
      .split('\r\n')
      .slice(0, -1)
      .map((line) => {
        const at = line.indexOf('=');
        return at < 0 ? [line, ''] : [line.slice(0, at), line.slice(at + 1)];
      });
  }
  return [...new URLSearchParams(body)];
}

async function readSent(request: SentRequest, frame: string): Promise<Sent> {
  return {
    frame,
    method: request.method,
    path: request.path,
    enctype: request.contentType.split(';')[0]!.trim().toLowerCase(),
    query: [...new URLSearchParams(request.query)],
    body: request.method === 'GET' ? [] : await bodyFields(request),
  };
}

/** The token fields a request carried (in its query or its body). */
const tokensIn = (sent: Sent) => [...sent.query, ...sent.body].filter(([name]) => name === TOKEN_FIELD);

/** The request without its token fields. */
const withoutToken = (sent: Sent): Sent => ({
  ...sent,
  query: sent.query.filter(([name]) => name !== TOKEN_FIELD),
  body: sent.body.filter(([name]) => name !== TOKEN_FIELD),
});

/** Where the element stands when the shopper presses, or `without` for the same page without the element. */
type TokenCase = 'without' | 'ready' | 'late' | 'failed';

interface Scenario {
  title: string;
  /** The form's method and enctype attributes. */
  form?: string;
  /** The submitter's markup; it is the form's first submit button, so Enter in a field presses it too. */
  submitter(sink: FormSink): string;
  /** Whether Enter in a field presses this submitter (a design system's button is not a native one). */
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
    enter: true,
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
    enter: true,
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
    enter: true,
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
    enter: true,
    sends: (sent) => expect(fieldsOf(sent).map(([name]) => name)).to.include.members(['x', 'y']),
  },
  {
    title: 'formaction',
    submitter: (sink) =>
      `<button data-submitter name="pay" value="express" formaction="${sink.url('/express?via=button')}">Express</button>`,
    enter: true,
    sends: (sent) => expect([sent.path, sent.query]).to.deep.equal(['/express', [['via', 'button']]]),
  },
  {
    title: 'formmethod="get" in a post form',
    submitter: () => '<button data-submitter name="pay" value="card" formmethod="get">Pay</button>',
    enter: true,
    sends: (sent) => expect(sent.method).to.equal('GET'),
  },
  {
    title: 'formmethod="post" in a get form',
    form: 'method="get"',
    submitter: () => '<button data-submitter name="pay" value="card" formmethod="post">Pay</button>',
    enter: true,
    sends: (sent) => expect(sent.method).to.equal('POST'),
  },
  {
    title: 'formenctype="multipart/form-data"',
    submitter: () => '<button data-submitter name="pay" value="card" formenctype="multipart/form-data">Pay</button>',
    enter: true,
    sends: (sent) => expect(sent.enctype).to.equal('multipart/form-data'),
  },
  {
    title: 'formenctype="application/x-www-form-urlencoded" in a multipart form',
    form: 'method="post" enctype="multipart/form-data"',
    submitter: () =>
      '<button data-submitter name="pay" value="card" formenctype="application/x-www-form-urlencoded">Pay</button>',
    enter: true,
    sends: (sent) => expect(sent.enctype).to.equal('application/x-www-form-urlencoded'),
  },
  {
    title: 'formenctype="text/plain"',
    submitter: () => '<button data-submitter name="pay" value="card" formenctype="text/plain">Pay</button>',
    enter: true,
    sends: (sent) => expect(sent.enctype).to.equal('text/plain'),
  },
  {
    title: 'formtarget',
    submitter: (sink) =>
      `<button data-submitter name="pay" value="card" formtarget="${sink.target('other')}">Pay</button>`,
    enter: true,
    sends: (sent) => expect(sent.frame).to.equal('other'),
  },
  {
    title: 'a submitter the page removes after the press',
    submitter: () => '<button data-submitter name="pay" value="card">Pay</button>',
    enter: true,
    then: (form) => form.querySelector('[data-submitter]')!.remove(),
  },
  {
    title: 'a submitter the page disables after the press (against a double charge)',
    submitter: () => '<button data-submitter name="pay" value="card">Pay</button>',
    enter: true,
    then: (form) => form.querySelector<HTMLButtonElement>('[data-submitter]')!.toggleAttribute('disabled', true),
  },
  {
    title: "a form whose fields and buttons the page re-renders (innerHTML) while it's held",
    submitter: () => '<button data-submitter name="pay" value="card">Pay</button>',
    enter: true,
    then(form) {
      const fields = form.querySelector('.fields')!;
      const markup = fields.innerHTML;
      fields.innerHTML = markup;
    },
  },
  {
    title: "a design system's temporary button (Shoelace, Web Awesome)",
    submitter: (sink) =>
      `<ds-button data-submitter type="submit" name="pay" value="ds" formaction="${sink.url('/ds')}">Pay</ds-button>`,
    enter: false,
    sends: (sent) => expect([sent.path, fieldsOf(sent).at(-1)]).to.deep.equal(['/ds', ['pay', 'ds']]),
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

/**
 * Runs `scenario` on a fresh page and resolves with the first request the server received, and the token the
 * element had then. With the element, its token is ready before the press, comes late (Risk.js held at the
 * server until after the press) or fails late (a 404, held the same way).
 */
async function run(scenario: Scenario, press: Press, tokenCase: TokenCase): Promise<Run> {
  // Each run on a page without Risk.js; the run before has left none loading.
  resetRiskJs();
  const sink = await formSink(['main', 'other']);
  const gate = `submission-${Math.random().toString(36).slice(2)}`;
  const held = tokenCase === 'late' || tokenCase === 'failed';
  const src =
    tokenCase === 'ready' ? standInUrl() : standInUrl({ gate, ...(tokenCase === 'failed' && { status: 404 }) });
  const element =
    tokenCase === 'without'
      ? ''
      : `<wepay-risk-token src="${src}" trigger="manual" submit-wait="60000"></wepay-risk-token>`;
  const page = await fixture<HTMLDivElement>(html`<div></div>`);
  page.innerHTML = formMarkup(scenario, sink, element);
  const form = page.querySelector('form')!;
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
  return { tokenCase, sink, sent: await readSent(first!, frame), token: el?.token ?? '' };
}

interface Run {
  tokenCase: TokenCase;
  sink: FormSink;
  /** The first request the sink received. */
  sent: Sent;
  token: string;
}

describe('<wepay-risk-token> sends a held submit exactly as the browser would have sent it at the press, plus the token', () => {
  eachTestOnACleanPage();

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
          // A pause only to let a second request show; nothing is asserted about how long anything takes.
          await new Promise((resolve) => setTimeout(resolve, 100));
          for (const { tokenCase, sink } of runs) {
            expect(await sink.sent(), `${tokenCase}: requests sent`).to.have.length(1);
          }
        });
      }
    });
  }
});
