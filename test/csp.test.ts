import { expect } from '@open-wc/testing';
import type { WePayRiskTokenElement } from '../src/index.js';
import { itNeeds } from './support/engine.js';
import { framePage, type FrameWindow } from './support/frames.js';
import { afterPendingTasks } from './support/hostile.js';
import { requestCount, standInUrl, UUID } from './support/risk-js.js';

/** The element's modules as the dev server serves them (what a bundler gets from npm), or the built bundle. */
const MODULES = { source: '/src/index.ts', bundle: '/dist/wepay-risk-token.min.js' } as const;

type Outcome = { token: string } | { reason: string; message: string };

/** What the page saw from its first script on: CSP violations, uncaught errors, unhandled rejections, outcomes. */
interface PageLog {
  violations: Array<{ directive: string; blocked: string; sample: string }>;
  errors: string[];
  outcomes: Array<{ target: EventTarget } & Outcome>;
}

const newNonce = () => btoa(crypto.randomUUID()).replace(/=+$/, '');

/** A page served with `csp` as a real Content-Security-Policy header, whose first script records `PageLog`. */
async function cspPage(csp: string, nonce: string, { modules = MODULES.source as string, body = '' } = {}) {
  const { window: page } = await framePage(
    `<head>
      <script nonce="${nonce}">
        window.pageLog = { violations: [], errors: [], outcomes: [] };
        document.addEventListener('securitypolicyviolation', (event) => pageLog.violations.push({
          directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample }));
        addEventListener('error', (event) => pageLog.errors.push(String(event.message)));
        addEventListener('unhandledrejection', (event) => pageLog.errors.push(String(event.reason)));
        document.addEventListener('wepay-risk-token-ready', ({ target, detail }) =>
          pageLog.outcomes.push({ target, token: detail.token }));
        document.addEventListener('wepay-risk-token-error', ({ target, detail }) =>
          pageLog.outcomes.push({ target, reason: detail.reason, message: detail.error.message }));
      </script>
      <script type="module" nonce="${nonce}" src="${modules}"></script>
    </head>
    <body>${body}</body>`,
    csp,
  );
  await page.customElements.whenDefined('wepay-risk-token');
  const log = (page as FrameWindow & { pageLog: PageLog }).pageLog;
  const element = () => page.document.querySelector('wepay-risk-token') as WePayRiskTokenElement;
  /** How the element's first run ended (the page logged it if that was before the test looked). */
  const outcome = (el = element()): Promise<Outcome> =>
    new Promise((resolve) => {
      const logged = log.outcomes.find(({ target }) => target === el);
      if (logged) {
        const { target: _, ...result } = logged;
        return resolve(result);
      }
      el.addEventListener('wepay-risk-token-ready', ({ detail }) => resolve({ token: detail.token }), { once: true });
      el.addEventListener(
        'wepay-risk-token-error',
        ({ detail }) => resolve({ reason: detail.reason, message: detail.error.message }),
        { once: true },
      );
    });
  return { page, log, element, outcome };
}

function injectedScript(page: FrameWindow, src: string): HTMLScriptElement | undefined {
  const id = new URL(src, location.href).searchParams.get('id')!;
  return [...page.document.querySelectorAll('script')].find((script) => script.src.includes(`id=${id}`));
}

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
      expect(log.violations).to.deep.equal([]);
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
      expect(log.violations).to.deep.equal([]);
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
      expect(log.violations.every(({ directive, blocked }) => directive === 'script-src-elem' && blocked.includes('/risk.js'))).to.equal(
        true,
      );
      expect(await requestCount(src)).to.equal(0);
    });

    it("needs no nonce under 'strict-dynamic': a script the element's trusted module adds is trusted", async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const csp = `object-src 'none'; script-src 'nonce-${nonce}' 'strict-dynamic' https: 'unsafe-inline'; base-uri 'none'`;
      const { log, element, outcome } = await cspPage(csp, nonce, {
        body: `<form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`,
      });

      expect(await outcome(element())).to.have.property('token').that.matches(UUID);
      expect(log.violations).to.deep.equal([]);
    });

    it('needs no nonce where script-src lists the Risk.js URL as a host-source', async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const { log, element, outcome } = await cspPage(`script-src 'nonce-${nonce}' ${location.origin}/risk.js`, nonce, {
        body: `<form><wepay-risk-token trigger="eager" src="${src}"></wepay-risk-token></form>`,
      });

      expect(await outcome(element())).to.have.property('token').that.matches(UUID);
      expect(log.violations).to.deep.equal([]);
    });
  });

  describe('Trusted Types', () => {
    const trustedTypes = (names: string) => `require-trusted-types-for 'script'; trusted-types ${names}`;

    itNeeds('Trusted Types', 'the bundle injects Risk.js through its own policy where the page allows only "wepay-risk-token"', async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const csp = `script-src 'nonce-${nonce}'; ${trustedTypes('wepay-risk-token')}`;
      const { page, log, element, outcome } = await cspPage(csp, nonce, {
        modules: MODULES.bundle,
        body: `<form><wepay-risk-token trigger="eager" nonce="${nonce}" src="${src}"></wepay-risk-token></form>`,
      });

      expect(await outcome(element())).to.have.property('token').that.matches(UUID);
      // Under require-trusted-types-for a plain string in script.src throws: the URL went through a policy.
      expect(() => {
        page.document.createElement('script').src = '/nowhere.js';
      })
        .to.throw()
        .with.property('name', 'TypeError');
      await afterPendingTasks(page);
      expect(log.violations.filter(({ sample }) => !sample.includes('/nowhere.js'))).to.deep.equal([]);
      expect(log.errors).to.deep.equal([]);
    });

    itNeeds('Trusted Types', 'the source modules (the npm build, which imports lit) work where the page allows "wepay-risk-token" and lit\'s "lit-html"', async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const csp = `script-src 'nonce-${nonce}'; ${trustedTypes('wepay-risk-token lit-html')}`;
      const { log, element, outcome } = await cspPage(csp, nonce, {
        body: `<form><wepay-risk-token trigger="eager" nonce="${nonce}" src="${src}"></wepay-risk-token></form>`,
      });

      expect(await outcome(element())).to.have.property('token').that.matches(UUID);
      expect(log.violations).to.deep.equal([]);
      expect(log.errors).to.deep.equal([]);
    });

    for (const modules of [MODULES.bundle, MODULES.source]) {
      itNeeds('Trusted Types', `${modules}: a page that does not allow the policy gets load-failed saying why, and no TypeError escapes`, async () => {
        const nonce = newNonce();
        const src = standInUrl();
        const csp = `script-src 'nonce-${nonce}'; ${trustedTypes('other lit-html')}`;
        const { page, log, element, outcome } = await cspPage(csp, nonce, {
          modules,
          body: `<form><wepay-risk-token trigger="eager" nonce="${nonce}" src="${src}"></wepay-risk-token></form>`,
        });
        const el = element();

        const result = await outcome(el);
        expect(result).to.have.property('reason', 'load-failed');
        const { message } = result as { message: string };
        expect(message).to.contain('Trusted Types');
        expect(message).to.contain('"wepay-risk-token"');
        expect(el.state).to.equal('error');
        expect(new page.FormData(page.document.querySelector('form')!).getAll('wepay_risk_token')).to.deep.equal(['']);
        await afterPendingTasks(page);
        expect(log.errors).to.deep.equal([]);
        expect(log.violations.map(({ directive }) => directive)).to.include('trusted-types');
        expect(injectedScript(page, src)).to.equal(undefined);
        expect(await requestCount(src)).to.equal(0);
      });
    }
  });

  describe('no eval, no HTML parsing, no inline script', () => {
    itNeeds('Trusted Types', 'under a policy without unsafe-eval or unsafe-inline, enforcing Trusted Types, it adds only <input type="hidden"> and <script src>', async () => {
      const nonce = newNonce();
      const src = standInUrl();
      const csp = [
        "default-src 'self'",
        `script-src 'nonce-${nonce}'`,
        "object-src 'none'",
        "base-uri 'none'",
        "require-trusted-types-for 'script'",
        'trusted-types wepay-risk-token lit-html',
      ].join('; ');
      const { page, log, outcome } = await cspPage(csp, nonce, { body: '<form></form>' });
      const form = page.document.querySelector('form')!;
      const el = page.document.createElement('wepay-risk-token');
      el.trigger = 'eager';
      el.src = src;
      el.nonce = nonce;

      const added: Node[] = [];
      const observer = new page.MutationObserver((records) => records.forEach((record) => added.push(...record.addedNodes)));
      observer.observe(page.document, { subtree: true, childList: true });
      form.append(el);
      const result = await outcome(el);
      observer.takeRecords().forEach((record) => added.push(...record.addedNodes));
      observer.disconnect();

      expect(result).to.have.property('token').that.matches(UUID);
      const byElement = added.filter((node) => node !== el);
      expect(byElement.map((node) => node.nodeName).sort()).to.deep.equal(['INPUT', 'SCRIPT']);
      const input = byElement.find((node) => node.nodeName === 'INPUT') as HTMLInputElement;
      const script = byElement.find((node) => node.nodeName === 'SCRIPT') as HTMLScriptElement;
      expect(input.type).to.equal('hidden');
      expect(input.parentNode).to.equal(el);
      expect(script.src).to.contain('/risk.js?');
      expect(script.textContent).to.equal('');
      expect(script.childNodes).to.have.length(0);
      await afterPendingTasks(page);
      expect(log.violations).to.deep.equal([]);
      expect(log.errors).to.deep.equal([]);
    });

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
        for (const [, specifier] of sources.get(url.pathname)!.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+)["']/g)) {
          pending.push(new URL(specifier!, url));
        }
      }

      const paths = [...sources.keys()];
      expect(paths).to.include.members([MODULES.bundle, MODULES.source, '/src/wepay-risk-token.ts', '/src/risk-script.ts']);
      for (const [path, code] of sources) {
        const withoutSourceMap = code.replace(/\/\/# sourceMappingURL=.*$/m, '');
        for (const pattern of forbidden) expect(withoutSourceMap, `${path} matches ${pattern}`).not.to.match(pattern);
      }
    });
  });
});
