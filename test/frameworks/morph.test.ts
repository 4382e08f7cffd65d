import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { chromeArgs, chromePath } from '../support/chrome.js';
import { STAND_IN, buildApps, type AppBuild, type BuiltApps } from './apps.js';
import { startFrameworkServer, type FrameworkServer } from './server.js';

/**
 * A morph keeps the <wepay-risk-token> element but makes its children and attributes what the server's HTML says:
 * no hidden input, no `state`. The element puts both back at once, so the next Pay posts the token. Real htmx 4 and
 * Turbo 8 apps, built with Vite against `dist/`, driven in Chromium with trusted clicks; each case asserts on what
 * the server received.
 */

const FIELD = 'wepay_risk_token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const APPS: AppBuild[] = [
  { name: 'htmx-morph', source: 'htmx-morph', pages: ['index.html', 'required.html'] },
  { name: 'turbo-morph', source: 'turbo-morph', pages: ['index.html', 'required.html'] },
];

/** What the page functions read from the element. */
interface TokenElement extends HTMLElement {
  readonly state: string;
  readonly token: string | null;
  readonly required: boolean;
}
/** What `watch` records on the page. */
interface WatchedWindow {
  /** The morph took the element's input out. */
  inputRemoved: boolean;
  /** The morph took the `state` attribute away from `ready`. */
  stateStripped: boolean;
}

/** The element after a morph, as the page sees it. */
interface FieldAfter {
  sameElement: boolean;
  state: string;
  stateAttribute: string | null;
  required: boolean;
  /** `[name, value]` of every input in the element. */
  inputs: Array<[string, string]>;
  /** What `new FormData(form)` holds for the field. */
  formData: string[];
  inputRemoved: boolean;
  stateStripped: boolean;
}

/** Each app's two pages: the element as it comes, and with `required` (a submit without the token is not sent). */
const CASES = [
  { path: '', required: false },
  { path: 'required.html', required: true },
];

describe('<wepay-risk-token> through morphs (htmx 4, Turbo 8; Vite builds, Chromium)', { timeout: 120_000 }, () => {
  let apps: BuiltApps;
  let server: FrameworkServer;
  let browser: Browser;
  let page: Page;
  /** Uncaught errors and console errors of the current case's pages. */
  let pageErrors: string[] = [];

  before(async () => {
    [apps, browser] = await Promise.all([
      buildApps(APPS),
      puppeteer.launch({ executablePath: chromePath, args: chromeArgs }),
    ]);
    server = await startFrameworkServer({ apps: apps.dirs, standIn: STAND_IN });
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await apps?.remove();
  });

  beforeEach(() => {
    server.reset();
    pageErrors = [];
  });

  /** Opens the page and waits for the element's token: a UUID, and what Risk.js itself gives. */
  async function openWithToken(path: string): Promise<{ element: ElementHandle<TokenElement>; token: string }> {
    await page.goto(new URL(path, server.origin).href);
    await page.waitForFunction(() => document.querySelector<TokenElement>('wepay-risk-token')?.state === 'ready');
    const element = (await page.$('wepay-risk-token')) as ElementHandle<TokenElement>;
    const { token, riskJs } = await element.evaluate((el) => ({
      token: el.token,
      riskJs: (window as unknown as { WePay: { risk: { get_risk_token(): unknown } } }).WePay.risk.get_risk_token(),
    }));
    assert.ok(typeof token === 'string' && UUID.test(token), `the element's token is a UUID, got ${token}`);
    assert.equal(token, riskJs, "the element's token is the one Risk.js gives");
    return { element, token };
  }

  /**
   * Records whether a morph takes the element's input out and strips its `state`, proof that the case morphs what it
   * is about. Read from the records: the element's own observer, created first, has undone both by then.
   */
  async function watch(element: ElementHandle<TokenElement>): Promise<void> {
    await element.evaluate((el) => {
      const input = el.querySelector('input');
      const watched = Object.assign(window, { inputRemoved: false, stateStripped: false });
      new MutationObserver((records) => {
        for (const record of records) {
          if ([...record.removedNodes].includes(input!)) watched.inputRemoved = true;
          if (record.attributeName === 'state' && record.oldValue === 'ready') watched.stateStripped = true;
        }
      }).observe(el, { childList: true, attributes: true, attributeOldValue: true });
    });
  }

  /** The element as the page has it now, compared with `element` from before the morph. */
  function fieldAfter(element: ElementHandle<TokenElement>): Promise<FieldAfter> {
    return page.evaluate(
      (before, name) => {
        const el = document.querySelector<TokenElement>('wepay-risk-token')!;
        const { inputRemoved, stateStripped } = window as unknown as WatchedWindow;
        return {
          sameElement: el === before,
          state: el.state,
          stateAttribute: el.getAttribute('state'),
          required: el.required,
          inputs: [...el.querySelectorAll('input')].map((input): [string, string] => [input.name, input.value]),
          formData: new FormData(el.closest('form')!).getAll(name) as string[],
          inputRemoved,
          stateStripped,
        };
      },
      element,
      FIELD,
    );
  }

  /** The morph took the input and `state` away; the same element has them back, and its form posts the token. */
  async function assertFieldKept(element: ElementHandle<TokenElement>, token: string, required: boolean) {
    assert.deepEqual(await fieldAfter(element), {
      sameElement: true,
      state: 'ready',
      stateAttribute: 'ready',
      required,
      inputs: [[FIELD, token]],
      formData: [token],
      inputRemoved: true,
      stateStripped: true,
    });
  }

  /** Every POST held exactly one risk-token field, `token`; Risk.js was loaded once; no errors on the page. */
  function assertPosted(token: string, count: number): void {
    assert.equal(server.posts.length, count, `POSTs received: ${JSON.stringify(server.posts)}`);
    for (const [index, post] of server.posts.entries()) {
      const tokens = post.fields.filter(([name]) => name === FIELD).map(([, value]) => value);
      assert.deepEqual(tokens, [token], `${FIELD} fields in POST #${index + 1}`);
    }
    assert.equal(server.scriptRequests(), 1, 'Risk.js requests');
    assert.deepEqual(pageErrors, [], 'errors on the page');
  }

  /** Counts `type` events on the page from now on. */
  async function countEvents(type: string): Promise<(count: number) => Promise<unknown>> {
    await page.evaluate((name) => {
      const counted = Object.assign(window, { events: 0 });
      document.addEventListener(name, () => counted.events++);
    }, type);
    return (count) =>
      page.waitForFunction((expected) => (window as { events?: number }).events === expected, {}, count);
  }

  /**
   * Opens the page, pays, and once the server's answer is morphed in checks the element; then pays again and
   * checks that both posts carried the token.
   */
  async function payTwiceAcrossAMorph(path: string, morphed: string, required: boolean): Promise<void> {
    const { element, token } = await openWithToken(path);
    await watch(element);
    const morphs = await countEvents(morphed);
    await page.click('#pay');
    await morphs(1);
    await assertFieldKept(element, token, required);

    await page.click('#pay');
    await morphs(2);
    assertPosted(token, 2);
  }

  describe('htmx 4', () => {
    for (const { path, required } of CASES) {
      it(`keeps its field and state through hx-swap="outerMorph"${required ? ' (required)' : ''}`, () =>
        payTwiceAcrossAMorph(`/htmx-morph/${path}`, 'htmx:after:swap', required));
    }

    it('puts its field back at once after its input is replaced and after innerHTML', async () => {
      const { token } = await openWithToken('/htmx-morph/');
      const fields = await page.evaluate(async (name) => {
        const el = document.querySelector<TokenElement>('wepay-risk-token')!;
        const form = el.closest('form')!;
        const hint = Object.assign(document.createElement('span'), { textContent: 'Secured by WePay' });
        const changes = [() => el.querySelector('input')!.replaceWith(hint), () => (el.innerHTML = '')];
        const fieldAfterEach = [];
        for (const change of changes) {
          change();
          // Once the microtasks queued by the change have run: before any event could submit the form.
          await Promise.resolve();
          fieldAfterEach.push({
            formData: new FormData(form).getAll(name),
            inputs: [...el.querySelectorAll('input')].map((input) => [input.name, input.value]),
          });
        }
        return fieldAfterEach;
      }, FIELD);
      const posted = { formData: [token], inputs: [[FIELD, token]] };
      assert.deepEqual(fields, [posted, posted], 'after the input was replaced, then after innerHTML');

      const swaps = await countEvents('htmx:after:swap');
      await page.click('#pay');
      await swaps(1);
      assertPosted(token, 1);
    });
  });

  describe('Turbo 8', () => {
    for (const { path, required } of CASES) {
      it(`keeps its field and state through a page refresh that morphs${required ? ' (required)' : ''}`, () =>
        payTwiceAcrossAMorph(`/turbo-morph/${path}`, 'turbo:morph', required));
    }
  });
});
