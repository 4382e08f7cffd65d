import { expect } from '@open-wc/testing';
import {
  afterPendingTasks,
  cspPage,
  isFlashMovieViolation,
  MODULES,
  newNonce,
  profilingPolicyScript,
} from './support/csp-page.js';
import {
  answerWePayHosts,
  profilingRequests,
  requestCount,
  UUID,
  WEPAY_PROFILING,
  wepayStandInUrl,
} from './support/risk-js.js';

const PROFILING_SCRIPT = `${WEPAY_PROFILING}/fp/check.js`;
const PROFILING_BEACON = `${WEPAY_PROFILING}/fp/clear.png`;

/** How many requests the test server has seen with `match` in their path and query. */
async function requestsFor(match: string): Promise<number> {
  return ((await (await fetch(`/__requests?match=${encodeURIComponent(match)}`)).json()) as { count: number }).count;
}

interface Checkout {
  /** The policy, exactly as the README gives it; `{NONCE}` is replaced by the page's nonce. */
  policy: string;
  /** Whether the element carries the page's nonce. */
  elementNonce?: boolean;
  /** Whether the page has the `default` Trusted Types policy the README gives for Risk.js's profiling. */
  profilingPolicy?: boolean;
}

/**
 * A checkout page served under `policy` whose element loads Risk.js from static.wepay.com (the stand-in, which
 * profiles at t.wepay.com), and what came of it: the outcome, the posted field, how each profiling request
 * ended, how many profiling requests for the token reached WePay's host, the violations and page errors.
 */
async function checkoutUnder({ policy, elementNonce = true, profilingPolicy = false }: Checkout) {
  const nonce = newNonce();
  const src = wepayStandInUrl();
  const { page, log, outcome, settled } = await cspPage(policy.replaceAll('{NONCE}', nonce), nonce, {
    modules: MODULES.bundle,
    head: profilingPolicy ? profilingPolicyScript(nonce, WEPAY_PROFILING) : '',
    body: `<form><wepay-risk-token trigger="eager" ${elementNonce ? `nonce="${nonce}"` : ''} src="${src}"></wepay-risk-token></form>`,
  });
  const result = await outcome();
  const posted = new page.FormData(page.document.querySelector('form')!).get('wepay_risk_token');
  const container = page.document.getElementById('WePay-tags');
  const script = container?.querySelector('script')?.src;
  const beacon = container?.querySelector('img')?.src;
  const requests = {
    script: script === undefined ? 'none' : await settled(script),
    beacon: beacon === undefined ? 'none' : await settled(beacon),
  };
  await afterPendingTasks(page);
  return {
    result,
    posted,
    requests,
    profiled: 'token' in result ? await profilingRequests(result.token) : { script: 0, beacon: 0 },
    riskJsRequests: await requestCount(src),
    violations: log.violations
      .filter((violation) => !isFlashMovieViolation(violation))
      .map(({ directive, blocked }) => `${directive} ${blocked.split('?')[0]}`),
    // Risk.js's Flash `<object>`: `object-src` refuses it in Chromium and WebKit; no browser requests it.
    flashMovie: {
      violations: log.violations.filter(isFlashMovieViolation).map(({ blocked }) => blocked.split('?')[0]),
      requests: await requestsFor('/fp/fp.swf?'),
    },
    errors: log.errors,
  };
}

/** The token posted, and WePay's host got both profiling requests for it, with nothing blocked. */
function expectProfiled(checkout: Awaited<ReturnType<typeof checkoutUnder>>): void {
  expect(checkout.result).to.have.property('token').that.matches(UUID);
  expect(checkout.posted).to.equal((checkout.result as { token: string }).token);
  expect(checkout.requests).to.deep.equal({ script: 'load', beacon: 'load' });
  expect(checkout.profiled).to.deep.equal({ script: 1, beacon: 1 });
  expect(checkout.violations).to.deep.equal([]);
  expect(checkout.flashMovie.requests).to.equal(0);
  expect(checkout.flashMovie.violations.every((blocked) => blocked === WEPAY_PROFILING)).to.equal(true);
  expect(checkout.errors).to.deep.equal([]);
}

describe("Risk.js's device profiling under the README's Content-Security-Policies (WePay's hosts answered locally)", () => {
  before(async () => {
    const hosts = await answerWePayHosts({ on: true });
    if (!hosts.supported) throw new Error(`WePay's hosts cannot be answered locally: ${hosts.reason}.`);
  });
  after(() => answerWePayHosts({ on: false }));

  describe('a nonce', () => {
    it("script-src 'nonce-…' alone blocks the profiling script Risk.js creates (it has no nonce); the token posts, unprofiled", async () => {
      const checkout = await checkoutUnder({ policy: "script-src 'nonce-{NONCE}'" });
      expect(checkout.result).to.have.property('token').that.matches(UUID);
      expect(checkout.posted).to.equal((checkout.result as { token: string }).token);
      expect(checkout.riskJsRequests).to.equal(1);
      expect(checkout.requests).to.deep.equal({ script: 'error', beacon: 'load' });
      expect(checkout.profiled).to.deep.equal({ script: 0, beacon: 1 });
      expect(checkout.violations).to.deep.equal([`script-src-elem ${PROFILING_SCRIPT}`]);
      expect(checkout.errors).to.deep.equal([]);
    });

    it("script-src 'nonce-…' https://t.wepay.com lets it profile", async () => {
      expectProfiled(await checkoutUnder({ policy: "script-src 'nonce-{NONCE}' https://t.wepay.com" }));
    });
  });

  it("'strict-dynamic' trusts the profiling script that the trusted Risk.js creates", async () => {
    expectProfiled(
      await checkoutUnder({
        policy:
          "script-src 'nonce-{NONCE}' 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'; base-uri 'none'",
        elementNonce: false,
      }),
    );
  });

  describe('a host-source for Risk.js', () => {
    it('https://static.wepay.com/min/js/ alone blocks the profiling script; the token posts, unprofiled', async () => {
      const checkout = await checkoutUnder({
        policy: "script-src 'nonce-{NONCE}' https://static.wepay.com/min/js/",
        elementNonce: false,
      });
      expect(checkout.result).to.have.property('token').that.matches(UUID);
      expect(checkout.requests).to.deep.equal({ script: 'error', beacon: 'load' });
      expect(checkout.profiled).to.deep.equal({ script: 0, beacon: 1 });
      expect(checkout.violations).to.deep.equal([`script-src-elem ${PROFILING_SCRIPT}`]);
    });

    it('with https://t.wepay.com beside it, Risk.js profiles', async () => {
      expectProfiled(
        await checkoutUnder({
          policy: "script-src 'nonce-{NONCE}' https://static.wepay.com/min/js/ https://t.wepay.com",
          elementNonce: false,
        }),
      );
    });
  });

  describe('img-src', () => {
    it("default-src 'self' blocks the profiling beacons unless img-src lists https://t.wepay.com", async () => {
      const checkout = await checkoutUnder({
        policy: "default-src 'self'; script-src 'nonce-{NONCE}' https://t.wepay.com",
      });
      expect(checkout.result).to.have.property('token').that.matches(UUID);
      expect(checkout.requests).to.deep.equal({ script: 'load', beacon: 'error' });
      expect(checkout.profiled).to.deep.equal({ script: 1, beacon: 0 });
      // The <img> beacon's, and the background beacon's once the page styles it: one URL.
      expect([...new Set(checkout.violations)]).to.deep.equal([`img-src ${PROFILING_BEACON}`]);
    });

    it("default-src 'self'; script-src 'nonce-…' https://t.wepay.com; img-src 'self' https://t.wepay.com lets it profile", async () => {
      expectProfiled(
        await checkoutUnder({
          policy:
            "default-src 'self'; script-src 'nonce-{NONCE}' https://t.wepay.com; img-src 'self' https://t.wepay.com",
        }),
      );
    });
  });

  describe('Trusted Types', () => {
    it("without a default policy Risk.js's generate_risk_token() throws: api-error, the form posts without a token, nothing escapes", async () => {
      const checkout = await checkoutUnder({
        policy:
          "script-src 'nonce-{NONCE}' https://t.wepay.com; require-trusted-types-for 'script'; trusted-types wepay-risk-token",
      });
      expect(checkout.result).to.have.property('reason', 'api-error');
      expect(checkout.posted).to.equal('');
      expect(checkout.requests).to.deep.equal({ script: 'none', beacon: 'none' });
      expect(checkout.violations).to.deep.equal(['require-trusted-types-for trusted-types-sink']);
      expect(checkout.errors).to.deep.equal([]);
    });

    it('with the default policy that passes https://t.wepay.com/fp/ script URLs, Risk.js profiles', async () => {
      expectProfiled(
        await checkoutUnder({
          policy:
            "script-src 'nonce-{NONCE}' https://t.wepay.com; require-trusted-types-for 'script'; trusted-types wepay-risk-token default",
          profilingPolicy: true,
        }),
      );
    });
  });

  describe('an ad blocker', () => {
    afterEach(() => answerWePayHosts({ on: true }));

    it('that blocks t.wepay.com leaves the token unprofiled; it still posts', async () => {
      await answerWePayHosts({ on: true, blocked: ['t.wepay.com'] });
      const checkout = await checkoutUnder({ policy: "script-src 'nonce-{NONCE}' https://t.wepay.com" });
      expect(checkout.result).to.have.property('token').that.matches(UUID);
      expect(checkout.posted).to.equal((checkout.result as { token: string }).token);
      expect(checkout.requests).to.deep.equal({ script: 'error', beacon: 'error' });
      expect(checkout.profiled).to.deep.equal({ script: 0, beacon: 0 });
      expect(checkout.errors).to.deep.equal([]);
    });

    it('that blocks static.wepay.com too gives load-failed; the form posts without a token', async () => {
      await answerWePayHosts({ on: true, blocked: ['static.wepay.com', 't.wepay.com'] });
      const checkout = await checkoutUnder({ policy: "script-src 'nonce-{NONCE}' https://t.wepay.com" });
      expect(checkout.result).to.have.property('reason', 'load-failed');
      expect(checkout.posted).to.equal('');
      expect(checkout.riskJsRequests).to.equal(0);
      expect(checkout.errors).to.deep.equal([]);
    });
  });
});
