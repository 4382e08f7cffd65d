import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import puppeteer, { type Browser, type ElementHandle, type Page } from 'puppeteer-core';
import { chromeArgs, chromePath } from '../support/chrome.js';
import { STAND_IN, buildApps, type BuiltApps } from './apps.js';
import { startFrameworkServer, type FrameworkServer } from './server.js';

/**
 * Apps built with Vite as users build them (`import 'wepay-risk-token'`, resolved to this package's `dist/`),
 * driven in Chromium with trusted clicks. Each case asserts on what the server received: exactly one POST per
 * submit, exactly one `wepay_risk_token` field in it, holding the UUID the element reported.
 */

const FIELD = 'wepay_risk_token';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** What the page functions read from the element. */
interface TokenElement extends HTMLElement {
  readonly state: string;
  readonly token: string | null;
}
interface RiskWindow {
  WePay: { risk: { get_risk_token(): unknown } };
}

describe('<wepay-risk-token> in framework apps (Vite builds, Chromium)', { timeout: 120_000 }, () => {
  let apps: BuiltApps;
  let server: FrameworkServer;
  let browser: Browser;
  let page: Page;
  /** Uncaught errors and console errors of the current case's pages. */
  let pageErrors: string[] = [];

  before(async () => {
    [apps, browser] = await Promise.all([
      buildApps(),
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

  async function open(path: string): Promise<void> {
    await page.goto(new URL(path, server.origin).href);
  }

  /** Waits until the element on the page has its token; checks it is a UUID and what Risk.js itself gives. */
  async function tokenWhenReady(): Promise<string> {
    await page.waitForFunction(() => document.querySelector<TokenElement>('wepay-risk-token')?.state === 'ready');
    return tokenNow();
  }

  async function tokenNow(): Promise<string> {
    const { token, riskJs } = await page.evaluate(() => ({
      token: document.querySelector<TokenElement>('wepay-risk-token')?.token,
      riskJs: (window as unknown as RiskWindow).WePay.risk.get_risk_token(),
    }));
    assert.ok(typeof token === 'string' && UUID.test(token), `the element's token is a UUID, got ${token}`);
    assert.equal(token, riskJs, "the element's token is the one Risk.js gives");
    return token;
  }

  /** One element and one hidden input carrying the token, whatever the framework did to mount it. */
  async function assertOneElementAndInput(field = FIELD): Promise<void> {
    const counts = await page.evaluate(
      (name) => ({
        elements: document.querySelectorAll('wepay-risk-token').length,
        inputs: document.querySelectorAll(`input[name="${name}"]`).length,
      }),
      field,
    );
    assert.deepEqual(counts, { elements: 1, inputs: 1 });
  }

  async function submitAndNavigate(): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click('#pay')]);
  }

  async function waitForText(selector: string, text: string): Promise<void> {
    await page.waitForFunction(
      (target, expected) => document.querySelector(target)?.textContent === expected,
      {},
      selector,
      text,
    );
  }

  /** Remounts through the app's own button, then waits for the new element's token. */
  async function remountAndWait(button: string): Promise<void> {
    const first = (await page.$('wepay-risk-token')) as ElementHandle<TokenElement>;
    await page.click(button);
    await page.waitForFunction(
      (old) => {
        const current = document.querySelector<TokenElement>('wepay-risk-token');
        return !old.isConnected && current !== null && current !== old && current.state === 'ready';
      },
      {},
      first,
    );
  }

  /** The values of the risk-token field in the `index`-th POST. */
  function postedTokens(index = 0, field = FIELD): string[] {
    const post = server.posts[index];
    assert.ok(post, `POST #${index + 1} was received`);
    return post.fields.filter(([name]) => name === field).map(([, value]) => value);
  }

  /** Exactly one POST, with exactly one risk-token field holding `token`, and one Risk.js request. */
  function assertReceivedOnce(token: string, field = FIELD): void {
    assert.equal(server.posts.length, 1, `POSTs received: ${JSON.stringify(server.posts)}`);
    assert.deepEqual(postedTokens(0, field), [token], `${field} fields in the POST`);
    assert.equal(server.scriptRequests(), 1, 'Risk.js requests');
    assert.deepEqual(pageErrors, [], 'errors on the page');
  }

  describe('React 19', () => {
    it('posts the token with a native form post', async () => {
      await open('/react/?case=native');
      const token = await tokenWhenReady();
      await assertOneElementAndInput();
      await submitAndNavigate();
      assertReceivedOnce(token);
    });

    it('posts the token from a fetch submit that awaits ref.current.generate()', async () => {
      await open('/react/?case=fetch');
      assert.equal(server.scriptRequests(), 0, 'trigger="manual" loads nothing before the submit');
      await page.click('#pay');
      await waitForText('#status', 'paid');
      await server.waitForPosts(1);
      const token = await tokenNow();
      await assertOneElementAndInput();
      assertReceivedOnce(token);
    });

    it('posts the token from <form action={fn}>, the submit held until the token is there', async () => {
      await open('/react/?case=action');
      assert.equal(server.scriptRequests(), 0, 'trigger="manual" loads nothing before the submit');
      await page.click('#pay');
      await waitForText('#status', 'paid');
      await server.waitForPosts(1);
      const token = await tokenNow();
      await assertOneElementAndInput();
      assertReceivedOnce(token);
    });

    it('posts the token of the element a key change remounted', async () => {
      await open('/react/?case=remount');
      await tokenWhenReady();
      await remountAndWait('#remount');
      const token = await tokenNow();
      await assertOneElementAndInput();
      await submitAndNavigate();
      assertReceivedOnce(token);
    });

    it('under StrictMode (development build) loads Risk.js once, keeps one hidden input and posts the token', async () => {
      await open('/react-dev/?case=native&strict');
      const token = await tokenWhenReady();
      const attachments = await page.evaluate(() => (window as { riskTokenAttachments?: number }).riskTokenAttachments);
      assert.equal(attachments, 2, 'StrictMode attached the ref, detached it and attached it again');
      await assertOneElementAndInput();
      assert.equal(server.scriptRequests(), 1, 'Risk.js requests under StrictMode');
      await submitAndNavigate();
      assertReceivedOnce(token);
    });
  });

  describe('Vue 3', () => {
    it('posts the token after v-if takes the element out and puts a new one in', async () => {
      await open('/vue/');
      await tokenWhenReady();
      await page.click('#toggle');
      await page.waitForFunction(
        (field) => !document.querySelector(`wepay-risk-token, input[name="${field}"]`),
        {},
        FIELD,
      );
      await page.click('#toggle');
      const token = await tokenWhenReady();
      await assertOneElementAndInput();
      await submitAndNavigate();
      assertReceivedOnce(token);
    });
  });

  describe('Svelte 5', () => {
    it('posts the token of the element a {#key} block remounted', async () => {
      await open('/svelte/');
      await tokenWhenReady();
      await remountAndWait('#remount');
      const token = await tokenNow();
      await assertOneElementAndInput();
      await submitAndNavigate();
      assertReceivedOnce(token);
    });
  });

  describe('Angular 21', () => {
    it('posts the token with a native form post', async () => {
      await open('/angular/?case=native');
      const token = await tokenWhenReady();
      await assertOneElementAndInput();
      await submitAndNavigate();
      assertReceivedOnce(token);
    });

    it('posts the token from an (ngSubmit) handler that awaits generate() and posts with fetch', async () => {
      await open('/angular/?case=fetch');
      // Angular bootstraps after the page's load event.
      await page.waitForSelector('#pay');
      assert.equal(server.scriptRequests(), 0, 'trigger="manual" loads nothing before the submit');
      await page.click('#pay');
      await waitForText('#status', 'paid');
      await server.waitForPosts(1);
      const token = await tokenNow();
      await assertOneElementAndInput();
      assertReceivedOnce(token);
      assert.deepEqual(postedTokens(0, 'email'), ['shopper@example.com'], "the form's value posted with the token");
    });
  });

  describe('Turbo 8', () => {
    /** Set before a visit and read after: still there means Turbo rendered in the same document. */
    const markDocument = () => page.evaluate(() => Object.assign(window, { sameDocument: true }));
    const isSameDocument = () => page.evaluate(() => 'sameDocument' in window);

    it('posts the token with a Drive submit', async () => {
      await open('/turbo/');
      await markDocument();
      const token = await tokenWhenReady();
      await assertOneElementAndInput();
      await page.click('#pay');
      await page.waitForSelector('#paid');
      await server.waitForPosts(1);
      assert.ok(await isSameDocument(), 'Turbo Drive made the submit, not the browser');
      assert.equal(server.posts[0]?.path, '/turbo/checkout');
      assertReceivedOnce(token);
    });

    // Turbo caches a page when a Drive visit leaves it (it clears its cache after a POST, so a restore follows a
    // GET visit). The restored element is a new one, built from the snapshot's markup. It is still the same page
    // life and the same Risk.js run, so the token of that run's session is the one to send: a second Risk.js
    // run would make a session it does not profile. The restored element asks Risk.js again and gets it.
    it('posts the token from the page Turbo restores from its cache', async () => {
      await open('/turbo/');
      await markDocument();
      const token = await tokenWhenReady();
      const first = await page.$('wepay-risk-token');
      await page.click('#terms');
      await page.waitForSelector('#terms-text');
      await Promise.all([page.waitForSelector('form wepay-risk-token'), page.goBack()]);
      assert.ok(await isSameDocument(), 'Turbo restored the page; the browser did not load it');
      const pageLoads = server.requests.filter((request) => request === 'GET /turbo/').length;
      assert.equal(pageLoads, 1, 'the restored page came from the cache, not the server');
      assert.ok(await page.evaluate((old) => !old?.isConnected, first), 'the restored element is a new one');

      const restoredToken = await tokenWhenReady();
      assert.equal(restoredToken, token, "the restored element has the token of the page's Risk.js session");
      await assertOneElementAndInput();
      await page.click('#pay');
      await page.waitForSelector('#paid');
      await server.waitForPosts(1);
      assertReceivedOnce(restoredToken);
    });
  });

  describe('htmx 4', () => {
    it('posts the token with hx-post on the form', async () => {
      await open('/htmx/hx-post.html');
      const token = await tokenWhenReady();
      await assertOneElementAndInput();
      await page.click('#pay');
      await page.waitForSelector('#result #paid');
      assertReceivedOnce(token);
    });

    it('posts the token once with a button that has hx-include="closest form"', async () => {
      await open('/htmx/hx-include.html');
      const token = await tokenWhenReady();
      await assertOneElementAndInput();
      await page.click('#pay');
      await page.waitForSelector('#result #paid');
      assertReceivedOnce(token);
    });

    it('posts the token once with hx-include="closest form" when the page renames the field', async () => {
      await open('/htmx/hx-include-named.html');
      const token = await tokenWhenReady();
      await assertOneElementAndInput('risk_token');
      await page.click('#pay');
      await page.waitForSelector('#result #paid');
      assertReceivedOnce(token, 'risk_token');
    });
  });
});
