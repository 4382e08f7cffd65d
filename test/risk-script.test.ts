import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import {
  openGate,
  eachTestOnACleanPage,
  requestCount,
  scriptsFor,
  standInCounters,
  standInUrl,
  UUID,
} from './support/risk-js.js';

describe('<wepay-risk-token> and the Risk.js script', () => {
  const events = eachTestOnACleanPage();

  it('many elements with the same src share one request, one generate call and one token', async () => {
    const src = standInUrl();
    const page = await fixture<HTMLDivElement>(html`
      <div>
        <form><wepay-risk-token trigger="eager" src=${src}></wepay-risk-token></form>
        <form><wepay-risk-token trigger="eager" src=${src}></wepay-risk-token></form>
        <form><wepay-risk-token trigger="idle" src=${src}></wepay-risk-token></form>
      </div>
    `);
    const elements = [...page.querySelectorAll('wepay-risk-token')];
    const tokens = await Promise.all(elements.map(async (el) => (await events.next(el, 'wepay-risk-token-ready')).detail.token));
    expect(new Set(tokens).size).to.equal(1);
    expect(tokens[0]).to.match(UUID);
    for (const form of page.querySelectorAll('form')) expect(new FormData(form).get('wepay_risk_token')).to.equal(tokens[0]);
    expect(await requestCount(src)).to.equal(1);
    expect(standInCounters().generateCalls).to.equal(1);
    expect(standInCounters().runs).to.equal(1);
  });

  it('reuses a <script> with that src the page already has, still loading', async () => {
    const src = standInUrl({ gate: `existing-${Math.random()}` });
    const script = document.createElement('script');
    script.src = src;
    document.head.append(script);
    const form = await fixture<HTMLFormElement>(html`<form><wepay-risk-token trigger="manual" src=${src}></wepay-risk-token></form>`);
    const el = form.querySelector('wepay-risk-token')!;
    const token = el.generate();
    expect(scriptsFor(src)).to.have.length(1);
    await openGate(new URL(src, location.href).searchParams.get('gate')!);
    expect(await token).to.match(UUID);
    expect(await requestCount(src)).to.equal(1);
  });

  it('reuses an existing window.WePay.risk without any request', async () => {
    const pasted = standInUrl();
    await new Promise((resolve) => {
      const script = document.createElement('script');
      script.src = pasted;
      script.onload = resolve;
      document.head.append(script);
    });
    const src = standInUrl();
    const form = await fixture<HTMLFormElement>(html`<form><wepay-risk-token trigger="manual" src=${src}></wepay-risk-token></form>`);
    const token = await form.querySelector('wepay-risk-token')!.generate();
    expect(token).to.match(UUID);
    expect(await requestCount(src)).to.equal(0);
    expect(standInCounters().generateCalls).to.equal(1);
  });

  it('elements added after the token is ready get the same token without a new request', async () => {
    const src = standInUrl();
    const first = await fixture<HTMLFormElement>(html`<form><wepay-risk-token trigger="manual" src=${src}></wepay-risk-token></form>`);
    const token = await first.querySelector('wepay-risk-token')!.generate();
    const second = await fixture<HTMLFormElement>(html`<form><wepay-risk-token trigger="eager" src=${src}></wepay-risk-token></form>`);
    const { detail } = await events.next(second.querySelector('wepay-risk-token')!, 'wepay-risk-token-ready');
    expect(detail.token).to.equal(token);
    expect(await requestCount(src)).to.equal(1);
    expect(standInCounters().generateCalls).to.equal(1);
  });

  it('a src that is not an http(s) URL is load-failed, and nothing is injected', async () => {
    const form = await fixture<HTMLFormElement>(html`<form><wepay-risk-token trigger="manual" src="javascript:alert(1)"></wepay-risk-token></form>`);
    const before = document.scripts.length;
    const reason = await form.querySelector('wepay-risk-token')!.generate().catch((error) => error.reason);
    expect(reason).to.equal('load-failed');
    expect(document.scripts.length).to.equal(before);
  });
});
