import { executeServerCommand } from '@web/test-runner-commands';
import sinon from 'sinon';
import { forgetRiskScripts } from '../../src/risk-script.js';

/** A kind of Risk.js the element's tests run against: the stand-in's parameters that make it so. */
export interface RiskJsMode {
  name: string;
  params: Record<string, string | number>;
}

/** WePay's Risk.js as it is: the token exists as soon as `generate_risk_token()` returns. */
export const SYNCHRONOUS_RISK_JS: RiskJsMode = { name: 'synchronous Risk.js', params: {} };

/** A Risk.js that makes its token later, as WePay's contract allows. */
export const ASYNCHRONOUS_RISK_JS: RiskJsMode = {
  name: 'asynchronous Risk.js (token 20 ms after generation)',
  params: { latency: 20 },
};

let mode = SYNCHRONOUS_RISK_JS;

/** Makes `standInUrl()` give this kind of Risk.js from now on (a test file sets it before its tests run). */
export function useRiskJsMode(next: RiskJsMode): void {
  mode = next;
}

/** The kind of Risk.js `standInUrl()` gives. */
export function riskJsMode(): RiskJsMode {
  return mode;
}

let lastId = 0;

/**
 * A URL of the test server's Risk.js stand-in, unique to the caller so request counts do not mix. It profiles
 * against the origin that serves it (`profile=/`): the test server, which records which session was profiled.
 */
export function standInUrl(params: Record<string, string | number> = {}): string {
  lastId += 1;
  const id = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}-${lastId}`;
  const query = new URLSearchParams({ id, auto: 'off', profile: '/' });
  for (const [key, value] of Object.entries({ ...mode.params, ...params })) query.set(key, String(value));
  return `/risk.js?${query}`;
}

/** WePay's device-profiling host. */
export const WEPAY_PROFILING = 'https://t.wepay.com';

/**
 * The stand-in at WePay's own Risk.js URL, profiling at WePay's own host, as the browser sees them once
 * `answerWePayHosts({ on: true })` has the test server answer both.
 */
export function wepayStandInUrl(params: Record<string, string | number> = {}): string {
  const local = new URL(standInUrl({ profile: WEPAY_PROFILING, ...params }), location.href);
  return `https://static.wepay.com/min/js/risk.js${local.search}`;
}

/**
 * Has the test server answer this page's requests to WePay's hosts (see test/support/wepay-hosts.js); hosts in
 * `blocked` fail as under an ad blocker. Where the browser cannot, says why.
 */
export function answerWePayHosts(options: {
  on: boolean;
  blocked?: string[];
}): Promise<{ supported: boolean; reason?: string }> {
  return executeServerCommand('wepay-hosts', options);
}

/** The `id` that makes a stand-in URL unique: what to count requests by. */
export function idOf(src: string): string {
  return new URL(src, location.href).searchParams.get('id')!;
}

/** The `<script>` tags in the page for this stand-in URL. */
export function scriptsFor(src: string): HTMLScriptElement[] {
  return [...document.querySelectorAll<HTMLScriptElement>('script[src]')].filter(
    (script) => new URL(script.src).searchParams.get('id') === idOf(src),
  );
}

/** How many requests the test server has seen for this stand-in URL. */
export async function requestCount(src: string): Promise<number> {
  const response = await fetch(`/__requests?match=${encodeURIComponent(`id=${idOf(src)}`)}`);
  return ((await response.json()) as { count: number }).count;
}

/**
 * How many device-profiling requests the test server has seen for a session: the script, and the beacon `<img>`
 * (`m=2`; the container's other beacon, a background image, `m=1`, is requested once the page styles it).
 */
export async function profilingRequests(sessionId: string): Promise<{ script: number; beacon: number }> {
  const count = async (...matches: string[]) => {
    const query = new URLSearchParams([...matches, `session_id=${sessionId}`].map((match) => ['match', match]));
    return ((await (await fetch(`/__requests?${query}`)).json()) as { count: number }).count;
  };
  return { script: await count('/fp/check.js?'), beacon: await count('/fp/clear.png?', '&m=2') };
}

/**
 * Resolves once the requests of the page's profiling container (the script and the image Risk.js added) have
 * finished, so the test server has seen them: the browser then has a resource timing entry for each.
 */
export async function profilingFinished(page: Window = window): Promise<void> {
  const container = page.document.getElementById('WePay-tags');
  if (!container) throw new Error('Risk.js added no #WePay-tags container to this page');
  const urls = [...container.querySelectorAll<HTMLImageElement | HTMLScriptElement>('img[src], script[src]')].map(
    (node) => node.src,
  );
  await Promise.all(
    urls.map(
      (url) =>
        new Promise<void>((resolve) => {
          const observer = new (page as typeof window).PerformanceObserver((list) => {
            if (list.getEntriesByName(url).length === 0) return;
            observer.disconnect();
            resolve();
          });
          observer.observe({ type: 'resource', buffered: true });
        }),
    ),
  );
}

/** Opens a gate the test server holds a `gate=NAME` response behind. */
export async function openGate(name: string): Promise<void> {
  await fetch(`/__gates/${name}`, { method: 'POST' });
}

export interface StandInCounters {
  runs: number;
  generateCalls: number;
  getCalls: number;
}

/** The stand-in's own call counts (zeros before it ran). */
export function standInCounters(): StandInCounters {
  return (
    (window as { WePayRiskStandIn?: StandInCounters }).WePayRiskStandIn ?? { runs: 0, generateCalls: 0, getCalls: 0 }
  );
}

/** Every script whose `load` or `error` has fired: such a script will not run any more. */
const settledScripts = new WeakSet<EventTarget>();
for (const type of ['load', 'error']) {
  document.addEventListener(
    type,
    ({ target }) => target instanceof HTMLScriptElement && settledScripts.add(target),
    true,
  );
}

/**
 * Resolves once every Risk.js `<script>` in the page has run or failed. A script still loading when a test
 * ends would otherwise run in the next one (removing it does not stop it) and put its `WePay.risk` there.
 */
async function riskScriptsSettled(): Promise<void> {
  const loading = [...document.querySelectorAll<HTMLScriptElement>('script[src*="/risk.js"]')].filter(
    (script) => !settledScripts.has(script),
  );
  await Promise.all(
    loading.map(
      (script) =>
        new Promise((resolve) => {
          script.addEventListener('load', resolve, { once: true });
          script.addEventListener('error', resolve, { once: true });
        }),
    ),
  );
}

/** Leaves the page as if Risk.js had never been on it. */
export function resetRiskJs(): void {
  const page = window as { WePay?: unknown; WePayRiskStandIn?: unknown; WePayRiskToken?: unknown };
  delete page.WePay;
  delete page.WePayRiskStandIn;
  delete page.WePayRiskToken;
  for (const script of document.querySelectorAll('script[src*="/risk.js"]')) script.remove();
  document.getElementById('WePay-tags')?.remove();
  // The element's connection hints: a test that asserts none, or one, must not see an earlier test's.
  for (const hint of document.querySelectorAll('link[rel="preconnect"]')) hint.remove();
  forgetRiskScripts();
}

/** Collects uncaught errors and unhandled rejections until `stop()`. */
export function trackPageErrors(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(event.reason);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop() {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
    },
  };
}

import type {} from '../../src/define.js';

type RiskTokenEventType = 'wepay-risk-token-ready' | 'wepay-risk-token-error' | 'wepay-risk-token-expired';
type RiskTokenEvent = GlobalEventHandlersEventMap[RiskTokenEventType];

/**
 * Records every `wepay-risk-token-*` event that bubbles up to the document from now on, so a test can ask for an event that may
 * already have happened (an `eager` element can be ready before `fixture()` returns).
 */
export interface EventLog {
  /** The first recorded event of `type` from `target` not yet taken, or the next one to come. */
  next<T extends RiskTokenEventType>(target: Element, type: T): Promise<GlobalEventHandlersEventMap[T]>;
  stop(): void;
}

export function recordEvents(): EventLog {
  const seen: RiskTokenEvent[] = [];
  const types: RiskTokenEventType[] = ['wepay-risk-token-ready', 'wepay-risk-token-error', 'wepay-risk-token-expired'];
  const record = (event: Event) => seen.push(event as RiskTokenEvent);
  for (const type of types) document.addEventListener(type, record);
  return {
    next<T extends RiskTokenEventType>(target: Element, type: T) {
      type Wanted = GlobalEventHandlersEventMap[T];
      const index = seen.findIndex((event) => event.target === target && event.type === type);
      if (index >= 0) return Promise.resolve(seen.splice(index, 1)[0] as Wanted);
      return new Promise<Wanted>((resolve) => {
        const listener = (event: Event) => {
          if (event.target !== target) return;
          document.removeEventListener(type, listener);
          seen.splice(seen.indexOf(event as RiskTokenEvent), 1);
          resolve(event as Wanted);
        };
        document.addEventListener(type, listener);
      });
    },
    stop() {
      for (const type of types) document.removeEventListener(type, record);
    },
  };
}

/** Resolves when the element's `state` attribute becomes `state`: an event-driven wait, no timers. */
export function stateBecomes(element: Element, state: string): Promise<void> {
  return new Promise((resolve) => {
    if (element.getAttribute('state') === state) return resolve();
    const observer = new MutationObserver(() => {
      if (element.getAttribute('state') !== state) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(element, { attributes: true, attributeFilter: ['state'] });
  });
}

/** The token field as the form would post it. */
export function postedToken(form: HTMLFormElement, name = 'wepay_risk_token'): FormDataEntryValue | null {
  return new FormData(form).get(name);
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The hooks an element test file needs: a fresh event log for each test (returned), and afterwards a page as
 * if Risk.js had never been on it (no fakes, no stand-in, no post sinks).
 */
export function eachTestOnACleanPage(): Pick<EventLog, 'next'> {
  let events: EventLog | undefined;
  beforeEach(() => {
    events = recordEvents();
  });
  afterEach(async () => {
    events?.stop();
    sinon.restore();
    await riskScriptsSettled();
    resetRiskJs();
    for (const frame of document.querySelectorAll('iframe[name^="post-"]')) frame.remove();
  });
  return { next: (target, type) => events!.next(target, type) };
}
