import { deadline, onLoadOrError } from './abort.js';
import { DEV } from './dev.js';
import { WePayRiskTokenError } from './errors.js';
import { allowedScriptUrl, withoutCredentials } from './script-origin.js';
import type { RiskApi } from './token.js';
import { native, own } from './dom.js';

/** WePay's production Risk.js. */
export const DEFAULT_SRC = 'https://static.wepay.com/min/js/risk.js';

/** The Trusted Types policy name a page must allow (`trusted-types wepay-risk-token`). */
export const TRUSTED_TYPES_POLICY = 'wepay-risk-token';

interface TrustedTypesFactory {
  createPolicy(
    name: string,
    rules: { createScriptURL(url: string): string },
  ): { createScriptURL(url: string): unknown };
}

/** `window.WePay.risk` when it is there with both methods; reading it must not throw whatever the page holds. */
export function currentRiskApi(): RiskApi | undefined {
  try {
    const risk = (globalThis as { WePay?: { risk?: Partial<RiskApi> } }).WePay?.risk;
    if (typeof risk?.generate_risk_token === 'function' && typeof risk.get_risk_token === 'function') {
      return risk as RiskApi;
    }
  } catch {
    // A getter that throws is as good as no Risk.js.
  }
  return undefined;
}

/**
 * `WePay.risk` in a box without a prototype. A promise resolved with `WePay.risk` itself would never settle where
 * a page put a function on `Object.prototype.then`: every object is then a thenable.
 */
export interface LoadedRisk {
  risk: RiskApi;
}

interface SharedLoad {
  promise: Promise<LoadedRisk>;
  /** The page's own `<script>` the load waits on: its load or error may have fired before anyone listened. */
  pageScript: HTMLScriptElement | undefined;
}

/** One load per absolute URL, shared by every element on the page; forgotten when it fails. */
const loads = new Map<string, SharedLoad>();
/**
 * How often each absolute URL had to be loaded anew (after a failure, or after its token expired). A page
 * reuses an earlier response for the same URL, even a failed one, so a new load asks for a new URL.
 */
const reloads = new Map<string, number>();
/** Script tags not to wait on: their load or error has fired (or was missed), and will not fire again. */
const settledScripts = new WeakSet<HTMLScriptElement>();

let policy: { createScriptURL(url: string): unknown } | null | undefined;

/**
 * The script URL as Trusted Types wants it, through our own policy when the page allows it. The policy lets
 * through only the URLs the element may load (exported for its test).
 */
export function trustedScriptUrl(url: string): unknown {
  const trustedTypes = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
  if (!trustedTypes) return url;
  if (policy === undefined) {
    try {
      // Without a prototype: a polluted `Object.prototype.createHTML` that is no function would make it throw.
      policy = trustedTypes.createPolicy(
        TRUSTED_TYPES_POLICY,
        own({ createScriptURL: (value: string) => allowedScriptUrl(value).href }),
      );
    } catch {
      // The page's `trusted-types` directive does not list our name; a plain string may still be allowed.
      policy = null;
    }
  }
  return policy ? policy.createScriptURL(url) : url;
}

/** The page's `<script>` elements that load `url`. */
const scriptsOf = (url: string) =>
  [...native(document, 'querySelectorAll')('script')].filter((script) => script.src === url);

function countReload(url: string): void {
  reloads.set(url, (reloads.get(url) ?? 0) + 1);
}

/**
 * A `<script>` of the page with this src that is still loading, to wait on instead of requesting Risk.js
 * again. Scripts that finished will not fire load or error again: those we watched are in `settledScripts`,
 * and one that finished before we looked has a resource-timing entry. Such a script, without `WePay.risk`,
 * counts as a failed load, so the next request is for a fresh URL. (Caught between its fetch and its run, it
 * costs one more Risk.js run, whose `WePay.risk` then serves every element.)
 */
function pendingPageScript(url: string): HTMLScriptElement | undefined {
  const fetched = performance.getEntriesByName(url, 'resource').length > 0;
  let pending: HTMLScriptElement | undefined;
  for (const script of scriptsOf(url)) {
    if (settledScripts.has(script)) continue;
    if (fetched) {
      settledScripts.add(script);
      countReload(url);
    } else {
      pending ??= script;
    }
  }
  return pending;
}

function injectScript(url: string, nonce: string): HTMLScriptElement {
  const script = native(document, 'createElement')('script');
  script.async = true;
  if (nonce) script.nonce = nonce;
  try {
    (script as { src: unknown }).src = trustedScriptUrl(url);
  } catch (cause) {
    if (cause instanceof WePayRiskTokenError) throw cause;
    throw new WePayRiskTokenError(
      'load-failed',
      DEV ? `Trusted Types: the page must allow the policy "${TRUSTED_TYPES_POLICY}".` : undefined,
      { cause },
    );
  }
  native(document, 'head').append(script);
  return script;
}

/** The URL to request: `url` itself, or after failures `url` with a `wepay-risk-token-retry` search parameter. */
function requestUrl(url: string): string {
  const attempt = reloads.get(url);
  if (!attempt) return url;
  const retry = new URL(url);
  retry.searchParams.set('wepay-risk-token-retry', String(attempt));
  return retry.href;
}

function loadOnce(url: string, nonce: string): SharedLoad {
  const pageScript = pendingPageScript(url);
  const promise = new Promise<LoadedRisk>((resolve, reject) => {
    const script = pageScript ?? injectScript(requestUrl(url), nonce);
    const fail = (error: WePayRiskTokenError) => {
      if (!pageScript) script.remove();
      countReload(url);
      reject(error);
    };
    onLoadOrError(script, (event) => {
      settledScripts.add(script);
      if (event.type === 'error') {
        fail(
          new WePayRiskTokenError(
            'load-failed',
            DEV ? `Risk.js did not load from ${withoutCredentials(url)}.` : undefined,
          ),
        );
        return;
      }
      const risk = currentRiskApi();
      if (risk) resolve(own({ risk }));
      else
        fail(
          new WePayRiskTokenError(
            'unavailable',
            DEV ? `Risk.js from ${withoutCredentials(url)} defined no WePay.risk.` : undefined,
          ),
        );
    });
  });
  return { promise, pageScript };
}

/**
 * After a caller waited `timeout` on the page's own script: it may have finished before we listened (a
 * blocked request leaves no resource-timing entry), so the next load requests a fresh one.
 */
function giveUpOnPageScript(url: string): void {
  const load = loads.get(url);
  if (!load?.pageScript) return;
  settledScripts.add(load.pageScript);
  loads.delete(url);
  countReload(url);
}

/**
 * Drops Risk.js from `WePay`, and our load of `url`, so that the next load runs Risk.js anew: `risk`, and `tags`,
 * where WePay's SDK caches the session (the new run would give the old token). The rest of `WePay` stays, as a
 * page's WePay SDK needs it; only a `WePay` that keeps these goes.
 */
function discard(url: string): void {
  const page = globalThis as { WePay?: object };
  const wepay: object = Object(page.WePay);
  const kept = ['risk', 'tags'].some((member) => !Reflect.deleteProperty(wepay, member));
  if (kept && !Reflect.deleteProperty(page, 'WePay')) page.WePay = undefined;
  for (const script of scriptsOf(url)) settledScripts.add(script);
  loads.delete(url);
  countReload(url);
}

/** The page's `WePay.risk`, or one shared load of `url` (anew when `stale` is still the page's). */
function sharedLoad(url: string, nonce: string, stale: RiskApi | undefined): Promise<LoadedRisk> {
  const current = currentRiskApi();
  if (current && current !== stale) return Promise.resolve(own({ risk: current }));
  if (current) discard(url);
  let load = loads.get(url);
  if (!load) {
    const pending = loadOnce(url, nonce);
    loads.set(url, pending);
    pending.promise.catch(() => loads.get(url) === pending && loads.delete(url));
    load = pending;
  }
  return load.promise;
}

export interface LoadOptions {
  /** CSP nonce for the injected `<script>`. */
  nonce: string;
  /** Milliseconds this caller waits before giving up with `load-failed`; the shared load goes on. */
  timeout: number;
  /** Aborting stops waiting; the promise then never settles. */
  signal: AbortSignal;
  /** A Risk.js whose token expired: while it is still the page's, Risk.js is loaded anew. */
  stale?: RiskApi | undefined;
}

/**
 * Resolves with `WePay.risk` (boxed: see {@link LoadedRisk}): the one already on the page, or the one defined by
 * loading `src` — one request per URL however many elements ask, reusing a `<script>` the page already has that
 * is still loading. After a failure the next call tries again. A `src` the element may not load from (see
 * `script-origin.ts`) fails at once: nothing is requested and the nonce goes nowhere.
 */
export function loadRiskScript(src: string, { nonce, timeout, signal, stale }: LoadOptions): Promise<LoadedRisk> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return;
    let url: string;
    try {
      url = allowedScriptUrl(src).href;
    } catch (error) {
      reject(error);
      return;
    }
    const done = deadline(signal, timeout, () => {
      giveUpOnPageScript(url);
      reject(new WePayRiskTokenError('load-failed', DEV ? `Risk.js did not load within ${timeout} ms.` : undefined));
    });
    sharedLoad(url, nonce, stale).then(
      (loaded) => signal.aborted || (done.abort(), resolve(loaded)),
      (error) => signal.aborted || (done.abort(), reject(error)),
    );
  });
}

/** Forgets every load, so the next call requests Risk.js again (for tests; expiry uses `discard`). */
export function forgetRiskScripts(): void {
  loads.clear();
  reloads.clear();
}
