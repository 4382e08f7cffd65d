import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { resetRiskJs, standInCounters, UUID } from './support/risk-js.js';

interface Risk {
  generate_risk_token(): unknown;
  get_risk_token(): unknown;
}

/** Runs the stand-in from the test server with `query`, as a page's `<script src>` would. */
async function runStandIn(query: Record<string, string>): Promise<Risk | undefined> {
  const script = document.createElement('script');
  script.src = `/src/testing/risk-stand-in.ts?${new URLSearchParams({ run: Math.random().toString(36), ...query })}`;
  await new Promise((resolve, reject) => {
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
  return (window as { WePay?: { risk?: Risk } }).WePay?.risk;
}

describe('the Risk.js stand-in (test kit)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    clock.restore();
    resetRiskJs();
    for (const script of document.querySelectorAll('script[src*="risk-stand-in"]')) script.remove();
  });

  it('defines WePay.risk whose get_risk_token() gives 0 until a token exists', async () => {
    const risk = (await runStandIn({ auto: 'off' }))!;
    expect(risk.get_risk_token()).to.equal(0);
    clock.tick(60_000);
    expect(risk.get_risk_token()).to.equal(0);
  });

  it('generate_risk_token() returns nothing and finishes asynchronously after the latency', async () => {
    const risk = (await runStandIn({ auto: 'off', latency: '300' }))!;
    expect(risk.generate_risk_token()).to.equal(undefined);
    expect(risk.get_risk_token()).to.equal(0);
    clock.tick(299);
    expect(risk.get_risk_token()).to.equal(0);
    clock.tick(1);
    expect(risk.get_risk_token()).to.match(UUID);
  });

  it('gives the same UUID every time, and a second generate_risk_token() has no effect', async () => {
    const risk = (await runStandIn({ auto: 'off', latency: '10' }))!;
    risk.generate_risk_token();
    clock.tick(10);
    const token = risk.get_risk_token();
    risk.generate_risk_token();
    clock.tick(1000);
    expect(risk.get_risk_token()).to.equal(token);
    expect(standInCounters().generateCalls).to.equal(2);
  });

  it('left alone, generates 5 s after the window load event (here: after it runs, as load has passed)', async () => {
    const risk = (await runStandIn({ latency: '1' }))!;
    clock.tick(5_000);
    expect(risk.get_risk_token()).to.equal(0);
    clock.tick(1);
    expect(risk.get_risk_token()).to.match(UUID);
    expect(standInCounters().generateCalls).to.equal(0);
  });

  it('produces the configured token and "not yet" value', async () => {
    const token = '123e4567-e89b-12d3-a456-426655440000';
    const risk = (await runStandIn({ auto: 'off', latency: '1', token, pending: '"0"' }))!;
    expect(risk.get_risk_token()).to.equal('0');
    risk.generate_risk_token();
    clock.tick(1);
    expect(risk.get_risk_token()).to.equal(token);
  });

  it('fault variants: empty, no-risk, throws, never, value', async () => {
    expect(await runStandIn({ fault: 'empty' })).to.equal(undefined);
    expect((window as { WePay?: unknown }).WePay).to.equal(undefined);

    expect(await runStandIn({ fault: 'no-risk' })).to.equal(undefined);
    expect((window as { WePay?: unknown }).WePay).to.deep.equal({});

    const throwing = (await runStandIn({ fault: 'throws' }))!;
    expect(() => throwing.generate_risk_token()).to.throw();
    expect(() => throwing.get_risk_token()).to.throw();

    const never = (await runStandIn({ fault: 'never', auto: 'off', latency: '1' }))!;
    never.generate_risk_token();
    clock.tick(60_000);
    expect(never.get_risk_token()).to.equal(0);

    const odd = (await runStandIn({ fault: 'value', value: '"ab"', repeat: '3', auto: 'off', latency: '1' }))!;
    odd.generate_risk_token();
    clock.tick(1);
    expect(odd.get_risk_token()).to.equal('ababab');
  });

  it('counts its runs and calls across reloads', async () => {
    const first = (await runStandIn({ auto: 'off' }))!;
    first.get_risk_token();
    await runStandIn({ auto: 'off' });
    expect(standInCounters()).to.deep.equal({ runs: 2, generateCalls: 0, getCalls: 1 });
  });
});
