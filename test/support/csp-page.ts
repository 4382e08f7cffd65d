import type { WePayRiskTokenElement } from '../../src/index.js';
import { framePage, type FrameWindow } from './frames.js';

export { afterPendingTasks } from './hostile.js';

/**
 * The element's modules as the dev server serves them (what a bundler gets from npm), or the built bundle, in
 * its production build (the default) or its development build.
 */
export const MODULES = {
  source: '/src/index.ts',
  bundle: '/dist/wepay-risk-token.min.js',
  development: '/dist/wepay-risk-token.development.js',
} as const;

export type Outcome = { token: string } | { reason: string; message: string };

/**
 * What the page saw from its first script on: CSP violations, uncaught errors, unhandled rejections, outcomes,
 * and how each script and image request ended (`load` or `error`, by URL).
 */
export interface PageLog {
  violations: Array<{ directive: string; blocked: string; sample: string }>;
  errors: string[];
  outcomes: Array<{ target: EventTarget } & Outcome>;
  resources: Array<{ type: 'load' | 'error'; url: string }>;
}

export const newNonce = () => btoa(crypto.randomUUID()).replace(/=+$/, '');

/**
 * A page served with `csp` as a real Content-Security-Policy header, whose first script records `PageLog`.
 * `head` is markup placed after that script, before the element's module.
 */
export async function cspPage(
  csp: string,
  nonce: string,
  { modules = MODULES.source as string, head = '', body = '' } = {},
) {
  const { window: page } = await framePage(
    `<head>
      <script nonce="${nonce}">
        window.pageLog = { violations: [], errors: [], outcomes: [], resources: [] };
        // On the document: a load event at an element does not reach the window.
        for (const type of ['load', 'error']) document.addEventListener(type, ({ target }) => {
          if (target instanceof HTMLScriptElement || target instanceof HTMLImageElement) pageLog.resources.push({ type, url: target.src });
        }, true);
        document.addEventListener('securitypolicyviolation', (event) => pageLog.violations.push({
          directive: event.effectiveDirective, blocked: event.blockedURI, sample: event.sample }));
        addEventListener('error', (event) => pageLog.errors.push(String(event.message)));
        addEventListener('unhandledrejection', (event) => pageLog.errors.push(String(event.reason)));
        document.addEventListener('wepay-risk-token-ready', ({ target, detail }) =>
          pageLog.outcomes.push({ target, token: detail.token }));
        document.addEventListener('wepay-risk-token-error', ({ target, detail }) =>
          pageLog.outcomes.push({ target, reason: detail.reason, message: detail.error.message }));
      </script>
      ${head}
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
  /** How the request for a script or image `url` ended, once it has. */
  const settled = (url: string): Promise<'load' | 'error'> =>
    new Promise((resolve) => {
      const logged = log.resources.find((resource) => resource.url === url);
      if (logged) return resolve(logged.type);
      const listener = (event: Event) => {
        const target = event.target as HTMLScriptElement | HTMLImageElement;
        if (target.src !== url) return;
        for (const type of ['load', 'error']) page.document.removeEventListener(type, listener, true);
        resolve(event.type as 'load' | 'error');
      };
      for (const type of ['load', 'error']) page.document.addEventListener(type, listener, true);
    });
  return { page, log, element, outcome, settled };
}

/** The `<script>` the element injected for the stand-in URL `src`. */
export function injectedScript(page: FrameWindow, src: string): HTMLScriptElement | undefined {
  const id = new URL(src, location.href).searchParams.get('id')!;
  return [...page.document.querySelectorAll('script')].find((script) => script.src.includes(`id=${id}`));
}

/**
 * Whether a violation is about the Flash `<object>` in Risk.js's profiling container (`…/fp/fp.swf`): no browser
 * requests it, but under `object-src` Chromium and WebKit report it, naming only its origin when that is another.
 * The element itself adds no `<object>`.
 */
export const isFlashMovieViolation = ({ directive }: PageLog['violations'][number]) => directive === 'object-src';

/**
 * Whether a violation is about Risk.js's own device profiling (its `…/fp/` requests), not about the element:
 * test/csp-profiling.test.ts covers those under each policy.
 */
export const isProfilingViolation = (violation: PageLog['violations'][number]) =>
  violation.blocked.includes('/fp/') || isFlashMovieViolation(violation);

/**
 * The page script that lets Risk.js's profiling script through Trusted Types: Risk.js sets that script's
 * `src` to a plain string, which `require-trusted-types-for 'script'` refuses unless the page's `default`
 * policy passes it. This one passes URLs under `base/fp/` only.
 */
export const profilingPolicyScript = (nonce: string, base: string) => `<script nonce="${nonce}">
  window.trustedTypes?.createPolicy('default', {
    createScriptURL: (url) => (url.startsWith(${JSON.stringify(`${base}/fp/`)}) ? url : null),
  });
</script>`;
