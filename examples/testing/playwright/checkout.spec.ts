import { expect, test } from '@playwright/test';
import { createRequire } from 'node:module';

// The Risk.js stand-in that ships with the package, served in place of WePay's Risk.js: the page keeps
// its production src, and nothing reaches WePay.
const riskStandIn = createRequire(import.meta.url).resolve('wepay-risk-token/testing/risk-stand-in.js');
const RISK_JS = 'https://static.wepay.com/min/js/risk.js';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test.beforeEach(async ({ page }) => {
  // Nothing reaches WePay: its hosts answer nothing, but for the Risk.js route each test adds (the route
  // added last is asked first). The stand-in's device profiling loads from data: URLs, so it needs no route.
  await page.route(/^https:\/\/([\w-]+\.)*wepay\.com\//, (route) => route.abort());
});

test('the checkout posts a risk token', async ({ page }) => {
  await page.route(RISK_JS, (route) => route.fulfill({ path: riskStandIn, contentType: 'text/javascript' }));
  await page.goto('/');
  await expect(page.locator('wepay-risk-token')).toHaveAttribute('state', 'ready');

  const [checkout] = await Promise.all([
    page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/checkout')),
    page.getByRole('button', { name: 'Pay' }).click(),
  ]);
  await expect(page.getByText('Thank you for your order.')).toBeVisible();

  expect(new URLSearchParams(checkout.postData() ?? '').get('wepay_risk_token')).toMatch(UUID);
});

test('the checkout still posts when an ad blocker blocks Risk.js', async ({ page }) => {
  await page.route(RISK_JS, (route) => route.abort('blockedbyclient'));
  await page.goto('/');
  await expect(page.locator('wepay-risk-token')).toHaveAttribute('state', 'error');

  const [checkout] = await Promise.all([
    page.waitForRequest((request) => request.method() === 'POST' && request.url().endsWith('/checkout')),
    page.getByRole('button', { name: 'Pay' }).click(),
  ]);
  await expect(page.getByText('Thank you for your order.')).toBeVisible();

  expect(new URLSearchParams(checkout.postData() ?? '').get('wepay_risk_token')).toBe('');
});
