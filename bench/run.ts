/**
 * Benchmark: `<wepay-risk-token>` against today's integration (Risk.js pasted in <head> plus the usual
 * jQuery-style lines that call generate_risk_token() and get_risk_token() back to back).
 *
 * Both pages are served from one local server that delays Risk.js by RISK_DELAY_MS (a slow third-party
 * script), with the offline stand-in making tokens RISK_LATENCY_MS after it is asked. Each run opens a fresh
 * page in headless Chromium, submits the form SUBMIT_AT_MS after navigation (an autofilling shopper), and
 * records what was posted. Runs alternate A/B so machine noise hits both alike; figures are medians.
 *
 *   npm run bench                 (needs `npm run build` first: it serves dist/)
 *   RUNS=31 npm run bench
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import puppeteer from 'puppeteer-core';
import { chromeArgs, chromePath } from '../test/support/chrome.js';

const RUNS = Number(process.env.RUNS ?? 15);
const RISK_DELAY_MS = Number(process.env.RISK_DELAY_MS ?? 300);
const RISK_LATENCY_MS = Number(process.env.RISK_LATENCY_MS ?? 300);
const SUBMIT_AT_MS = Number(process.env.SUBMIT_AT_MS ?? 1000);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const riskSrc = `/risk.js?auto=off&latency=${RISK_LATENCY_MS}`;
const page = (head: string, body: string) => `<!doctype html><html><head><meta charset="utf-8">${head}</head>
<body><h1>Checkout</h1><form method="post" action="/checkout"><input name="email" value="a@example.com">${body}
<button>Pay</button></form></body></html>`;

const PAGES: Record<string, string> = {
  // What sites paste today: a blocking script in <head> and a DOM-ready snippet (jQuery's $(fn), here without jQuery).
  today: page(
    `<script src="${riskSrc}"></script>`,
    `<input type="hidden" name="wepay_risk_token" id="risk">
<script>document.addEventListener('DOMContentLoaded', function () {
  WePay.risk.generate_risk_token();
  document.getElementById('risk').value = WePay.risk.get_risk_token();
});</script>`,
  ),
  element: page(
    `<script type="module" src="/wepay-risk-token.min.js"></script>`,
    `<wepay-risk-token src="${riskSrc}"></wepay-risk-token>`,
  ),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

async function main(): Promise<void> {
  const bundle = await readFile('dist/wepay-risk-token.min.js');
  const standIn = await readFile('dist/testing/risk-stand-in.js');
  const posts: Array<{ token: string; at: number }> = [];
  let navigationStart = 0;

  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/risk.js') {
      await new Promise((resolve) => setTimeout(resolve, RISK_DELAY_MS));
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(standIn);
    } else if (url.pathname === '/wepay-risk-token.min.js') {
      response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(bundle);
    } else if (url.pathname === '/checkout' && request.method === 'POST') {
      let body = '';
      for await (const chunk of request) body += chunk;
      posts.push({ token: new URLSearchParams(body).get('wepay_risk_token') ?? '', at: Date.now() - navigationStart });
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>done</title>done');
    } else if (PAGES[url.pathname.slice(1)]) {
      response.writeHead(200, { 'content-type': 'text/html', 'cache-control': 'no-store' }).end(PAGES[url.pathname.slice(1)]);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const browser = await puppeteer.launch({ executablePath: chromePath, headless: true, args: chromeArgs });

  const results: Record<string, { fcp: number[]; dcl: number[]; postAt: number[]; valid: number; zero: number }> = {};
  for (const name of Object.keys(PAGES)) results[name] = { fcp: [], dcl: [], postAt: [], valid: 0, zero: 0 };

  try {
    for (let run = 0; run < RUNS; run += 1) {
      for (const name of run % 2 ? ['element', 'today'] : ['today', 'element']) {
        const tab = await browser.newPage();
        const before = posts.length;
        navigationStart = Date.now();
        await tab.goto(`${origin}/${name}`, { waitUntil: 'domcontentloaded' });
        const wait = SUBMIT_AT_MS - (Date.now() - navigationStart);
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const navigated = tab.waitForNavigation();
        await tab.evaluate(() => document.querySelector('form')!.requestSubmit());
        await navigated;
        await tab.close();
        const post = posts[before];
        if (!post) throw new Error(`${name}: no post arrived`);
        const result = results[name]!;
        result.postAt.push(post.at);
        if (UUID.test(post.token)) result.valid += 1;
        if (post.token === '0' || post.token === '') result.zero += 1;
      }
    }
    // Paint timings come from separate loads that are not submitted, so the submit does not cut them short.
    for (let run = 0; run < RUNS; run += 1) {
      for (const name of run % 2 ? ['element', 'today'] : ['today', 'element']) {
        const tab = await browser.newPage();
        await tab.goto(`${origin}/${name}`, { waitUntil: 'load' });
        const timing = await tab.evaluate(async () => ({
          dcl: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
          fcp: await new Promise<number>((resolve) =>
            new PerformanceObserver((list) => {
              const paint = list.getEntriesByName('first-contentful-paint')[0];
              if (paint) resolve(paint.startTime);
            }).observe({ type: 'paint', buffered: true }),
          ),
        }));
        results[name]!.dcl.push(timing.dcl);
        results[name]!.fcp.push(timing.fcp);
        await tab.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }

  const today = results.today!;
  const element = results.element!;
  const row = (label: string, a: string, b: string, ratio = '') =>
    console.log(`${label.padEnd(44)}${a.padStart(14)}${b.padStart(18)}${ratio.padStart(10)}`);
  console.log(`\n${RUNS} runs each, alternating; Risk.js answered after ${RISK_DELAY_MS} ms, token made ${RISK_LATENCY_MS} ms after`);
  console.log(`generate_risk_token(); form submitted ${SUBMIT_AT_MS} ms after navigation. Medians.\n`);
  row('', 'today', 'element', 'ratio');
  row('bytes before first paint (Risk.js, blocking)', `${(await readFile('dist/testing/risk-stand-in.js')).length} B*`, '0 B');
  row('element bundle, minified / gzip', '—', `${bundle.length} / ${gzipSync(bundle).length} B`);
  const ms = (values: number[]) => `${median(values).toFixed(0)} ms`;
  row('DOMContentLoaded', ms(today.dcl), ms(element.dcl), `${(median(element.dcl) / median(today.dcl)).toFixed(2)}×`);
  row('first contentful paint', ms(today.fcp), ms(element.fcp), `${(median(element.fcp) / median(today.fcp)).toFixed(2)}×`);
  row('post received at (after navigation)', ms(today.postAt), ms(element.postAt), `${(median(element.postAt) / median(today.postAt)).toFixed(2)}×`);
  row('posts carrying a real UUID', `${today.valid}/${RUNS}`, `${element.valid}/${RUNS}`);
  row('posts carrying 0 or nothing', `${today.zero}/${RUNS}`, `${element.zero}/${RUNS}`);
  console.log('\n* the offline stand-in\'s size; the real Risk.js is larger and is fetched from WePay\'s CDN.');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
