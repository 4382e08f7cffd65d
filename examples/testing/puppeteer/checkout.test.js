import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import puppeteer from 'puppeteer-core';
import { startShop } from './shop.js';

// The Risk.js stand-in that ships with the package, served in place of WePay's Risk.js: the page keeps
// its production src, and nothing reaches WePay.
const riskStandIn = await readFile(
  createRequire(import.meta.url).resolve('wepay-risk-token/testing/risk-stand-in.js'),
  'utf8',
);
const RISK_JS = 'https://static.wepay.com/min/js/risk.js';
const WEPAY = /^https:\/\/([\w-]+\.)*wepay\.com\//;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('the checkout', () => {
  let shop;
  let browser;
  let page;
  /** What the page gets for Risk.js: the stand-in, or nothing, as under an ad blocker. */
  let riskJs;

  before(async () => {
    shop = await startShop();
    // Any Chrome or Chromium; this repository runs its examples with Debian's, as root, hence no sandbox.
    browser = await puppeteer.launch({
      executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
      args: ['--no-sandbox'],
    });
  });

  after(async () => {
    await browser?.close();
    await shop?.close();
  });

  beforeEach(async () => {
    page = await browser.newPage();
    await page.setRequestInterception(true);
    page.on('request', (request) => {
      if (request.url() === RISK_JS && riskJs === 'stand-in') {
        request.respond({ status: 200, contentType: 'text/javascript', body: riskStandIn });
      } else if (request.url() === RISK_JS && riskJs === 'blocked') {
        request.abort('blockedbyclient');
      } else if (WEPAY.test(request.url())) {
        // Nothing else reaches WePay.
        request.abort();
      } else {
        request.continue();
      }
    });
  });

  afterEach(() => page?.close());

  /** Clicks Pay as a shopper would; resolves with the form's POST once the thank-you page is shown. */
  async function pay() {
    const [checkout] = await Promise.all([
      page.waitForRequest((request) => request.method() === 'POST' && request.url() === `${shop.url}checkout`),
      page.waitForNavigation(),
      page.click('button'),
    ]);
    assert.match(await page.$eval('p', (paragraph) => paragraph.textContent), /Thank you for your order/);
    return new URLSearchParams(checkout.postData() ?? '');
  }

  it('posts a risk token', async () => {
    riskJs = 'stand-in';
    await page.goto(shop.url);
    await page.waitForSelector('wepay-risk-token[state="ready"]');

    const posted = await pay();

    assert.match(posted.get('wepay_risk_token'), UUID);
  });

  it('still posts, with an empty token, when an ad blocker blocks Risk.js', async () => {
    riskJs = 'blocked';
    await page.goto(shop.url);
    await page.waitForSelector('wepay-risk-token[state="error"]');

    const posted = await pay();

    assert.equal(posted.get('wepay_risk_token'), '');
  });
});
