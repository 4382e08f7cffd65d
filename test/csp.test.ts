import { expect, fixture, html } from '@open-wc/testing';
import type { WePayRiskTokenElement } from '../src/index.js';
import {
  afterPendingTasks,
  cspPage,
  injectedScript,
  isFlashMovieViolation,
  isProfilingViolation,
  MODULES,
  newNonce,
  profilingPolicyScript,
} from './support/csp-page.js';
import { itNeeds } from './support/engine.js';
import { onOrigin, serveOtherOrigins } from './support/other-origins.js';
import { answerWePayHosts, requestCount, standInUrl, UUID } from './support/risk-js.js';

describe('<wepay-risk-token> under Content-Security-Policy and Trusted Types', () => {
  describe('script-src with a nonce', () => {
    it("copies the nonce attribute (hidden by the browser, read through the native property) onto Risk.js: script-src 'nonce-…'", async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const { page, log, element, outcome } = await cspPage(`script-src 'nonce-${nonce}'`, nonce, {
        body: `<form><wepay-risk-token trigger="eager" nonce="${nonce}" src="${src}"></wepay-risk-token></form>`,
      });
      const el = element();
      // On a page with a CSP header the browser empties nonce attributes: only the property has it.
      expect(el.getAttribute('nonce')).to.equal('');
      expect(el.nonce).to.equal(nonce);

      const result = await outcome(el);
      expect(result).to.have.property('token').that.matches(UUID);
      expect(injectedScript(page, src)?.nonce).to.equal(nonce);
      expect(new page.FormData(page.document.querySelector('form')!).get('wepay_risk_token')).to.equal(el.token);
      await afterPendingTasks(page);
      // This policy blocks Risk.js's own profiling script (csp-profiling.test.ts); the element needs nothing more.
      expect(log.violations.filter((violation) => !isProfilingViolation(violation))).to.deep.equal([]);
      expect(log.errors).to.deep.equal([]);
    });

    it('takes the nonce from <meta property="csp-nonce" nonce="…"> when the element has none', async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const { page, log, element, outcome } = await cspPage(`script-src 'nonce-${nonce}'`, nonce, {
        body: `<meta property="csp-nonce" nonce="${nonce}">
          <form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`,
      });
      expect(page.document.querySelector('meta[property="csp-nonce"]')!.getAttribute('nonce')).to.equal('');

      const result = await outcome(element());
      expect(result).to.have.property('token').that.matches(UUID);
      expect(injectedScript(page, src)?.nonce).to.equal(nonce);
      await afterPendingTasks(page);
      expect(log.violations.filter((violation) => !isProfilingViolation(violation))).to.deep.equal([]);
      expect(log.errors).to.deep.equal([]);
    });

    it('without any nonce reports load-failed cleanly: the browser blocks Risk.js before requesting it', async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const { page, log, element, outcome } = await cspPage(`script-src 'nonce-${nonce}'`, nonce, {
        body: `<form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`,
      });
      const el = element();

      const result = await outcome(el);
      expect(result).to.have.property('reason', 'load-failed');
      expect(el.state).to.equal('error');
      expect(new page.FormData(page.document.querySelector('form')!).getAll('wepay_risk_token')).to.deep.equal(['']);
      await afterPendingTasks(page);
      expect(log.errors).to.deep.equal([]);
      expect(log.violations).to.have.length.greaterThan(0);
      expect(
        log.violations.every(
          ({ directive, blocked }) => directive === 'script-src-elem' && blocked.includes('/risk.js'),
        ),
      ).to.equal(true);
      expect(await requestCount(src)).to.equal(0);
    });

    it("needs no nonce under 'strict-dynamic': a script the element's trusted module adds is trusted", async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const csp = `object-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic' https: 'unsafe-inline'; base-uri 'none'`;
      const { log, element, outcome } = await cspPage(csp, nonce, {
        body: `<form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`,
      });

      expect(await outcome(element()))
        .to.have.property('token')
        .that.matches(UUID);
      // `object-src 'none'` refuses Risk.js's Flash movie, which no browser would play anyway.
      expect(log.violations.filter((violation) => !isFlashMovieViolation(violation))).to.deep.equal([]);
    });

    it('needs no nonce where script-src lists the Risk.js URL as a host-source', async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const { log, element, outcome } = await cspPage(`script-src 'nonce-${nonce}' ${location.origin}/risk.js`, nonce, {
        body: `<form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`,
      });

      expect(await outcome(element()))
        .to.have.property('token')
        .that.matches(UUID);
      expect(log.violations.filter((violation) => !isProfilingViolation(violation))).to.deep.equal([]);
    });
  });

  describe('Trusted Types', () => {
    const trustedTypes = (names: string) => `require-trusted-types-for 'script'; trusted-types ${names}`;

    itNeeds(
      'Trusted Types',
      'the bundle injects Risk.js through its own policy where the page allows only "wepay-risk-token" (and "default" for Risk.js)',
      async () => {
        const nonce = newNonce();
        const src = standInUrl();
        const csp = `script-src 'nonce-${nonce}' ${location.origin}/fp/; ${trustedTypes('wepay-risk-token default')}`;
        const { page, log, element, outcome } = await cspPage(csp, nonce, {
          modules: MODULES.bundle,
          head: profilingPolicyScript(nonce, location.origin),
          body: `<form><wepay-risk-token trigger="eager" nonce="${nonce}" src="${src}"></wepay-risk-token></form>`,
        });

        expect(await outcome(element()))
          .to.have.property('token')
          .that.matches(UUID);
        // Under require-trusted-types-for a plain string in script.src throws: the URL went through a policy.
        expect(() => {
          page.document.createElement('script').src = '/nowhere.js';
        })
          .to.throw()
          .with.property('name', 'TypeError');
        await afterPendingTasks(page);
        expect(log.violations.filter(({ sample }) => !sample.includes('/nowhere.js'))).to.deep.equal([]);
        expect(log.errors).to.deep.equal([]);
      },
    );

    itNeeds(
      'Trusted Types',
      'the source modules (what a bundler gets from npm) need no policy but "wepay-risk-token": no lit-html is imported',
      async () => {
        const nonce = newNonce();
        const src = standInUrl();
        const csp = `script-src 'nonce-${nonce}' ${location.origin}/fp/; ${trustedTypes('wepay-risk-token default')}`;
        const { log, element, outcome } = await cspPage(csp, nonce, {
          head: profilingPolicyScript(nonce, location.origin),
          body: `<form><wepay-risk-token trigger="eager" nonce="${nonce}" src="${src}"></wepay-risk-token></form>`,
        });

        expect(await outcome(element()))
          .to.have.property('token')
          .that.matches(UUID);
        expect(log.violations).to.deep.equal([]);
        expect(log.errors).to.deep.equal([]);
      },
    );

    for (const modules of [MODULES.bundle, MODULES.development, MODULES.source]) {
      // The production build's message is the reason; the development build's says why.
      const messageIs = modules === MODULES.bundle ? 'the reason as its message' : 'whose message says why';
      itNeeds(
        'Trusted Types',
        `${modules}: a page that does not allow the policy gets load-failed (${messageIs}), and no TypeError escapes`,
        async () => {
          const nonce = newNonce();
          const src = standInUrl();
          const csp = `script-src 'nonce-${nonce}'; ${trustedTypes('other')}`;
          const { page, log, element, outcome } = await cspPage(csp, nonce, {
            modules,
            body: `<form><wepay-risk-token trigger="eager" nonce="${nonce}" src="${src}"></wepay-risk-token></form>`,
          });
          const el = element();

          const result = await outcome(el);
          expect(result).to.have.property('reason', 'load-failed');
          const { message } = result as { message: string };
          if (modules === MODULES.bundle) expect(message).to.equal('load-failed');
          else expect(message).to.contain('Trusted Types').and.to.contain('"wepay-risk-token"');
          expect(el.state).to.equal('error');
          expect(new page.FormData(page.document.querySelector('form')!).getAll('wepay_risk_token')).to.deep.equal([
            '',
          ]);
          await afterPendingTasks(page);
          expect(log.errors).to.deep.equal([]);
          expect(log.violations.map(({ directive }) => directive)).to.include('trusted-types');
          expect(injectedScript(page, src)).to.equal(undefined);
          expect(await requestCount(src)).to.equal(0);
        },
      );
    }
  });

  describe('markup injected into the page cannot load a script from another origin', () => {
    // Framed pages reach https://*.test through the test server, which logs every request made there.
    let stopServing: () => Promise<void>;
    before(async () => {
      stopServing = await serveOtherOrigins();
    });
    after(() => stopServing());

    const POLICIES = [
      { name: "script-src 'nonce-…'", csp: (nonce: string) => `script-src 'nonce-${nonce}'`, htmlSinks: true },
      {
        name: "'strict-dynamic'",
        csp: (nonce: string) =>
          `object-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic' https: 'unsafe-inline'; base-uri 'none'`,
        htmlSinks: true,
      },
      {
        name: 'Trusted Types',
        csp: (nonce: string) =>
          `script-src 'nonce-${nonce}'; require-trusted-types-for 'script'; trusted-types wepay-risk-token default`,
        htmlSinks: false,
      },
    ];

    for (const { name, csp, htmlSinks } of POLICIES) {
      it(`${name}: an injected element with a src on another origin requests nothing and runs nothing, even with a made-up nonce`, async () => {
        const nonce = newNonce();
        const injection = (src: string, attributes = '') =>
          `<wepay-risk-token trigger="eager" ${attributes} src="${onOrigin('https://evil.test', src)}"></wepay-risk-token>`;
        const srcs = [standInUrl(), standInUrl(), standInUrl()];
        // Injected into the HTML the server sends (a reflected injection: no policy stops the parser)…
        const { page, log, outcome } = await cspPage(csp(nonce), nonce, {
          body: `<meta property="csp-nonce" nonce="${nonce}">
            <main><p class="comment">${injection(srcs[0]!)}${injection(srcs[1]!, 'nonce="made-up"')}</p></main>`,
        });
        // …and, where the policy leaves HTML sinks open, into the live page.
        if (htmlSinks)
          page.document
            .querySelector('main')!
            .insertAdjacentHTML('beforeend', `<p class="comment">${injection(srcs[2]!)}</p>`);
        const injected = [...page.document.querySelectorAll('wepay-risk-token')];
        expect(injected).to.have.length(htmlSinks ? 3 : 2);

        for (const el of injected) {
          const result = await outcome(el as WePayRiskTokenElement);
          expect(result).to.have.property('reason', 'load-failed');
          expect(result)
            .to.have.property('message')
            .that.contains("window.WePayRiskToken = { scriptOrigins: ['https://evil.test'] }");
        }
        await afterPendingTasks(page);
        for (const src of srcs) expect(await requestCount(src)).to.equal(0);
        expect(
          page.performance.getEntriesByType('resource').filter(({ name }) => name.includes('evil.test')),
        ).to.deep.equal([]);
        expect([...page.document.scripts].filter((script) => script.src.includes('evil.test'))).to.deep.equal([]);
        expect(page).not.to.have.property('WePay');
        expect(page).not.to.have.property('WePayRiskStandIn');
        expect(log.violations).to.deep.equal([]);
        expect(log.errors).to.deep.equal([]);
      });

      it(`${name}: an element whose origin the page's script allowed in window.WePayRiskToken loads, with the page's nonce`, async () => {
        const nonce = newNonce();
        const src = onOrigin('https://risk-cdn.test', standInUrl());
        const { page, log, element, outcome } = await cspPage(csp(nonce), nonce, {
          head: profilingPolicyScript(nonce, 'https://risk-cdn.test'),
          body: `<script nonce="${nonce}">window.WePayRiskToken = { scriptOrigins: ['https://risk-cdn.test'] };</script>
            <meta property="csp-nonce" nonce="${nonce}">
            <form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`,
        });

        expect(await outcome(element()))
          .to.have.property('token')
          .that.matches(UUID);
        expect(await requestCount(src)).to.equal(1);
        expect(injectedScript(page, src)?.src).to.equal(src);
        expect(injectedScript(page, src)?.nonce).to.equal(nonce);
        await afterPendingTasks(page);
        expect(log.violations.filter((violation) => !isProfilingViolation(violation))).to.deep.equal([]);
        expect(log.errors).to.deep.equal([]);
      });
    }

    /** `'strict-dynamic'` and Trusted Types: a script the element inserts runs, whatever nonce it carries. */
    const strictDynamicAndTrustedTypes = (nonce: string) =>
      `object-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic' https: 'unsafe-inline'; base-uri 'none'; ` +
      "require-trusted-types-for 'script'; trusted-types wepay-risk-token default";
    /** Counts the getters run on the page's options (none may run). */
    const countGetter = 'window.gettersRun = (window.gettersRun ?? 0) + 1';

    for (const { name, script } of [
      {
        name: 'Object.prototype.scriptOrigins (a query-string merge of ?__proto__[scriptOrigins][]=…) under window.WePayRiskToken = {}',
        script: "window.WePayRiskToken = {}; Object.prototype.scriptOrigins = ['https://evil.test'];",
      },
      {
        name: 'Array.prototype[0] behind scriptOrigins: new Array(1)',
        script: "window.WePayRiskToken = { scriptOrigins: new Array(1) }; Array.prototype[0] = 'https://evil.test';",
      },
      {
        name: 'a getter for window.WePayRiskToken',
        script: `Object.defineProperty(window, 'WePayRiskToken', { get() { ${countGetter}; return { scriptOrigins: ['https://evil.test'] }; } });`,
      },
      {
        name: 'a getter for scriptOrigins',
        script: `window.WePayRiskToken = { get scriptOrigins() { ${countGetter}; return ['https://evil.test']; } };`,
      },
    ]) {
      it(`'strict-dynamic' and Trusted Types, with ${name}: an injected element with a src there requests nothing and runs nothing`, async () => {
        const nonce = newNonce();
        const src = standInUrl();
        const { page, log, outcome } = await cspPage(strictDynamicAndTrustedTypes(nonce), nonce, {
          head: `<script nonce="${nonce}">${script}</script>`,
          body: `<meta property="csp-nonce" nonce="${nonce}">
            <main><p class="comment"><wepay-risk-token trigger="eager" src="${onOrigin('https://evil.test', src)}"></wepay-risk-token></p></main>`,
        });

        const result = await outcome();
        expect(result).to.have.property('reason', 'load-failed');
        expect(result)
          .to.have.property('message')
          .that.contains("window.WePayRiskToken = { scriptOrigins: ['https://evil.test'] }");
        await afterPendingTasks(page);
        expect(await requestCount(src)).to.equal(0);
        expect(
          page.performance.getEntriesByType('resource').filter(({ name }) => name.includes('evil.test')),
        ).to.deep.equal([]);
        expect([...page.document.scripts].filter((script) => script.src.includes('evil.test'))).to.deep.equal([]);
        expect(page).not.to.have.property('WePay');
        expect(page).not.to.have.property('WePayRiskStandIn');
        expect(page).not.to.have.property('gettersRun');
        expect(log.violations).to.deep.equal([]);
        expect(log.errors).to.deep.equal([]);
      });
    }
  });

  describe('no eval, no HTML parsing, no inline script', () => {
    itNeeds(
      'Trusted Types',
      'under a policy without unsafe-eval or unsafe-inline, enforcing Trusted Types, it adds only <input type="hidden"> and <script src>',
      async () => {
        const nonce = newNonce();
        const src = standInUrl();
        const csp = [
          "default-src 'self'",
          `script-src 'nonce-${nonce}'`,
          "object-src 'none'",
          "base-uri 'none'",
          "require-trusted-types-for 'script'",
          'trusted-types wepay-risk-token default',
        ].join('; ');
        const { page, log, outcome } = await cspPage(csp, nonce, {
          head: profilingPolicyScript(nonce, location.origin),
          body: '<form></form>',
        });
        const form = page.document.querySelector('form')!;
        const el = page.document.createElement('wepay-risk-token');
        el.trigger = 'eager';
        el.src = src;
        el.nonce = nonce;

        const added: Node[] = [];
        const observer = new page.MutationObserver((records) =>
          records.forEach((record) => added.push(...record.addedNodes)),
        );
        observer.observe(page.document, { subtree: true, childList: true });
        form.append(el);
        const result = await outcome(el);
        observer.takeRecords().forEach((record) => added.push(...record.addedNodes));
        observer.disconnect();

        expect(result).to.have.property('token').that.matches(UUID);
        // Risk.js adds its own profiling container to <body>; the element adds nothing outside itself but Risk.js.
        const byElement = added.filter(
          (node) => node !== el && !(node instanceof page.HTMLElement && node.id === 'WePay-tags'),
        );
        expect(byElement.map((node) => node.nodeName).sort()).to.deep.equal(['INPUT', 'SCRIPT']);
        const input = byElement.find((node) => node.nodeName === 'INPUT') as HTMLInputElement;
        const script = byElement.find((node) => node.nodeName === 'SCRIPT') as HTMLScriptElement;
        expect(input.type).to.equal('hidden');
        expect(input.parentNode).to.equal(el);
        expect(script.src).to.contain('/risk.js?');
        expect(script.textContent).to.equal('');
        expect(script.childNodes).to.have.length(0);
        await afterPendingTasks(page);
        expect(log.violations.filter((violation) => !isProfilingViolation(violation))).to.deep.equal([]);
        expect(log.errors).to.deep.equal([]);
      },
    );

    it('no eval, new Function, innerHTML, insertAdjacentHTML or document.write in the bundle or in any module of src/index.ts', async () => {
      const forbidden = [
        /\beval\s*\(/,
        /\bnew\s+Function\b/,
        /\bFunction\s*\(/,
        /\.(inner|outer)HTML\b/,
        /\binsertAdjacentHTML\b/,
        /\bcreateContextualFragment\b/,
        /\bsetHTMLUnsafe\b/,
        /\bdocument\.write(ln)?\b/,
        /\bset(Timeout|Interval)\s*\(\s*['"`]/,
      ];
      const sources = new Map<string, string>();
      const read = async (path: string) => {
        const response = await fetch(path);
        expect(response.ok, path).to.equal(true);
        sources.set(path, await response.text());
      };

      await read(MODULES.bundle);
      // The element's own modules: every module under /src/ that src/index.ts imports, transitively (Lit is
      // Lit's business: the bundle above holds the part of it the element uses).
      const pending = [new URL(MODULES.source, location.href)];
      while (pending.length > 0) {
        const url = pending.pop()!;
        if (sources.has(url.pathname) || !url.pathname.startsWith('/src/')) continue;
        await read(url.pathname);
        for (const [, specifier] of sources
          .get(url.pathname)!
          .matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
          pending.push(new URL(specifier!, url));
        }
      }

      const paths = [...sources.keys()];
      expect(paths).to.include.members([
        MODULES.bundle,
        MODULES.source,
        '/src/wepay-risk-token.ts',
        '/src/risk-script.ts',
      ]);
      for (const [path, code] of sources) {
        const withoutSourceMap = code.replace(/\/\/# sourceMappingURL=.*$/m, '');
        for (const pattern of forbidden) expect(withoutSourceMap, `${path} matches ${pattern}`).not.to.match(pattern);
      }
    });
  });
});

/** A shop's page on a host that is not loopback (`http:`: WebKit blocks `http:` loopback scripts on `https:` pages). */
const SHOP = 'http://shop.test';
/**
 * A loopback host, as the shopper's own machine is, that the test server answers (test/support/wepay-hosts.js):
 * the browser never connects to it, so Chromium's Local Network Access, which would stop a public page's request
 * to loopback, leaves the element's own rule to decide.
 */
const LOOPBACK = 'http://127.0.0.2';

describe(`<wepay-risk-token> on a page that is not on a loopback host (${SHOP}, answered by the test server)`, () => {
  before(async () => {
    const hosts = await answerWePayHosts({ on: true });
    if (!hosts.supported) throw new Error(`${SHOP} cannot be answered locally: ${hosts.reason}.`);
  });
  after(() => answerWePayHosts({ on: false }));

  /** The page's origin, its element's outcome, and how often the Risk.js stand-in ran there. */
  type Report = { origin: string; token?: string; reason?: string; message?: string; riskJsRuns: number };

  /**
   * A shop's page on SHOP with the development bundle (whose messages explain) and `body`, framed; resolves
   * with what its first outcome was, as the page reports it (it is on another origin: the test cannot look
   * inside).
   */
  async function shopPage(body: string): Promise<Report> {
    const markup = `<!doctype html>
      <script>
        for (const type of ['wepay-risk-token-ready', 'wepay-risk-token-error'])
          document.addEventListener(type, ({ detail }) => parent.postMessage({ origin, token: detail.token,
            reason: detail.reason, message: detail.error?.message, riskJsRuns: window.WePayRiskStandIn?.runs ?? 0 }, '*'));
      </script>
      <script type="module" src="${MODULES.development}"></script>
      ${body}`;
    const frame = document.createElement('iframe');
    const report = new Promise<Report>((resolve) => {
      const onMessage = ({ source, data }: MessageEvent) => {
        if (source !== frame.contentWindow) return;
        removeEventListener('message', onMessage);
        resolve(data as Report);
      };
      addEventListener('message', onMessage);
    });
    frame.src = `${SHOP}/__page?${new URLSearchParams({ html: markup })}`;
    await fixture(html`<div>${frame}</div>`);
    return report;
  }

  it('refuses a src on a loopback host, as from the shopper’s own machine: nothing is requested, nothing runs', async () => {
    const src = `${LOOPBACK}${standInUrl()}`;
    const report = await shopPage(`<form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`);

    expect(report).to.include({ origin: SHOP, reason: 'load-failed', riskJsRuns: 0 });
    expect(report.message).to.contain(`window.WePayRiskToken = { scriptOrigins: ['${LOOPBACK}'] }`);
    expect(await requestCount(src)).to.equal(0);
  });

  it("loads from a loopback origin the page's script lists in window.WePayRiskToken.scriptOrigins", async () => {
    const src = `${LOOPBACK}${standInUrl()}`;
    const report = await shopPage(`<script>window.WePayRiskToken = { scriptOrigins: ['${LOOPBACK}'] };</script>
      <form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`);

    expect(report).to.include({ origin: SHOP, riskJsRuns: 1 });
    expect(report.token).to.match(UUID);
    expect(await requestCount(src)).to.equal(1);
  });
});
