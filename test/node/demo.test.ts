import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { startDemo, type DemoServer } from '../../demo/server.js';
import type { RecordedCall } from '../../demo/wepay-api-stand-in.js';
import { chromeArgs, chromePath } from '../support/chrome.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the demo (npm run demo)', { timeout: 60_000 }, () => {
  let demo: DemoServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    [demo, browser] = await Promise.all([
      startDemo({ port: 0, logLevel: 'silent' }),
      puppeteer.launch({ executablePath: chromePath, args: chromeArgs }),
    ]);
    page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  async function calls(): Promise<RecordedCall[]> {
    const response = await fetch(`${demo.apiUrl}/__calls`);
    return (await response.json()) as RecordedCall[];
  }

  async function pay(): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click('button[type="submit"]')]);
    assert.equal(new URL(page.url()).pathname, '/checkout');
  }

  const text = (selector: string) => page.$eval(selector, (element) => element.textContent?.trim() ?? '');

  it('serves on 127.0.0.1 and uses the local WePay stand-in by default', () => {
    assert.match(demo.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    assert.match(demo.apiUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(demo.apiIsStandIn, true);
  });

  it('posts the token the element shows; WePay receives it and Client-IP 127.0.0.1', async () => {
    await page.goto(`${demo.url}?latency=100`);
    await page.waitForFunction(() => document.querySelector('wepay-risk-token')?.getAttribute('state') === 'ready');

    const token = await page.$eval('wepay-risk-token', (element) => element.token);
    assert.ok(token && UUID.test(token), `a UUID token, got ${token}`);
    assert.equal(await text('#token'), token);
    assert.equal(await text('#state'), 'ready');
    assert.equal(await text('#posted'), `wepay_risk_token=${token}`);
    await page.screenshot({ path: '/tmp/demo-form.png', fullPage: true });

    const before = (await calls()).length;
    await pay();

    assert.equal(await text('[data-field="token"] mark'), token);
    assert.equal(await text('[data-header="WePay-Risk-Token"]'), token);
    assert.equal(await text('[data-header="Client-IP"]'), '127.0.0.1');
    assert.equal(await text('[data-received="WePay-Risk-Token"]'), token);
    assert.equal(await text('[data-received="Client-IP"]'), '127.0.0.1');
    assert.equal(await text('[data-status]'), '200');
    await page.screenshot({ path: '/tmp/demo-result.png', fullPage: true });

    const recorded = await calls();
    assert.equal(recorded.length, before + 1);
    const call = recorded.at(-1);
    assert.equal(call?.method, 'POST');
    assert.equal(call?.path, '/credit_card/create');
    assert.equal(call?.headers['WePay-Risk-Token'], token);
    assert.equal(call?.headers['Client-IP'], '127.0.0.1');
    assert.equal(call?.authorized, false);
  });

  it('shows the device-profiling request Risk.js made for the token the form will post', async () => {
    await page.goto(demo.url);
    await page.waitForFunction(() => document.querySelector('wepay-risk-token')?.getAttribute('state') === 'ready');
    const token = await page.$eval('wepay-risk-token', (element) => element.token);
    assert.ok(token && UUID.test(token), `a UUID token, got ${token}`);
    // The script, and the two beacons (a background image and an <img>) of WePay's SDK's container.
    await page.waitForFunction(() => document.querySelectorAll('#profiling-requests li').length === 3);

    const requests = await page.$$eval('#profiling-requests li', (items) =>
      items.map((item) => item.textContent ?? ''),
    );
    const origin = new URL(demo.url).origin;
    assert.ok(
      requests.some(
        (request) => request.includes(`GET ${origin}/fp/check.js?org_id=`) && request.includes(`session_id=${token}`),
      ),
    );
    for (const beacon of ['m=1', 'm=2']) {
      assert.ok(
        requests.some(
          (request) =>
            request.includes(`GET ${origin}/fp/clear.png?org_id=`) && request.includes(`session_id=${token}&${beacon}`),
        ),
        requests.join('\n'),
      );
    }
    assert.ok(
      requests.every((request) => request.includes(', 200)')),
      requests.join('\n'),
    );
    assert.match(await text('#profiling-summary'), /profiled this device for the token the form will post/);
    await page.screenshot({ path: '/tmp/demo-profiling.png', fullPage: true });
  });

  async function postCheckout(query: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
    return fetch(new URL(`/checkout${query}`, demo.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields),
    });
  }

  it('escapes everything it echoes on the result page', async () => {
    const response = await postCheckout('', {
      name: '<script>alert(1)</script>',
      '<b>field</b>': '"><img src=x onerror=alert(1)>',
    });
    const page = await response.text();
    assert.equal(response.status, 200);
    assert.doesNotMatch(page, /<script>alert|<img src=x|<b>field/);
    assert.match(page, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(page, /No wepay_risk_token field was posted/);
  });

  it('leaves the loopback Client-IP out with allow-private-ip=no, as production code does', async () => {
    const token = '123e4567-e89b-12d3-a456-426655440000';
    const page = await (await postCheckout('?allow-private-ip=no', { wepay_risk_token: token })).text();
    assert.match(page, /127\.0\.0\.1 is not a public IP address/);
    const call = (await calls()).at(-1);
    assert.equal(call?.headers['WePay-Risk-Token'], token);
    assert.equal(call?.headers['Client-IP'], null);
  });

  it('refuses checkout posts from another origin', async () => {
    const before = (await calls()).length;
    const response = await postCheckout('', { wepay_risk_token: '' }, { Origin: 'https://evil.example' });
    assert.equal(response.status, 403);
    assert.equal((await calls()).length, before);
  });

  it('still posts when Risk.js fails, and says why no token was sent', async () => {
    await page.goto(`${demo.url}?fault=never&timeout=500`);
    await page.waitForFunction(() => document.querySelector('wepay-risk-token')?.getAttribute('state') === 'error');
    assert.equal(await text('#error-reason'), 'timeout');
    assert.equal(await text('#posted'), 'wepay_risk_token=');

    const before = (await calls()).length;
    await pay();

    assert.equal(await text('[data-field="token"] mark'), '(empty)');
    const reason = await text('[data-header="WePay-Risk-Token"]');
    assert.match(reason, /not sent/);
    assert.match(reason, /wepay_risk_token was empty/);
    assert.match(reason, /error “timeout”/);
    assert.equal(await text('[data-received="WePay-Risk-Token"]'), 'not received');
    assert.equal(await text('[data-received="Client-IP"]'), '127.0.0.1');
    await page.screenshot({ path: '/tmp/demo-result-fault.png', fullPage: true });

    const recorded = await calls();
    assert.equal(recorded.length, before + 1);
    assert.equal(recorded.at(-1)?.headers['WePay-Risk-Token'], null);
    assert.equal(recorded.at(-1)?.headers['Client-IP'], '127.0.0.1');
  });

  describe('on a phone (390 px wide)', () => {
    let phone: Page;

    before(async () => {
      phone = await browser.newPage();
      await phone.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
    });

    after(async () => {
      await phone?.close();
    });

    const state = (wanted: string) =>
      phone.waitForFunction((s) => document.querySelector('wepay-risk-token')?.getAttribute('state') === s, {}, wanted);

    async function payOnPhone(): Promise<void> {
      await Promise.all([phone.waitForNavigation(), phone.click('button[type="submit"]')]);
      assert.equal(new URL(phone.url()).pathname, '/checkout');
    }

    /** Everything that is wider than its box: the document, a card, a code block, a table. */
    async function assertNothingOverflows(): Promise<void> {
      const overflowing = await phone.evaluate(() => {
        const boxes = [document.documentElement, ...document.querySelectorAll('.card, pre, table')];
        return boxes
          .filter((box) => box.scrollWidth > box.clientWidth)
          .map((box) => `${box.tagName.toLowerCase()}.${box.className}: ${box.scrollWidth} > ${box.clientWidth}`);
      });
      assert.deepEqual(overflowing, []);
    }

    /** Field and header names of the result tables that wrap onto more than one line. */
    const brokenNames = () =>
      phone.$$eval('tbody th code', (names) =>
        names.filter((name) => name.getClientRects().length > 1).map((name) => name.textContent),
      );

    it('the result page fits: no card, code block or table is wider than the screen, no name breaks', async () => {
      await phone.goto(`${demo.url}?latency=100`);
      await state('ready');
      await payOnPhone();
      await phone.screenshot({ path: '/tmp/demo-result-390.png', fullPage: true });
      await assertNothingOverflows();
      assert.deepEqual(await brokenNames(), []);
    });

    it('the checkout page fits, and the held-submit notice shows by the Pay button', async () => {
      await phone.goto(`${demo.url}?latency=8000`);
      await state('generating');
      await phone.click('button[type="submit"]');
      await phone.waitForSelector('#held', { visible: true });
      await phone.screenshot({ path: '/tmp/demo-held-390.png', fullPage: true });
      const gap = await phone.evaluate(() => {
        const pay = (document.querySelector('button[type="submit"]') as HTMLElement).getBoundingClientRect();
        const held = (document.querySelector('#held') as HTMLElement).getBoundingClientRect();
        return Math.max(held.top - pay.bottom, pay.top - held.bottom);
      });
      assert.ok(gap >= 0 && gap <= 32, `the notice is ${gap} px from Pay`);
      await assertNothingOverflows();
    });

    it('"Risk.js never answers", then Pay: the result gives the reason the element reported, not a stale state', async () => {
      // The submit retries Risk.js; submit-wait lets the form go while that retry is still running.
      await phone.goto(`${demo.url}?fault=never&timeout=1000&submit-wait=300`);
      await state('error');
      assert.equal(await phone.$eval('#error-reason', (element) => element.textContent), 'timeout');
      await payOnPhone();
      await phone.screenshot({ path: '/tmp/demo-result-never-390.png', fullPage: true });

      const reason = await phone.$eval('[data-header="WePay-Risk-Token"]', (element) => element.textContent ?? '');
      assert.match(reason, /reported error “timeout”/);
      assert.doesNotMatch(reason, /still “(loading|generating)”/);
      await assertNothingOverflows();
      assert.deepEqual(await brokenNames(), []);
    });
  });
});
