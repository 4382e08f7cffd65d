import { expect, fixture, html } from '@open-wc/testing';
import '../src/index.js';
import { WePayRiskTokenError, type WePayRiskTokenElement } from '../src/index.js';
import { trustedScriptUrl } from '../src/risk-script.js';
import { allowedScriptUrl } from '../src/script-origin.js';
import {
  openGate,
  eachTestOnACleanPage,
  requestCount,
  scriptsFor,
  standInCounters,
  standInUrl,
  UUID,
} from './support/risk-js.js';

/** Adds `<script src>` to the page as a merchant pastes it, and resolves once its load or error has fired. */
async function pastedScript(src: string): Promise<Event['type']> {
  const script = document.createElement('script');
  script.src = src;
  const finished = new Promise<string>((resolve) => {
    script.addEventListener('load', () => resolve('load'));
    script.addEventListener('error', () => resolve('error'));
  });
  document.head.append(script);
  return finished;
}

/** A manual element in a form; `generate()` settles with the token or the error. */
async function manualElement(src: string, timeout = 600_000): Promise<WePayRiskTokenElement> {
  const form = await fixture<HTMLFormElement>(
    html`<form><wepay-risk-token trigger="manual" timeout=${timeout} src=${src}></wepay-risk-token></form>`,
  );
  return form.querySelector('wepay-risk-token')!;
}

/** Every `<script>` added to the document until `stop()`. */
function watchAddedScripts(): { stop(): HTMLScriptElement[] } {
  const added: HTMLScriptElement[] = [];
  const record = (records: MutationRecord[]) => {
    for (const record of records)
      added.push(...[...record.addedNodes].filter((node) => node instanceof HTMLScriptElement));
  };
  const observer = new MutationObserver(record);
  observer.observe(document, { subtree: true, childList: true });
  return {
    stop() {
      record(observer.takeRecords());
      observer.disconnect();
      return added;
    },
  };
}

const failureOf = (promise: Promise<string>) =>
  promise.then(
    () => undefined,
    (error: WePayRiskTokenError) => error,
  );

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
    const tokens = await Promise.all(
      elements.map(async (el) => (await events.next(el, 'wepay-risk-token-ready')).detail.token),
    );
    expect(new Set(tokens).size).to.equal(1);
    expect(tokens[0]).to.match(UUID);
    for (const form of page.querySelectorAll('form'))
      expect(new FormData(form).get('wepay_risk_token')).to.equal(tokens[0]);
    expect(await requestCount(src)).to.equal(1);
    expect(standInCounters().generateCalls).to.equal(1);
    expect(standInCounters().runs).to.equal(1);
  });

  it('reuses a <script> with that src the page already has, still loading', async () => {
    const src = standInUrl({ gate: `existing-${Math.random()}` });
    const script = document.createElement('script');
    script.src = src;
    document.head.append(script);
    const form = await fixture<HTMLFormElement>(
      html`<form><wepay-risk-token trigger="manual" src=${src}></wepay-risk-token></form>`,
    );
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
    const form = await fixture<HTMLFormElement>(
      html`<form><wepay-risk-token trigger="manual" src=${src}></wepay-risk-token></form>`,
    );
    const token = await form.querySelector('wepay-risk-token')!.generate();
    expect(token).to.match(UUID);
    expect(await requestCount(src)).to.equal(0);
    expect(standInCounters().generateCalls).to.equal(1);
  });

  it('elements added after the token is ready get the same token without a new request', async () => {
    const src = standInUrl();
    const first = await fixture<HTMLFormElement>(
      html`<form><wepay-risk-token trigger="manual" src=${src}></wepay-risk-token></form>`,
    );
    const token = await first.querySelector('wepay-risk-token')!.generate();
    const second = await fixture<HTMLFormElement>(
      html`<form><wepay-risk-token trigger="eager" src=${src}></wepay-risk-token></form>`,
    );
    const { detail } = await events.next(second.querySelector('wepay-risk-token')!, 'wepay-risk-token-ready');
    expect(detail.token).to.equal(token);
    expect(await requestCount(src)).to.equal(1);
    expect(standInCounters().generateCalls).to.equal(1);
  });

  describe('a Risk.js <script> the page already has that has finished', () => {
    // The element waits up to `timeout` (here 10 minutes) on a script still loading: these end at once or not at all.
    it('one whose error already fired (a 404) is not waited on: a fresh script loads at once', async () => {
      const src = standInUrl({ first: 404 });
      expect(await pastedScript(src)).to.equal('error');
      const el = await manualElement(src);

      expect(await el.generate()).to.match(UUID);
      expect(await requestCount(src)).to.equal(2);
      expect(
        scriptsFor(src).map((script) => new URL(script.src).searchParams.get('wepay-risk-token-retry')),
      ).to.deep.equal([null, '1']);
    });

    it("one that loaded but defined nothing (an ad blocker's no-op) is not waited on: a fresh script loads at once", async () => {
      const src = standInUrl({ first: 'empty' });
      expect(await pastedScript(src)).to.equal('load');
      const el = await manualElement(src);

      expect(await el.generate()).to.match(UUID);
      expect(await requestCount(src)).to.equal(2);
    });

    it('one that left no resource-timing entry is given up after `timeout`: the next generate() loads a fresh script', async () => {
      const src = standInUrl({ first: 404 });
      expect(await pastedScript(src)).to.equal('error');
      // As when the page's resource-timing buffer was full, or the browser records no entry for a blocked request.
      performance.clearResourceTimings();
      const el = await manualElement(src, 200);

      expect((await failureOf(el.generate()))?.reason).to.equal('load-failed');
      el.timeout = 600_000;
      expect(await el.generate()).to.match(UUID);
      expect(await requestCount(src)).to.equal(2);
    });
  });

  describe('the origins it loads Risk.js from', () => {
    const page = window as { WePayRiskToken?: unknown };
    const isAllowed = (src: string) => {
      try {
        return Boolean(allowedScriptUrl(src));
      } catch (error) {
        expect(error).to.be.an.instanceOf(WePayRiskTokenError).with.property('reason', 'load-failed');
        return false;
      }
    };

    it("allows WePay's origins (https://*.wepay.com) and, on a page on a loopback host, loopback hosts, and nothing else by default", () => {
      expect(['localhost', '127.0.0.1', '[::1]']).to.include(location.hostname);
      const allowed = [
        'https://static.wepay.com/min/js/risk.js',
        'https://static.wepay.com/min/js/risk.1.latest.js',
        'https://t.wepay.com/fp/check.js',
        'http://localhost:8000/risk.js',
        'https://localhost/risk.js',
        'http://127.0.0.1/risk.js',
        'http://127.12.0.3:9000/risk.js',
        'http://[::1]:8000/risk.js',
        '/risk.js',
      ];
      const refused = [
        'https://evil.test/risk.js',
        'https://static.wepay.com.evil.test/min/js/risk.js',
        'https://evilwepay.com/risk.js',
        'https://wepay.com/risk.js',
        'http://static.wepay.com/min/js/risk.js',
        'http://localhost.evil.test/risk.js',
        'http://127.0.0.1.evil.test/risk.js',
        'javascript:alert(1)',
        'data:text/javascript,alert(1)',
        'blob:https://static.wepay.com/4f6e2c0a-9f5b-4b8e-8a43-0c1d2e3f4a5b',
      ];
      expect(allowed.filter((src) => !isAllowed(src))).to.deep.equal([]);
      expect(refused.filter(isAllowed)).to.deep.equal([]);
    });

    it('allows the exact origins a page script lists in window.WePayRiskToken.scriptOrigins, read at each load', () => {
      expect(isAllowed('https://cdn.example.test/js/risk.js')).to.equal(false);
      page.WePayRiskToken = { scriptOrigins: ['https://cdn.example.test', 'HTTPS://Other.Example.TEST:8443/'] };
      expect(isAllowed('https://cdn.example.test/js/risk.js')).to.equal(true);
      expect(isAllowed('https://other.example.test:8443/risk.js')).to.equal(true);
      expect(isAllowed('https://other.example.test/risk.js')).to.equal(false);
      expect(isAllowed('http://cdn.example.test/js/risk.js')).to.equal(false);
      page.WePayRiskToken = Object.assign(Object.create(null) as object, {
        scriptOrigins: ['https://cdn.example.test'],
      });
      expect(isAllowed('https://cdn.example.test/js/risk.js')).to.equal(true);
    });

    for (const entry of [
      'https://cdn.example.test/js/',
      'https://*.example.test',
      'http://cdn.example.test',
      'cdn.example.test',
      'https://user:secret@cdn.example.test',
    ]) {
      it(`ignores "${entry}" in scriptOrigins, and says so: only an exact https: origin counts`, () => {
        page.WePayRiskToken = { scriptOrigins: [entry] };
        expect(() => allowedScriptUrl('https://cdn.example.test/js/risk.js'))
          .to.throw(WePayRiskTokenError, 'Ignored: "')
          .with.property('message')
          .that.does.not.contain('secret');
      });
    }

    for (const [title, options] of [
      ['a string instead of an array', { scriptOrigins: 'https://cdn.example.test' }],
      ['a Set instead of an array', { scriptOrigins: new Set(['https://cdn.example.test']) }],
      ['an object that is not plain', Object.create({ scriptOrigins: ['https://cdn.example.test'] }) as object],
    ] as const) {
      it(`ignores a window.WePayRiskToken with ${title}, and says so`, () => {
        page.WePayRiskToken = options;
        expect(() => allowedScriptUrl('https://cdn.example.test/js/risk.js')).to.throw(
          WePayRiskTokenError,
          'window.WePayRiskToken is not a plain object with a scriptOrigins array',
        );
      });
    }

    /** What `allowedScriptUrl(src)` made of it (the URL's href or the error), with `polluted` set only meanwhile. */
    function allowedWhile(polluted: () => () => void, src: string): string | WePayRiskTokenError {
      const unpollute = polluted();
      try {
        return allowedScriptUrl(src).href;
      } catch (error) {
        return error as WePayRiskTokenError;
      } finally {
        unpollute();
      }
    }

    const EVIL = 'https://evil.test/risk.js';
    const NOT_OWN_DATA =
      'window.WePayRiskToken is not a plain object with a scriptOrigins array (own data properties, no holes)';

    it('ignores scriptOrigins that window.WePayRiskToken only inherits from a polluted Object.prototype', () => {
      page.WePayRiskToken = {};
      const result = allowedWhile(() => {
        (Object.prototype as { scriptOrigins?: unknown }).scriptOrigins = ['https://evil.test'];
        return () => delete (Object.prototype as { scriptOrigins?: unknown }).scriptOrigins;
      }, EVIL);
      expect(result).to.be.an.instanceOf(WePayRiskTokenError).with.property('message').that.contains(NOT_OWN_DATA);
    });

    for (const [title, holey] of [
      ['new Array(1)', () => new Array(1)],
      [
        'an entry deleted',
        () => {
          const list = ['https://cdn.example.test'];
          delete list[0];
          return list;
        },
      ],
      ['an allowed origin, then a hole', () => Object.assign(['https://cdn.example.test'], { length: 2 })],
    ] as const) {
      it(`refuses a scriptOrigins array with a hole (${title}), where a polluted Array.prototype would show through`, () => {
        page.WePayRiskToken = { scriptOrigins: holey() };
        const result = allowedWhile(() => {
          const prototype = Array.prototype as unknown as Record<number, string>;
          prototype[0] = prototype[1] = 'https://evil.test';
          return () => {
            delete prototype[0];
            delete prototype[1];
          };
        }, EVIL);
        expect(result).to.be.an.instanceOf(WePayRiskTokenError).with.property('message').that.contains(NOT_OWN_DATA);
        expect(isAllowed('https://cdn.example.test/risk.js')).to.equal(false);
      });
    }

    it('runs no getter: not for window.WePayRiskToken, its scriptOrigins or an entry, and allows none of their origins', () => {
      const getters: string[] = [];
      const getter = (name: string, value: unknown) => ({
        get: () => (getters.push(name), value),
        configurable: true,
        enumerable: true,
      });
      const options = { scriptOrigins: ['https://evil.test'] };
      Object.defineProperty(window, 'WePayRiskToken', getter('window.WePayRiskToken', options));
      expect(() => allowedScriptUrl(EVIL)).to.throw(WePayRiskTokenError, NOT_OWN_DATA);
      delete page.WePayRiskToken;

      page.WePayRiskToken = Object.defineProperty({}, 'scriptOrigins', getter('scriptOrigins', ['https://evil.test']));
      expect(() => allowedScriptUrl(EVIL)).to.throw(
        WePayRiskTokenError,
        'not a plain object with a scriptOrigins array',
      );

      page.WePayRiskToken = { scriptOrigins: Object.defineProperty([''], 0, getter('entry', 'https://evil.test')) };
      expect(() => allowedScriptUrl(EVIL)).to.throw(WePayRiskTokenError, NOT_OWN_DATA);
      expect(getters).to.deep.equal([]);
    });

    it('takes no value from a polluted Object.prototype for a getter (an accessor descriptor has no own value)', () => {
      const options = { scriptOrigins: ['https://evil.test'] };
      Object.defineProperty(window, 'WePayRiskToken', { get: () => undefined, configurable: true });
      const result = allowedWhile(() => {
        (Object.prototype as { value?: unknown }).value = options;
        return () => delete (Object.prototype as { value?: unknown }).value;
      }, EVIL);
      expect(result).to.be.an.instanceOf(WePayRiskTokenError).with.property('message').that.contains(NOT_OWN_DATA);
    });

    it('the Trusted Types policy "wepay-risk-token" applies the same rule', function () {
      if (!('trustedTypes' in window)) this.skip();
      expect(() => trustedScriptUrl('https://evil.test/risk.js')).to.throw(WePayRiskTokenError, 'https://evil.test');
      const allowed = new URL(standInUrl(), location.href).href;
      expect(trustedScriptUrl(allowed)).to.be.an.instanceOf(
        (window as unknown as { TrustedScriptURL: typeof Object }).TrustedScriptURL,
      );
      expect(String(trustedScriptUrl(allowed))).to.equal(allowed);
    });

    it('refuses a src on another origin: load-failed naming the origin and how to allow it, and no <script> is added', async () => {
      const el = await manualElement('https://evil.test/risk.js');
      const scripts = watchAddedScripts();

      const error = await failureOf(el.generate());
      expect(scripts.stop()).to.deep.equal([]);
      expect(error?.reason).to.equal('load-failed');
      expect(error?.message).to.contain("window.WePayRiskToken = { scriptOrigins: ['https://evil.test'] }");
      expect(performance.getEntriesByType('resource').filter(({ name }) => name.includes('evil.test'))).to.deep.equal(
        [],
      );
    });

    it('an origin a page script allows is exact: the same host on another port is still refused', async () => {
      // Loads from an allowed origin need a second origin: csp.test.ts has them.
      (window as { WePayRiskToken?: unknown }).WePayRiskToken = { scriptOrigins: ['https://cdn.example.test'] };
      const el = await manualElement('https://cdn.example.test:8443/risk.js');
      const scripts = watchAddedScripts();

      const error = await failureOf(el.generate());
      expect(scripts.stop()).to.deep.equal([]);
      expect(error?.message).to.contain('https://cdn.example.test:8443');
    });

    for (const [title, clobbering] of [
      [
        '<a id> twice, one named scriptOrigins',
        html`<a id="WePayRiskToken"></a><a id="WePayRiskToken" name="scriptOrigins" href="https://evil.test"></a>`,
      ],
      [
        '<form id> with inputs named scriptOrigins',
        html`<form id="WePayRiskToken">
          <input name="scriptOrigins" value="https://evil.test" /><input
            name="scriptOrigins"
            value="https://evil.test"
          />
        </form>`,
      ],
    ] as const) {
      it(`ignores a window.WePayRiskToken clobbered by markup (${title})`, async () => {
        await fixture(html`<div>${clobbering}</div>`);
        const clobbered = (window as unknown as { WePayRiskToken: { scriptOrigins: unknown } }).WePayRiskToken;
        // What markup can make of it: an element or a collection (whose `scriptOrigins` is, in Chromium, the
        // anchor, whose String() is its URL; Firefox resolves no such name on a collection).
        expect(clobbered).to.be.an.instanceOf(Object);
        const el = await manualElement('https://evil.test/risk.js');
        const scripts = watchAddedScripts();

        const error = await failureOf(el.generate());
        expect(scripts.stop()).to.deep.equal([]);
        expect(error?.reason).to.equal('load-failed');
        expect(error?.message).to.contain('https://evil.test');
      });
    }
  });

  describe('credentials in src never reach an error message', () => {
    for (const [title, src, reason] of [
      ['a load that failed', `http://user:secret@${location.host}${standInUrl({ status: 404 })}`, 'load-failed'],
      ['a refused origin', 'https://user:secret@evil.test/risk.js', 'load-failed'],
      ['a src that is not a URL', 'https://user:secret@[exa]/risk.js', 'load-failed'],
    ] as const) {
      it(title, async () => {
        const el = await manualElement(src);
        const error = await failureOf(el.generate());
        expect(error?.reason).to.equal(reason);
        expect(error?.message).not.to.contain('secret');
        expect(error?.message).not.to.contain('user');
      });
    }
  });

  it('a src that is not an http(s) URL is load-failed, and nothing is injected', async () => {
    const form = await fixture<HTMLFormElement>(
      html`<form><wepay-risk-token trigger="manual" src="javascript:alert(1)"></wepay-risk-token></form>`,
    );
    const before = document.scripts.length;
    const reason = await form
      .querySelector('wepay-risk-token')!
      .generate()
      .catch((error) => error.reason);
    expect(reason).to.equal('load-failed');
    expect(document.scripts.length).to.equal(before);
  });
});
