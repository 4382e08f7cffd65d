import { expect } from '@open-wc/testing';
import sinon from 'sinon';
import { cspPage, newNonce } from './support/csp-page.js';
import {
  openGate,
  profilingFinished,
  profilingRequests,
  resetRiskJs,
  standInCounters,
  standInUrl,
  UUID,
} from './support/risk-js.js';

interface Risk {
  generate_risk_token(): unknown;
  get_risk_token(): unknown;
}

/** The shape of the session ids WePay's SDK makes: lower-case, version 4, RFC 4122 variant. */
const V4_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The stand-in's default profiling beacon: a transparent 1×1 GIF. */
const PIXEL_GIF_BASE64 = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

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

function containers(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>('#WePay-tags')];
}

describe('the Risk.js stand-in (test kit)', () => {
  let clock: sinon.SinonFakeTimers;
  beforeEach(() => {
    clock = sinon.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  });
  afterEach(() => {
    clock.restore();
    sinon.restore();
    resetRiskJs();
    for (const script of document.querySelectorAll('script[src*="risk-stand-in"]')) script.remove();
  });

  describe('by default, as WePay’s Risk.js', () => {
    it('get_risk_token() gives the number 0 before generate_risk_token() has run', async () => {
      const risk = (await runStandIn({ auto: 'off' }))!;
      expect(risk.get_risk_token()).to.equal(0);
      clock.tick(60_000);
      expect(risk.get_risk_token()).to.equal(0);
      expect(containers()).to.have.length(0);
    });

    it('generate_risk_token() is synchronous: it returns nothing, and get_risk_token() right after gives a lower-case v4 UUID', async () => {
      const risk = (await runStandIn({ auto: 'off' }))!;
      expect(risk.generate_risk_token()).to.equal(undefined);
      const token = risk.get_risk_token();
      expect(token).to.be.a('string').that.matches(V4_UUID);
    });

    it('makes the session id with Math.random, as the SDK does', async () => {
      const risk = (await runStandIn({ auto: 'off' }))!;
      sinon.stub(Math, 'random').returns(0);
      risk.generate_risk_token();
      expect(risk.get_risk_token()).to.equal('00000000-0000-4000-8000-000000000000');
    });

    it('caches the id: later calls change nothing, and every get_risk_token() gives the same UUID', async () => {
      const risk = (await runStandIn({ auto: 'off' }))!;
      risk.generate_risk_token();
      const token = risk.get_risk_token();
      risk.generate_risk_token();
      clock.tick(60_000);
      expect(risk.get_risk_token()).to.equal(token);
      expect(containers()).to.have.length(1);
      expect(standInCounters().generateCalls).to.equal(2);
    });

    it('appends one hidden <div id="WePay-tags"> to <body>, as the SDK builds it: a background beacon, a beacon image, a profiling script and a Flash object, each naming the session', async () => {
      const risk = (await runStandIn({ auto: 'off' }))!;
      risk.generate_risk_token();
      const id = risk.get_risk_token() as string;

      const [container] = containers();
      expect(containers()).to.have.length(1);
      expect(container!.parentElement).to.equal(document.body);
      const box = container!.getBoundingClientRect();
      expect(box.right <= 0 || box.height === 0, 'off screen or without height').to.equal(true);

      const [background, image, script, movie] = [...container!.children] as [
        HTMLDivElement,
        HTMLImageElement,
        HTMLScriptElement,
        HTMLObjectElement,
      ];
      expect(container!.children).to.have.length(4);
      expect(background.localName).to.equal('div');
      expect(background.style.backgroundImage).to.equal(
        `url("data:image/gif;org_id=stand-in-org;session_id=${id};m=1;base64,${PIXEL_GIF_BASE64}")`,
      );
      expect(image.src).to.equal(`data:image/gif;org_id=stand-in-org;session_id=${id};m=2;base64,${PIXEL_GIF_BASE64}`);
      expect(image.alt).to.equal('');
      expect(script.src).to.equal(`data:text/javascript;org_id=stand-in-org;session_id=${id},`);
      expect(script.type).to.equal('text/javascript');
      expect(script.nonce).to.equal('');
      expect(movie).to.be.instanceOf(HTMLObjectElement);
      expect(movie.type).to.equal('application/x-shockwave-flash');
      expect(movie.data).to.equal(`data:application/x-shockwave-flash;org_id=stand-in-org;session_id=${id},`);
      expect(movie.querySelector('param[name="movie"]')!.getAttribute('value')).to.equal(movie.data);
    });

    it('profiles from data: URLs (an empty script, a 1×1 GIF) that load with no server to answer them: no request leaves the page', async () => {
      const risk = (await runStandIn({ auto: 'off' }))!;
      risk.generate_risk_token();
      const id = risk.get_risk_token() as string;
      const script = containers()[0]!.querySelector('script')!;
      const image = containers()[0]!.querySelector('img')!;
      await Promise.all([
        new Promise((loaded, failed) => {
          script.addEventListener('load', loaded);
          script.addEventListener('error', failed);
        }),
        image.decode(),
      ]);
      expect(image.naturalWidth).to.equal(1);
      expect(performance.getEntriesByType('resource').filter(({ name }) => name.includes(id))).to.deep.equal([]);
      expect(await profilingRequests(id)).to.deep.equal({ script: 0, beacon: 0 });
    });

    it('with profile=/, profiles against the server that served it, so a test can ask which session was profiled', async () => {
      const risk = (await runStandIn({ auto: 'off', profile: '/' }))!;
      risk.generate_risk_token();
      const id = risk.get_risk_token() as string;
      expect(containers()[0]!.querySelector('script')!.src).to.equal(
        `${location.origin}/fp/check.js?org_id=stand-in-org&session_id=${id}`,
      );
      await profilingFinished();
      expect(await profilingRequests(id)).to.deep.equal({ script: 1, beacon: 1 });
    });

    it('profiles against the `profile` base URL with the `org` org_id when given', async () => {
      const profile = `${location.origin}/elsewhere`;
      const risk = (await runStandIn({ auto: 'off', profile, org: 'demo-org' }))!;
      risk.generate_risk_token();
      const id = risk.get_risk_token() as string;
      const container = containers()[0]!;
      expect(container.querySelector('script')!.src).to.equal(
        `${profile}/fp/check.js?org_id=demo-org&session_id=${id}`,
      );
      expect(container.querySelector('img')!.src).to.equal(
        `${profile}/fp/clear.png?org_id=demo-org&session_id=${id}&m=2`,
      );
      expect(container.querySelector('object')!.data).to.equal(`${profile}/fp/fp.swf?org_id=demo-org&session_id=${id}`);
      await profilingFinished();
      expect(await profilingRequests(id)).to.deep.equal({ script: 1, beacon: 1 });
    });

    it('a second run while WePay.risk is in the page keeps it, with its session and token, as the SDK keeps every member it finds', async () => {
      const first = (await runStandIn({ auto: 'off', profile: '/' }))!;
      first.generate_risk_token();
      const token = first.get_risk_token();

      const second = (await runStandIn({ auto: 'off', profile: '/', fault: 'throws' }))!;
      expect(second).to.equal(first);
      second.generate_risk_token();
      expect(second.get_risk_token()).to.equal(token);
      expect(containers()).to.have.length(1);
      expect(standInCounters().runs).to.equal(2);
    });

    it('a run after window.WePay was removed makes a new id, but beside the old #WePay-tags adds no container: that session is not profiled', async () => {
      const first = (await runStandIn({ auto: 'off', profile: '/' }))!;
      first.generate_risk_token();
      const firstId = first.get_risk_token();

      delete (window as { WePay?: unknown }).WePay;
      const second = (await runStandIn({ auto: 'off', profile: '/' }))!;
      expect(second).not.to.equal(first);
      expect(second.get_risk_token()).to.equal(0);
      second.generate_risk_token();
      const secondId = second.get_risk_token() as string;
      expect(secondId).to.match(V4_UUID);
      expect(secondId).not.to.equal(firstId);
      expect(containers()).to.have.length(1);
      expect(document.querySelector(`#WePay-tags script[src*="${secondId}"]`)).to.equal(null);
      await profilingFinished();
      expect(await profilingRequests(secondId)).to.deep.equal({ script: 0, beacon: 0 });
    });

    it('keeps its session in WePay.tags.device_token, as the SDK does: a run after only WePay.risk was removed goes on with that token', async () => {
      const first = (await runStandIn({ auto: 'off', profile: '/' }))!;
      first.generate_risk_token();
      const token = first.get_risk_token();
      const wepay = (window as { WePay?: { risk?: unknown; tags?: { device_token: unknown } } }).WePay!;
      expect(wepay.tags).to.deep.equal({ device_token: token });

      delete wepay.risk;
      const second = (await runStandIn({ auto: 'off', profile: '/' }))!;
      expect(second).not.to.equal(first);
      expect(second.get_risk_token()).to.equal(token);
      second.generate_risk_token();
      expect(second.get_risk_token()).to.equal(token);
      expect(containers()).to.have.length(1);
    });

    it('extends a WePay the page already has (another WePay script), never replacing it', async () => {
      const wepay = { iframe_checkout() {} };
      (window as { WePay?: unknown }).WePay = wepay;
      const risk = (await runStandIn({ auto: 'off' }))!;
      expect((window as { WePay?: unknown }).WePay).to.equal(wepay);
      expect(wepay).to.have.property('risk', risk);
      expect(wepay.iframe_checkout).to.be.a('function');
    });

    it('throws a TypeError when there is no <body> yet, caching nothing; a later call profiles and caches', async () => {
      const risk = (await runStandIn({ auto: 'off' }))!;
      const body = document.body;
      body.remove();
      let thrown: unknown;
      try {
        risk.generate_risk_token();
      } catch (error) {
        thrown = error;
      } finally {
        document.documentElement.append(body);
      }
      expect(thrown).to.be.instanceOf(TypeError);
      expect(String(thrown)).to.contain('appendChild');
      expect(risk.get_risk_token()).to.equal(0);

      risk.generate_risk_token();
      expect(risk.get_risk_token()).to.match(V4_UUID);
      expect(containers()).to.have.length(1);
    });

    it('a run after the window load event never generates by itself: it waits for a load event that has passed', async () => {
      const risk = (await runStandIn({}))!;
      clock.tick(60_000);
      expect(risk.get_risk_token()).to.equal(0);
      expect(containers()).to.have.length(0);
    });

    it('left alone in a page still loading, generates 5 s after the window load event', async () => {
      const loadGate = `load-${Math.random().toString(36).slice(2)}`;
      const id = `parsed-${loadGate}`;
      const html = `<!doctype html><head><script src="/src/testing/risk-stand-in.ts?run=${id}"></script></head>
        <body><img alt="" src="/__held?gate=${loadGate}"><script>parent.postMessage('${id}', '*')</script></body>`;
      const parsed = new Promise((resolve) =>
        window.addEventListener('message', (event) => event.data === id && resolve(undefined)),
      );
      const frame = document.createElement('iframe');
      frame.src = `/__page?${new URLSearchParams({ html })}`;
      document.body.append(frame);
      try {
        await parsed;
        const page = frame.contentWindow as Window & { WePay: { risk: Risk } };
        // The frame's own timers: sinon takes `global` (fake-timers' withGlobal), which its types leave out.
        const onPage = { global: page, toFake: ['setTimeout', 'clearTimeout'] };
        const pageClock = sinon.useFakeTimers(onPage as Parameters<typeof sinon.useFakeTimers>[0]);
        try {
          pageClock.tick(60_000);
          expect(page.WePay.risk.get_risk_token()).to.equal(0);
          const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
          await openGate(loadGate);
          await loaded;
          pageClock.tick(4_999);
          expect(page.WePay.risk.get_risk_token()).to.equal(0);
          expect(page.document.getElementById('WePay-tags')).to.equal(null);
          pageClock.tick(1);
          expect(page.WePay.risk.get_risk_token()).to.match(V4_UUID);
          expect(page.document.getElementById('WePay-tags')!.parentElement).to.equal(page.document.body);
        } finally {
          pageClock.restore();
        }
      } finally {
        frame.remove();
      }
    });
  });

  describe('with `latency` (asynchronous generation)', () => {
    it('profiles at once, and get_risk_token() gives the token only `latency` ms after generate_risk_token()', async () => {
      const risk = (await runStandIn({ auto: 'off', latency: '300' }))!;
      expect(risk.generate_risk_token()).to.equal(undefined);
      expect(containers()).to.have.length(1);
      expect(risk.get_risk_token()).to.equal(0);
      clock.tick(299);
      expect(risk.get_risk_token()).to.equal(0);
      clock.tick(1);
      const token = risk.get_risk_token() as string;
      expect(token).to.match(V4_UUID);
      expect(containers()[0]!.querySelector('script')!.src).to.contain(`session_id=${token}`);
    });

    it('a second generate_risk_token() neither restarts the wait nor changes the token', async () => {
      const risk = (await runStandIn({ auto: 'off', latency: '10' }))!;
      risk.generate_risk_token();
      clock.tick(5);
      risk.generate_risk_token();
      clock.tick(5);
      const token = risk.get_risk_token();
      expect(token).to.match(V4_UUID);
      clock.tick(1000);
      expect(risk.get_risk_token()).to.equal(token);
    });
  });

  describe('options', () => {
    it('`token` sets the session id, and `pending` the "not yet" value', async () => {
      const token = '123e4567-e89b-12d3-a456-426655440000';
      const risk = (await runStandIn({ auto: 'off', token, pending: '"0"' }))!;
      expect(risk.get_risk_token()).to.equal('0');
      risk.generate_risk_token();
      expect(risk.get_risk_token()).to.equal(token);
      expect(containers()[0]!.querySelector('script')!.src).to.contain(`session_id=${token}`);
    });

    it('fault variants: empty, no-risk, throws, throws-get, never, value', async () => {
      expect(await runStandIn({ fault: 'empty' })).to.equal(undefined);
      expect((window as { WePay?: unknown }).WePay).to.equal(undefined);

      expect(await runStandIn({ fault: 'no-risk' })).to.equal(undefined);
      expect((window as { WePay?: unknown }).WePay).to.deep.equal({});

      const throwing = (await runStandIn({ fault: 'throws' }))!;
      expect(() => throwing.generate_risk_token()).to.throw();
      expect(() => throwing.get_risk_token()).to.throw();

      resetRiskJs();
      const throwingGet = (await runStandIn({ fault: 'throws-get', auto: 'off' }))!;
      expect(() => throwingGet.generate_risk_token()).not.to.throw();
      expect(() => throwingGet.get_risk_token()).to.throw();
      resetRiskJs();

      const never = (await runStandIn({ fault: 'never', auto: 'off' }))!;
      never.generate_risk_token();
      clock.tick(60_000);
      expect(never.get_risk_token()).to.equal(0);
      resetRiskJs();

      const odd = (await runStandIn({ fault: 'value', value: '"ab"', repeat: '3', auto: 'off' }))!;
      odd.generate_risk_token();
      expect(odd.get_risk_token()).to.equal('ababab');
      expect(containers()[0]!.querySelector('script')!.src).to.match(/;session_id=[0-9a-f-]{36},$/);
    });

    it('counts its runs and calls across reloads', async () => {
      const first = (await runStandIn({ auto: 'off' }))!;
      first.get_risk_token();
      await runStandIn({ auto: 'off' });
      expect(standInCounters()).to.deep.equal({ runs: 2, generateCalls: 0, getCalls: 1 });
    });

    it('makes a different UUID on every page (run)', async () => {
      const tokens = new Set<unknown>();
      for (let run = 0; run < 3; run += 1) {
        const risk = (await runStandIn({ auto: 'off' }))!;
        risk.generate_risk_token();
        tokens.add(risk.get_risk_token());
        resetRiskJs();
      }
      expect(tokens.size).to.equal(3);
      for (const token of tokens) expect(token).to.match(UUID);
    });
  });
});

describe('the Risk.js stand-in under a Content-Security-Policy (test kit)', () => {
  it("script-src 'nonce-…' blocks its default data: profiling script, and the element still gets its token", async () => {
    const nonce = newNonce();
    // The stand-in with its default profiling (standInUrl() profiles against the test server).
    const src = new URL(standInUrl(), location.href);
    src.searchParams.delete('profile');
    const { page, log, outcome, settled } = await cspPage(`script-src 'nonce-${nonce}'`, nonce, {
      body: `<meta property="csp-nonce" nonce="${nonce}">
        <form><wepay-risk-token trigger="eager" src="${src.pathname}${src.search}"></wepay-risk-token></form>`,
    });

    const result = await outcome();
    expect(result).to.have.property('token').that.matches(UUID);
    const { token } = result as { token: string };
    const profilingScript = page.document.querySelector<HTMLScriptElement>('#WePay-tags script')!;
    expect(profilingScript.src).to.equal(`data:text/javascript;org_id=stand-in-org;session_id=${token},`);
    expect(await settled(profilingScript.src)).to.equal('error');
    expect(log.violations.map(({ blocked }) => blocked)).to.deep.equal(['data']);
    expect(log.errors).to.deep.equal([]);
  });
});
